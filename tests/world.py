"""One of each object the site shows, for the tests that open every page: the authorisation matrix and the
dashboard's languages."""

import pytest
from django.utils import timezone

from catalog import roles
from catalog.models import CatalogImport, Category
from catalog.services.product_copy import product_copy_apply
from generation.models import CatalogExport, CopyJob, GenerativeModel, RejectionReason, SamplingJob, TrainingJob
from generation.publishing.services import export_file_token
from generation.recommendations.rules import category_pairing_set, recommendation_rule_create
from generation.services.review import generated_item_approve
from generation.storefront.services import article_save, conversation_ask, storefront_key_create
from tests.factories import make_generated_items, make_product, make_user, png_bytes


@pytest.fixture
def world(media_root):
    """One of each object, made by someone other than the people asking."""
    maker = make_user("maker", roles.MERCHANDISER)
    other_reviewer = make_user("other-reviewer", roles.REVIEWER)
    product = make_product(category="Dress", sku="DR-1")
    product_copy_apply(product=product, kind="title", text="Blue dress", user=maker)
    item, decided = make_generated_items(2, category="Dress", generated_by=maker)
    decision = generated_item_approve(item=decided, reviewer=other_reviewer)
    model = GenerativeModel.objects.create(
        name="demo", version=1, category_names=["Dress"], resolution=28, channels=1, checkpoint="models/demo-v1.pt"
    )
    weights = media_root / "models" / "demo-v1.pt"
    weights.parent.mkdir(parents=True, exist_ok=True)
    weights.write_bytes(b"weights")
    photo = media_root / "products" / "ab" / "photo.png"
    photo.parent.mkdir(parents=True, exist_ok=True)
    photo.write_bytes(png_bytes())
    failed = {"status": "failed", "error": "boom"}
    training = TrainingJob.objects.create(name="demo", budget_steps=10, **failed)
    training.categories.set(Category.objects.all())
    copy = CopyJob.objects.create(kind="title", **failed)
    copy.products.set([product])
    article = article_save(slug="returns", title="Returns", body="Return within 30 days.", published=True, user=maker)
    storefront = storefront_key_create(name="shop", any_origin=True)
    conversation, _, _ = conversation_ask(storefront=storefront, text="Where is my order?")
    rule = recommendation_rule_create(action="bury", product=product, user=maker)
    pairing = category_pairing_set(category=product.category, goes_with=Category.objects.create(name="Bag"))
    (media_root / "exports" / "1").mkdir(parents=True)
    (media_root / "exports" / "1" / "shop.csv").write_text("Title,URL handle\n")
    shop_csv = {"name": "shop.csv", "path": "exports/1/shop.csv", "kind": "products", "bytes": 17, "rows": 0}
    export = CatalogExport.objects.create(pk=1, format="shopify", files=[shop_csv], **failed)
    return {
        "export": export.pk, "export_link": export_file_token(export, "shop.csv"),
        "rule": rule.pk, "pairing": pairing.pk,
        "article": article.slug, "conversation": conversation.pk, "token": conversation.token,
        "product": product.pk, "revision": product.copy_revisions.get().pk, "category": product.category_id,
        "item": item.pk, "decision": decision.pk, "model": model.pk, "training": training.pk,
        "sampling": SamplingJob.objects.create(model=model, category_names=["Dress"], per_category=1, **failed).pk,
        "copy": copy.pk, "import": CatalogImport.objects.create(csv_name="a.csv", csv_file="imports/a.csv").pk,
        "reason": RejectionReason.objects.first().pk, "photo": "products/ab/photo.png",
        "weights": "models/demo-v1.pt", "now": timezone.now().isoformat(), "storefront": storefront,
    }  # fmt: skip
