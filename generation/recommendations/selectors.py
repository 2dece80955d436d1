"""What the Recommendations page reads: the versions with their figures beside the baselines', the catalog's
coverage by image features, the rules and their history, the pairings."""

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from catalog.models import Product
from generation.models import Family, GenerativeModel, TrainingJob
from generation.recommendations.models import (
    CategoryPairing,
    ImageFeature,
    RecommendationRule,
    RecommendationRuleChange,
    ShopperEvent,
)

FIGURES = (("recall_at_10", "recall@10"), ("ndcg_at_10", "NDCG@10"), ("coverage", _("coverage")))
OVERVIEW_SECONDS = 30  # counting a million events takes a moment: the page shows a count this fresh


def recommender_versions(limit: int = 20) -> list[GenerativeModel]:
    """Newest first, each with `figure_rows`: (label, model, popularity, co-occurrence)."""
    versions = list(GenerativeModel.objects.filter(family=Family.RECS).order_by("-created_at")[:limit])
    for version in versions:
        baselines = version.metrics.get("baselines", {})
        version.figure_rows = [
            (label, version.metrics.get(key), baselines.get("popularity", {}).get(key),
             baselines.get("co_occurrence", {}).get(key))
            for key, label in FIGURES
        ]  # fmt: skip
    return versions


def recommender_chart(versions: list[GenerativeModel]) -> list[dict]:
    """Oldest first, recall@10 of each version and of popularity on the same split, scaled to the tallest."""
    points = [
        {"label": f"v{v.version}", "model": v.metrics.get("recall_at_10") or 0.0,
         "popularity": v.metrics.get("baselines", {}).get("popularity", {}).get("recall_at_10") or 0.0,
         "active": v.state == GenerativeModel.State.ACTIVE}
        for v in reversed(versions)
    ]  # fmt: skip
    top = max([p["model"] for p in points] + [p["popularity"] for p in points] + [1e-9])
    for i, p in enumerate(points):
        p["x"] = 40 + i * 60
        p["model_height"], p["popularity_height"] = 150 * p["model"] / top, 150 * p["popularity"] / top
        p["model_y"], p["popularity_y"] = 170 - p["model_height"], 170 - p["popularity_height"]
    return points


def recommender_overview() -> dict:
    overview = cache.get("recommendations:overview")
    if overview is None:
        active = Product.objects.filter(status=Product.Status.ACTIVE)
        with_features = ImageFeature.objects.filter(product__in=active).values("product").distinct().count()
        overview = {
            "events": ShopperEvent.objects.count(),
            "shoppers": ShopperEvent.objects.values("shopper").distinct().count(),
            "active_products": active.count(), "with_features": with_features,
        }  # fmt: skip
        cache.set("recommendations:overview", overview, OVERVIEW_SECONDS)
    overview["last_job"] = TrainingJob.objects.filter(family=Family.RECS).order_by("-id").first()
    return overview


def recommendation_rules() -> list[RecommendationRule]:
    return list(RecommendationRule.objects.select_related("product", "category", "created_by"))


def rule_changes(limit: int = 20) -> list[RecommendationRuleChange]:
    return list(RecommendationRuleChange.objects.select_related("acting_user")[:limit])


def category_pairings() -> list[tuple[str, list[CategoryPairing]]]:
    """Each category with what goes with it (served: not removed), heaviest first."""
    by_category: dict[str, list[CategoryPairing]] = {}
    served = CategoryPairing.objects.filter(removed=False).select_related("category", "goes_with")
    for pairing in served:  # by name, heaviest first
        by_category.setdefault(pairing.category.name, []).append(pairing)
    return list(by_category.items())


def removed_pairings() -> list[CategoryPairing]:
    return list(CategoryPairing.objects.filter(removed=True).select_related("category", "goes_with"))
