"""Writes of the shopper-facing half: articles (with their history), storefront keys, and conversations: a
shopper's question answered, sent or drafted by the storefront's mode, handed off, taken over and replied to by
hand. Drafts are review items; their decisions land here (generation/services/review.py calls in)."""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from catalog.models import Product
from generation.assistant.answer import ANSWER, HANDOFF, Answer, Citation
from generation.assistant.answerer import answer_problems
from generation.copy.grounding import language_of
from generation.models import GeneratedItem
from generation.services.copy_grounding import copy_vocabulary
from generation.storefront.answering import active_product, answer_for, conversation_context, question_key
from generation.storefront.models import (
    AssistantMessage,
    Conversation,
    SavedAnswer,
    StoreArticle,
    StoreArticleRevision,
    StorefrontKey,
)
from generation.storefront.origins import origin_normalised, origins_normalised
from generation.storefront.plain_text import plain_text
from generation.storefront.shoppers import anonymous_shopper, shopper_token_sign
from retail_studio.errors import StudioError

# --- articles ---------------------------------------------------------------------------------------------------


@transaction.atomic
def article_save(
    *, slug: str, title: str, body: str, language: str = "", published: bool = False, user=None,
    article: StoreArticle | None = None,
) -> StoreArticle:  # fmt: skip
    """Creates or changes an article (its language from its text when not given); each save is a revision. An
    article is plain text and Markdown: any HTML in it is taken out here, so nothing that quotes it can run it."""
    title, body = plain_text(title).strip(), plain_text(body).strip()
    if not title or not body:
        raise StudioError(gettext("An article needs a title and a text."))
    language = language or language_of(f"{title} {body}")
    if language not in ("en", "zh"):
        raise StudioError(gettext("An article is in English (en) or Chinese (zh)."))
    if article is None:
        if StoreArticle.objects.filter(slug=slug).exists():
            raise StudioError(gettext("An article with the slug %(slug)s exists already.") % {"slug": slug})
        article = StoreArticle(slug=slug)
    article.title, article.body, article.language, article.published = title, body, language, published
    article.save()
    StoreArticleRevision.objects.create(
        article=article, title=title, language=language, body=body, published=published, made_by=user
    )
    return article


def article_publish(*, article: StoreArticle, published: bool, user=None) -> StoreArticle:
    return article_save(
        article=article, slug=article.slug, title=article.title, body=article.body, language=article.language,
        published=published, user=user,
    )  # fmt: skip


@dataclass
class ArticleFile:
    slug: str
    title: str
    body: str
    language: str


def article_file_read(path: Path) -> ArticleFile:
    """One `.md` file: the slug is its name, the title its first heading, the language its -zh / -en suffix
    or else its text."""
    text = plain_text(path.read_text(encoding="utf-8-sig"))
    heading = next((line.lstrip("#").strip() for line in text.splitlines() if line.startswith("#")), "")
    if not heading:
        raise StudioError(gettext("%(name)s: the first heading (# Title) is missing.") % {"name": path.name})
    stem = path.stem.lower()
    language = "zh" if stem.endswith("-zh") else "en" if stem.endswith("-en") else language_of(text)
    return ArticleFile(stem, heading, text.strip(), language)


@transaction.atomic
def articles_import(*, folder: Path, publish: bool = True, user=None) -> tuple[int, int]:
    """Every `.md` file of `folder`, all or nothing: (created, changed). An unreadable file changes nothing."""
    files = sorted(folder.glob("*.md"))
    if not files:
        raise StudioError(gettext("No .md files in %(folder)s.") % {"folder": folder})
    problems, read = [], []
    for path in files:
        try:
            read.append(article_file_read(path))
        except (StudioError, UnicodeDecodeError) as exc:
            problems.append(f"{path.name}: {exc}")
    if problems:
        raise StudioError("Nothing was imported: " + "; ".join(problems))
    created = changed = 0
    for found in read:
        existing = StoreArticle.objects.filter(slug=found.slug).first()
        if existing and (existing.title, existing.body, existing.language) == (found.title, found.body, found.language):
            continue
        article_save(
            article=existing, slug=found.slug, title=found.title, body=found.body, language=found.language,
            published=publish if existing is None else existing.published, user=user,
        )  # fmt: skip
        created, changed = created + (existing is None), changed + (existing is not None)
    return created, changed


