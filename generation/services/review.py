"""Review decisions on generated items: approve (and attach to a product), reject, bulk, undo.

Each decision is one conditional update, `UPDATE … WHERE review_state = 'pending'`, whose row count says who
won when two reviewers decide the same item at once, and an audit row written in the same transaction."""

import hashlib
import json
import random
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from catalog import roles
from catalog.imaging import check_catalog_image, store_image_file
from catalog.models import Product, ProductImage
from catalog.services.product_copy import product_copy_apply, product_copy_revert
from catalog.services.products import product_draft_create, product_image_build, product_images_arrived
from generation.models import AssistantMessage, GeneratedItem, RejectionReason, ReviewDecision, ReviewerSettings
from generation.provenance import provenance_stamp
from generation.services.copy_grounding import product_copy_flags
from generation.storefront.services import answer_draft_approve, answer_draft_reject, answer_draft_reopen
from retail_studio.errors import StudioError

UNDO_SECONDS = 5 * 60
# A bulk approval of more than this many items needs a confirmed spot-check of SPOT_CHECK_SIZE of them first.
BULK_SPOT_CHECK_OVER = 50
SPOT_CHECK_SIZE = 10
SPOT_CHECK_MAX_AGE = 30 * 60
BULK_CHUNK = 500

# The default keys; each reviewer may remap any action (ReviewerSettings). 1-9 pick a rejection reason.
DEFAULT_KEYMAP = {
    "approve": "a", "reject": "r", "next": "j", "previous": "k", "select": "x", "undo": "u", "help": "?",
}  # fmt: skip
RESERVED_KEYS = set("123456789")

Pending = GeneratedItem.ReviewState.PENDING
Approved = GeneratedItem.ReviewState.APPROVED
Rejected = GeneratedItem.ReviewState.REJECTED


class AlreadyDecided(StudioError):
    http_status = 409

    def __init__(self, item: GeneratedItem):
        who = item.decided_by.get_username() if item.decided_by else "someone"
        super().__init__(f"Already {item.review_state} by {who}.")


class SpotCheckRequired(StudioError):
    http_status = 409


def _may_approve(item: GeneratedItem, reviewer) -> bool:
    """Nobody approves what they generated themselves (admins may, when REVIEW_ADMINS_MAY_APPROVE_OWN is on)."""
    if item.generated_by_id != reviewer.pk:
        return True
    return settings.REVIEW_ADMINS_MAY_APPROVE_OWN and roles.user_has_role(reviewer, roles.ADMIN)


def _decide(item: GeneratedItem, reviewer, state: str, **audit) -> ReviewDecision:
    """Inside a transaction: the conditional update, then the audit row."""
    won = GeneratedItem.objects.filter(pk=item.pk, review_state=Pending).update(
        review_state=state, decided_by=reviewer, decided_at=timezone.now()
    )
    if not won:
        raise AlreadyDecided(GeneratedItem.objects.select_related("decided_by").get(pk=item.pk))
    action = ReviewDecision.Action.APPROVED if state == Approved else ReviewDecision.Action.REJECTED
    item.review_state = state
    return ReviewDecision.objects.create(
        item=item, action=action, state_before=Pending, state_after=state, reviewer=reviewer, **audit
    )


def approval_label(decision: ReviewDecision) -> str:
    """The approval as an image's file states it: the decision by its number, never the reviewer by name, since
    the file goes to the public shop."""
    return f"Approved in review on {decision.created_at:%Y-%m-%d}, decision #{decision.pk}"


def _attach(item: GeneratedItem, product: Product, decision: ReviewDecision) -> ProductImage:
    """The approved image joins the product's gallery after its photos, as a generated image whose file says
    what made it and the decision that approved it."""
    with item.image.open("rb") as handle:
        data = handle.read()
    checked = check_catalog_image(provenance_stamp(data, made_by=item.provenance, decision=approval_label(decision)))
    store_image_file(checked)
    position = product.images.count()
    image = product_image_build(
        product=product, image=checked, source=ProductImage.Source.GENERATED, position=position, generated_item=item
    )
    image.save()
    product_images_arrived([image])
    return image


