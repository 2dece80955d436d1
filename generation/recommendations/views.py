"""The Recommendations page: versions and their figures against the baselines, coverage, the rules (made and
removed here, audited), the pairings, and a preview of any product's rows and any shopper's for-you row,
before and after the rules. Every role reads it; merchandisers change the rules and start a training."""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from catalog import roles
from catalog.models import Product
from generation.recommendations import rules, selectors, serving
from generation.recommendations.forms import PairingForm, PreviewForm, RuleForm
from generation.recommendations.models import CategoryPairing, RecommendationRule
from generation.recommendations.versions import recommender_training_enqueue
from retail_studio.errors import StudioError

PREVIEW_K = 8


def _kept_preview(request) -> dict[str, str]:
    """The preview a form on the page was sent from (its hidden `preview_sku` and `preview_user`)."""
    return {name: value for name in ("sku", "user") if (value := request.POST.get(f"preview_{name}", ""))}


def _back(request) -> str:
    """The page again, with the preview it showed (so a change's effect is seen at once)."""
    kept = _kept_preview(request)
    return reverse("recommendations:page") + (f"?{urlencode(kept)}" if kept else "") + "#preview"


@require_GET
def recommendations_page(request):
    return _page(request, request.GET)


def _page(request, preview: dict, *, rule_form: RuleForm | None = None, status: int = 200):
    preview_form = PreviewForm(preview or None)
    product, shopper, previews = None, "", []
    if preview_form.is_valid():
        sku, shopper = preview_form.cleaned_data["sku"].strip(), preview_form.cleaned_data["user"].strip()
        product = Product.objects.filter(sku=sku).select_related("category").first() if sku else None
        if sku and product is None:
            preview_form.add_error("sku", f"No product has the SKU {sku}.")
        previews = serving.rows_preview(product=product, shopper=shopper, k=PREVIEW_K)
    versions = selectors.recommender_versions()
    return render(request, "generation/recommendations.html", {
        "versions": versions, "chart": selectors.recommender_chart(versions),
        "overview": selectors.recommender_overview(), "rules": selectors.recommendation_rules(),
        "changes": selectors.rule_changes(), "pairings": selectors.category_pairings(),
        "removed_pairings": selectors.removed_pairings(),
        "rule_form": rule_form or RuleForm(initial={"placement": RecommendationRule.Placement.ALL}),
        "preview_form": preview_form, "previews": previews, "preview_product": product, "preview_user": shopper,
        "pairing_form": PairingForm(), "can_change": roles.user_has_role(request.user, roles.MERCHANDISER),
    }, status=status)  # fmt: skip


@require_POST
@roles.role_required(roles.MERCHANDISER)
def rule_add(request):
    form = RuleForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            rule = rules.recommendation_rule_create(
                action=data["action"], product=data.get("product"), category=data["category"],
                placement=data["placement"], starts_at=data["starts_at"], ends_at=data["ends_at"], user=request.user,
            )  # fmt: skip
        except StudioError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Rule added: %(rule)s.") % {"rule": rule})
            return redirect(_back(request))
    return _page(request, _kept_preview(request), rule_form=form, status=400)


@require_POST
@roles.role_required(roles.MERCHANDISER)
def rule_remove(request, rule_id: int):
    rule = get_object_or_404(RecommendationRule, pk=rule_id)
    description = str(rule)
    rules.recommendation_rule_remove(rule=rule, user=request.user)
    messages.success(request, _("Rule removed: %(rule)s.") % {"rule": description})
    return redirect(_back(request))


@require_POST
@roles.role_required(roles.MERCHANDISER)
def train_now(request):
    job = recommender_training_enqueue(user=request.user)
    if job is None:
        messages.info(request, _("A training of the recommender is already queued or running."))
        return redirect("recommendations:page")
    return redirect("generation:job_detail", job_id=job.pk)


@require_POST
@roles.role_required(roles.MERCHANDISER)
def pairing_set(request):
    form = PairingForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(f"{k}: {', '.join(v)}" for k, v in form.errors.items()))
        return redirect(reverse("recommendations:page") + "#pairings")
    try:
        pairing = rules.category_pairing_set(**form.cleaned_data)
    except StudioError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("%(pairing)s (weight %(weight)g).") % {"pairing": pairing, "weight": pairing.weight}
        )
    return redirect(reverse("recommendations:page") + "#pairings")


PAIRING_CHANGES = {
    "remove": (
        rules.category_pairing_remove,
        gettext_lazy("Removed: %(pairing)s. It is not served, and learning will not bring it back."),
    ),
    "restore": (rules.category_pairing_restore, gettext_lazy("Served again: %(pairing)s.")),
}


@require_POST
@roles.role_required(roles.MERCHANDISER)
def pairing_change(request, pairing_id: int, change: str):
    pairing = get_object_or_404(CategoryPairing, pk=pairing_id)
    service, message = PAIRING_CHANGES[change]
    service(pairing=pairing)
    messages.success(request, message % {"pairing": pairing})
    return redirect(reverse("recommendations:page") + "#pairings")
