"""Plain functions without Django: shopper tokens signed and verified as the README's recipe makes them,
origins normalised, text stripped of HTML."""

import base64
import hashlib
import hmac

import pytest

from generation.storefront.origins import origin_normalised, origins_normalised
from generation.storefront.plain_text import plain_text
from generation.storefront.shoppers import ShopperTokenError, shopper_token_sign, shopper_token_verify
from retail_studio.errors import StudioError

PK, SK, NOW = "pk_public", "sk_secret", 1_800_000_000


def readme_recipe(shopper_id: str, publishable_key: str, secret_key: str, expires: int) -> str:
    """The README's ten lines of Python, as a shop's server would copy them."""
    shopper = base64.urlsafe_b64encode(shopper_id.encode()).rstrip(b"=").decode()
    payload = f"{shopper}.{expires}"
    signature = hmac.new(secret_key.encode(), f"{payload}.{publishable_key}".encode(), hashlib.sha256).hexdigest()
    return f"{payload}.{signature}"


def verify(token: str, **kwargs):
    return shopper_token_verify(token, publishable_key=PK, secret_key=SK, max_seconds=86400, now=NOW, **kwargs)


def test_a_token_from_the_readme_recipe_names_its_shopper():
    for shopper in ("alice@example.com", "客户-42", "a" * 64):
        assert verify(readme_recipe(shopper, PK, SK, NOW + 600)).shopper == shopper
    assert shopper_token_sign("bob", publishable_key=PK, secret_key=SK, seconds=600, now=NOW) == readme_recipe(
        "bob", PK, SK, NOW + 600
    )


@pytest.mark.parametrize(
    ("token", "problem"),
    [
        (readme_recipe("alice", PK, "sk_other", NOW + 600), "signature"),  # another storefront's secret
        (readme_recipe("alice", "pk_other", SK, NOW + 600), "signature"),  # signed for another storefront
        (readme_recipe("alice", PK, SK, NOW - 1), "expired"),
        (readme_recipe("alice", PK, SK, NOW + 86401), "lives at most"),
        (readme_recipe("", PK, SK, NOW + 600), "1 to 64"),
        (readme_recipe("a" * 65, PK, SK, NOW + 600), "1 to 64"),
        ("alice", "not one the shop signed"),
        ("YWxpY2U.soon.abc", "not one the shop signed"),
        ("YWxpY2U.³.abc", "not one the shop signed"),  # a digit to isdigit(), none to int()
    ],
)
def test_a_token_that_names_no_one_now_is_refused(token, problem):
    with pytest.raises(ShopperTokenError, match=problem):
        verify(token)


def test_a_tampered_shopper_id_breaks_the_signature():
    encoded, expires, signature = readme_recipe("alice", PK, SK, NOW + 600).split(".")
    bob = base64.urlsafe_b64encode(b"bob").rstrip(b"=").decode()
    with pytest.raises(ShopperTokenError, match="signature"):
        verify(f"{bob}.{expires}.{signature}")


def test_origins_are_normalised_and_nothing_else_passes():
    assert origin_normalised("HTTPS://Shop.Example.com:443/") == "https://shop.example.com"
    assert origin_normalised("http://localhost:8000") == "http://localhost:8000"
    assert origin_normalised("http://[::1]:80") == "http://[::1]"
    not_origins = ["shop.example.com", "ftp://shop.example.com", "https://shop.example.com/x", "https://a@b.com"]
    for bad in [*not_origins, "https://shop.example.com?x=1", "https://:99999"]:
        with pytest.raises(StudioError):
            origin_normalised(bad)
    assert origins_normalised(["https://a.com", "https://A.com/"], any_origin=False) == ["https://a.com"]
    with pytest.raises(StudioError, match="a list"):
        origins_normalised("https://a.com", any_origin=False)
    with pytest.raises(StudioError, match="any origin"):
        origins_normalised([], any_origin=False)
    assert origins_normalised([], any_origin=True) == []


@pytest.mark.parametrize(
    ("pasted", "kept"),
    [
        (
            "# Returns\n\nWithin **30 days** & at > 90% value; a < b.",
            "# Returns\n\nWithin **30 days** & at > 90% value; a < b.",
        ),
        ("Hi <img src=x onerror=alert(1)>there", "Hi there"),
        ("<script>alert(1)</script>Fine", "Fine"),
        ("&lt;script&gt;alert(1)&lt;/script&gt;Fine", "Fine"),
        ("<a href='javascript:alert(1)'>click</a>", "click"),
        ("See <https://shop.example.com/returns>.", "See https://shop.example.com/returns."),
        ("退货 <b>30</b> 天", "退货 30 天"),
        ("<!-- hidden -->- item", "- item"),
    ],
)
def test_plain_text_keeps_the_text_and_markdown_and_drops_every_tag(pasted, kept):
    assert plain_text(pasted) == kept
