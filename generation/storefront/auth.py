"""The storefront's front door: one authentication class (a publishable key, from its allowed origins, not
revoked) and one throttle per key and per address, used by every storefront view and by nothing else."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, permissions, throttling
from rest_framework.authentication import BaseAuthentication

from generation.storefront.models import StorefrontKey

KEY_HEADER = "X-Storefront-Key"


class StorefrontKeyAuthentication(BaseAuthentication):
    """`X-Storefront-Key: pk_…`; request.auth is the key, request.user stays anonymous (a shopper is no user)."""

    def authenticate(self, request):
        raw = request.headers.get(KEY_HEADER, "").strip()
        if not raw:
            return None
        key = StorefrontKey.objects.filter(key=raw).first()
        if key is None:
            raise exceptions.AuthenticationFailed("Unknown storefront key.")
        if key.revoked_at is not None:
            raise exceptions.AuthenticationFailed("This storefront key was revoked; ask the shop for a new one.")
        origin = request.headers.get("Origin", "").rstrip("/")
        if key.allowed_origins and origin not in key.allowed_origins:
            raise exceptions.AuthenticationFailed(f"This storefront key is not for the origin {origin or '(none)'}.")
        return AnonymousUser(), key

    def authenticate_header(self, request) -> str:
        return KEY_HEADER


class StorefrontKeyScheme(OpenApiAuthenticationExtension):
    """How the API schema documents the storefront key."""

    target_class = StorefrontKeyAuthentication
    name = "storefrontKey"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": KEY_HEADER}


class HasStorefrontKey(permissions.BasePermission):
    message = f"A storefront key ({KEY_HEADER}) is needed."

    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, StorefrontKey)


class _StorefrontThrottle(throttling.SimpleRateThrottle):
    def allow_request(self, request, view):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class PerKeyThrottle(_StorefrontThrottle):
    scope = "storefront_key"

    def get_rate(self):
        return settings.STOREFRONT_RATE_PER_KEY

    def get_cache_key(self, request, view):
        return f"throttle_storefront_key_{request.auth.pk}" if isinstance(request.auth, StorefrontKey) else None


class PerAddressThrottle(_StorefrontThrottle):
    scope = "storefront_address"

    def get_rate(self):
        return settings.STOREFRONT_RATE_PER_ADDRESS

    def get_cache_key(self, request, view):
        return f"throttle_storefront_address_{self.get_ident(request)}"
