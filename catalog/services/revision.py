"""The catalog's revision: a token that the product services, the import and the demo's loads make anew when
the active products change, and that readers keeping what they built from the products compare with theirs.
Written in the changing transaction itself, so other processes see the new token exactly when the change
commits, and a process that dies right after the commit leaves nothing stale (an on-commit hook would)."""

import secrets
import time

from catalog.models import CatalogRevision

TRUSTED_SECONDS = 1.0  # how long a process trusts the token it read: other processes see a change within it
_read: dict = {}


def catalog_revised() -> None:
    """The active products changed (call inside the transaction that changes them). A fresh random token, not a
    count: a count could come back to a value some process built under, after a rolled-back transaction."""
    token = secrets.randbits(62)
    _read.clear()  # this process sees its own change at once
    if not CatalogRevision.objects.filter(pk=1).update(token=token):
        CatalogRevision.objects.update_or_create(pk=1, defaults={"token": token})


def catalog_revision() -> int:
    """The token now (as read within the last TRUSTED_SECONDS)."""
    read = _read.get("token")
    if read is not None and time.monotonic() - read[0] < TRUSTED_SECONDS:
        return read[1]
    token = CatalogRevision.objects.filter(pk=1).values_list("token", flat=True).first() or 0
    _read["token"] = (time.monotonic(), token)
    return token
