"""Writes to the merchandisers' rules and to the pairings (theirs, the demo's and the learnt ones): each rule
made or removed is audited in the same transaction, and every web process serves by the new rules and
pairings from its next request."""

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext

from catalog.models import Category, Product
from generation.recommendations.models import CategoryPairing, RecommendationRule, RecommendationRuleChange
from generation.recommendations.snapshot import serving_changed
from generation.recommender.pairings import LearntPairing
from retail_studio.errors import StudioError

# The demo's looks, by the demo categories' group (Fashion-MNIST's `group` attribute; the fashion shop's
# `sub_category`, below): tops with bottoms, footwear and bags, and so on.
DEMO_GROUP_PAIRINGS = {
    "tops": {"bottoms": 1.0, "footwear": 0.8, "bags": 0.6, "outerwear": 0.4, "accessories": 0.3},
    "knitwear": {"bottoms": 1.0, "footwear": 0.8, "bags": 0.6, "outerwear": 0.4},
    "bottoms": {"tops": 1.0, "knitwear": 0.9, "footwear": 0.8, "bags": 0.6, "accessories": 0.3},
    "dresses": {"footwear": 1.0, "bags": 0.8, "outerwear": 0.6, "accessories": 0.5},
    "outerwear": {"bottoms": 1.0, "footwear": 0.8, "bags": 0.6, "knitwear": 0.4},
    "footwear": {"bottoms": 1.0, "tops": 0.8, "dresses": 0.7, "bags": 0.6},
    "bags": {"dresses": 1.0, "tops": 0.8, "footwear": 0.7, "outerwear": 0.5},
    "accessories": {"tops": 1.0, "dresses": 0.9, "bottoms": 0.7},
}
FASHION_SHOP_GROUPS = {
    "Topwear": "tops", "Bottomwear": "bottoms", "Dress": "dresses", "Saree": "dresses", "Shoes": "footwear",
    "Sandal": "footwear", "Flip Flops": "footwear", "Bags": "bags", "Watches": "accessories",
    "Jewellery": "accessories", "Eyewear": "accessories", "Belts": "accessories", "Headwear": "accessories",
}  # fmt: skip


def demo_group(attributes: dict) -> str | None:
    return attributes.get("group") or FASHION_SHOP_GROUPS.get(attributes.get("sub_category", ""))


@transaction.atomic
def recommendation_rule_create(
    *, action: str, product: Product | None = None, category: Category | None = None, placement: str = "all",
    starts_at: datetime | None = None, ends_at: datetime | None = None, user=None,
) -> RecommendationRule:  # fmt: skip
    if (product is None) == (category is None):
        raise StudioError(gettext("A rule is about one product or one category: name exactly one."))
    if action not in RecommendationRule.Action.values:
        raise StudioError(
            gettext("Unknown action “%(action)s”: one of %(choices)s.")
            % {"action": action, "choices": ", ".join(RecommendationRule.Action.values)}
        )
    if placement not in RecommendationRule.Placement.values:
        raise StudioError(
            gettext("Unknown placement “%(placement)s”: one of %(choices)s.")
            % {"placement": placement, "choices": ", ".join(RecommendationRule.Placement.values)}
        )
    if starts_at and ends_at and ends_at <= starts_at:
        raise StudioError(gettext("The rule ends before it starts."))
    rule = RecommendationRule.objects.create(
        action=action, product=product, category=category, placement=placement, starts_at=starts_at,
        ends_at=ends_at, created_by=user,
    )  # fmt: skip
    _audit(rule, RecommendationRuleChange.Change.CREATED, user)
    return rule


@transaction.atomic
def recommendation_rule_remove(*, rule: RecommendationRule, user=None) -> None:
    _audit(rule, RecommendationRuleChange.Change.REMOVED, user)
    rule.delete()


def _audit(rule: RecommendationRule, change: str, user) -> None:
    RecommendationRuleChange.objects.create(
        rule_id=rule.pk, change=change, description=str(rule)[:300], said=rule.said(), acting_user=user
    )
    serving_changed(rules=True)