def _flag_text(flags: list[dict]) -> str:
    return "; ".join(f"{flag['rule']}: {', '.join(flag['words'])}" for flag in flags)


def _approve_copy(item: GeneratedItem, reviewer, note: str, text: str | None) -> ReviewDecision:
    """The text (as the reviewer edited it) goes to its product; flagged text is never published as it is."""
    final = item.text if text is None else text.strip()
    edited = final != item.text
    flags = item.flags
    if edited:
        job = item.copy_job
        flags = product_copy_flags(
            product=item.product, kind=item.copy_kind, text=final, language=item.language,
            keywords=job.keywords if job else (), banned=job.banned if job else (),
        )  # fmt: skip
    if flags:
        raise StudioError(
            gettext("This text breaks the grounding rules (%(flags)s); edit it or reject it.")
            % {"flags": _flag_text(flags)}
        )
    decision = _decide(
        item, reviewer, Approved, note=note, product=item.product, edited_from=item.text if edited else ""
    )
    if edited:
        GeneratedItem.objects.filter(pk=item.pk).update(text=final)
    product_copy_apply(
        product=item.product,
        kind=item.copy_kind,
        text=final,
        user=reviewer,
        generated_item=item,
        language=item.language,
    )
    return decision


def _approve_answer(item: GeneratedItem, reviewer, note: str, text: str | None) -> ReviewDecision:
    """The draft goes to the shopper as approved; an edit is checked against the draft's citations first."""
    final = item.text if text is None else text.strip()
    decision = _decide(item, reviewer, Approved, note=note, edited_from=item.text if final != item.text else "")
    answer_draft_approve(message=item.answer_message, text=final, reviewer=reviewer)
    if final != item.text:
        GeneratedItem.objects.filter(pk=item.pk).update(text=final)
    return decision


@transaction.atomic
def generated_item_approve(
    *, item: GeneratedItem, reviewer, note: str = "", product: Product | None = None, new_product_title: str = "",
    text: str | None = None,
) -> ReviewDecision:  # fmt: skip
    """Approves. An image, with `product` (or `new_product_title`, a new draft product in the item's
    category), is attached to that product; copy (`text`: the reviewer's edit) is written to its product."""
    if not _may_approve(item, reviewer):
        raise StudioError(gettext("You generated this item, so another reviewer must approve it."))
    if item.kind == GeneratedItem.Kind.COPY:
        return _approve_copy(item, reviewer, note, text)
    if item.kind == GeneratedItem.Kind.ANSWER:
        return _approve_answer(item, reviewer, note, text)
    if product is not None and product.category_id != item.category_id:
        raise StudioError(
            gettext("%(sku)s is a %(category)s; this image is a %(image_category)s.")
            % {"sku": product.sku, "category": product.category.name, "image_category": item.category.name}
        )
    decision_product, created = product, False
    if new_product_title:
        decision_product, created = product_draft_create(category=item.category, title=new_product_title), True
    decision = _decide(item, reviewer, Approved, note=note, product=decision_product, created_product=created)
    if decision_product is not None:
        _attach(item, decision_product, decision)
    return decision


@transaction.atomic
def generated_item_reject(
    *, item: GeneratedItem, reviewer, reason: RejectionReason | None, note: str = ""
) -> ReviewDecision:
    if reason is None or not reason.active:
        raise StudioError(gettext("Pick a reason for the rejection."))
    decision = _decide(item, reviewer, Rejected, reason=reason, note=note)
    if item.kind == GeneratedItem.Kind.ANSWER:
        answer_draft_reject(message=item.answer_message)
    return decision


