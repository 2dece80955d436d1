"""Every page of the dashboard, opened by each role under zh-hans, says nothing in English but the shop's own data
and the names on the allow-list."""

import json

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import Client

from catalog import roles
from catalog.models import Category, Product, ProductCopyRevision
from generation.models import (
    CopyJob,
    GeneratedItem,
    GenerativeModel,
    RecommendationRuleChange,
    RejectionReason,
    TrainingJob,
)
from generation.storefront.models import Conversation, StoreArticle, StorefrontKey
from tests.factories import make_user
from tests.languages import english_runs
from tests.test_authorisation_matrix import SITE

pytestmark = pytest.mark.django_db
ROLES = (roles.MERCHANDISER, roles.REVIEWER, roles.ADMIN)
PAGES = {
    name: path
    for name, (method, path, answers, *_body) in SITE.items()
    if method == "GET"
    and 200 in answers[1:4]
    and not name.startswith(("media", "javascript_catalog", "healthz", "admin", "api"))
    and "progress" not in name
    and "state" not in name
    and name != "publishing:export_download"
    and name != "publishing:export_signed_download"
    and name != "generation:review_items"
    and name != "storefront:demo"  # the shop's own page, in the shop's language
}


def admin_pages() -> list[str]:
    """The admin's index, and each of the studio's models' list and its first object's page (or its add page). The
    third-party apps' own pages (Celery beat's schedules, django-axes' logs) are theirs: their catalogs' gaps
    are not checked here."""
    pages = ["/admin/"]
    for model in admin.site._registry:
        if model._meta.app_label not in ("catalog", "generation"):
            continue
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        first = model.objects.values_list("pk", flat=True).first()
        pages += [base, f"{base}{first}/change/" if first is not None else f"{base}add/"]
    return pages


def shop_data() -> set[str]:
    """What the shop and its people wrote: shown as it is in any language."""
    data = {*Product.objects.values_list("title", flat=True), *Product.objects.values_list("sku", flat=True)}
    data |= {*Category.objects.values_list("name", flat=True), *GenerativeModel.objects.values_list("name", flat=True)}
    data |= {
        *StoreArticle.objects.values_list("title", flat=True),
        *StoreArticle.objects.values_list("body", flat=True),
    }
    data |= {*TrainingJob.objects.values_list("error", flat=True), *CopyJob.objects.values_list("error", flat=True)}
    data |= {str(text) for pair in ProductCopyRevision.objects.values_list("previous", "new") for text in pair}
    data |= set(StorefrontKey.objects.values_list("name", flat=True))
    data |= set(RejectionReason.objects.values_list("label", flat=True))  # the admin's words, as they wrote them
    data |= set(GeneratedItem.objects.values_list("text", flat=True))
    data |= set(RecommendationRuleChange.objects.values_list("description", flat=True))  # in its author's language
    for conversation in Conversation.objects.all():
        data |= {message.text for message in conversation.messages.all()}
    # Django stores permissions' names in English, as rows ("Can add product"): the admin lists them as data.
    data |= {f"{p.content_type.name} | {p.name}" for p in Permission.objects.select_related("content_type")}
    data |= set(Permission.objects.values_list("name", flat=True))
    return {text for text in data if text} | {"GAN", "VAE", "KL", "FD", "CPU", "CUDA", "NDCG@10", "recall@10"}


def pages_with_their_figures(world: dict) -> None:
    """Beside the world's objects, what fills the pages that show figures: a recommender's version with its
    candidates and a VAE's finished photo check."""
    from django.utils import timezone

    from generation.models import Engine, Family, PhotoCheck

    figures = {"recall_at_10": 0.2, "ndcg_at_10": 0.1, "coverage": 0.3}
    GenerativeModel.objects.create(
        name="recs",
        version=1,
        family=Family.RECS,
        state="candidate",  # an active one is served, from its file
        checkpoint="models/recs-v1.npz",
        metrics=figures
        | {
            "events": 1000,
            "lift_over_popularity": 2.0,
            "chosen": "popularity",
            "baselines": {"popularity": figures},
            "candidates": [{"label": "popularity", **figures}],
        },
    )
    vae = GenerativeModel.objects.create(
        name="vae",
        version=1,
        engine=Engine.VAE,
        state="active",
        category_names=["Dress", "Bag"],
        resolution=28,
        channels=1,
        checkpoint="models/vae-v1.pt",
    )
    rows = [
        {"sku": "DR-1", "category": "Dress", "score": 3.2, "why": "looks_like", "like": "Bag", "reason": ""},
        {"sku": "DR-1", "category": "Dress", "score": 2.1, "why": "unlike", "reason": ""},
    ]
    PhotoCheck.objects.create(model=vae, rows=rows, photos=2, finished_at=timezone.now())


@pytest.mark.parametrize("role", ROLES)
def test_every_page_speaks_chinese_to_each_role(role, world):
    pages_with_their_figures(world)
    person = make_user(f"zh-{role}", role)
    if role == roles.ADMIN:
        person.is_staff = person.is_superuser = True
        person.save()
    client = Client()
    client.force_login(person)
    client.post("/account/language/", {"language": "zh-hans", "next": "/"})
    data = shop_data() | {person.username, "maker", "other-reviewer"}
    pages = [path.format(**world) for name, path in PAGES.items()]
    found = {}
    for path in pages + (admin_pages() if role == roles.ADMIN else []):
        response = client.get(path)
        if response.status_code == 403:
            continue
        assert response.status_code == 200, path
        english = english_runs(response.content.decode(), data)
        if english:
            found[path] = english
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
    # The figures' pages were filled: the check's reasons and the version's rows are there, said in Chinese.
    assert "看起来像 Bag" in client.get("/photos/check/").content.decode()
    assert "覆盖率" in client.get("/recommendations/").content.decode()
