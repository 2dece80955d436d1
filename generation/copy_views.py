"""Pages about product copy: asking for it, watching it being written, and the catalog's copy health."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from catalog import roles
from catalog.models import Product
from catalog.selectors import categories_all
from catalog.services.glossary import glossary_term_set
from generation import selectors
from generation.forms import CopyRequestForm
from generation.models import CopyJob, GenerativeModel
from generation.services.copy_grounding import HEALTH_SCAN_LIMIT, copy_missing_terms, products_with_flagged_copy
from generation.services.jobs import MAX_PRODUCTS_PER_JOB, copy_job_create
from generation.views import after_param
from retail_studio.errors import StudioError


@require_POST
@roles.role_required(roles.MERCHANDISER)
def copy_request(request):
    """From a product page (one product), a selection in the catalog list, or a category page (its products,
    newest first, up to the cap)."""
    form = CopyRequestForm(request.POST, writers=selectors.copy_writers())
    back = request.META.get("HTTP_REFERER") or "/"
    if not form.is_valid():
        return render(request, "generation/copy_request_error.html", {"form": form, "back": back}, status=400)
    data = form.cleaned_data
    if data["product"]:
        products = [data["product"]]
    elif data["products"]:
        products = list(data["products"])
    else:
        products = list(Product.objects.filter(category=data["category"]).order_by("-id")[:MAX_PRODUCTS_PER_JOB])
    model = None if data["writer"] == "endpoint" else get_object_or_404(GenerativeModel, pk=data["writer"])
    try:
        job = copy_job_create(
            products=products, kind=data["kind"], style=data["style"], language=data["language"],
            keywords=data["keywords"], banned=data["banned"], variants=data["variants"], model=model,
            user=request.user,
        )  # fmt: skip
    except StudioError as exc:
        form.add_error(None, str(exc))
        return render(request, "generation/copy_request_error.html", {"form": form, "back": back}, status=400)
    return redirect("generation:copy_job_detail", job_id=job.pk)


@require_GET
def copy_job_detail(request, job_id: int):
    job = get_object_or_404(CopyJob.objects.select_related("model", "created_by"), pk=job_id)
    return render(request, "generation/copy_job_detail.html", {
        "job": job, "state": selectors.copy_job_state(job), "workers_online": selectors.workers_online(),
        "product_count": job.products.count(),
    })  # fmt: skip


@require_GET
def copy_job_state(request, job_id: int):
    job = get_object_or_404(CopyJob, pk=job_id)
    return JsonResponse(selectors.copy_job_state(job, after=after_param(request)))


@require_GET
def copy_health(request):
    """The catalog's products whose current title or description breaks a grounding rule."""
    try:
        category_id = int(request.GET.get("category") or 0) or None
    except ValueError:
        category_id = None
    flagged, checked = products_with_flagged_copy(category_id=category_id)
    missing, read = copy_missing_terms(language="zh", category_id=category_id)
    return render(request, "generation/copy_health.html", {
        "flagged": flagged, "checked": checked, "scan_limit": HEALTH_SCAN_LIMIT, "categories": categories_all(),
        "category_id": category_id, "missing_terms": missing, "missing_language": "zh", "read": read,
    })  # fmt: skip


@require_POST
@roles.role_required(roles.MERCHANDISER)
def glossary_term_add(request):
    """One click from a missing term (Copy health, a copy job): the language's word for a value."""
    back = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/"
    try:
        term = glossary_term_set(
            **{name: request.POST.get(name, "") for name in ("language", "field", "value", "text")}
        )
    except StudioError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Added: %(field)s %(value)s is %(text)s in %(language)s.")
            % {"field": term.field, "value": term.value, "text": term.text, "language": term.language},
        )
    return redirect(back)