@transaction.atomic
def review_decision_undo(*, item: GeneratedItem, reviewer) -> ReviewDecision:
    """A reviewer takes back their own decision within UNDO_SECONDS; an attached image leaves the product."""
    last = item.decisions.select_related("reviewer").order_by("-id").first()
    if last is None or last.action == ReviewDecision.Action.UNDONE:
        raise StudioError(gettext("There is no decision on this item to undo."))
    if last.reviewer_id != reviewer.pk:
        raise StudioError(
            gettext("Only %(who)s, who decided it, can undo this decision.") % {"who": last.reviewer.get_username()}
        )
    cutoff = timezone.now() - timedelta(seconds=UNDO_SECONDS)
    won = GeneratedItem.objects.filter(
        pk=item.pk, review_state=last.state_after, decided_by=reviewer, decided_at__gte=cutoff
    ).update(review_state=Pending, decided_by=None, decided_at=None)
    if not won:
        raise StudioError(
            gettext("Decisions can be undone for %(undo_seconds)s minutes; this one is older.")
            % {"undo_seconds": UNDO_SECONDS // 60}
        )
    ProductImage.objects.filter(generated_item=item).delete()
    if item.kind == GeneratedItem.Kind.COPY and last.action == ReviewDecision.Action.APPROVED:
        revision = item.copy_revisions.filter(reverts__isnull=True).order_by("-id").first()
        product_copy_revert(revision=revision, user=reviewer)
        if last.edited_from:
            GeneratedItem.objects.filter(pk=item.pk).update(text=last.edited_from)
    if item.kind == GeneratedItem.Kind.ANSWER:
        if last.action == ReviewDecision.Action.APPROVED and item.answer_message.state == "sent":
            raise StudioError(gettext("The shopper has this answer already; reply in the inbox instead."))
        answer_draft_reopen(message=item.answer_message, text=last.edited_from or item.text)
    item.review_state = Pending
    return ReviewDecision.objects.create(
        item=item, action=ReviewDecision.Action.UNDONE, state_before=last.state_after, state_after=Pending,
        reviewer=reviewer, product=last.product,
    )  # fmt: skip


# --- bulk -----------------------------------------------------------------------------------------------------


def scope_digest(scope: dict) -> str:
    """Names what a bulk decision applies to (a selection of ids, or the filters of a query)."""
    return hashlib.sha256(json.dumps(scope, sort_keys=True, default=str).encode()).hexdigest()


@dataclass
class SpotCheck:
    token: str
    items: list[GeneratedItem]


@dataclass
class BulkOutcome:
    decided: int = 0
    skipped_own: int = 0
    skipped_copy: int = 0


def review_spot_check_draw(*, items: QuerySet[GeneratedItem], scope: dict, reviewer) -> SpotCheck:
    """SPOT_CHECK_SIZE pending items of the scope drawn at random, and a signed token that lets the reviewer
    approve the whole scope once they have looked at them."""
    ids = list(items.filter(review_state=Pending).values_list("id", flat=True))
    sample = random.sample(ids, min(SPOT_CHECK_SIZE, len(ids)))
    token = signing.dumps(
        {"reviewer": reviewer.pk, "scope": scope_digest(scope), "sample": sample}, salt="review-spot-check"
    )
    chosen = GeneratedItem.objects.filter(pk__in=sample).select_related("category", "model")
    return SpotCheck(token, list(chosen))


def _spot_check_verify(token: str, scope: dict, reviewer) -> None:
    try:
        data = signing.loads(token, salt="review-spot-check", max_age=SPOT_CHECK_MAX_AGE)
    except signing.BadSignature:
        raise SpotCheckRequired("The spot-check expired or does not match; check a new sample.") from None
    if data["reviewer"] != reviewer.pk or data["scope"] != scope_digest(scope):
        raise SpotCheckRequired("That spot-check was for another selection; check a new sample.")
    if GeneratedItem.objects.filter(pk__in=data["sample"], review_state=Rejected).exists():
        raise StudioError(gettext("An item of the spot-check was rejected, so the bulk approval is stopped."))


@transaction.atomic
def review_bulk_decide(
    *, items: QuerySet[GeneratedItem], scope: dict, reviewer, approve: bool, reason: RejectionReason | None = None,
    note: str = "", spot_check: str = "",
) -> BulkOutcome:  # fmt: skip
    """Decides every pending item of the scope at once. Approving more than BULK_SPOT_CHECK_OVER needs the
    token of a spot-check the reviewer confirmed; items the reviewer generated are left for someone else."""
    if not approve and (reason is None or not reason.active):
        raise StudioError(gettext("Pick a reason for the rejection."))
    pending = items.filter(review_state=Pending).order_by("id")
    outcome = BulkOutcome()
    if approve:
        if not (settings.REVIEW_ADMINS_MAY_APPROVE_OWN and roles.user_has_role(reviewer, roles.ADMIN)):
            outcome.skipped_own = pending.filter(generated_by=reviewer).count()
            pending = pending.exclude(generated_by=reviewer)
        # Approved copy is written to its product, and an answer sent to a shopper, one text at a time after a look
        # at its flags: never in bulk.
        texts = (GeneratedItem.Kind.COPY, GeneratedItem.Kind.ANSWER)
        outcome.skipped_copy = pending.filter(kind__in=texts).count()
        pending = pending.exclude(kind__in=texts)
        if pending.count() > BULK_SPOT_CHECK_OVER:
            if not spot_check:
                raise SpotCheckRequired(f"Check a sample of {SPOT_CHECK_SIZE} before approving this many.")
            _spot_check_verify(spot_check, scope, reviewer)
    ids = list(pending.select_for_update().values_list("id", flat=True))
    state = Approved if approve else Rejected
    action = ReviewDecision.Action.APPROVED if approve else ReviewDecision.Action.REJECTED
    now = timezone.now()
    for start in range(0, len(ids), BULK_CHUNK):
        chunk = ids[start : start + BULK_CHUNK]
        # Locked above; the state condition still keeps a decision that landed first.
        won = set(GeneratedItem.objects.filter(pk__in=chunk, review_state=Pending).values_list("id", flat=True))
        GeneratedItem.objects.filter(pk__in=won).update(review_state=state, decided_by=reviewer, decided_at=now)
        ReviewDecision.objects.bulk_create(
            ReviewDecision(
                item_id=item_id,
                action=action,
                state_before=Pending,
                state_after=state,
                reviewer=reviewer,
                reason=None if approve else reason,
                note=note,
                bulk=True,
            )  # fmt: skip
            for item_id in sorted(won)
        )
        outcome.decided += len(won)
        if not approve:
            for message in AssistantMessage.objects.filter(review_item__in=won):
                answer_draft_reject(message=message)
    return outcome


# --- keys -----------------------------------------------------------------------------------------------------


def reviewer_keymap_set(*, reviewer, keymap: dict[str, str]) -> dict[str, str]:
    """Stores a reviewer's own keys: one printable character per action, no two actions on one key, and 1-9
    left for the rejection reasons."""
    unknown = sorted(set(keymap) - set(DEFAULT_KEYMAP))
    if unknown:
        raise StudioError(gettext("Unknown actions: %(unknown)s.") % {"unknown": ", ".join(unknown)})
    merged = DEFAULT_KEYMAP | {action: str(key).lower() for action, key in keymap.items()}
    for action, key in merged.items():
        if len(key) != 1 or not key.isprintable() or key.isspace():
            raise StudioError(gettext("“%(action)s” needs a single printable key.") % {"action": action})
        if key in RESERVED_KEYS:
            raise StudioError(
                gettext("%(key)s is kept for the rejection reasons; pick another key for “%(action)s”.")
                % {"key": key, "action": action}
            )
    if len(set(merged.values())) != len(merged):
        raise StudioError(gettext("Two actions share a key; give each its own."))
    ReviewerSettings.objects.update_or_create(user=reviewer, defaults={"keymap": merged})
    return merged
