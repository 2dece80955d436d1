"""What every API view shares: one error shape, and a schema that documents it. (The parser and the
pagination the settings name live in api_defaults.py: DRF reads them while rest_framework.views loads.)"""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from retail_studio.errors import StudioError


def exception_handler(exc, context):
    """DRF's answers, plus a StudioError as its status (400, or 409 for a conflict) with its message as `detail`."""
    if isinstance(exc, StudioError):
        return Response({"detail": str(exc)}, status=exc.http_status)
    return drf_exception_handler(exc, context)


ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "description": "What went wrong, for the person who sent the request.",
}
# A 400 is either {"detail": ...} or one list of messages per field.
INVALID_SCHEMA = {"type": "object", "additionalProperties": True}
ERROR_ANSWERS = {
    "400": ("The request is invalid; each field says why.", INVALID_SCHEMA),
    "401": ("No valid login or API token.", ERROR_SCHEMA),
    "403": ("Signed in, without the role this needs.", ERROR_SCHEMA),
    "404": ("No such object.", ERROR_SCHEMA),
    "405": ("Not allowed on this object.", ERROR_SCHEMA),
    "406": ("The Accept header asks for something the API does not speak.", ERROR_SCHEMA),
    "409": ("The object changed under the request (someone decided first).", ERROR_SCHEMA),
    "413": ("The request body is over the size limit.", ERROR_SCHEMA),
    "415": ("The request body's media type is not accepted.", ERROR_SCHEMA),
    "429": ("Too many requests from this storefront key or address; Retry-After says when to try again.", ERROR_SCHEMA),
}


def document_error_answers(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation documents the error answers it can give."""
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for code, (description, schema) in ERROR_ANSWERS.items():
                responses.setdefault(
                    code, {"description": description, "content": {"application/json": {"schema": schema}}}
                )
    return result


@csrf_exempt
@login_not_required
def api_not_found(request):
    """Any other path under /api/ answers in JSON, as the API does, not with the site's HTML page."""
    return JsonResponse({"detail": gettext("No such endpoint or object.")}, status=404)
