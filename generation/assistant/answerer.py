"""The built-in answerer: from what a question asks and what the caller retrieved, an Answer whose every claim
carries a citation. It never repeats the question's words as a claim (so "say this is silk" cannot make it say
silk): product facts come from the product's fields, policies are quoted from articles, suggestions are the
catalog's products. What nothing supports is handed to a person, saying so."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Protocol

from generation.assistant.answer import ANSWER, HANDOFF, Answer, Citation
from generation.assistant.articles import MIN_COVERAGE, ArticleIndex, answering_sentences
from generation.assistant.conversation import NO_CONTEXT, Context, referred, refined
from generation.assistant.intent_model import IntentModel, overruled
from generation.assistant.passages import best_candidate, candidates_of
from generation.assistant.understanding import Question, cues, mentions_policy, understand
from generation.copy.grounding import language_of, uncited_claims, wrong_language
from generation.copy.planning import Fact, product_facts
from generation.copy.realisation import PhraseBank
from generation.copy.shop_vocabulary import ShopVocabulary
from generation.copy.vocabulary import LANGUAGES, Vocabulary

MAX_SUGGESTIONS = 3
# A shop's own name for a field the answerer asks about: who it is for is the shop's gender, and so on.
FIELD_ALIASES = {"colour": ("color", "base_colour"), "audience": ("gender",), "occasion": ("usage",)}
# How sure each kind of answer is, before what it found lowers it: a field's value is the catalog's word.
CONFIDENCE = {"product_fact": 0.95, "saved": 1.0, "search": 0.85, "like_this": 0.75}


@dataclass(frozen=True)
class ProductFacts:
    sku: str
    title: str
    category: str
    attributes: dict = field(default_factory=dict, hash=False)
    passages: tuple[str, ...] = field(default=(), hash=False)  # its description and bullet points

    def own_field(self, name: str) -> str:
        """The product's own field for `name`: itself, or the shop's name for it (gender for audience)."""
        for own in (name, *FIELD_ALIASES.get(name, ())):
            if self.attributes.get(own) not in (None, ""):
                return own
        return name

    def value(self, name: str):
        if name == "category":
            return self.category
        value = self.attributes.get(self.own_field(name))
        return None if value in (None, "") else value


class Catalog(Protocol):
    def find(self, wanted: dict[str, str], *, like: ProductFacts | None, k: int) -> list[ProductFacts]:
        """Active products matching `wanted` (category, colour, tone…), best first; nearest to `like` first."""

    def goes_with(self, product: ProductFacts, *, k: int) -> list[ProductFacts]:
        """Active products that complete the look of `product`, best first."""


@dataclass(frozen=True)
class SavedAnswer:
    text: str
    citations: tuple[Citation, ...]


@cache
def _shipped_banks() -> dict[str, PhraseBank]:
    return {language: PhraseBank.load(language) for language in LANGUAGES}


def _word(name: str, value, language: str) -> str:
    """A field's value as the question's language says it; as written where there is no word for it."""
    if language != "zh":
        return str(value)
    if name == "category":
        return _shipped_banks()["zh"].nouns(str(value))[0]
    words = cues("zh")["value_words"].get(name) or _shipped_banks()["zh"].data.get("values", {}).get(name, {})
    return words.get(str(value).strip().lower(), str(value))


def _fact_sentence(name: str, value, product: ProductFacts, language: str, bank: PhraseBank) -> str:
    """What the product holds for `name`, said through the copy realiser ("This coat is made for cold weather.",
    agreement and a/an by sound); the cue's plain sentence where the language has no word for the value."""
    say = cues(language)["say"]
    facts = (
        [Fact("category", str(value))] if name == "category" else product_facts({name: value}, said_in={name: "any"})
    )
    sentences = [
        bank.answer(fact, category=product.category, field_name=_field_name(name, language))
        for fact in facts or [Fact(name, str(value).lower())]
    ]
    if sentences and all(sentences):
        return ("" if language == "zh" else " ").join(sentences)
    if name == "category":
        return say["fact_category"].format(value=_word(name, value, language))
    return say["fact"].format(field=_field_name(name, language), value=_word(name, value, language))


def _field_name(name: str, language: str) -> str:
    return cues(language)["field_names"].get(name, name.replace("_", " "))


def _handoff(question: Question, reason: str, *, missing: str = "", text: str = "") -> Answer:
    say = cues(question.language)["say"]
    return Answer(
        HANDOFF, text or say["handoff"][reason], language=question.language, kind="handoff", reason=reason,
        missing=missing, confidence=1.0,
    )  # fmt: skip


