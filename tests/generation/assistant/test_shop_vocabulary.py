"""The shop's vocabulary learnt from three shapes of catalog (the grey demo, a fashion shop's rows, a catalog with
attribute names of its own): questions in English and Chinese read as the shop's own fields and values, and the
answerer searches with them."""

import pytest

from generation.assistant.answer import ANSWER
from generation.assistant.answerer import ProductFacts, answer_question
from generation.assistant.articles import ArticleIndex
from generation.assistant.conversation import Context
from generation.copy.realisation import PhraseBank
from generation.copy.shop_vocabulary import ShopVocabulary, catalog_counts, glossary_words
from generation.copy.vocabulary import Vocabulary

VOCABULARY = Vocabulary.load()
BANKS = {language: PhraseBank.load(language) for language in ("en", "zh")}
WIFE = {"audience": {"women": ["wife", "老婆"], "men": ["husband", "老公"]}}

DEMO = [
    ("Sneaker", {"tone": "dark", "surface": "plain"}),
    ("Bag", {"tone": "light", "surface": "patterned"}),
    ("Coat", {"tone": "dark", "season": "cold weather"}),
    ("Ankle boot", {"tone": "mid"}),
]
SHOP = [
    ("Shirts", {"gender": "Men", "colour": "Navy Blue", "season": "Fall", "usage": "Formal"}),
    ("Shirts", {"gender": "Women", "colour": "Blue", "season": "Summer", "usage": "Casual"}),
    ("Casual Shoes", {"gender": "Men", "colour": "Black", "season": "Winter", "usage": "Casual"}),
    ("Handbags", {"gender": "Women", "colour": "Red", "season": "Summer", "usage": "Casual"}),
    ("Watches", {"gender": "Women", "colour": "Black", "season": "Winter", "usage": "Casual"}),
    ("Sports Shoes", {"gender": "Men", "colour": "White", "season": "Summer", "usage": "Sports"}),
    ("Kurtas", {"gender": "Women", "colour": "Maroon", "season": "Fall", "usage": "Ethnic"}),
    ("Tops", {"gender": "Women", "colour": "Red", "season": "Summer", "usage": "Casual"}),
    ("Shirts", {"gender": "Men", "colour": "Black", "season": "Fall", "usage": "Formal"}),
]
OWN = [
    ("Loafer", {"hue": "Bordeaux", "fabric": "suede", "for": "Men", "heel_height": "2 cm"}),
    ("Loafer", {"hue": "Tan", "fabric": "leather", "for": "Women", "heel_height": "3 cm"}),
]


def shop_of(rows) -> ShopVocabulary:
    categories, values = catalog_counts(rows)
    return ShopVocabulary.build(
        categories=categories,
        values=values,
        vocabulary=VOCABULARY,
        synonyms=WIFE,
        words={language: glossary_words(bank, categories, values) for language, bank in BANKS.items()},
    )


@pytest.mark.parametrize(
    ("rows", "question", "found"),
    [
        (DEMO, "Show me dark sneakers", {"tone": "dark", "category": "Sneaker"}),
        (DEMO, "有浅色的包吗？", {"tone": "light", "category": "Bag"}),
        (DEMO, "ankle boots", {"category": "Ankle boot"}),
        (SHOP, "do you have navy blue shirts for men?", {"colour": "Navy Blue", "category": "Shirts", "gender": "Men"}),
        (SHOP, "navy shirts", {"colour": "Navy Blue", "category": "Shirts"}),
        (SHOP, "show me black casual shoes", {"colour": "Black", "category": "Casual Shoes"}),
        (SHOP, "I need a watch for my wife", {"category": "Watches", "gender": "Women"}),
        (SHOP, "ethnic wear for women", {"usage": "Ethnic", "gender": "Women"}),
        (SHOP, "women's red tops", {"gender": "Women", "colour": "Red", "category": "Tops"}),
        (SHOP, "有男士的蓝色衬衫吗？", {"gender": "Men", "colour": "Blue", "category": "Shirts"}),
        (SHOP, "有黑色的手提包吗？", {"colour": "Black", "category": "Handbags"}),
        (
            OWN,
            "bordeaux suede loafers for men",
            {"hue": "Bordeaux", "fabric": "suede", "category": "Loafer", "for": "Men"},
        ),
    ],
)
def test_a_question_reads_as_the_shops_own_fields_and_values(rows, question, found):
    assert shop_of(rows).find(question) == found


