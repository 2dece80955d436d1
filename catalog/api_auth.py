"""A script calling the API with a person's token is answered as that person is: in their dashboard language,
when they chose one (LocaleMiddleware, before any token is read, could only go by the Accept-Language header)."""

from django.utils import translation
from rest_framework.authentication import TokenAuthentication

from catalog.services.account import dashboard_language_of


class PersonTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        language = dashboard_language_of(user)
        if language:
            translation.activate(language)
        return user, token
