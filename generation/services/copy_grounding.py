"""Grounding of copy against the catalog, and the phrase banks copy is written from: the shipped data files plus
the admins' terms, phrases and style presets; and the checks of the catalog's own titles and descriptions (the
copy-health page, `manage.py copy_check`)."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Max
from django.utils.translation import gettext

from catalog.models import GlossaryTerm, Product
from generation.copy.grounding import check_copy
from generation.copy.limits import KINDS
from generation.copy.planning import product_facts
from generation.copy.realisation import PARTS, PhraseBank, StyleRules, check_template
from generation.copy.vocabulary import FIELDS as VOCABULARY_FIELDS
from generation.copy.vocabulary import LANGUAGES, Vocabulary
from generation.models import CopyField, CopyPhrase, CopyStyle, CopyTerm
from generation.services.process_cache import ProcessCache
from retail_studio.errors import StudioError

# The copy-health page checks at most this many products per view (newest first); a category narrows it.
HEALTH_SCAN_LIMIT = 5000

_vocabulary: ProcessCache[Vocabulary] = ProcessCache(size=1)
_banks: ProcessCache[dict[str, PhraseBank]] = ProcessCache(size=1)


def _vocabulary_built() -> Vocabulary:
    # A glossary term is how copy says a value: grounding reads it as that value (黄绿色 is chartreuse, not green).
    glossary = GlossaryTerm.objects.filter(field__in=VOCABULARY_FIELDS).values_list("text", "field", "value")
    return Vocabulary.load(extra=[*glossary, *CopyTerm.objects.values_list("term", "field", "value")])


def copy_vocabulary() -> Vocabulary:
    """Rebuilt only when the admins' terms or the glossary change (two aggregate queries say)."""
    state = (
        *CopyTerm.objects.aggregate(Count("id"), Max("updated_at")).values(),
        *GlossaryTerm.objects.aggregate(Count("id"), Max("updated_at")).values(),
    )
    return _vocabulary.get(state, _vocabulary_built)


def _banks_built() -> dict[str, PhraseBank]:
    banks = {language: PhraseBank.load(language) for language in LANGUAGES}
    for preset in CopyStyle.objects.all():
        rules = StyleRules(exclamation=preset.exclamation, max_sentence_length=preset.max_sentence_length)
        for bank in banks.values():
            bank.add_style(preset.name, base=preset.base, rules=rules)
    for phrase in CopyPhrase.objects.all():
        bank = banks.get(phrase.language)
        if bank is not None and phrase.style in bank.styles:
            bank.add_phrase(style=phrase.style, part=phrase.part, key=phrase.key, text=phrase.text)
    for language, name, value, text in GlossaryTerm.objects.values_list("language", "field", "value", "text"):
        if language in banks:
            banks[language].add_term(name, value, text)
    return banks


def copy_banks() -> dict[str, PhraseBank]:
    """Language -> phrase bank, rebuilt only when the admins' phrases, presets or glossary terms change."""
    state = (
        *CopyPhrase.objects.aggregate(Count("id"), Max("updated_at")).values(),
        *GlossaryTerm.objects.aggregate(Count("id"), Max("updated_at")).values(),
        tuple(CopyStyle.objects.values_list("name", "base", "exclamation", "max_sentence_length")),
    )
    return _banks.get(state, _banks_built)


def copy_said_in() -> dict[str, str]:
    """Field -> where copy says it ("never", "long", "any"), as the admins set it (Copy fields)."""
    return dict(CopyField.objects.values_list("field", "said_in"))


# Missing terms listed on a page or kept on a job: the most blocking first.
MISSING_TERMS_SHOWN = 50


def missing_terms_count(
    products: Iterable[Product],
    *,
    language: str,
    banks: dict[str, PhraseBank],
    said_in: dict[str, str],
    kind: str | None = None,
) -> Counter:
    """(field, value) -> how many of `products` hold a fact `language` has no word for (left out of its copy)."""
    bank, counts = banks[language], Counter()
    for product in products:
        facts = product_facts(product.attributes or {}, kind=kind, said_in=said_in)
        counts.update({(fact.field, fact.value) for fact in bank.unsayable(facts)})
    return counts


def missing_terms_listed(counts: Counter) -> list[dict]:
    """[{"field", "value", "products"}], most products first, as a page and a job keep them."""
    return [
        {"field": field, "value": value, "products": count}
        for (field, value), count in counts.most_common(MISSING_TERMS_SHOWN)
    ]


