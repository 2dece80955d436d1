"""The review queue: the page, the JSON it pages through, and the decisions. Everyone may look; only reviewers
and admins decide (each decision endpoint checks the role on the server)."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from catalog import roles
from catalog.models import Product
from catalog.selectors import categories_all, products_matching
from generation import selectors
from generation.forms import ReviewBulkForm, ReviewDecisionForm, ReviewFilterForm
from generation.models import GeneratedItem, TrainingJob
from generation.services import items, review
from retail_studio.errors import StudioError

PAGE_SIZE = 30
# The one-at-a-time view shows an item and the next eight: it starts with 16 and pages in more as they go.
FIRST_PAGE_SINGLE = 16
PRODUCT_MATCHES = 10


def _error(exc: StudioError) -> JsonResponse:
    return JsonResponse({"error": str(exc)}, status=exc.http_status)


def _page(filters: selectors.ReviewFilters, after: int | None, size: int = PAGE_SIZE) -> list[dict]:
    queryset = selectors.review_items(filters)
    if after:
        queryset = queryset.filter(pk__lt=after) if filters.newest_first else queryset.filter(pk__gt=after)
    return selectors.review_item_cards(queryset[:size])


@require_GET
def review_queue(request):
    form = ReviewFilterForm(request.GET)
    try:
        filters = form.filters()
    except StudioError:
        filters = selectors.ReviewFilters()
    view = "grid" if request.GET.get("view") == "grid" else "single"
    first = _page(filters, None, PAGE_SIZE if view == "grid" else FIRST_PAGE_SINGLE)
    return render(request, "generation/review_queue.html", {
        "form": form, "view": view,
        "categories": categories_all(), "models": selectors.model_choices(),
        "generators": selectors.review_generators(), "count": selectors.review_items_count(filters),
        "initial": {"items": first, "config": selectors.review_config(request.user),
                    "can_decide": roles.user_has_role(request.user, roles.REVIEWER), "user_id": request.user.pk},
    })  # fmt: skip


@require_GET
def review_items(request):
    try:
        filters = ReviewFilterForm(request.GET).filters()
        after = int(request.GET.get("after") or 0)
    except (StudioError, ValueError) as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    return JsonResponse({"items": _page(filters, after), "count": selectors.review_items(filters).count()})


def _decision_response(item_id: int) -> JsonResponse:
    (card,) = selectors.review_item_cards(GeneratedItem.objects.filter(pk=item_id))
    return JsonResponse({"item": card, "pending": selectors.review_pending_count(fresh=True)})


def _decide(request, item_id: int, decide) -> JsonResponse:
    """Parses the decision form, calls `decide(item, data)` and answers with the item as the queue shows it."""
    item = get_object_or_404(GeneratedItem.objects.select_related("category"), pk=item_id)
    form = ReviewDecisionForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": form.errors.get_json_data()}, status=400)
    try:
        decide(item, form.cleaned_data)
    except StudioError as exc:
        return _error(exc)
    return _decision_response(item.pk)


@require_POST
@roles.role_required(roles.REVIEWER)
def item_approve(request, item_id: int):
    return _decide(request, item_id, lambda item, data: review.generated_item_approve(
        item=item, reviewer=request.user, note=data["note"], product=data["product"],
        new_product_title=data["new_product_title"], text=data["text"] or None,
    ))  # fmt: skip


@require_POST
@roles.role_required(roles.REVIEWER)
def item_reject(request, item_id: int):
    return _decide(request, item_id, lambda item, data: review.generated_item_reject(
        item=item, reviewer=request.user, reason=data["reason"], note=data["note"]
    ))  # fmt: skip


@require_POST
@roles.role_required(roles.REVIEWER)
def item_undo(request, item_id: int):
    try:
        review.review_decision_undo(item=get_object_or_404(GeneratedItem, pk=item_id), reviewer=request.user)
    except StudioError as exc:
        return _error(exc)
    return _decision_response(item_id)


@require_POST
@roles.role_required(roles.REVIEWER)
def review_bulk(request):
    """On the ticked ids, or (no ids) on everything the query-string filters match."""
    form = ReviewBulkForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": form.errors.get_json_data()}, status=400)
    data = form.cleaned_data
    try:
        filters = ReviewFilterForm(request.GET).filters()
    except StudioError as exc:
        return _error(exc)
    if data["ids"]:
        queryset, scope = GeneratedItem.objects.filter(pk__in=data["ids"]), {"ids": data["ids"]}
    else:
        queryset, scope = selectors.review_items(filters), filters.as_scope()
    try:
        outcome = review.review_bulk_decide(
            items=queryset, scope=scope, reviewer=request.user, approve=data["action"] == "approve",
            reason=data["reason"], note=data["note"], spot_check=data["spot_check"],
        )  # fmt: skip
    except review.SpotCheckRequired as exc:
        check = review.review_spot_check_draw(items=queryset, scope=scope, reviewer=request.user)
        sample = selectors.review_item_cards(GeneratedItem.objects.filter(pk__in=[i.pk for i in check.items]))
        return JsonResponse({"error": str(exc), "spot_check": {"token": check.token, "items": sample}}, status=409)
    except StudioError as exc:
        return _error(exc)
    return JsonResponse({
        "decided": outcome.decided, "skipped_own": outcome.skipped_own, "skipped_copy": outcome.skipped_copy,
        "pending": selectors.review_pending_count(fresh=True),
    })  # fmt: skip


@require_GET
def product_matches(request):
    """Products of one category whose SKU or title holds the words typed, for "approve and attach"."""
    products = Product.objects.filter(category_id=request.GET.get("category") or 0)
    products = products_matching(products, request.GET.get("q", ""))
    found = products.order_by("-id").values("id", "sku", "title", "status")[:PRODUCT_MATCHES]
    return JsonResponse({"products": list(found)})


@require_POST
@roles.role_required(roles.REVIEWER)
def keymap_save(request):
    keymap = {action: request.POST[action] for action in review.DEFAULT_KEYMAP if request.POST.get(action)}
    try:
        saved = review.reviewer_keymap_set(reviewer=request.user, keymap=keymap)
    except StudioError as exc:
        return _error(exc)
    return JsonResponse({"keymap": saved})


@require_POST
@roles.role_required(roles.MERCHANDISER, roles.REVIEWER)
def training_preview_send(request, job_id: int):
    """A tile of a running job's latest samples goes into the queue."""
    job = get_object_or_404(TrainingJob, pk=job_id)
    try:
        row, column = int(request.POST.get("row", "")), int(request.POST.get("column", ""))
    except ValueError:
        return JsonResponse({"error": _("Say which tile: its row and column.")}, status=400)
    try:
        item = items.training_preview_send_to_review(
            job=job, grid_name=request.POST.get("grid", ""), row=row, column=column, user=request.user
        )
    except StudioError as exc:
        return _error(exc)
    return JsonResponse({"item": item.pk, "provenance": item.provenance})
