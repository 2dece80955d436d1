"""The assistant's learned understanding (generation/assistant/intent_model.py) as the storefront serves it: the
active version of UNDERSTANDING_NAME, loaded once per process, and what it learns from (paraphrases of the shop's
own words, what reviewers approved or corrected). Training and registering: understanding_training.py."""

from catalog.models import Product
from generation.assistant.intent_model import Example, IntentModel, generated_examples, label_of
from generation.assistant.understanding import Question, understand
from generation.copy.shop_vocabulary import ShopVocabulary
from generation.copy.vocabulary import LANGUAGES
from generation.models import AssistantMessage, Family, GenerativeModel, ReviewDecision
from generation.services.copy_grounding import copy_vocabulary
from generation.services.process_cache import ProcessCache

UNDERSTANDING_NAME = "assistant-understanding"
_loaded: ProcessCache[IntentModel] = ProcessCache(size=2)


def active_understanding() -> IntentModel | None:
    """The active version, None before one is trained (the rules answer alone)."""
    version = (
        GenerativeModel.objects.filter(family=Family.INTENT, state=GenerativeModel.State.ACTIVE)
        .only("pk", "checkpoint")
        .first()
    )
    if version is None:
        return None

    def load() -> IntentModel:
        with version.checkpoint.open("rb") as handle:
            return IntentModel.from_bytes(handle.read())

    return _loaded.get(version.pk, load)


def understood_by_rules(example: Example, shop: ShopVocabulary) -> Question:
    return understand(
        example.text, vocabulary=copy_vocabulary(), language=example.language, in_view=example.in_view, shop=shop
    )


# An answer's kind as the understanding reads questions: one from the product's passages came by the route of a
# question that names no field.
READ_AS = {"product_passage": "policy", "": "policy"}


def _corrected_label(answer: AssistantMessage, language: str, final_text: str, product: Product | None) -> str:
    """The kind (and field) an answer sent to a shopper stands for; a reviewer's edit that names another of the
    product's fields than the draft cited teaches that field."""
    fields = [c.get("field") for c in answer.citations if c.get("source") == "product"]
    fields = [name for name in fields if name not in ("category", "title")]
    kind = READ_AS.get(answer.kind, answer.kind)
    label = label_of(Question(answer.question.text, language, kind, answer.reason, fields))
    if product is None or not final_text:
        return label
    lowered = final_text.lower()
    named = [name for name, value in product.attributes.items() if str(value).strip() and str(value).lower() in lowered]
    if named and answer.kind == "product_fact" and named[0] not in fields:
        return f"product_fact:{named[0]}"
    return label


def reviewed_examples(limit: int = 5000) -> list[Example]:
    """Questions whose answers a reviewer approved (as drafted or edited): the kind and field that answered."""
    approved = ReviewDecision.objects.filter(
        action=ReviewDecision.Action.APPROVED, item__answer_message__isnull=False
    ).select_related("item__answer_message__question", "item__answer_message__conversation")
    decisions = [
        d
        for d in approved.order_by("-id")[:limit]
        if d.item.answer_message.question is not None and d.item.answer_message.kind not in ("", "saved")
    ]
    skus = {d.item.answer_message.question.sku for d in decisions} - {""}
    products = {p.sku: p for p in Product.objects.filter(sku__in=skus)}  # one query, not one per answer
    examples = []
    for decision in decisions:
        answer = decision.item.answer_message
        language = answer.conversation.language if answer.conversation.language in LANGUAGES else "en"
        final_text = decision.item.text if decision.edited_from else ""
        label = _corrected_label(answer, language, final_text, products.get(answer.question.sku))
        examples.append(Example(answer.question.text, language, label, bool(answer.question.sku)))
    return examples


def understanding_examples(shop: ShopVocabulary, *, seed: int = 0) -> tuple[list[Example], list[Example]]:
    """Paraphrases in every language from the shop's words, and the reviewers' corrections."""
    generated = [e for language in LANGUAGES for e in generated_examples(shop, language, seed=seed)]
    return generated, reviewed_examples()
