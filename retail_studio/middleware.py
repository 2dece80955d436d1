from django.conf import settings
from django.http import JsonResponse
from django.utils import translation

from catalog.services.account import SESSION_KEY, dashboard_language_of
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


class DashboardLanguageMiddleware:
    """Speaks to a signed-in person in the language they chose (kept on the user, read once a session); before
    anyone chooses, LocaleMiddleware's choice stands: the language cookie, else the browser's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            language = request.session.get(SESSION_KEY)
            if language is None:
                language = request.session[SESSION_KEY] = dashboard_language_of(request.user)
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
