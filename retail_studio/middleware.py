from django.conf import settings
from django.http import JsonResponse

from retail_studio.sizes import human_size


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
            limit = human_size(settings.MAX_REQUEST_BYTES)
            return JsonResponse({"detail": f"The request is {human_size(length)}; the limit is {limit}."}, status=413)
        return self.get_response(request)
