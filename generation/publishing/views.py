"""Publishing's pages: export a selection to a platform, watch it, download its files, and the channels' mappings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from catalog import roles
from generation.models import CatalogExport
from generation.publishing import selectors
from generation.publishing.forms import ChannelForm, ExportForm
from generation.publishing.mapping import TARGETS
from generation.publishing.services import (
    catalog_export_create,
    export_file,
    export_file_from_token,
    publish_channel_save,
)
from generation.selectors import job_state, workers_online
from retail_studio.errors import StudioError

# The copy an export carried, by the name of each text.
COPY_NAMES = {
    "title": _("title"),
    "description": _("description"),
    "description_short": _("short description"),
    "description_long": _("long description"),
    "ad_headline": _("ad headline"),
    "ad_description": _("ad description"),
}


def _page(request, form: ExportForm, status: int = 200):
    channels = [ChannelForm.of(channel) for channel in selectors.publish_channels()]
    context = {"form": form, "channels": channels, "exports": selectors.exports_recent()}
    return render(request, "generation/publish.html", context, status=status)


@require_GET
def publish_page(request):
    """The export form, prefilled from a link (a catalog page's category and search, a product's SKU)."""
    initial = {name: request.GET[name] for name in ("category", "query", "skus", "format") if request.GET.get(name)}
    return _page(request, ExportForm(initial=initial))


@require_POST
@roles.role_required(roles.MERCHANDISER)
def export_create(request):
    form = ExportForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        export = catalog_export_create(
            format=form.cleaned_data["format"], selection=form.selection(), user=request.user
        )
    except StudioError as exc:
        form.add_error(None, str(exc))
        return _page(request, form, status=400)
    return redirect("publishing:export_detail", export_id=export.pk)


def export_state(export: CatalogExport) -> dict:
    return job_state(export) | {
        "files": [{"name": f["name"], "kind": f["kind"], "bytes": f["bytes"], "rows": f["rows"]} for f in export.files],
        "problems": export.problems,
        "problems_total": export.problems_total,
    }


@require_GET
def export_detail(request, export_id: int):
    export = get_object_or_404(CatalogExport.objects.select_related("created_by"), pk=export_id)
    carried = [
        (sku, [(COPY_NAMES.get(source, source), revision) for source, revision in used.items()])
        for sku, used in export.copy_versions.items()
    ]
    context = {"export": export, "state": export_state(export), "workers_online": workers_online(), "carried": carried}
    return render(request, "generation/export_detail.html", context)


@require_GET
def export_progress(request, export_id: int):
    return JsonResponse(export_state(get_object_or_404(CatalogExport, pk=export_id)))


def _file_response(entry: dict):
    if not default_storage.exists(entry["path"]):
        raise Http404("The file is no longer stored.")
    response = FileResponse(default_storage.open(entry["path"], "rb"), as_attachment=True, filename=entry["name"])
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def export_download(request, export_id: int, name: str):
    try:
        return _file_response(export_file(get_object_or_404(CatalogExport, pk=export_id), name))
    except StudioError as exc:
        raise Http404(str(exc)) from None


@login_not_required
@require_GET
def export_signed_download(request, token: str):
    """The API's link: the signature is the permission, for DOWNLOAD_SECONDS."""
    try:
        _export, entry = export_file_from_token(token)
    except StudioError as exc:
        raise Http404(str(exc)) from None
    return _file_response(entry)


@require_POST
@roles.role_required(roles.MERCHANDISER)
def channel_save(request, platform: str):
    if platform not in TARGETS:
        raise Http404("No such platform")
    form = ChannelForm(request.POST, platform=platform, prefix=platform)
    if not form.is_valid():
        messages.error(request, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
        return redirect("publishing:page")
    data = form.cleaned_data
    try:
        channel = publish_channel_save(
            platform=platform,
            mapping=form.mapping(),
            chinese=data["chinese"],
            user=request.user,
            media_base_url=data["media_base_url"],
            product_url=data["product_url"],
            vendor=data["vendor"],
            currency=data["currency"],
        )
    except StudioError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Saved what goes where on %(channel)s.") % {"channel": channel})
    return redirect("publishing:page")