@transaction.atomic
def category_pairing_set(*, category: Category, goes_with: Category, weight: float = 1.0) -> CategoryPairing:
    """A merchandiser's pairing (one learnt or removed before becomes theirs, served, with its evidence kept)."""
    if category == goes_with:
        raise StudioError(gettext("A category completes the look of other categories, not its own."))
    if not 0 < weight <= 10:
        raise StudioError(gettext("The weight is above 0 and at most 10."))
    pairing, _ = CategoryPairing.objects.update_or_create(
        category=category,
        goes_with=goes_with,
        defaults={"weight": weight, "source": CategoryPairing.Source.MERCHANDISER, "removed": False},
    )
    serving_changed(catalog=True)
    return pairing


@transaction.atomic
def category_pairing_remove(*, pairing: CategoryPairing) -> None:
    """A merchandiser's "no": the pairing stops being served and no learning brings it back."""
    CategoryPairing.objects.filter(pk=pairing.pk).update(removed=True, source=CategoryPairing.Source.MERCHANDISER)
    serving_changed(catalog=True)


@transaction.atomic
def category_pairing_restore(*, pairing: CategoryPairing) -> None:
    """A removal taken back: the pairing is served again, as the merchandiser's."""
    CategoryPairing.objects.filter(pk=pairing.pk).update(removed=False)
    serving_changed(catalog=True)


@transaction.atomic
def pairings_learnt_replace(*, learnt: list[LearntPairing]) -> int:
    """The pairings learnt from baskets take the place of those learnt before, and of the demo's for each
    category that has a learnt one (a category the baskets say nothing of keeps the demo's look); a
    merchandiser's pairings and removals stay as they are. Nothing learnt (no baskets yet) changes nothing.
    Returns how many learnt pairings are stored."""
    if not learnt:
        return 0
    merchandisers = set(
        CategoryPairing.objects.filter(source=CategoryPairing.Source.MERCHANDISER).values_list(
            "category_id", "goes_with_id"
        )
    )
    categories = set(Category.objects.values_list("id", flat=True))
    rows = [
        CategoryPairing(
            category_id=p.category,
            goes_with_id=p.goes_with,
            weight=p.weight,
            source=CategoryPairing.Source.LEARNT,
            lift=p.lift,
            support=p.support,
        )
        for p in learnt
        if (p.category, p.goes_with) not in merchandisers and {p.category, p.goes_with} <= categories
    ]
    CategoryPairing.objects.filter(source=CategoryPairing.Source.LEARNT).delete()
    CategoryPairing.objects.filter(
        source=CategoryPairing.Source.DEMO, category_id__in={row.category_id for row in rows}
    ).delete()
    CategoryPairing.objects.bulk_create(rows)
    serving_changed(catalog=True)
    return len(rows)


def demo_pairings_ensure() -> int:
    """The demo's pairings between categories, by each category's group (from its products' attributes), for the
    categories with no pairing learnt from shoppers' baskets; any pairing already there (a merchandiser's, a
    learnt one) is left as it is. Returns how many were made."""
    learnt = set(
        CategoryPairing.objects.filter(source=CategoryPairing.Source.LEARNT).values_list("category_id", flat=True)
    )
    groups: dict[str, list[Category]] = {}
    for category in Category.objects.all():
        product = Product.objects.filter(category=category).only("attributes").first()
        if product is not None and (group := demo_group(product.attributes or {})):
            groups.setdefault(group, []).append(category)
    made = 0
    for group, others in DEMO_GROUP_PAIRINGS.items():
        for category in groups.get(group, []):
            if category.pk in learnt:  # the baskets have spoken for it
                continue
            for other_group, weight in others.items():
                for other in groups.get(other_group, []):
                    _, created = CategoryPairing.objects.get_or_create(
                        category=category,
                        goes_with=other,
                        defaults={"weight": weight, "source": CategoryPairing.Source.DEMO},
                    )
                    made += created
    if made:
        serving_changed(catalog=True)
    return made