DEMO_ARTICLES = Path(__file__).parent / "demo_articles"


def demo_articles_ensure() -> int:
    """The demo's store articles, when the store has none yet."""
    if StoreArticle.objects.exists():
        return 0
    return articles_import(folder=DEMO_ARTICLES)[0]


# --- storefront keys and shoppers ---------------------------------------------------------------------------------

DEMO_STOREFRONT = "Demo storefront"


def storefront_key_create(
    *, name: str, allowed_origins: list[str] = (), any_origin: bool = False, mode: str = StorefrontKey.Mode.DRAFT,
    threshold: float = 0.8, user=None, demo: bool = False,
) -> StorefrontKey:  # fmt: skip
    """A storefront's keys. Its publishable key answers only `allowed_origins` (normalised; none is refused
    unless `any_origin`)."""
    if not 0 <= threshold <= 1:
        raise StudioError(gettext("The threshold is a confidence between 0 and 1."))
    origins = origins_normalised(list(allowed_origins), any_origin=any_origin)
    return StorefrontKey.objects.create(
        name=name, allowed_origins=origins, any_origin=any_origin, mode=mode, threshold=threshold, created_by=user,
        demo=demo,
    )  # fmt: skip


def demo_storefront_key(*, origin: str) -> StorefrontKey | None:
    """The key of the studio's own demo storefront page (draft mode), made when first needed, for the studio's
    own `origin` alone (the page's, whose host Django checked against ALLOWED_HOSTS); None once an admin revoked
    it: a revoked demo key stays revoked."""
    origin = origin_normalised(origin)
    key = StorefrontKey.objects.filter(demo=True).order_by("id").first()
    if key is not None and (key.revoked_at is not None or origin in key.allowed_origins):
        return None if key.revoked_at is not None else key
    with transaction.atomic():  # a write only on the first visit, or from another of the studio's own names
        key = StorefrontKey.objects.select_for_update().filter(demo=True).order_by("id").first()
        if key is None:
            return storefront_key_create(name=DEMO_STOREFRONT, allowed_origins=[origin], demo=True)
        if key.revoked_at is None and origin not in key.allowed_origins:
            key.allowed_origins = [*key.allowed_origins, origin]
            key.save(update_fields=["allowed_origins"])
        return key if key.revoked_at is None else None


def storefront_key_revoke(*, key: StorefrontKey) -> StorefrontKey:
    StorefrontKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    key.refresh_from_db()
    return key


def shopper_token_issue(*, storefront: StorefrontKey) -> tuple[str, str]:
    """A new anonymous shopper of `storefront` and their token (the longest-lived a token may be): (shopper,
    token). Only the studio and the shop's server can sign one."""
    shopper = anonymous_shopper()
    token = shopper_token_sign(
        shopper, publishable_key=storefront.key, secret_key=storefront.secret_key,
        seconds=settings.STOREFRONT_SHOPPER_TOKEN_MAX_SECONDS,
    )  # fmt: skip
    return shopper, token


def shopper_conversations(*, storefront: StorefrontKey, shopper: str, limit: int = 20) -> list[Conversation]:
    return list(Conversation.objects.filter(storefront=storefront, shopper=shopper).order_by("-updated_at")[:limit])


# --- conversations ----------------------------------------------------------------------------------------------


def _product_in_view(sku: str) -> Product | None:
    product = active_product(sku)
    if sku and product is None:
        raise StudioError(gettext("No such product in the shop."))
    return product


def _sent(answer: Answer, problems: list[str], storefront: StorefrontKey) -> bool:
    return (
        answer.action == ANSWER and storefront.mode == StorefrontKey.Mode.AUTO
        and answer.confidence >= storefront.threshold and not problems
    )  # fmt: skip


