"""Login rate limiting: a username guessed at from one address is paused, with a clear page; an admin unlocks it."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def log_in(client: Client, password: str):
    return client.post("/login/", {"username": "merch", "password": password})


def test_repeated_wrong_passwords_pause_that_login_with_a_clear_message(settings, merchandiser):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "wrong-guess").status_code == 200  # the form again, with its error
    locked = log_in(client, "wrong-guess")
    assert locked.status_code == 429 and "Too many failed logins" in locked.content.decode()
    assert log_in(client, PASSWORD).status_code == 429  # even the right password waits now
    assert "_auth_user_id" not in client.session


def test_an_admin_unlocks_it_in_the_admin_and_a_success_resets_the_count(settings, merchandiser):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "wrong-guess")
    assert log_in(client, PASSWORD).status_code == 429
    attempt = AccessAttempt.objects.get(username="merch")
    admin = Client()
    admin.force_login(get_user_model().objects.create_superuser("root", password="root-pass-9134"))
    page = admin.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert page.status_code == 302
    assert log_in(client, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="merch").exists()