def test_numbers_codes_and_provenance_are_no_vocabulary():
    shop = shop_of([*OWN, ("Loafer", {"sku": "L-1", "year": "2012", "source": "fashion-products"})])
    assert not {"heel_height", "sku", "year", "source"} & shop.fields()


class ShopCatalog:
    products = [
        ProductFacts(f"P{n}", f"{category} {n}", category, attributes) for n, (category, attributes) in enumerate(SHOP)
    ]

    def find(self, wanted, *, like, k):
        def fits(product):
            return all(str(product.value(name)).lower() == str(value).lower() for name, value in wanted.items())

        return [p for p in self.products if fits(p) and p != like][:k]


@pytest.mark.parametrize(
    ("question", "sku"),
    [
        ("do you have navy blue shirts for men?", "P0"),
        ("有黑色的手提包吗？", None),
        ("I need a watch for my wife", "P4"),
        ("red handbags", "P3"),
    ],
)
def test_the_answerer_searches_the_shops_fields(question, sku):
    answer = answer_question(
        question, vocabulary=VOCABULARY, articles=ArticleIndex([]), catalog=ShopCatalog(), shop=shop_of(SHOP)
    )
    if sku is None:  # no black handbag: said so, with what was looked for
        assert answer.action != ANSWER and "黑色" in answer.text and "手提包" in answer.text, answer.text
    else:
        assert answer.action == ANSWER and answer.products == [sku], answer


def test_a_fact_asked_by_the_answerers_name_is_read_from_the_shops_field():
    shirt = ProductFacts("P0", "Navy shirt", "Shirts", SHOP[0][1])
    answer = answer_question(
        "Is it for men or women?",
        vocabulary=VOCABULARY,
        articles=ArticleIndex([]),
        catalog=ShopCatalog(),
        product=shirt,
        shop=shop_of(SHOP),
    )
    assert answer.action == ANSWER and answer.text == "This shirt is made for men.", answer.text


@pytest.mark.parametrize(
    ("question", "field", "said"),
    [
        ("这件是黑色的吗？", "colour", "藏青色"),
        ("Is this one for women?", "gender", "made for men"),
        ("Is it formal?", "usage", "formal wear"),
    ],
)
def test_whether_the_one_in_view_holds_a_value_is_answered_from_the_field_that_value_belongs_to(question, field, said):
    shirt = ProductFacts("P0", "Navy shirt", "Shirts", SHOP[0][1])
    answer = ask_shop(question, product=shirt)
    assert answer.action == ANSWER and answer.kind == "product_fact", answer
    assert answer.citations[0].field == field and said in answer.text, answer.text


def test_do_you_have_this_in_black_asks_for_another_one_not_about_this_one():
    shirt = ProductFacts("P0", "Navy shirt", "Shirts", SHOP[0][1])
    for question in ("Do you have this in black?", "有这件的黑色吗？"):
        answer = ask_shop(question, product=shirt)
        assert answer.kind != "product_fact" and answer.products in ([], ["P8"]), answer


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("Can you recommend a gift for my wife?", "Which kind of product would you like for women? For example:"),
        ("给老婆买礼物，有什么推荐？", "女士的哪一类商品"),
    ],
)
def test_a_vague_ask_gets_one_clarifying_question_with_the_kinds_the_shop_has(question, asked):
    answer = answer_question(
        question, vocabulary=VOCABULARY, articles=ArticleIndex([]), catalog=ShopCatalog(), shop=shop_of(SHOP)
    )
    assert answer.action == ANSWER and answer.kind == "clarify" and asked in answer.text, answer.text


