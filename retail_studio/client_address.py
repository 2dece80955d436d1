"""The address a request came from, as far as the studio can trust it: the socket's peer, or, behind
TRUSTED_PROXIES proxies, the address the outermost of them saw (each proxy appends the address it saw to
X-Forwarded-For; whatever the client itself wrote there comes before and is never taken)."""

from django.conf import settings


def client_address(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXIES
    if not proxies:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    chain = [*forwarded, remote]
    return chain[-(proxies + 1)] if len(chain) > proxies else chain[0]