def conversation_ask(
    *, storefront: StorefrontKey, text: str, sku: str = "", conversation: Conversation | None = None,
    language: str = "", shopper: str = "",
) -> tuple[Conversation, AssistantMessage, AssistantMessage | None]:  # fmt: skip
    """The shopper's question and the assistant's answer: sent when the storefront's mode allows, a draft in
    review otherwise; a hand-off tells the shopper so and waits in the inbox. A conversation a reviewer took over
    gets no answer from the assistant: the reviewer replies. A new conversation is `shopper`'s (the one the
    shop vouched for), readable with their token only.

    The answer is composed first, outside any transaction (searching, and an endpoint's phrasing, take time
    that must not hold a lock: on SQLite it would hold every other write); then one short transaction writes."""
    text = text.strip()
    if not text:
        raise StudioError(gettext("Ask a question."))
    if len(text) > settings.STOREFRONT_MAX_MESSAGE_CHARS:
        raise StudioError(
            gettext("A message is at most %(limit)s characters.")
            % {"limit": f"{settings.STOREFRONT_MAX_MESSAGE_CHARS:,}"}
        )
    product = _product_in_view(sku)
    language = language or language_of(text)
    answer = problems = None
    if conversation is None or conversation.status != Conversation.Status.TAKEN:
        vocabulary = copy_vocabulary()
        context = conversation_context(conversation)
        answer = answer_for(text, product=product, language=language, vocabulary=vocabulary, context=context)
        problems = answer_problems(answer, vocabulary=vocabulary) if answer.action == ANSWER else []
    with transaction.atomic():
        if conversation is None:
            conversation = Conversation.objects.create(storefront=storefront, language=language, shopper=shopper)
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
        question = AssistantMessage.objects.create(
            conversation=conversation, role=AssistantMessage.Role.SHOPPER, text=text, sku=sku
        )
        if conversation.status == Conversation.Status.TAKEN or answer is None:  # taken over meanwhile, too
            conversation.save(update_fields=["updated_at"])
            return conversation, question, None
        reply = _answer_store(answer, problems, conversation=conversation, question=question, product=product)
    return conversation, question, reply


def _answer_store(
    answer: Answer, problems: list[str], *, conversation: Conversation, question: AssistantMessage,
    product: Product | None,
) -> AssistantMessage:  # fmt: skip
    sent = answer.action == HANDOFF or _sent(answer, problems, conversation.storefront)
    reply = AssistantMessage.objects.create(
        conversation=conversation, role=AssistantMessage.Role.ASSISTANT, question=question, text=answer.text,
        state=AssistantMessage.State.SENT if sent else AssistantMessage.State.DRAFT, action=answer.action,
        kind=answer.kind, reason=answer.reason, missing=answer.missing[:200],
        citations=[c.as_dict() for c in answer.citations], products=answer.products, confidence=answer.confidence,
    )  # fmt: skip
    if not sent:
        GeneratedItem.objects.create(
            kind=GeneratedItem.Kind.ANSWER, answer_message=reply, text=answer.text, language=answer.language,
            copy_kind="answer", category=product.category if product else None, product=product, seed=0,
            flags=[{"rule": "citation", "words": [problem]} for problem in problems],
        )  # fmt: skip
    waiting = answer.action == HANDOFF or not sent
    conversation.status = Conversation.Status.WAITING if waiting else Conversation.Status.OPEN
    conversation.save(update_fields=["status", "updated_at"])
    return reply


def answer_draft_problems(*, message: AssistantMessage, text: str) -> list[str]:
    """A draft's text (a reviewer's edit too) against the draft's own citations and language."""
    answer = Answer(
        message.action, text, [Citation.from_dict(c) for c in message.citations], language=message.conversation.language
    )
    return answer_problems(answer, vocabulary=copy_vocabulary())