def ask_shop(question, **options):
    return answer_question(
        question, vocabulary=VOCABULARY, articles=ArticleIndex([]), catalog=ShopCatalog(), shop=shop_of(SHOP), **options
    )


def test_a_follow_up_refines_the_last_search():
    first = ask_shop("do you have navy blue shirts for men?")
    assert first.products == ["P0"]
    for again in ("in black?", "黑色的呢？"):
        answer = ask_shop(again, context=Context("do you have navy blue shirts for men?", ()))
        assert answer.action == ANSWER and answer.products == ["P8"], (again, answer.text)


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("What colour is the second one?", "This shirt comes in blue."),
        ("第二个是什么颜色？", "这款衬衫是蓝色的。"),
        ("tell me about the last one", "This shirt comes in black."),
    ],
)
def test_the_second_one_is_the_second_product_the_last_answer_showed(question, said):
    shown = tuple(ShopCatalog.products[n] for n in (0, 1, 8))
    answer = ask_shop(question, context=Context("shirts", shown))
    assert answer.action == ANSWER and answer.text.startswith(said), answer.text


def test_a_search_that_names_who_it_is_for_is_still_a_search():
    answer = ask_shop("navy blue shirts for men")  # "for men" is also the name of a field a product answers
    assert answer.kind == "search" and answer.products == ["P0"], answer.text


@pytest.mark.parametrize("again", ["warmer?", "更暖和的呢？"])
def test_warmer_after_a_search_is_the_shops_nearest_colder_season(again):
    # The navy men's shirts come in Fall, not Winter: "warmer" takes Winter first, then the next nearest.
    answer = ask_shop(again, context=Context("do you have navy blue shirts for men?", ()))
    assert answer.action == ANSWER and answer.products == ["P0"], answer.text


def test_warmer_about_the_product_in_view_is_one_like_it_for_a_colder_season_and_says_so():
    summer_shirt = ShopCatalog.products[1]
    answer = ask_shop("something warmer?", product=summer_shirt)
    assert answer.kind == "like_this" and answer.products == ["P0", "P8"], answer.text
    assert "(Fall instead)" in answer.text


@pytest.mark.parametrize(("question", "said"), [("cheaper?", "I can't compare prices"), ("便宜点的呢？", "看不到价格")])
def test_cheaper_is_answered_honestly_not_handed_off(question, said):
    answer = ask_shop(question, context=Context("do you have navy blue shirts for men?", ()))
    assert answer.action == ANSWER and said in answer.text


NEAR_NAMES = [
    *[("Handbags", {"colour": "Green", "gender": "Women"})] * 5,
    *[("Briefs", {"colour": "Purple", "gender": "Women"})] * 5,
    ("Clutches", {"colour": "Olive", "gender": "Women"}),
    ("Bra", {"colour": "Lavender", "gender": "Women"}),
]


@pytest.mark.parametrize(
    ("question", "found"),
    [
        ("olive clutches for women", {"colour": "Olive", "category": "Clutches", "gender": "Women"}),
        ("lavender bra", {"colour": "Lavender", "category": "Bra"}),
        ("有女士的文胸吗？", {"category": "Bra", "gender": "Women"}),
        ("green handbags", {"colour": "Green", "category": "Handbags"}),
    ],
)
def test_a_word_that_is_a_values_own_name_means_that_value_not_a_commoner_synonym(question, found):
    # The grounding vocabulary reads olive as a green and a clutch as a bag; the shop that sells Olive Clutches
    # means them when a shopper names them, however many more green handbags it holds.
    assert shop_of(NEAR_NAMES).find(question) == found


def test_in_black_after_something_else_was_asked_about_the_shown_shirts_is_the_shirts_in_black():
    shown = tuple(ShopCatalog.products[i] for i in (0, 1))  # two shirts shown by the last search
    before = Context("the second one, what season is it for?", shown)
    answer = ask_shop("in black?", context=before)
    assert answer.kind == "search" and answer.products == ["P8"], answer  # the shop's black shirt
