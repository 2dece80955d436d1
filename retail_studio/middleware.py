from django.conf import settings
from django.http import JsonResponse


class RequestSizeLimitMiddleware:
    """Refuses a body over MAX_REQUEST_BYTES by its Content-Length, before any of it is read or spooled to disk.
    (Django's own DATA_UPLOAD_MAX_MEMORY_SIZE does not count uploaded files.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BYTES:
            limit = settings.MAX_REQUEST_BYTES / 1e6
            return JsonResponse(
                {"detail": f"The request is {length / 1e6:.0f} MB; the limit is {limit:.0f} MB."}, status=413
            )
        return self.get_response(request)
