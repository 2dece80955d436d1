import pytest
from django.test import Client

from generation.storefront.services import DEMO_ARTICLES, articles_import, storefront_key_create
from tests.factories import make_product


@pytest.fixture
def shop(db):
    """A few active products (and a draft one) and the demo articles, published."""
    articles_import(folder=DEMO_ARTICLES)
    return {
        "navy": make_product(category="Sneaker", sku="SN-NAVY", title="Navy leather sneaker",
                             attributes={"colour": "navy", "material": "leather", "tone": "dark"}),
        "pale": make_product(category="Sneaker", sku="SN-PALE", title="Light patterned sneaker",
                             attributes={"tone": "light", "surface": "patterned"}),
        "bag": make_product(category="Bag", sku="BG-LIGHT", title="Light plain bag", attributes={"tone": "light"}),
        "hidden": make_product(category="Bag", sku="BG-DRAFT", title="Light draft bag", status="draft",
                               attributes={"tone": "light"}),
    }  # fmt: skip


@pytest.fixture
def draft_key(db):
    return storefront_key_create(name="Shop (drafts)", any_origin=True)


@pytest.fixture
def auto_key(db):
    return storefront_key_create(name="Shop (auto)", mode="auto", threshold=0.8, any_origin=True)


def shopper(key, origin: str = "") -> Client:
    headers = {"HTTP_X_STOREFRONT_KEY": key.key}
    if origin:
        headers["HTTP_ORIGIN"] = origin
    return Client(**headers)


def ask(client: Client, question: str, *, token: str = "", **fields):
    path = f"/api/storefront/v1/conversations/{token}/ask/" if token else "/api/storefront/v1/ask/"
    return client.post(path, {"question": question, **fields}, content_type="application/json")
