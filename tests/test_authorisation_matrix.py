"""Every URL of the site and the API, as anonymous, as each role and with each storefront credential (the
publishable key, the secret key, the publishable key with a shopper token), against the answers expected of it.
The table must name every URL pattern: a new page or endpoint fails here until its row is written."""

import json
import re

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import get_resolver
from django.urls.resolvers import URLResolver

from catalog import roles
from catalog.services.api_tokens import api_token_renew
from generation.storefront.shoppers import shopper_token_sign
from tests.factories import make_user

pytestmark = pytest.mark.django_db

L = "login"  # a redirect to the login page
STOREFRONT_AS = ("publishable key", "secret key", "shopper token")
AS = ("anonymous", roles.MERCHANDISER, roles.REVIEWER, roles.ADMIN, *STOREFRONT_AS)

# name: (method, path, {anonymous, merchandiser, reviewer, admin[, publishable key, secret key, shopper token]});
# ids come from the `world` fixture. A row without the storefront's three answers expects the anonymous one from
# each: no storefront credential is a staff login.
SITE = {
    "login": ("GET", "/login/", (200, 200, 200, 200)),
    "logout": ("POST", "/logout/", (L, L, L, L)),  # logging out ends on the login page
    "api_token": ("GET", "/account/api-token/", (L, 200, 200, 200)),
    "account_language": ("POST", "/account/language/", (L, 302, 302, 302)),
    "javascript_catalog": ("GET", "/jsi18n/", (200, 200, 200, 200)),
    "healthz": ("GET", "/healthz", (200, 200, 200, 200)),
    "catalog:product_list": ("GET", "/", (L, 200, 200, 200)),
    "catalog:product_detail": ("GET", "/products/{product}/", (L, 200, 200, 200)),
    "catalog:import": ("GET", "/import/", (L, 200, 403, 200)),
    "catalog:import_preview": ("POST", "/import/preview/", (L, 400, 403, 400)),
    "catalog:product_copy_revert": ("POST", "/products/{product}/copy/{revision}/revert/", (L, 302, 403, 302)),
    "generation:job_list": ("GET", "/jobs/", (L, 200, 200, 200)),
    "generation:job_create": ("GET", "/jobs/new/", (L, 200, 403, 200)),
    "generation:job_detail": ("GET", "/jobs/{training}/", (L, 200, 200, 200)),
    "generation:job_progress": ("GET", "/jobs/{training}/progress/", (L, 200, 200, 200)),
    "generation:job_cancel": ("POST", "/jobs/{training}/cancel/", (L, 302, 403, 302)),
    "generation:job_retry": ("POST", "/jobs/{training}/retry/", (L, 302, 403, 302)),
    "generation:model_registry": ("GET", "/models/", (L, 200, 200, 200)),
    "generation:model_state": ("POST", "/models/{model}/state/", (L, 302, 403, 302)),
    "generation:model_generate": ("GET", "/models/{model}/generate/", (L, 200, 403, 200)),
    "generation:product_variations": ("POST", "/products/{product}/variations/", (L, 302, 403, 302)),
    "generation:photos_to_check": ("GET", "/photos/check/", (L, 200, 200, 200)),
    "generation:sampling_detail": ("GET", "/sampling/{sampling}/", (L, 200, 200, 200)),
    "generation:sampling_state": ("GET", "/sampling/{sampling}/state/", (L, 200, 200, 200)),
    "generation:review_queue": ("GET", "/review/", (L, 200, 200, 200)),
    "generation:review_items": ("GET", "/review/items/", (L, 200, 200, 200)),
    "generation:review_approve": ("POST", "/review/items/{item}/approve/", (L, 403, 200, 200)),
    "generation:review_reject": ("POST", "/review/items/{item}/reject/", (L, 403, 400, 400)),
    "generation:review_undo": ("POST", "/review/items/{item}/undo/", (L, 403, 400, 400)),
    "generation:review_bulk": ("POST", "/review/bulk/", (L, 403, 400, 400)),
    "generation:review_products": ("GET", "/review/products/?category={category}", (L, 200, 200, 200)),
    "generation:review_keys": ("POST", "/review/keys/", (L, 403, 200, 200)),
    "generation:job_preview_send": ("POST", "/jobs/{training}/preview/send/", (L, 400, 400, 400)),
    "generation:copy_health": ("GET", "/copy/health/", (L, 200, 200, 200)),
    "generation:glossary_term_add": (
        "POST",
        "/copy/terms/",
        (L, 302, 403, 302),
        {"language": "zh", "field": "colour", "value": "chartreuse", "text": "黄绿色", "next": "/copy/health/"},
    ),
    "generation:copy_request": ("POST", "/copy/new/", (L, 400, 403, 400)),
    "generation:copy_job_detail": ("GET", "/copy/jobs/{copy}/", (L, 200, 200, 200)),
    "generation:copy_job_state": ("GET", "/copy/jobs/{copy}/state/", (L, 200, 200, 200)),
    "media": ("GET", "/media/{photo}", (L, 200, 200, 200)),
    "media (model weights)": ("GET", "/media/{weights}", (L, 403, 403, 200)),
    "admin (index)": ("GET", "/admin/", (302, 302, 302, 200)),
    "storefront:article_list": ("GET", "/assistant/articles/", (L, 200, 200, 200)),
    "storefront:article_new": ("GET", "/assistant/articles/new/", (L, 200, 403, 200)),
    "storefront:article_edit": ("GET", "/assistant/articles/{article}/", (L, 200, 200, 200)),
    "storefront:article_edit (save)": ("POST", "/assistant/articles/{article}/", (L, 400, 403, 400)),
    "storefront:article_publish": ("POST", "/assistant/articles/{article}/publish/", (L, 302, 403, 302)),
    "storefront:inbox": ("GET", "/assistant/inbox/", (L, 200, 200, 200)),
    "storefront:conversation": ("GET", "/assistant/inbox/{conversation}/", (L, 200, 200, 200)),
    "storefront:take_over": ("POST", "/assistant/inbox/{conversation}/take-over/", (L, 403, 302, 302)),
    "storefront:reply": ("POST", "/assistant/inbox/{conversation}/reply/", (L, 403, 400, 400)),
    "storefront:gaps": ("GET", "/assistant/gaps/", (L, 200, 200, 200)),
    "storefront:demo": ("GET", "/storefront/demo/", (200, 200, 200, 200)),  # the demo shop, public in demo mode
    "recommendations:page": ("GET", "/recommendations/", (L, 200, 200, 200)),
    "publishing:page": ("GET", "/publish/", (L, 200, 200, 200)),
    "publishing:export_create": ("POST", "/publish/exports/", (L, 400, 403, 400)),
    "publishing:export_detail": ("GET", "/publish/exports/{export}/", (L, 200, 200, 200)),
    "publishing:export_progress": ("GET", "/publish/exports/{export}/progress/", (L, 200, 200, 200)),
    "publishing:export_download": ("GET", "/publish/exports/{export}/files/shop.csv", (L, 200, 200, 200)),
    # The API's link: its signature is the permission, so anyone holding it downloads, for a few minutes.
    "publishing:export_signed_download": ("GET", "/publish/download/{export_link}/", (200, 200, 200, 200)),
    "publishing:channel_save": ("POST", "/publish/channels/shopify/", (L, 302, 403, 302)),
    "recommendations:rule_add": ("POST", "/recommendations/rules/", (L, 400, 403, 400)),
    "recommendations:rule_remove": ("POST", "/recommendations/rules/{rule}/remove/", (L, 302, 403, 302)),
    "recommendations:train": ("POST", "/recommendations/train/", (L, 302, 403, 302)),
    "recommendations:pairing_set": ("POST", "/recommendations/pairings/", (L, 302, 403, 302)),
    "recommendations:pairing_remove": ("POST", "/recommendations/pairings/{pairing}/remove/", (L, 302, 403, 302)),
    "recommendations:pairing_restore": ("POST", "/recommendations/pairings/{pairing}/restore/", (L, 302, 403, 302)),
}
API = {
    "api-root": ("GET", "/api/v1/", (401, 200, 200, 200)),
    "api_schema": ("GET", "/api/schema/", (401, 200, 200, 200)),
    "api_docs": ("GET", "/api/docs/", (401, 200, 200, 200)),
    "api_redoc": ("GET", "/api/redoc/", (401, 200, 200, 200)),
    "api (unknown path)": ("GET", "/api/v1/nothing-here/", (404, 404, 404, 404)),
    "category-list": ("POST", "/api/v1/categories/", (401, 201, 403, 201), {"name": "Hat"}),
    "category-detail": ("GET", "/api/v1/categories/{category}/", (401, 200, 200, 200)),
    "product-list": (
        "POST",
        "/api/v1/products/",
        (401, 201, 403, 201),
        {"sku": "NEW-1", "title": "t", "category": "{category}"},
    ),
    "product-detail": ("PATCH", "/api/v1/products/{product}/", (401, 200, 403, 200), {"status": "archived"}),
    # Uploads take multipart only: past the role check, a JSON body is refused as the wrong media type.
    "product-images": ("POST", "/api/v1/products/{product}/images/", (401, 415, 403, 415)),
    "import-list": ("POST", "/api/v1/imports/", (401, 415, 403, 415)),
    "import-detail": ("GET", "/api/v1/imports/{import}/", (401, 200, 200, 200)),
    "model-list": ("GET", "/api/v1/models/", (401, 200, 200, 200)),
    "model-detail": ("GET", "/api/v1/models/{model}/", (401, 200, 200, 200)),
    "model-promote": ("POST", "/api/v1/models/{model}/promote/", (401, 200, 403, 200)),
    "model-retire": ("POST", "/api/v1/models/{model}/retire/", (401, 200, 403, 200)),
    "training-job-list": ("POST", "/api/v1/training-jobs/", (401, 400, 403, 400)),
    "training-job-detail": ("GET", "/api/v1/training-jobs/{training}/", (401, 200, 200, 200)),
    "training-job-progress": ("GET", "/api/v1/training-jobs/{training}/progress/", (401, 200, 200, 200)),
    "training-job-cancel": ("POST", "/api/v1/training-jobs/{training}/cancel/", (401, 200, 403, 200)),
    "training-job-retry": ("POST", "/api/v1/training-jobs/{training}/retry/", (401, 200, 403, 200)),
    "sampling-job-list": ("POST", "/api/v1/sampling-jobs/", (401, 400, 403, 400)),
    "export-list": ("POST", "/api/v1/exports/", (401, 400, 403, 400)),
    "export-detail": ("GET", "/api/v1/exports/{export}/", (401, 200, 200, 200)),
    "export-cancel": ("POST", "/api/v1/exports/{export}/cancel/", (401, 200, 403, 200)),
    "export-retry": ("POST", "/api/v1/exports/{export}/retry/", (401, 200, 403, 200)),
    "sampling-job-detail": ("GET", "/api/v1/sampling-jobs/{sampling}/", (401, 200, 200, 200)),
    "sampling-job-cancel": ("POST", "/api/v1/sampling-jobs/{sampling}/cancel/", (401, 200, 403, 200)),
    "sampling-job-retry": ("POST", "/api/v1/sampling-jobs/{sampling}/retry/", (401, 200, 403, 200)),
    "variation-job-list": ("POST", "/api/v1/variation-jobs/", (401, 400, 403, 400)),
    "variation-job-detail": ("GET", "/api/v1/variation-jobs/{sampling}/", (401, 404, 404, 404)),  # not a variation job
    "variation-job-cancel": ("POST", "/api/v1/variation-jobs/{sampling}/cancel/", (401, 404, 403, 404)),
    "variation-job-retry": ("POST", "/api/v1/variation-jobs/{sampling}/retry/", (401, 404, 403, 404)),
    "copy-job-list": ("POST", "/api/v1/copy-jobs/", (401, 400, 403, 400)),
    "copy-job-detail": ("GET", "/api/v1/copy-jobs/{copy}/", (401, 200, 200, 200)),
    "copy-job-cancel": ("POST", "/api/v1/copy-jobs/{copy}/cancel/", (401, 200, 403, 200)),
    "copy-job-retry": ("POST", "/api/v1/copy-jobs/{copy}/retry/", (401, 200, 403, 200)),
    "item-list": ("GET", "/api/v1/items/", (401, 200, 200, 200)),
    "item-detail": ("GET", "/api/v1/items/{item}/", (401, 200, 200, 200)),
    "item-approve": ("POST", "/api/v1/items/{item}/approve/", (401, 403, 200, 200)),
    "item-reject": ("POST", "/api/v1/items/{item}/reject/", (401, 403, 400, 400)),
    "item-undo": ("POST", "/api/v1/items/{item}/undo/", (401, 403, 400, 400)),
    "item-bulk": ("POST", "/api/v1/items/bulk/", (401, 403, 400, 400)),
    "decision-list": ("GET", "/api/v1/decisions/", (401, 200, 200, 200)),
    "decision-detail": ("GET", "/api/v1/decisions/{decision}/", (401, 200, 200, 200)),
    "rejection-reason-list": ("GET", "/api/v1/rejection-reasons/", (401, 200, 200, 200)),
    "rejection-reason-detail": ("GET", "/api/v1/rejection-reasons/{reason}/", (401, 200, 200, 200)),
    "article-list": ("POST", "/api/v1/articles/", (401, 201, 403, 201), {"slug": "new-one", "title": "T", "body": "B"}),
    "article-detail": ("PATCH", "/api/v1/articles/{article}/", (401, 200, 403, 200), {"published": "true"}),
    "article-publish": ("POST", "/api/v1/articles/{article}/publish/", (401, 200, 403, 200)),
    "article-unpublish": ("POST", "/api/v1/articles/{article}/unpublish/", (401, 200, 403, 200)),
    "events": ("POST", "/api/v1/events/", (401, 400, 403, 400), {"events": "none"}),
    "events_erase": ("POST", "/api/v1/events/erase/", (401, 403, 403, 200), {"user": "nobody"}),
    "products_similar": ("GET", "/api/v1/products/{product}/similar/", (401, 200, 200, 200)),
    "products_complete_the_look": ("GET", "/api/v1/products/{product}/complete-the-look/", (401, 200, 200, 200)),
    "for_you": ("GET", "/api/v1/recommendations/for-you/?user=u1", (401, 200, 200, 200)),
    "recommendation-rule-list": (
        "POST",
        "/api/v1/recommendation-rules/",
        (401, 201, 403, 201),
        {"action": "pin", "product": "{product}"},
    ),  # fmt: skip
    "recommendation-rule-detail": ("DELETE", "/api/v1/recommendation-rules/{rule}/", (401, 204, 403, 204)),
    # The shoppers' door opens to a storefront credential only: no staff login or token gets through. A shopper's
    # own data (their row, their conversations) needs their token; the shop's server's door, the secret key.
    "storefront_api:ask": ("POST", "/api/storefront/v1/ask/", (401, 401, 401, 401, 201, 401, 201), {"question": "Hi"}),
    "storefront_api:conversations": (
        "GET",
        "/api/storefront/v1/conversations/",
        (401, 401, 401, 401, 403, 401, 200),
    ),  # fmt: skip
    "storefront_api:conversation": (
        "GET",
        "/api/storefront/v1/conversations/{token}/",
        (401, 401, 401, 401, 200, 401, 200),
    ),  # fmt: skip
    "storefront_api:continue": (
        "POST",
        "/api/storefront/v1/conversations/{token}/ask/",
        (401, 401, 401, 401, 201, 401, 201),
        {"question": "Hi"},
    ),  # fmt: skip
    "storefront_api:events": (
        "POST",
        "/api/storefront/v1/events/",
        (401, 401, 401, 401, 201, 401, 201),
        {"events": [{"sku": "DR-1", "event": "view"}]},
    ),  # fmt: skip
    "storefront_api:similar": (
        "GET",
        "/api/storefront/v1/products/DR-1/similar/",
        (401, 401, 401, 401, 200, 401, 200),
    ),  # fmt: skip
    "storefront_api:complete_the_look": (
        "GET",
        "/api/storefront/v1/products/DR-1/complete-the-look/",
        (401, 401, 401, 401, 200, 401, 200),
    ),  # fmt: skip
    "storefront_api:for_you": (
        "GET",
        "/api/storefront/v1/recommendations/for-you/?user=u1",
        (401, 401, 401, 401, 403, 401, 200),
    ),  # fmt: skip
    "storefront_api:server_events": (
        "POST",
        "/api/storefront/v1/server/events/",
        (401, 401, 401, 401, 401, 201, 401),
        {"events": [{"user": "u1", "sku": "DR-1", "event": "purchase", "timestamp": "{now}"}]},
    ),  # fmt: skip
    "storefront_api:server_erase": (
        "POST",
        "/api/storefront/v1/server/shoppers/erase/",
        (401, 401, 401, 401, 401, 200, 401),
        {"user": "u1"},
    ),  # fmt: skip
}
TABLE = SITE | API


