"""Uploaded and generated files, served behind the same login and role checks as the pages.

Images go to every signed-in role (the review queue is open to all to look at); model weights and the metrics
extractors only to admins, as downloads. Each answer names its own content type and forbids sniffing, so no
file can be served as anything else. A deployment whose web server serves MEDIA_ROOT can set
MEDIA_ACCEL_REDIRECT (say "/protected-media/"): the check stays here and the web server sends the bytes.
With media on S3 (DJANGO_STORAGE=s3) the bucket is private: after the check, a redirect to a URL signed for a
few minutes."""

from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import FileSystemStorage, default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_GET

from catalog import roles

IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".gif": "image/gif",
}
# Folders of files that are not images: who may download them.
DOWNLOADS = {"models": roles.ADMIN, "extractors": roles.ADMIN}


@require_GET
def media(request, path: str):
    parts = PurePosixPath(path).parts
    if not parts or any(part in ("..", "") or part.startswith(".") for part in parts) or path.startswith("/"):
        raise Http404("No such file")
    suffix = PurePosixPath(path).suffix.lower()
    if parts[0] in DOWNLOADS:
        if not roles.user_has_role(request.user, DOWNLOADS[parts[0]]):
            raise PermissionDenied("Model files are for admins.")
        content_type = "application/octet-stream"
    elif suffix in IMAGE_TYPES:
        content_type = IMAGE_TYPES[suffix]
    else:
        raise Http404("No such file")
    if not isinstance(default_storage, FileSystemStorage):
        if not default_storage.exists(path):
            raise Http404("No such file")
        return HttpResponseRedirect(default_storage.url(path))
    file = settings.MEDIA_ROOT / path
    if not file.is_file():
        raise Http404("No such file")
    if settings.MEDIA_ACCEL_REDIRECT:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_REDIRECT.rstrip("/") + "/" + path
    else:
        response = FileResponse(file.open("rb"), content_type=content_type)
    if content_type == "application/octet-stream":
        response["Content-Disposition"] = f'attachment; filename="{parts[-1]}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