def copy_missing_terms(*, language: str = "zh", category_id: int | None = None) -> tuple[list[dict], int]:
    """The catalog's facts `language` has no word for, with how many products each leaves short (the newest
    HEALTH_SCAN_LIMIT products, or a category's), and how many products were read."""
    products = Product.objects.only("id", "attributes").order_by("-id")
    if category_id:
        products = products.filter(category_id=category_id)
    products = list(products[:HEALTH_SCAN_LIMIT])
    counts = missing_terms_count(products, language=language, banks=copy_banks(), said_in=copy_said_in())
    return missing_terms_listed(counts), len(products)


def copy_phrase_check(*, language: str, style: str, part: str, key: str, text: str) -> None:
    """Refuses, with a StudioError saying why, an admin's phrase the banks could not use."""
    styles = {"plain", "premium", "playful", *CopyStyle.objects.values_list("name", flat=True)}
    if style not in styles:
        raise StudioError(
            gettext("No style “%(style)s”: one of %(styles)s.") % {"style": style, "styles": ", ".join(sorted(styles))}
        )
    if part == "template":
        if key not in KINDS:
            raise StudioError(
                gettext("A template's key is a kind of copy: one of %(kinds)s.") % {"kinds": ", ".join(KINDS)}
            )
        try:
            check_template(text)
        except ValueError as exc:
            raise StudioError(str(exc)) from None
    elif part in PARTS and "=" not in key:
        raise StudioError(gettext("A fact's phrase needs a key such as season=cold weather, or colour=* with {value}."))


def product_copy_flags(
    *, product: Product, kind: str, text: str, language: str | None = None, keywords=(), banned=(),
    vocabulary: Vocabulary | None = None, banks: dict[str, PhraseBank] | None = None,
) -> list[dict]:  # fmt: skip
    """The grounding rules `text` breaks as `kind` copy of `product` in `language` (None: the catalog's own
    copy, in whatever language it is written)."""
    category, banks = product.category.name, banks or copy_banks()
    nouns = category_nouns_of(category, banks)
    return check_copy(
        text=text,
        kind=kind,
        category=category,
        attributes=product.attributes or {},
        language=language,
        keywords=keywords,
        banned=banned,
        vocabulary=vocabulary or copy_vocabulary(),
        limits=settings.COPY_LIMITS,
        category_nouns=nouns,
        own_phrases=[*nouns, *own_phrases_of(product.attributes or {}, banks)],
    )


def own_phrases_of(attributes: dict, banks: dict[str, PhraseBank]) -> list[str]:
    """The product's values and how each language writes them: copy saying them says the product's own words (any
    other colour, material or audience word is still a claim to check)."""
    phrases = []
    for fact in product_facts(attributes):
        phrases.append(fact.value)
        phrases += [word for bank in banks.values() if (word := bank.word(fact))]
    return phrases


def category_nouns_of(category: str, banks: dict[str, PhraseBank]) -> list[str]:
    """The words copy uses for a category, in every language: they name the product, never contradict it."""
    return [noun for bank in banks.values() for noun in bank.nouns(category)]


def copy_check_one(*, entry: dict, vocabulary: Vocabulary) -> list[dict]:
    """Checks one {"kind", "category", "attributes", "text", "language"?, "keywords"?, "banned"?} entry."""
    return check_copy(
        text=str(entry["text"]), kind=str(entry["kind"]), category=str(entry["category"]),
        attributes=dict(entry.get("attributes") or {}), language=entry.get("language"),
        keywords=list(entry.get("keywords") or []), banned=list(entry.get("banned") or []), vocabulary=vocabulary,
        limits=settings.COPY_LIMITS,
    )  # fmt: skip


@dataclass
class FlaggedProduct:
    product: Product
    title_flags: list[dict]
    description_flags: list[dict]


def products_with_flagged_copy(*, category_id: int | None = None) -> tuple[list[FlaggedProduct], int]:
    """The products whose current title or description breaks a grounding rule, and how many were checked."""
    vocabulary, banks = copy_vocabulary(), copy_banks()  # once, not per product: each call checks for changes
    products = Product.objects.select_related("category").only(
        "id", "sku", "title", "description", "attributes", "category__name"
    )
    if category_id:
        products = products.filter(category_id=category_id)
    flagged, checked = [], 0
    for product in products.order_by("-id")[:HEALTH_SCAN_LIMIT]:
        checked += 1
        title = product_copy_flags(
            product=product, kind="title", text=product.title, vocabulary=vocabulary, banks=banks
        )
        description = product_copy_flags(
            product=product, kind="description_long", text=product.description, vocabulary=vocabulary, banks=banks
        )
        if title or description:
            flagged.append(FlaggedProduct(product, title, description))
    return flagged, checked
