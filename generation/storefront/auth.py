"""The storefront's front doors and their limits, used by every storefront view and by nothing else.

- The publishable key (`X-Storefront-Key: pk_…`) is public: any page of the shop shows it. It opens public
  reads and questions, from the key's allowed origins only. A shopper is named by a shopper token
  (`X-Shopper-Token`) that the shop's server signed, or that the studio issued to an anonymous shopper.
- The secret key (`X-Storefront-Secret: sk_…`) stays on the shop's server: it sends carts and purchases for any
  of the shop's shoppers and erases them. No browser origin is ever answered with it.
- One throttle: fixed-window counters in the `throttles` cache (Redis when THROTTLE_REDIS_URL is set, so every
  web process counts together), per key a minute and a day, per address and endpoint, per conversation."""

import logging
import time

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from redis.exceptions import RedisError
from rest_framework import exceptions, permissions, throttling
from rest_framework.authentication import BaseAuthentication

from generation.storefront.models import StorefrontKey
from generation.storefront.origins import origin_normalised
from generation.storefront.shoppers import ShopperTokenError, shopper_token_verify
from retail_studio.client_address import client_address
from retail_studio.errors import StudioError

KEY_HEADER = "X-Storefront-Key"
SECRET_HEADER = "X-Storefront-Secret"
SHOPPER_HEADER = "X-Shopper-Token"
log = logging.getLogger(__name__)


def _live_key(**lookup) -> StorefrontKey:
    key = StorefrontKey.objects.filter(**lookup).first()
    if key is None:
        raise exceptions.AuthenticationFailed("Unknown storefront key.")
    if key.revoked_at is not None:
        raise exceptions.AuthenticationFailed("This storefront key was revoked; ask the shop for a new one.")
    return key


def _request_origin(request) -> str:
    origin = request.headers.get("Origin", "")
    if not origin and request.headers.get("Sec-Fetch-Site") == "same-origin":
        origin = f"{request.scheme}://{request.get_host()}"  # a browser's same-origin GET carries no Origin
    return origin


def _origin_allowed(key: StorefrontKey, origin: str) -> bool:
    if key.any_origin:
        return True
    try:
        return bool(origin) and origin_normalised(origin) in set(key.allowed_origins)
    except StudioError:
        return False


class StorefrontKeyAuthentication(BaseAuthentication):
    """`X-Storefront-Key: pk_…` from an allowed origin; request.auth is the key, request.user stays anonymous
    (a shopper is no user) and request.shopper is the shopper a valid `X-Shopper-Token` names ("" without)."""

    def authenticate(self, request):
        raw = request.headers.get(KEY_HEADER, "").strip()
        if not raw:
            return None
        key = _live_key(key=raw)
        origin = _request_origin(request)
        if not _origin_allowed(key, origin):
            raise exceptions.AuthenticationFailed(f"This storefront key is not for the origin {origin or '(none)'}.")
        request.shopper = ""
        token = request.headers.get(SHOPPER_HEADER, "").strip()
        if token:
            longest = settings.STOREFRONT_SHOPPER_TOKEN_MAX_SECONDS
            try:
                verified = shopper_token_verify(
                    token, publishable_key=key.key, secret_key=key.secret_key, max_seconds=longest
                )
            except ShopperTokenError as exc:
                raise exceptions.AuthenticationFailed(str(exc)) from None
            request.shopper = verified.shopper
        return AnonymousUser(), key

    def authenticate_header(self, request) -> str:
        return KEY_HEADER


class StorefrontSecretAuthentication(BaseAuthentication):
    """`X-Storefront-Secret: sk_…`, from the shop's server: request.auth is the storefront's key."""

    def authenticate(self, request):
        raw = request.headers.get(SECRET_HEADER, "").strip()
        if not raw:
            return None
        return AnonymousUser(), _live_key(secret_key=raw)

    def authenticate_header(self, request) -> str:
        return SECRET_HEADER


class StorefrontKeyScheme(OpenApiAuthenticationExtension):
    target_class = StorefrontKeyAuthentication
    name = ["storefrontKey", "shopperToken"]

    def get_security_definition(self, auto_schema):
        shopper = "a shopper token the shop's server signed (or the studio issued)"
        return [
            {"type": "apiKey", "in": "header", "name": KEY_HEADER, "description": "the publishable key (public)"},
            {"type": "apiKey", "in": "header", "name": SHOPPER_HEADER, "description": shopper},
        ]

    def get_security_requirement(self, auto_schema):
        return [{"storefrontKey": []}, {"storefrontKey": [], "shopperToken": []}]  # the token where a shopper is


class StorefrontSecretScheme(OpenApiAuthenticationExtension):
    target_class = StorefrontSecretAuthentication
    name = "storefrontSecret"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": SECRET_HEADER, "description": "the secret key (server only)"}


class HasStorefrontKey(permissions.BasePermission):
    message = f"A storefront key ({KEY_HEADER}) is needed."

    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, StorefrontKey)


class HasShopperToken(permissions.BasePermission):
    message = f"A shopper token ({SHOPPER_HEADER}) that the shop signed is needed: a shopper's own data only."

    def has_permission(self, request, view) -> bool:
        return bool(getattr(request, "shopper", ""))


DURATIONS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "600/min" -> (600, 60)."""
    count, per = rate.split("/")
    return int(count), DURATIONS[per.strip().lower()]


class StorefrontThrottle(throttling.BaseThrottle):
    """Every limit that applies to a storefront request, each a window counted with one atomic increment
    (Redis' INCR when the cache is Redis): the first one over its limit refuses, with how long to wait."""

    cache_alias = "throttles"

    def __init__(self):
        self._wait = None

    def buckets(self, request, view) -> list[tuple[str, str]]:
        key = request.auth
        endpoint = getattr(view, "throttle_scope", type(view).__name__)
        buckets = [
            (f"key:{key.pk}:minute", settings.STOREFRONT_RATE_PER_KEY),
            (f"key:{key.pk}:day", settings.STOREFRONT_RATE_PER_KEY_DAY),
            (f"address:{endpoint}:{client_address(request)}", settings.STOREFRONT_RATE_PER_ADDRESS),
        ]
        if token := view.kwargs.get("token"):
            buckets.append((f"conversation:{token}", settings.STOREFRONT_RATE_PER_CONVERSATION))
        return buckets

    def allow_request(self, request, view) -> bool:
        if not isinstance(request.auth, StorefrontKey):
            return True  # refused by the permission, not counted
        cache, now = caches[self.cache_alias], time.time()
        try:
            for name, rate in self.buckets(request, view):
                limit, seconds = parse_rate(rate)
                # A window opens at its first request and lasts `seconds` (the counter's expiry).
                counter = f"storefront-throttle:{name}"
                cache.add(f"{counter}:opened", now, timeout=seconds)
                cache.add(counter, 0, timeout=seconds)
                try:
                    count = cache.incr(counter)
                except ValueError:  # it expired between the two calls: a new window
                    cache.set(counter, count := 1, timeout=seconds)
                if count > limit:
                    opened = cache.get(f"{counter}:opened", now)
                    self._wait = max(1.0, opened + seconds - now)
                    return False
        except RedisError:  # the shared counters are down: serve shoppers, and say so to whoever is on call
            log.exception("The storefront's throttle counters are unreachable; requests pass uncounted.")
        return True

    def wait(self):
        return self._wait