def _url_names() -> set[str]:
    """Every named URL pattern outside the admin, with its namespace."""
    names = set()

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace != "admin":
                    inner = pattern.namespace or ""
                    walk(pattern.url_patterns, f"{namespace}{inner}:" if inner and inner != "api" else namespace)
            elif pattern.name:
                names.add(namespace + pattern.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_the_table_names_every_url():
    assert _url_names() - {name.split(" (")[0] for name in TABLE} == set()


def storefront_client(key, credential: str) -> Client:
    """A caller with one of a storefront's credentials and nothing else."""
    if credential == "secret key":
        return Client(HTTP_X_STOREFRONT_SECRET=key.secret_key)
    headers = {"HTTP_X_STOREFRONT_KEY": key.key}
    if credential == "shopper token":
        headers["HTTP_X_SHOPPER_TOKEN"] = shopper_token_sign(
            "u1", publishable_key=key.key, secret_key=key.secret_key, seconds=600
        )
    return Client(**headers)


def _client(role: str, api: bool, world: dict) -> Client:
    client = Client()
    if role in STOREFRONT_AS:
        return storefront_client(world["storefront"], role)
    if role == "anonymous":
        return client
    user = make_user(f"as-{role}", role)
    if role == roles.ADMIN:
        user.is_staff = user.is_superuser = True
        user.save()
    if api:  # the API as a script calls it: with a token, no session
        return Client(HTTP_AUTHORIZATION=f"Token {api_token_renew(user=user).key}")
    client.force_login(user)
    return client


def _answer(response) -> int | str:
    if response.status_code == 302 and response["Location"].startswith("/login/"):
        return L
    return response.status_code


def _formatted(value, world: dict):
    """A row's body with the world's ids put in its strings, at any depth."""
    if isinstance(value, str):
        return value.format(**world)
    if isinstance(value, list):
        return [_formatted(v, world) for v in value]
    if isinstance(value, dict):
        return {k: _formatted(v, world) for k, v in value.items()}
    return value


@pytest.mark.parametrize("name", sorted(TABLE))
def test_each_url_answers_each_role_as_the_table_says(name, world):
    method, path, expected, *body = TABLE[name]
    expected = expected if len(expected) == len(AS) else (*expected, *(expected[0],) * len(STOREFRONT_AS))
    path = path.format(**world)
    data = _formatted(body[0], world) if body else {}
    got = []
    for role in AS:
        with transaction.atomic():  # each role meets the same world: what one changes is rolled back
            client = _client(role, api=name in API, world=world)
            if method == "GET":
                response = client.get(path)
            elif name in API:
                response = client.generic(method, path, data=json.dumps(data), content_type="application/json")
            else:
                response = client.post(path, data)
            got.append(_answer(response))
            transaction.set_rollback(True)
    assert tuple(got) == expected, f"{method} {path}: {dict(zip(AS, got, strict=True))}"


@pytest.mark.parametrize(
    "model_admin", sorted(f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry)
)
def test_every_admin_page_is_for_admins_only(model_admin, world):
    app_label, model_name = model_admin.split(".")
    path = f"/admin/{app_label}/{model_name}/"
    got = tuple(_client(role, api=False, world=world).get(path).status_code for role in AS)
    assert got == (302, 302, 302, 200, 302, 302, 302), path


def test_the_admin_takes_no_file_of_its_own(world):
    """Files come in through the import, the API and the jobs, with their checks; every admin form only
    shows them."""
    client = _client(roles.ADMIN, api=False, world=world)
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        pages = [base + "add/"] + [f"{base}{pk}/change/" for pk in model.objects.values_list("pk", flat=True)[:1]]
        for page in pages:
            response = client.get(page)
            assert response.status_code in (200, 403), page
            assert 'type="file"' not in response.content.decode(), page


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)


def test_every_page_sends_a_content_security_policy_and_needs_no_inline_script(world):
    """Each page any role can open, the admin's and the API's documentation included: scripts from the studio's
    own files only, so a script someone slipped into the data would not run."""
    client = _client(roles.ADMIN, api=False, world=world)
    admin_pages = ["/admin/", "/admin/generation/storefrontkey/", "/admin/generation/storefrontkey/add/"]
    pages = [path.format(**world) for method, path, *_ in SITE.values() if method == "GET"] + admin_pages
    for path in [*pages, "/api/docs/", "/api/redoc/"]:
        response = client.get(path)
        assert response.status_code == 200, path
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
        if "html" in response["Content-Type"]:
            page = response.content.decode()
            assert not INLINE_SCRIPT.search(page), (path, INLINE_SCRIPT.search(page).group())
            assert not INLINE_HANDLER.search(page), (path, INLINE_HANDLER.search(page).group())
            assert "javascript:" not in page.lower(), path
