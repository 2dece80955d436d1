import pytest
from rest_framework.test import APIClient

from catalog.services.api_tokens import api_token_renew
from tests.generation.conftest import trained  # noqa: F401  (a trained version, for the jobs and models endpoints)


@pytest.fixture
def api():
    """A client without a session: it must bring its token."""
    return APIClient()


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_renew(user=user).key}")
    return client


@pytest.fixture
def merch_api(merchandiser):
    return token_client(merchandiser)


@pytest.fixture
def reviewer_api(reviewer):
    return token_client(reviewer)


def pytest_terminal_summary(terminalreporter):
    from tests.api.test_schemathesis import OPERATIONS, TRIED

    if TRIED:
        per_role = ", ".join(f"{role} {count:,}" for role, count in TRIED.items())
        terminalreporter.write_line(
            f"schemathesis: {len(OPERATIONS)} operations, {sum(TRIED.values()):,} cases ({per_role})"
        )
