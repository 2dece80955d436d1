"""Learnt pairings beside the merchandisers' and the demo's, and what makes the served rows stale: the catalog's
revision, made anew by the product services (not by a copy change), and the pairings' own services."""

import pytest
from django.urls import reverse

from catalog.models import Category
from catalog.services.product_copy import product_copy_apply
from catalog.services.products import product_update
from catalog.services.revision import catalog_revision
from generation.recommendations import serving
from generation.recommendations.models import CategoryPairing
from generation.recommendations.rules import (
    category_pairing_remove,
    category_pairing_restore,
    category_pairing_set,
    demo_pairings_ensure,
    pairings_learnt_replace,
)
from generation.recommender.pairings import LearntPairing
from tests.factories import make_product

pytestmark = pytest.mark.django_db


def category(name: str) -> Category:
    return Category.objects.get_or_create(name=name)[0]


def learnt(a: str, b: str, lift: float = 2.0) -> LearntPairing:
    return LearntPairing(category(a).pk, category(b).pk, lift, 40, 1.0)


def served() -> set[tuple[str, str]]:
    rows = CategoryPairing.objects.filter(removed=False)
    return set(rows.values_list("category__name", "goes_with__name"))


def test_learnt_pairings_replace_the_demos_and_never_a_merchandisers_word():
    make_product(category="Shirt", sku="FM-1", attributes={"group": "tops"})
    make_product(category="Trouser", sku="FM-2", attributes={"group": "bottoms"})
    make_product(category="Sneaker", sku="FM-3", attributes={"group": "footwear"})
    assert demo_pairings_ensure() > 0 and ("Shirt", "Trouser") in served()
    category_pairing_set(category=category("Sneaker"), goes_with=category("Bag"), weight=3)  # theirs
    removed = CategoryPairing.objects.get(category__name="Shirt", goes_with__name="Sneaker")
    category_pairing_remove(pairing=removed)  # "no" to a demo pairing

    stored = pairings_learnt_replace(
        learnt=[learnt("Shirt", "Trouser"), learnt("Shirt", "Sneaker"), learnt("Sneaker", "Bag", 9.0)]
    )
    assert stored == 1  # only shirt -> trouser: the other two are the merchandiser's
    # The shirt's demo pairings are gone; the trouser's and the sneaker's stay, as nothing of theirs was stored.
    assert served() == {
        ("Shirt", "Trouser"),
        ("Sneaker", "Bag"),
        ("Trouser", "Shirt"),
        ("Trouser", "Sneaker"),
        ("Sneaker", "Trouser"),
        ("Sneaker", "Shirt"),
    }
    shirt_trouser = CategoryPairing.objects.get(category__name="Shirt", goes_with__name="Trouser")
    assert (shirt_trouser.source, shirt_trouser.lift, shirt_trouser.support) == ("learnt", 2.0, 40)
    assert CategoryPairing.objects.get(category__name="Sneaker", goes_with__name="Bag").weight == 3  # theirs, kept
    assert demo_pairings_ensure() == 0  # once learnt, the demo's stay away
    assert pairings_learnt_replace(learnt=[]) == 0 and ("Shirt", "Trouser") in served()  # no baskets: no change

    category_pairing_restore(pairing=removed)
    assert ("Shirt", "Sneaker") in served()


def test_a_removed_pairing_leaves_complete_the_look_at_once_and_the_page_shows_the_evidence(merch_client):
    shirt = make_product(category="Shirt", sku="SH-1", attributes={"tone": "dark"})
    make_product(category="Trouser", sku="TR-1", attributes={"tone": "light"})
    pairings_learnt_replace(learnt=[learnt("Shirt", "Trouser", 2.4)])
    assert serving.complete_the_look(shirt, k=3).products
    page = merch_client.get(reverse("recommendations:page")).content.decode()
    assert "learnt" in page and "lift 2.4, 40 baskets" in page

    pairing = CategoryPairing.objects.get()
    merch_client.post(reverse("recommendations:pairing_remove", args=[pairing.pk]))
    assert serving.complete_the_look(shirt, k=3).products == ()
    assert (
        "Removed (not served, never learnt again)" in merch_client.get(reverse("recommendations:page")).content.decode()
    )


def test_a_copy_change_leaves_the_served_products_alone_and_an_archive_does_not():
    product = make_product(category="Shirt", sku="SH-1", attributes={"tone": "dark"})
    before = catalog_revision()
    product_copy_apply(product=product, kind="title", text="A new title", user=None, language="en")
    assert catalog_revision() == before
    product_update(product=product, attributes={"tone": "light"})
    after_attributes = catalog_revision()
    assert after_attributes != before
    product_update(product=product, status="archived")
    assert catalog_revision() != after_attributes
