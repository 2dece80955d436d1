"""Shopper tokens: how a storefront names a shopper without the browser being able to name anyone else.

The shop's server signs a short-lived token with the storefront's secret key, which never reaches a browser
(the README shows it in Python and Node):

    payload   = base64url(shopper id, no padding) + "." + expiry (Unix seconds)
    signature = hex(HMAC-SHA256(secret key, payload + "." + publishable key))
    token     = payload + "." + signature

A shopper the shop does not know (not logged in) gets an anonymous token from the studio on their first event,
made the same way with a random id. Whoever holds a token is that shopper for the storefront that signed it,
until it expires; nothing else names a shopper to the storefront API."""

import base64
import binascii
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

ANONYMOUS_PREFIX = "anon-"
MAX_SHOPPER_ID = 64


class ShopperTokenError(ValueError):
    """A token that does not name a shopper of this storefront now; the message says why, for the shop."""


@dataclass(frozen=True)
class ShopperToken:
    shopper: str
    expires: int


def _signature(payload: str, *, publishable_key: str, secret_key: str) -> str:
    message = f"{payload}.{publishable_key}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def shopper_token_sign(
    shopper: str, *, publishable_key: str, secret_key: str, seconds: int, now: float | None = None
) -> str:
    """What the shop's server does (and the studio, for an anonymous shopper)."""
    encoded = base64.urlsafe_b64encode(shopper.encode()).rstrip(b"=").decode()
    payload = f"{encoded}.{int(now if now is not None else time.time()) + seconds}"
    return f"{payload}.{_signature(payload, publishable_key=publishable_key, secret_key=secret_key)}"


def shopper_token_verify(
    token: str, *, publishable_key: str, secret_key: str, max_seconds: int, now: float | None = None
) -> ShopperToken:
    """The shopper a token names; ShopperTokenError when it is malformed, signed by another key, expired, or
    lives longer than `max_seconds` (a short-lived token is what the shop signs)."""
    parts = token.strip().split(".")
    if len(parts) != 3 or not (parts[1].isascii() and parts[1].isdigit()):
        raise ShopperTokenError("The shopper token is not one the shop signed (payload.expiry.signature).")
    encoded, expiry, signature = parts
    expected = _signature(f"{encoded}.{expiry}", publishable_key=publishable_key, secret_key=secret_key)
    if not hmac.compare_digest(expected, signature.lower()):
        raise ShopperTokenError("The shopper token's signature does not match this storefront's secret key.")
    now = now if now is not None else time.time()
    expires = int(expiry)
    if expires <= now:
        raise ShopperTokenError("The shopper token has expired; the shop's page signs a new one.")
    if expires - now > max_seconds:
        raise ShopperTokenError(f"A shopper token lives at most {max_seconds:,} seconds; this one longer.")
    try:
        shopper = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise ShopperTokenError("The shopper token's shopper id is not base64url of UTF-8 text.") from None
    if not shopper.strip() or len(shopper) > MAX_SHOPPER_ID:
        raise ShopperTokenError(f"A shopper id is 1 to {MAX_SHOPPER_ID} characters.")
    return ShopperToken(shopper, expires)


def anonymous_shopper() -> str:
    return ANONYMOUS_PREFIX + secrets.token_urlsafe(16)
