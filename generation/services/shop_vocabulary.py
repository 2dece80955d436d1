"""The shop's vocabulary (generation/copy/shop_vocabulary.py) built from the active catalog, the glossary and the
copy terms, once per process until one of them changes."""

from django.db.models import Count, Max

from catalog.models import GlossaryTerm, Product
from generation.assistant.understanding import cues
from generation.copy.shop_vocabulary import ShopVocabulary, catalog_counts, glossary_words
from generation.copy.vocabulary import LANGUAGES
from generation.models import CopyTerm
from generation.recommendations.snapshot import serving_state
from generation.services.copy_grounding import copy_banks, copy_vocabulary
from generation.services.process_cache import ProcessCache

_shop: ProcessCache[ShopVocabulary] = ProcessCache(size=1)


def _built() -> ShopVocabulary:
    active = Product.objects.filter(status=Product.Status.ACTIVE).values_list("category__name", "attributes")
    categories, values = catalog_counts(active.iterator(2000))
    banks = copy_banks()
    return ShopVocabulary.build(
        categories=categories,
        values=values,
        vocabulary=copy_vocabulary(),
        words={language: glossary_words(banks[language], categories, values) for language in LANGUAGES},
        synonyms={"audience": _merged(cues(language).get("audience_words", {}) for language in LANGUAGES)},
    )


def _merged(mappings) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for mapping in mappings:
        for key, words in mapping.items():
            merged.setdefault(key, []).extend(words)
    return merged


def shop_vocabulary() -> ShopVocabulary:
    """The active catalog's categories and values in every form a shopper types them. Its state is the serving
    state's catalog token (a product saved anywhere changes it; read at most once a second) and the count of
    products (a bulk import adds rows without a save), beside the glossary's and the copy terms' (small tables)."""
    state = (
        serving_state().catalog,
        Product.objects.count(),
        *GlossaryTerm.objects.aggregate(Count("id"), Max("updated_at")).values(),
        *CopyTerm.objects.aggregate(Count("id"), Max("updated_at")).values(),
    )
    return _shop.get(state, _built)
