"""A conversation, not a form: what was said before makes a short question whole. "The second one" is the second
product the last answer showed; "in black?" after a search is that search in black, and about the product in view
one like it in black."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from generation.assistant.understanding import Question, cues
from generation.copy.grounding import phrase_found


@dataclass(frozen=True)
class Context:
    """What the conversation said before: the shopper's last question and the products the last answer showed."""

    question: str = ""
    shown: tuple = ()  # the answerer's ProductFacts, in the order shown


NO_CONTEXT = Context()  # a conversation's first question


def referred(text: str, language: str, shown: tuple):
    """The product the last answer showed that "the second one" (第二个) names."""
    lowered = text.lower()
    for place, phrases in cues(language)["ordinals"].items():
        if shown and any(phrase_found(phrase, lowered) for phrase in phrases):
            index = int(place) - 1 if int(place) > 0 else int(place)
            return shown[index] if -len(shown) <= index < len(shown) else None
    return None


def refined(question: Question, context: Context, understood: Callable[[str], Question], *, in_view: bool) -> Question:
    """ "In black?" after a search for shirts: the last search, with what this question changes."""
    words = len(question.text) if question.language == "zh" else len(question.text.split())
    if question.kind not in ("policy", "clarify") or question.fields or "category" in question.wanted:
        return question
    if not question.wanted or words > cues(question.language)["follow_up_words"]:
        return question
    before = understood(context.question) if context.question else None
    if before is None or before.kind not in ("search", "clarify"):
        # "In black?" about the product in view, after anything but a search: one like it, in black.
        if in_view:
            return Question(
                question.text, question.language, "like_this", wanted=question.wanted, nearby=question.nearby
            )
        # Without one, after shirts were shown and something else asked since ("the second one, what season?"):
        # the kind of product shown, in black.
        shown = Counter(product.category for product in context.shown).most_common(1)
        if shown:
            wanted = {"category": shown[0][0], **question.wanted}
            return Question(question.text, question.language, "search", wanted=wanted, nearby=question.nearby)
        return question
    wanted = {**before.wanted, **question.wanted}
    kind = "search" if wanted.get("category") or len(wanted) >= 2 else "clarify"
    return Question(question.text, question.language, kind, wanted=wanted, nearby=question.nearby)