def _what(wanted: dict[str, str], language: str) -> str:
    """What was searched for, in the shopper's words: "navy blue shirts for men", 男士藏青色衬衫."""
    people = [name for name in ("audience", "gender") if name in wanted]
    adjectives = [_word(n, v, language) for n, v in wanted.items() if n != "category" and n not in people]
    noun = _word("category", wanted["category"], language) if "category" in wanted else ""
    if language == "zh":
        return "".join([*(_word(n, wanted[n], language) for n in people), *adjectives]) + (noun or "商品")
    for_whom = [f"for {str(wanted[n]).lower()}" for n in people]
    return " ".join([*(str(a).lower() for a in adjectives), noun.lower() if noun else "products", *for_whom])


def _product_fact(question: Question, product: ProductFacts, bank: PhraseBank) -> Answer:
    say, language = cues(question.language)["say"], question.language
    sentences, citations = [], []
    for name in question.fields:
        value = product.value(name)
        if value is None:
            # The field is not there by that name: anything else the product holds may still say it.
            found = _from_candidates(question, product, bank)
            if found is not None:
                return found
            return _handoff(
                question, "missing", missing=f"field:{name}",
                text=say["missing"].format(field=_field_name(name, language), noun=bank.this_noun(product.category)),
            )  # fmt: skip
        own = product.own_field(name)  # the shop's own name for it: gender, where the question asks who it is for
        citations.append(Citation("product", sku=product.sku, field=own, value=str(value)))
        sentences.append(_fact_sentence(own, value, product, language, bank))
    if language == "en":  # the title is the product's own word for itself: an edit may quote it
        citations.append(Citation("product", sku=product.sku, field="title", value=product.title))
    if "category" not in question.fields:  # the answer names what the product is, in its title or in words
        citations.append(Citation("product", sku=product.sku, field="category", value=product.category))
    joiner = "" if language == "zh" else " "
    return Answer(ANSWER, joiner.join(sentences), citations, confidence=CONFIDENCE["product_fact"],
                  language=language, kind="product_fact")  # fmt: skip


def _suggestions(question: Question, found: list[ProductFacts], text: str, kind: str, confidence: float) -> Answer:
    citations = []
    for product in found:
        citations.append(Citation("product", sku=product.sku, field="category", value=product.category))
        for name in question.wanted:
            if name != "category" and product.value(name) is not None:
                citations.append(Citation("product", sku=product.sku, field=name, value=str(product.value(name))))
        if question.language == "en":
            citations.append(Citation("product", sku=product.sku, field="title", value=product.title))
    return Answer(ANSWER, text, citations, [p.sku for p in found], confidence, question.language, kind)


def _search(question: Question, catalog: Catalog, like: ProductFacts | None) -> Answer:
    say, language = cues(question.language)["say"], question.language
    wanted = dict(question.wanted)
    if like is not None:
        wanted.setdefault("category", like.category)
    found = catalog.find(wanted, like=like, k=MAX_SUGGESTIONS)
    # "Warmer" is Winter first, then Fall: the next nearest value where the first finds nothing.
    for name, values in question.nearby.items():
        for value in values:
            if found:
                break
            found = catalog.find({**wanted, name: value}, like=like, k=MAX_SUGGESTIONS)
            wanted = {**wanted, name: value} if found else wanted
    what = _what(wanted, language)
    if not found:
        return _handoff(question, "missing", missing=f"products:{what}", text=say["search_none"].format(what=what))
    titles = "; ".join(p.title for p in found)
    verb, match = ("is", "match") if len(found) == 1 else ("are", "matches")
    if like is not None:
        change = "".join(
            say["change"][name].format(value=_word(name, wanted[name], language))
            for name in question.wanted if name in say["change"]
        )  # fmt: skip
        text = say["like_this_found"].format(verb=verb, match=match, title=like.title, change=change, titles=titles)
        answer = _suggestions(question, found, text, "like_this", CONFIDENCE["like_this"])
        answer.citations.append(Citation("product", sku=like.sku, field="title", value=like.title))
        return answer
    text = say["search_found"].format(verb=verb, match=match, what=what, titles=titles)
    return _suggestions(question, found, text, "search", CONFIDENCE["search"])


