"""Each person's API token: one at a time, made anew (the old one stops working) or revoked."""

from django.db import transaction
from rest_framework.authtoken.models import Token


@transaction.atomic
def api_token_renew(*, user) -> Token:
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


def api_token_revoke(*, user) -> bool:
    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)
