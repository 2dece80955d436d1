"""A staff member's own settings: the language the dashboard speaks to them."""

from django.conf import settings
from django.utils.translation import gettext as _

from catalog.models import AccountSettings
from retail_studio.errors import StudioError


def dashboard_language_set(*, user, language: str) -> str:
    """Keeps the person's dashboard language ("" for the browser's); returns it."""
    known = [code for code, _name in settings.LANGUAGES]
    if language and language not in known:
        raise StudioError(
            _("The dashboard speaks %(known)s; not “%(language)s”.") % {"known": ", ".join(known), "language": language}
        )
    AccountSettings.objects.update_or_create(user=user, defaults={"dashboard_language": language})
    return language


def dashboard_language_of(user) -> str:
    return AccountSettings.objects.filter(user=user).values_list("dashboard_language", flat=True).first() or ""
