"""What copy of a product may say, read from the studio: its plans (its attributes, and for long descriptions its
shop's own description phrases that grounding accepts) and the control tokens the copywriter is asked with."""

from catalog.models import Product
from catalog.selectors import product_shop_descriptions
from generation.copy.descriptions import description_clauses
from generation.copy.planning import LONG_KINDS, CopyPlan, Fact, copy_plans, product_facts
from generation.copy.realisation import PhraseBank
from generation.copy.vocabulary import Vocabulary
from generation.services.copy_grounding import product_copy_flags

# Attributes that become control tokens: what the copy may speak of.
CONTROL_ATTRIBUTES = ("tone", "surface", "colour", "material", "audience", "season")


def product_controls(product: Product, *, kind: str, style: str, language: str) -> dict[str, str]:
    attributes = product.attributes or {}
    controls = {key: str(attributes[key]) for key in CONTROL_ATTRIBUTES if attributes.get(key)}
    return controls | {"kind": kind, "category": product.category.name, "style": style, "lang": language}


def _shop_descriptions(
    product: Product, *, kind: str, vocabulary: Vocabulary, banks: dict[str, PhraseBank]
) -> dict[str, str]:
    """For long descriptions, the phrases of the shop's own descriptions that no grounding rule refuses (a phrase
    that contradicts the product's fields is not a fact), one a line."""
    if kind not in LONG_KINDS:
        return {}
    return {
        language: "\n".join(
            clause
            for clause in description_clauses(text, language)
            if not product_copy_flags(
                product=product, kind=kind, text=clause, language=language, vocabulary=vocabulary, banks=banks
            )
        )
        for language, text in product_shop_descriptions(product).items()
    }


def product_copy_facts(
    product: Product,
    *,
    kind: str,
    said_in: dict[str, str] | None,
    vocabulary: Vocabulary,
    banks: dict[str, PhraseBank],
) -> list[Fact]:
    """Every fact copy of `kind` may say of the product: its attributes and its shop's description phrases."""
    descriptions = _shop_descriptions(product, kind=kind, vocabulary=vocabulary, banks=banks)
    return product_facts(product.attributes or {}, kind=kind, descriptions=descriptions, said_in=said_in)


def product_plans(
    product: Product,
    *,
    kind: str,
    said_in: dict[str, str] | None,
    vocabulary: Vocabulary,
    banks: dict[str, PhraseBank],
) -> list[CopyPlan]:
    """The product's plans for `kind`, from `product_copy_facts`."""
    descriptions = _shop_descriptions(product, kind=kind, vocabulary=vocabulary, banks=banks)
    return copy_plans(
        product.category.name, product.attributes or {}, kind=kind, descriptions=descriptions, said_in=said_in
    )
