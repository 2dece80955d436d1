"""Reads of the shopper-facing half: the inbox, a conversation, the gaps, the assistant's figures."""

from collections import Counter, defaultdict
from datetime import timedelta

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from catalog.models import Product
from generation.models import GeneratedItem, ReviewDecision
from generation.storefront.models import AssistantMessage, Conversation

INBOX_PAGE = 50
FIGURE_DAYS = 14


def inbox_conversations(*, status: str = "", limit: int = INBOX_PAGE) -> list[Conversation]:
    """The newest conversations first, each with its last question and its last message (`last_message`)."""
    questions = AssistantMessage.objects.filter(conversation=OuterRef("pk"), role=AssistantMessage.Role.SHOPPER)
    conversations = Conversation.objects.select_related("storefront", "taken_by").annotate(
        last_question=Subquery(questions.order_by("-id").values("text")[:1])
    )
    if status:
        conversations = conversations.filter(status=status)
    messages = AssistantMessage.objects.select_related("written_by").order_by("id")
    page = list(conversations.order_by("-updated_at").prefetch_related(Prefetch("messages", queryset=messages))[:limit])
    for conversation in page:
        conversation.last_message = list(conversation.messages.all())[-1] if conversation.messages.all() else None
    return page


def conversation_with_messages(*, conversation_id: int) -> Conversation:
    messages = AssistantMessage.objects.select_related("written_by", "review_item").order_by("id")
    return (
        Conversation.objects.select_related("storefront", "taken_by")
        .prefetch_related(Prefetch("messages", queryset=messages))
        .get(pk=conversation_id)
    )


def assistant_gaps(limit: int = 20) -> list[dict]:
    """What the assistant could not answer, grouped by what was missing, most asked first, each with its
    questions and (for a field) how many active products hold it: the shop's catalog work."""
    handoffs = AssistantMessage.objects.filter(action="handoff", reason__in=["missing", "unknown"]).select_related(
        "question"
    )
    groups: dict[str, list[str]] = defaultdict(list)
    for message in handoffs.order_by("-id")[:5000]:
        key = message.missing.split(":", 1)[0] + ":" + message.missing.split(":", 1)[-1].strip().lower()
        groups[key].append(message.question.text if message.question else "")
    gaps = []
    for key, questions in sorted(groups.items(), key=lambda item: -len(item[1]))[:limit]:
        kind, what = key.split(":", 1)
        gap = {"kind": kind, "what": what, "count": len(questions), "questions": Counter(questions).most_common(5)}
        if kind == "field":
            gap["products_with_it"] = Product.objects.filter(
                status=Product.Status.ACTIVE, attributes__has_key=what
            ).count()
        gaps.append(gap)
    return gaps


def assistant_figures(*, days: int = FIGURE_DAYS) -> dict:
    """Per day: questions, and the shares answered (sent), handed off and drafted; the drafts' approval rate."""
    since = timezone.now() - timedelta(days=days)
    replies = AssistantMessage.objects.filter(role=AssistantMessage.Role.ASSISTANT, created_at__gte=since)
    rows = (
        replies.annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(
            questions=Count("id"),
            handed_off=Count("id", filter=Q(action="handoff")),
            drafted=Count("id", filter=Q(review_item__isnull=False)),
        )
        .order_by("day")
    )
    per_day = [
        {"day": row["day"].isoformat(), "questions": row["questions"], "handed_off": row["handed_off"],
         "drafted": row["drafted"], "answered": row["questions"] - row["handed_off"] - row["drafted"]}
        for row in rows
    ]  # fmt: skip
    decided = ReviewDecision.objects.filter(item__kind=GeneratedItem.Kind.ANSWER, action__in=["approved", "rejected"])
    approved = decided.filter(action="approved").count()
    total = sum(day["questions"] for day in per_day)
    share = lambda key: round(sum(d[key] for d in per_day) / total, 3) if total else None  # noqa: E731
    return {
        "per_day": per_day, "questions": total, "answered": share("answered"), "handed_off": share("handed_off"),
        "drafted": share("drafted"), "approval_rate": round(approved / decided.count(), 3) if decided.exists() else None,
    }  # fmt: skip