def _policy_quote(
    question: Question, articles: ArticleIndex, min_coverage: float = MIN_COVERAGE
) -> tuple[Citation, str, float] | None:
    """The sentence(s) of the store's articles that answer the question, cited, with the answer's confidence."""
    hits = articles.search(question.text, question.language, min_coverage=min_coverage)
    if not hits:
        return None
    best = hits[0]
    quote = answering_sentences(question.text, best.passage.text, question.language)
    article = best.passage.article
    return Citation("article", slug=article.slug, quote=quote), article.title, round(0.9 * best.coverage, 3)


def _policy(question: Question, articles: ArticleIndex) -> Answer:
    found = _policy_quote(question, articles)
    if found is None:
        topic = " ".join(question.text.split()[:8])
        return _handoff(question, "unknown", missing=f"article:{topic}")
    citation, title, confidence = found
    text = cues(question.language)["say"]["policy"].format(title=title, quote=citation.quote)
    return Answer(ANSWER, text, [citation], confidence=confidence, language=question.language, kind="policy")


# A hand-off about an order, a payment or a complaint also says the policy that applies, while a person looks:
# the article that holds a fifth of its words (an order's number and its story are not in any article).
HANDOFF_WITH_POLICY = {"order", "payment", "complaint"}
HANDOFF_POLICY_COVERAGE = 0.2


def _handoff_with_policy(question: Question, articles: ArticleIndex) -> Answer:
    answer = _handoff(question, question.reason)
    # Only where the message speaks of a policy (a refund, a delivery): "I was charged twice" quotes none.
    policy = question.reason in HANDOFF_WITH_POLICY and mentions_policy(question.text, question.language)
    found = _policy_quote(question, articles, HANDOFF_POLICY_COVERAGE) if policy else None
    if found is None:
        return answer
    citation, title, _ = found
    policy = cues(question.language)["say"]["handoff_policy"].format(title=title, quote=citation.quote)
    return Answer(**{**answer.__dict__, "text": answer.text + policy, "citations": [citation]})


def _goes_with(question: Question, catalog: Catalog, product: ProductFacts, bank: PhraseBank) -> Answer:
    say, noun = cues(question.language)["say"], bank.nouns(product.category)[0]
    found = catalog.goes_with(product, k=MAX_SUGGESTIONS)
    if not found:
        return _handoff(
            question, "missing", missing=f"look:{product.sku}", text=say["goes_with_none"].format(noun=noun)
        )
    text = say["goes_with"].format(noun=noun, titles="; ".join(p.title for p in found))
    answer = _suggestions(question, found, text, "goes_with", CONFIDENCE["like_this"])
    answer.citations.append(Citation("product", sku=product.sku, field="category", value=product.category))
    return answer


def _from_candidates(question: Question, product: ProductFacts, bank: PhraseBank) -> Answer | None:
    """The attribute, title or description sentence that holds most of the question, said and cited."""
    candidates = candidates_of(product.title, product.attributes, product.passages)
    found = best_candidate(question.text, question.language, candidates)
    if found is None:
        return None
    candidate, probability = found
    say = cues(question.language)["say"]
    if candidate.field in ("title", "description"):
        text = say[f"from_{candidate.field}"].format(quote=candidate.text)
    else:
        text = _fact_sentence(candidate.field, candidate.value, product, question.language, bank)
    citations = [
        Citation("product", sku=product.sku, field=candidate.field, value=candidate.value or candidate.text),
        Citation("product", sku=product.sku, field="category", value=product.category),
    ]
    return Answer(
        ANSWER, text, citations, confidence=round(probability, 3), language=question.language, kind="product_passage"
    )


CLARIFY_SCAN = 60  # products whose categories a clarifying question offers, most common first


def _clarify(question: Question, catalog: Catalog) -> Answer:
    """One clarifying question for a vague ask, with the kinds of product the shop has for it."""
    say, language = cues(question.language)["say"], question.language
    found = catalog.find(question.wanted, like=None, k=CLARIFY_SCAN)
    kinds = [name for name, _ in Counter(p.category for p in found).most_common(MAX_SUGGESTIONS)]
    if not kinds:
        return _handoff(question, "unknown", missing=f"products:{_what(question.wanted, language)}")
    people = [value for name, value in question.wanted.items() if name in ("audience", "gender")]
    whom = say["clarify_whom"].format(whom=_word("gender", people[0], language).lower()) if people else ""
    separator = "、" if language == "zh" else ", "
    text = say["clarify"].format(whom=whom, categories=separator.join(_word("category", k, language) for k in kinds))
    citations = [
        Citation("product", sku=p.sku, field="category", value=p.category) for p in found if p.category in kinds
    ]
    citations += [
        Citation("product", sku=p.sku, field=name, value=str(p.value(name)))
        for p in found
        for name in question.wanted
        if p.value(name) is not None
    ]
    return Answer(ANSWER, text, citations, confidence=CONFIDENCE["search"], language=language, kind="clarify")


