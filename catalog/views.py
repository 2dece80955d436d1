from dataclasses import asdict

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rest_framework.authtoken.models import Token

from catalog import roles, selectors
from catalog.column_mapping import CORE_COLUMNS, mapping_parse
from catalog.forms import CatalogFilterForm, CatalogImportForm
from catalog.models import Product, ProductCopyRevision
from catalog.services import account, api_tokens, imports, product_copy
from generation.forms import CopyRequestForm
from generation.recommendations.serving import COMPLETE_THE_LOOK, SIMILAR, product_row_cards
from generation.selectors import active_model_for_category, active_vae_for_category, copy_writers
from retail_studio.errors import StudioError

PRODUCT_PAGE_ROW = 6  # products in each recommendation row of a product page
PREVIEW_PROBLEMS = 20  # the first problems an import preview lists; the count says how many in all


@require_GET
def product_list(request):
    form = CatalogFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    products = selectors.products_for_listing(
        category_id=filters.get("category"), query=filters.get("q", ""), status=filters.get("status", "")
    )
    listing = selectors.ListingPaginator(products, settings.CATALOG_PAGE_SIZE, filters=filters)
    page = listing.get_page(request.GET.get("page"))
    categories = list(selectors.categories_all())
    category = next((c for c in categories if c.id == filters.get("category")), None)
    query_string = request.GET.copy()
    query_string.pop("page", None)
    return render(
        request,
        "catalog/product_list.html",
        {
            "page": page,
            "filters": filters,
            "categories": categories,
            "category": category,
            "generate_model": active_model_for_category(category.name) if category else None,
            "copy_form": _copy_form(request, category=category.pk if category else None),
            "copy_scope": _("for the ticked products, or else every %(category)s") % {"category": category.name}
            if category
            else _("for the ticked products"),
            "statuses": Product.Status.choices,
            "query_string": query_string.urlencode(),
        },
    )


@require_GET
def product_detail(request, product_id: int):
    try:
        product = selectors.product_with_images(product_id=product_id)
    except Product.DoesNotExist:
        raise Http404("No such product") from None
    return render(
        request,
        "catalog/product_detail.html",
        {
            "product": product,
            "generate_model": active_model_for_category(product.category.name),
            "variations_model": active_vae_for_category(product.category.name),
            "similar": product_row_cards(product, placement=SIMILAR, k=PRODUCT_PAGE_ROW, photos=True),
            "look": product_row_cards(product, placement=COMPLETE_THE_LOOK, k=PRODUCT_PAGE_ROW, photos=True),
            "copy_form": _copy_form(request, product=product.pk),
            "copy_scope": _("for this product"),
            "copy_revisions": selectors.product_copy_history(product_id=product.pk),
        },
    )


def _copy_form(request, **initial) -> CopyRequestForm | None:
    """Only merchandisers ask for copy: nobody else pays the form's queries."""
    if not roles.user_has_role(request.user, roles.MERCHANDISER):
        return None
    return CopyRequestForm(initial=initial, writers=copy_writers())


@require_POST
@roles.role_required(roles.MERCHANDISER)
def product_copy_revert(request, product_id: int, revision_id: int):
    revision = get_object_or_404(ProductCopyRevision, pk=revision_id, product_id=product_id)
    try:
        product_copy.product_copy_revert(revision=revision, user=request.user)
    except StudioError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(field)s is back to what it was.") % {"field": revision.get_field_display()})
    return redirect("catalog:product_detail", product_id=product_id)


def _mapping(request) -> dict[str, str]:
    return mapping_parse([pair for pair in request.POST.getlist("map") if pair])


@require_http_methods(["GET", "POST"])
@roles.role_required(roles.MERCHANDISER)
def catalog_import(request):
    form = CatalogImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            mapping = _mapping(request)
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            images = imports.zip_images(form.cleaned_data["images"]) if form.cleaned_data["images"] else None
            try:
                report = imports.catalog_import(
                    csv_data=imports.csv_upload_read(form.cleaned_data["csv_file"]),
                    images=images,
                    mapping=mapping,
                    user=request.user,
                )
            finally:
                if images is not None:
                    images.close()
    status = 400 if form.errors or (report is not None and not report.ok) else 200
    context = {"form": form, "report": report, "targets": CORE_COLUMNS}
    return render(request, "catalog/import.html", context, status=status)


@require_POST
@roles.role_required(roles.MERCHANDISER)
def catalog_import_preview(request):
    """The CSV's columns as they would be read and its first products, for the import page; writes nothing."""
    upload = request.FILES.get("csv_file")
    if upload is None:
        return JsonResponse({"error": _("Choose a CSV file first.")}, status=400)
    try:
        mapping = _mapping(request)
    except ValueError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    preview = imports.catalog_import_preview(csv_data=imports.csv_upload_read(upload), mapping=mapping)
    problems = [str(problem) for problem in preview.report.problems]
    return JsonResponse(
        {
            "columns": [
                {
                    **asdict(r),
                    "why": r.why_said,
                    "attribute": r.as_attribute,
                    "sample": preview.samples.get(r.column, ""),
                }
                for r in preview.report.columns
            ],
            "products": [
                {
                    "sku": p.sku,
                    "title": p.title,
                    "category": category,
                    "description": p.description,
                    "attributes": p.attributes,
                }
                for p, category in zip(preview.products, preview.categories, strict=True)
            ],
            "rows": preview.rows,
            "problems": problems[:PREVIEW_PROBLEMS],
            "problem_count": len(problems),
        }
    )


@require_http_methods(["GET", "POST"])
def api_token(request):
    """Everyone's own account page: the dashboard's language they chose, and their token, shown in full once, when
    made."""
    new_key = None
    if request.method == "POST":
        if request.POST.get("action") == "renew":
            new_key = api_tokens.api_token_renew(user=request.user).key
        elif request.POST.get("action") == "revoke" and api_tokens.api_token_revoke(user=request.user):
            messages.info(request, _("Your token is revoked: nothing can call the API as you now."))
            return redirect("api_token")
    token = Token.objects.filter(user=request.user).first()
    chosen = account.dashboard_language_of(request.user)
    return render(request, "account/api_token.html", {"token": token, "new_key": new_key, "dashboard_language": chosen})


@require_POST
def account_language(request):
    """The language switcher in the top bar: kept on the person (for their next login anywhere) and in the cookie."""
    back = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/"
    try:
        language = account.dashboard_language_set(user=request.user, language=request.POST.get("language", ""))
    except StudioError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    return _with_language_cookie(redirect(back), language)


def _with_language_cookie(response, language: str):
    """The dashboard speaks `language` from the next request on (LocaleMiddleware reads the cookie); without one
    it follows the browser."""
    if language:
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax", max_age=365 * 24 * 3600)
    else:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, samesite="Lax")
    return response


class StudioLoginView(LoginView):
    """Django's login, then the person's own dashboard language, so it follows them to any browser."""

    def form_valid(self, form):
        response = super().form_valid(form)
        return _with_language_cookie(response, account.dashboard_language_of(form.get_user()))


@login_not_required
@require_GET
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
