from django.contrib import messages
from django.http import HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalog import roles
from catalog.models import Product
from generation import selectors
from generation.forms import JobFilterForm, SamplingForm, TrainingJobForm, VariationsForm
from generation.models import Family, GenerativeModel, SamplingJob, TrainingJob
from generation.models.registry import photo_check_reason
from generation.services import jobs, registry
from generation.services.first_run import first_run_progress
from retail_studio.errors import StudioError


@require_GET
def job_list(request):
    form = JobFilterForm(request.GET)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    return render(
        request,
        "generation/job_list.html",
        {"jobs": selectors.training_jobs_for_listing(status=status)[:100], "form": form,
         "workers_online": selectors.workers_online(), "first_run": first_run_progress()},
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@roles.role_required(roles.MERCHANDISER)
def job_create(request):
    form = TrainingJobForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        job = jobs.training_job_create(
            name=data["name"], categories=list(data["categories"]), minutes=data["minutes"], steps=data["steps"],
            device=data["device"], user=request.user, family=data["family"], engine=data["engine"],
        )  # fmt: skip
        return redirect("generation:job_detail", job_id=job.pk)
    image, copy = jobs.measuring_seconds(family=Family.IMAGE), jobs.measuring_seconds(family=Family.COPY)
    measuring = {"image": image, "copy": copy, "image_five": 5 + image / 60}
    return render(
        request, "generation/job_form.html", {"form": form, "measuring": measuring}, status=400 if form.errors else 200
    )


@require_GET
def job_detail(request, job_id: int):
    job = get_object_or_404(TrainingJob.objects.select_related("result", "started_by"), pk=job_id)
    return render(
        request,
        "generation/job_detail.html",
        {"job": job, "progress": selectors.training_job_progress(job), "workers_online": selectors.workers_online(),
         "categories": sorted(job.categories.values_list("name", flat=True))},
    )  # fmt: skip


def after_param(request) -> int:
    """`?after=N`: the client already holds N points (or items up to id N)."""
    try:
        return max(int(request.GET.get("after", 0)), 0)
    except ValueError:
        return 0


@require_GET
def job_progress(request, job_id: int):
    job = get_object_or_404(TrainingJob.objects.select_related("result"), pk=job_id)
    return JsonResponse(selectors.training_job_progress(job, after=after_param(request)))


@require_POST
@roles.role_required(roles.MERCHANDISER)
def job_cancel(request, job_id: int):
    job = jobs.job_cancel(job=get_object_or_404(TrainingJob, pk=job_id))
    messages.info(request, _("Cancelling: the run stops within seconds and keeps its checkpoint."))
    return redirect("generation:job_detail", job_id=job.pk)


@require_POST
@roles.role_required(roles.MERCHANDISER)
def job_retry(request, job_id: int):
    try:
        jobs.job_retry(job=get_object_or_404(TrainingJob, pk=job_id))
    except StudioError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Queued again; it resumes from its last checkpoint."))
    return redirect("generation:job_detail", job_id=job_id)


@require_GET
def model_registry(request):
    return render(request, "generation/model_registry.html", {"registry": selectors.model_registry()})


@require_POST
@roles.role_required(roles.MERCHANDISER)
def model_state(request, model_id: int):
    model = get_object_or_404(GenerativeModel, pk=model_id)
    if request.POST.get("action") == "promote":
        registry.generative_model_promote(model=model, user=request.user)
        messages.success(request, _("%(model)s is now active.") % {"model": model})
    elif request.POST.get("action") == "retire":
        registry.generative_model_retire(model=model, user=request.user)
        messages.info(request, _("%(model)s is retired.") % {"model": model})
    return redirect("generation:model_registry")


@require_http_methods(["GET", "POST"])
@roles.role_required(roles.MERCHANDISER)
def model_generate(request, model_id: int):
    model = get_object_or_404(GenerativeModel, pk=model_id)
    form = SamplingForm(
        request.POST or None, category_names=model.category_names, chosen=request.GET.getlist("category")
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = jobs.sampling_job_create(
                model=model, category_names=data["categories"], per_category=data["per_category"], seed=data["seed"],
                truncation=data["truncation"], user=request.user,
            )  # fmt: skip
        except StudioError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("generation:sampling_detail", job_id=job.pk)
    status = 400 if form.errors else 200
    return render(request, "generation/generate_form.html", {"form": form, "model": model}, status=status)


@require_POST
@roles.role_required(roles.MERCHANDISER)
def product_variations(request, product_id: int):
    """Variations of the product's photo (or, with `blend_with`, a blend towards another product's) with the
    category's active VAE, made by a worker into the review queue."""
    form = VariationsForm(request.POST)
    product = get_object_or_404(Product.objects.select_related("category"), pk=product_id)
    model = selectors.active_vae_for_category(product.category.name)
    if not form.is_valid() or model is None:
        messages.error(request, "; ".join(form.errors.get("__all__", [])) or _("No active VAE makes this category."))
        return redirect("catalog:product_detail", product_id=product.pk)
    data, products = form.cleaned_data, [product]
    if data["blend_with"]:
        products.append(get_object_or_404(Product, sku=data["blend_with"]))
    try:
        job = jobs.variations_job_create(
            model=model,
            products=products,
            count=data["count"],
            diversity=data["diversity"],
            seed=data["seed"],
            user=request.user,
        )
    except StudioError as exc:
        messages.error(request, str(exc))
        return redirect("catalog:product_detail", product_id=product.pk)
    return redirect("generation:sampling_detail", job_id=job.pk)


PHOTOS_SHOWN = 100


@require_http_methods(["GET", "POST"])
@roles.role_required(roles.MERCHANDISER, roles.REVIEWER)
def photos_to_check(request):
    """The catalog's photos most unlike their category under each active VAE, with why; a merchandiser asks a
    worker to check again."""
    if request.method == "POST":
        if not roles.user_has_role(request.user, roles.MERCHANDISER):
            return HttpResponseForbidden(_("Only a merchandiser asks for a photo check."))
        model = get_object_or_404(GenerativeModel, pk=request.POST.get("model"))
        try:
            jobs.photo_check_request(model=model, user=request.user)
        except StudioError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("A worker is checking the photos under %(model)s; this page shows it when done.") % {"model": model},
            )
        return redirect("generation:photos_to_check")
    checks = selectors.photo_checks_latest()
    skus = {row["sku"] for check in checks for row in check.rows[:PHOTOS_SHOWN]}
    product_ids = dict(Product.objects.filter(sku__in=skus).values_list("sku", "id"))
    shown = [
        (
            check,
            [
                row | {"product_id": product_ids.get(row["sku"]), "reason": photo_check_reason(row)}
                for row in check.rows[:PHOTOS_SHOWN]
            ],
        )
        for check in checks
    ]
    return render(request, "generation/photos_to_check.html", {"checks": shown})


@require_GET
def sampling_detail(request, job_id: int):
    job = get_object_or_404(SamplingJob.objects.select_related("model"), pk=job_id)
    return render(
        request, "generation/sampling_detail.html",
        {"job": job, "state": selectors.sampling_job_state(job), "workers_online": selectors.workers_online()},
    )  # fmt: skip


@require_GET
def sampling_state(request, job_id: int):
    return JsonResponse(
        selectors.sampling_job_state(get_object_or_404(SamplingJob, pk=job_id), after=after_param(request))
    )