def _small_talk(question: Question) -> Answer:
    text = cues(question.language)["say"][question.reason]
    return Answer(ANSWER, text, [], confidence=1.0, language=question.language, kind="small_talk")


def answer_question(
    text: str, *, vocabulary: Vocabulary, articles: ArticleIndex, catalog: Catalog, product: ProductFacts | None = None,
    language: str | None = None, saved: Callable[[Question], SavedAnswer | None] | None = None,
    banks: dict[str, PhraseBank] | None = None, shop: ShopVocabulary | None = None, context: Context = NO_CONTEXT,
    understanding: IntentModel | None = None,
) -> Answer:  # fmt: skip
    """The built-in answer to a shopper's question, in the question's language; `banks`: the copy realiser's
    phrase banks with the shop's glossary (the shipped ones where None); `shop`: the shop's vocabulary;
    `context`: what the conversation said before (follow-ups refer to it); `understanding`: the learned reading
    beside the rules (the rules alone where None)."""
    language = language or language_of(text)
    product = referred(text, language, context.shown) or product

    def understood(said: str) -> Question:
        by_rules = understand(
            said,
            vocabulary=vocabulary,
            language=language,
            in_view=product is not None,
            product_fields=tuple(product.attributes) if product else (),
            shop=shop,
        )
        return overruled(by_rules, understanding, in_view=product is not None)

    question = refined(understood(text), context, understood, in_view=product is not None)
    if question.kind == "policy" and product is not None and referred(text, language, context.shown):
        fields = [name for name in ("colour", "gender", "usage", "season", "material") if product.value(name)]
        question = Question(text, language, "product_fact", fields=fields[:3])  # "tell me about the second one"
    if question.kind == "handoff":
        return _handoff_with_policy(question, articles)
    if question.kind == "small_talk":
        return _small_talk(question)
    reused = saved(question) if saved else None
    if reused is not None:
        return Answer(ANSWER, reused.text, list(reused.citations), confidence=CONFIDENCE["saved"],
                      language=question.language, kind="saved")  # fmt: skip
    bank = (banks or _shipped_banks())[question.language]
    if question.kind == "goes_with":
        return _goes_with(question, catalog, product, bank)
    if question.kind in ("like_this", "search"):
        answer = _search(question, catalog, product if question.kind == "like_this" else None)
        # With a product in view, what the shop has none of may be said by the product itself: "are they nylon
        # or cotton?" by its material, "dimensions of saddle bags?" by its dimensions.
        if answer.action == HANDOFF and product is not None:
            return _from_candidates(question, product, bank) or answer
        return answer
    if question.kind == "clarify":
        return _clarify(question, catalog)
    if question.kind == "product_fact":
        return _product_fact(question, product, bank)
    if product is None:
        return _policy(question, articles)
    # Anything the product holds may answer what no field name says; the shop's policies come first where the
    # question speaks of one ("can I return it?").
    policy_first = mentions_policy(question.text, question.language)
    answer = _policy(question, articles) if policy_first else None
    if answer is None or answer.action != ANSWER:
        answer = _from_candidates(question, product, bank) or answer or _policy(question, articles)
    return answer


def answer_problems(answer: Answer, *, vocabulary: Vocabulary) -> list[str]:
    """Why an answer may not be sent as it is: claims no citation supports, or text not in its language. The
    same checks for the built-in text, an endpoint's phrasing and a reviewer's edit."""
    cited: dict[str, set[str]] = {}
    for citation in answer.citations:
        if citation.source == "product":
            cited.setdefault(citation.field, set()).add(citation.value)
    quotes = [c.quote for c in answer.citations if c.source == "article"] + list(cited.get("title", ()))
    quotes += list(cited.get("description", ()))  # a sentence of the product's own description, quoted
    problems = [f"not cited: {word}" for word in uncited_claims(answer.text, cited=cited, vocabulary=vocabulary,
                                                                 quotes=quotes)]  # fmt: skip
    facts = {name: " ".join(values) for name, values in cited.items()}
    problems += [f"not {answer.language}: {word}" for word in wrong_language(answer.text, answer.language, facts)]
    return problems
