"""Schemathesis against our own OpenAPI schema: every operation, as each role and anonymous. No answer may be
a 5xx, and every answer must match the schema (status code, content type, body)."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from catalog import roles
from catalog.services.api_tokens import api_token_renew
from generation.storefront.services import storefront_key_create
from generation.storefront.shoppers import shopper_token_sign
from tests.factories import make_generated_items, make_product, make_user

ROLES = ("anonymous", roles.MERCHANDISER, roles.REVIEWER, roles.ADMIN)
STOREFRONT = "storefront"  # a shop's publishable key: the storefront endpoints answer it, every other one refuses
SHOPPER = "shopper"  # the publishable key with a shopper token the shop signed: that shopper's own data too
SERVER = "storefront server"  # the shop's secret key: its server's endpoints only
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
CASES_PER_OPERATION = 25
TRIED: dict[str, int] = {}  # cases sent per role, and the operations they covered: printed at the end of the run
OPERATIONS: set[str] = set()


@pytest.fixture
def api_schema(db):
    """The schema as /api/schema/ serves it, run against the Django WSGI app in this test's transaction (the
    connection stays open between requests, as Django's test client keeps it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    loaded = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
    loaded.app = WSGIHandler()
    yield loaded
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def tokens(db) -> dict[str, dict]:
    """Some real rows for the generated ids to hit, and each role's headers (none for anonymous)."""
    someone = make_user("maker", roles.MERCHANDISER)
    make_product(category="Dress", sku="DR-1")
    make_generated_items(3, category="Dress", generated_by=someone)
    headers = {"anonymous": {}}
    for role in ROLES[1:]:
        headers[role] = {"Authorization": f"Token {api_token_renew(user=make_user(f'as-{role}', role)).key}"}
    key = storefront_key_create(name="fuzzed shop", mode="auto", any_origin=True)
    token = shopper_token_sign("fuzzed-shopper", publishable_key=key.key, secret_key=key.secret_key, seconds=3600)
    headers[STOREFRONT] = {"X-Storefront-Key": key.key}
    headers[SHOPPER] = {"X-Storefront-Key": key.key, "X-Shopper-Token": token}
    headers[SERVER] = {"X-Storefront-Secret": key.secret_key}
    return headers


def _call(case, role: str, tokens: dict) -> None:
    TRIED[role] = TRIED.get(role, 0) + 1
    OPERATIONS.add(case.operation.label)
    case.call_and_validate(headers=tokens[role], checks=CHECKS)


fuzzed = settings(max_examples=CASES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck))


@schema.parametrize()
@fuzzed
def test_every_operation_anonymous(case, tokens):
    _call(case, "anonymous", tokens)


@schema.parametrize()
@fuzzed
def test_every_operation_as_merchandiser(case, tokens):
    _call(case, roles.MERCHANDISER, tokens)


@schema.parametrize()
@fuzzed
def test_every_operation_as_reviewer(case, tokens):
    _call(case, roles.REVIEWER, tokens)


@schema.parametrize()
@fuzzed
def test_every_operation_as_admin(case, tokens):
    _call(case, roles.ADMIN, tokens)


@schema.parametrize()
@fuzzed
def test_every_operation_as_a_storefront(case, tokens):
    _call(case, STOREFRONT, tokens)


@schema.parametrize()
@fuzzed
def test_every_operation_as_a_shopper(case, tokens):
    _call(case, SHOPPER, tokens)


@schema.parametrize()
@fuzzed
def test_every_operation_as_a_shops_server(case, tokens):
    _call(case, SERVER, tokens)