def answer_draft_approve(*, message: AssistantMessage, text: str, reviewer) -> AssistantMessage:
    """Inside the review decision's transaction: the draft is sent as approved (edited: re-checked, and saved
    as the answer to give the same question again)."""
    message = AssistantMessage.objects.select_for_update().select_related("conversation", "question").get(pk=message.pk)
    edited = text != message.text
    problems = answer_draft_problems(message=message, text=text)
    if problems:  # an answer with a claim no citation supports is never sent
        raise StudioError(
            gettext("This answer says what its sources do not (%(problems)s); edit it.")
            % {"problems": "; ".join(problems)}
        )
    if edited:
        SavedAnswer.objects.update_or_create(
            question_key=question_key(message.question.text), language=message.conversation.language,
            sku=message.question.sku, defaults={"text": text, "citations": message.citations, "saved_by": reviewer},
        )  # fmt: skip
    message.text, message.state, message.written_by = text, AssistantMessage.State.SENT, reviewer if edited else None
    message.save(update_fields=["text", "state", "written_by"])
    _settle(message.conversation)
    return message


def answer_draft_reject(*, message: AssistantMessage) -> AssistantMessage:
    """The shopper never sees a rejected draft; the conversation waits for a person in the inbox."""
    AssistantMessage.objects.filter(pk=message.pk).update(state=AssistantMessage.State.REJECTED)
    Conversation.objects.filter(pk=message.conversation_id).update(
        status=Conversation.Status.WAITING, updated_at=timezone.now()
    )
    message.refresh_from_db()
    return message


def answer_draft_reopen(*, message: AssistantMessage, text: str) -> None:
    """A decision undone: the draft waits again, as it was written."""
    AssistantMessage.objects.filter(pk=message.pk).update(state=AssistantMessage.State.DRAFT, text=text)
    Conversation.objects.filter(pk=message.conversation_id).update(status=Conversation.Status.WAITING)


def _settle(conversation: Conversation) -> None:
    """Open again once nothing in it waits for a person (no draft, no hand-off unanswered by staff)."""
    messages = list(conversation.messages.order_by("id"))
    waiting = any(m.state == AssistantMessage.State.DRAFT for m in messages)
    last_handoff = max((m.id for m in messages if m.action == HANDOFF), default=0)
    waiting |= last_handoff > max((m.id for m in messages if m.role == AssistantMessage.Role.STAFF), default=0)
    if conversation.status != Conversation.Status.TAKEN:
        conversation.status = Conversation.Status.WAITING if waiting else Conversation.Status.OPEN
    conversation.save(update_fields=["status", "updated_at"])


@transaction.atomic
def conversation_take_over(*, conversation: Conversation, user) -> Conversation:
    """A reviewer takes a conversation over: the assistant stops answering it; the reviewer replies by hand."""
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if conversation.status == Conversation.Status.TAKEN and conversation.taken_by_id != user.pk:
        raise StudioError(gettext("%(who)s has taken this conversation over already.") % {"who": conversation.taken_by})
    conversation.status, conversation.taken_by = Conversation.Status.TAKEN, user
    conversation.save(update_fields=["status", "taken_by", "updated_at"])
    return conversation


@transaction.atomic
def conversation_reply(*, conversation: Conversation, text: str, user, hand_back: bool = False) -> AssistantMessage:
    """A reply by hand, sent at once (a person wrote it); `hand_back` lets the assistant answer again."""
    text = text.strip()
    if not text:
        raise StudioError(gettext("Write a reply."))
    if len(text) > settings.STOREFRONT_MAX_MESSAGE_CHARS * 4:
        raise StudioError(gettext("That reply is too long."))
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    reply = AssistantMessage.objects.create(
        conversation=conversation, role=AssistantMessage.Role.STAFF, text=text, written_by=user
    )
    if hand_back:
        conversation.status, conversation.taken_by = Conversation.Status.OPEN, None
        conversation.save(update_fields=["status", "taken_by", "updated_at"])
    else:
        _settle(conversation)
    return reply
