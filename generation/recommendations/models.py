from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalog.models import Category, Product, ProductImage
from generation.models.base import AppendOnlyModel
from generation.models.registry import FeatureExtractor
from generation.recommender import rules


class ShopperEvent(models.Model):
    """One thing a shopper did with a product: the shop's own opaque shopper id, the product, what, when. Kept
    compact (a small integer for the kind, the product by id): a million rows is normal use."""

    class Kind(models.IntegerChoices):
        VIEW = 1, "view"
        CART = 2, "cart"
        PURCHASE = 3, "purchase"

    shopper = models.CharField(max_length=64, db_index=True)
    # Whose shopper: a storefront's shopper ids are its own (none: sent by staff or imported for the studio).
    storefront = models.ForeignKey(
        "generation.StorefrontKey", null=True, blank=True, on_delete=models.CASCADE, related_name="events",
        db_index=False,
    )  # fmt: skip
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="events", db_index=False)
    kind = models.PositiveSmallIntegerField(choices=Kind.choices)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["product", "at"]), models.Index(fields=["at"])]


def shopper_key(storefront_id: int | None, shopper: str) -> str:
    """A shopper as the recommender knows them: the same id sent by two storefronts is two people."""
    return f"{storefront_id}\x1f{shopper}" if storefront_id else shopper  # a separator no id holds


class ImageFeature(models.Model):
    """One product image's features under the frozen visual encoder (generation/recommender/visual.py), as
    float32 bytes: what "similar items" are ranked by, from the moment a photo arrives."""

    image = models.OneToOneField(ProductImage, on_delete=models.CASCADE, related_name="visual_feature")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="image_features")
    # Retiring the encoder (its photos changed) removes its features: they are computed again.
    encoder = models.ForeignKey(FeatureExtractor, on_delete=models.CASCADE, related_name="image_features")
    vector = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)


class CategoryPairing(models.Model):
    """ "Goes with": products of `goes_with` complete the look of products of `category`. A merchandiser's, the
    demo's (by its groups), or learnt from shoppers' baskets with its evidence. A merchandiser's word stands: a
    pairing they made is never replaced by a learnt one, and one they removed stays (`removed`), unserved, so
    that no learning brings it back."""

    class Source(models.TextChoices):
        MERCHANDISER = "merchandiser", _("merchandiser")
        DEMO = "demo", _("demo")
        LEARNT = "learnt", _("learnt")

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="pairings")
    goes_with = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="paired_from")
    weight = models.FloatField(default=1.0, help_text=_("higher ranks this category's products earlier in the look"))
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.MERCHANDISER)
    removed = models.BooleanField(default=False)
    lift = models.FloatField(null=True, blank=True, help_text=_("learnt: how many times chance the two share a basket"))
    support = models.PositiveIntegerField(null=True, blank=True, help_text=_("learnt: the baskets holding both"))

    class Meta:
        ordering = ["category__name", "-weight"]
        constraints = [
            models.UniqueConstraint(fields=["category", "goes_with"], name="category_pairing_once"),
            models.CheckConstraint(condition=~Q(category=models.F("goes_with")), name="category_pairing_other"),
        ]

    def __str__(self) -> str:
        return gettext("%(category)s goes with %(other)s") % {"category": self.category, "other": self.goes_with}


class RecommendationRule(models.Model):
    """A merchandiser's decision about a row: pin, boost, bury or exclude a product or a whole category, in
    one placement or all, optionally between two dates. Applied by generation/recommender/rules.py."""

    class Action(models.TextChoices):
        PIN = rules.PIN, _("Pin")
        BOOST = rules.BOOST, _("Boost")
        BURY = rules.BURY, _("Bury")
        EXCLUDE = rules.EXCLUDE, _("Exclude")

    class Placement(models.TextChoices):
        ALL = rules.ALL, _("all placements")
        SIMILAR = rules.SIMILAR, _("similar items")
        COMPLETE_THE_LOOK = rules.COMPLETE_THE_LOOK, _("complete the look")
        FOR_YOU = rules.FOR_YOU, _("for you")

    action = models.CharField(max_length=8, choices=Action.choices)
    product = models.ForeignKey(Product, null=True, blank=True, on_delete=models.CASCADE, related_name="rules")
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.CASCADE, related_name="rules")
    placement = models.CharField(max_length=20, choices=Placement.choices, default=Placement.ALL)
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(product__isnull=False, category__isnull=True) | Q(product__isnull=True, category__isnull=False),
                name="recommendation_rule_one_target",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return rule_described(self.said())

    def said(self) -> dict:
        """What the rule says, as its history keeps it after the rule is gone."""
        return {
            "action": self.action,
            "placement": self.placement,
            "sku": self.product.sku if self.product_id else None,
            "category": None if self.product_id else self.category.name,
            "starts_at": f"{self.starts_at:%Y-%m-%d %H:%M}" if self.starts_at else None,
            "ends_at": f"{self.ends_at:%Y-%m-%d %H:%M}" if self.ends_at else None,
        }


def rule_described(said: dict) -> str:
    """A rule in a sentence, in the language in use: "Pin product DR-1 in all placements until 2026-12-24 18:00"."""
    words = {
        "action": RecommendationRule.Action(said["action"]).label,
        "placement": RecommendationRule.Placement(said["placement"]).label,
        "sku": said["sku"],
        "category": said["category"],
    }
    if said["sku"]:
        text = gettext("%(action)s product %(sku)s in %(placement)s") % words
    else:
        text = gettext("%(action)s category %(category)s in %(placement)s") % words
    if said["starts_at"]:
        text += gettext(" from %(when)s") % {"when": said["starts_at"]}
    if said["ends_at"]:
        text += gettext(" until %(when)s") % {"when": said["ends_at"]}
    return text


class RecommendationRuleChange(AppendOnlyModel):
    """Who made or removed a rule, when, and what it said: kept after the rule itself is gone."""

    class Change(models.TextChoices):
        CREATED = "created", _("created")
        REMOVED = "removed", _("removed")

    rule_id = models.PositiveIntegerField()
    change = models.CharField(max_length=8, choices=Change.choices)
    description = models.CharField(max_length=300)  # in the language of whoever changed it
    said = models.JSONField(default=dict, blank=True)  # RecommendationRule.said(): read again in the reader's language
    acting_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return gettext("%(change)s: %(rule)s") % {"change": self.get_change_display(), "rule": self.described}

    @property
    def described(self) -> str:
        return rule_described(self.said) if self.said else self.description


class ServingState(models.Model):
    """One row of tokens that the serving caches are keyed by, made anew when rules or the catalog's products
    and features change: every web process sees a change at its next request, with one small read."""

    rules = models.PositiveBigIntegerField(default=0)
    features = models.PositiveBigIntegerField(default=0)  # new image features only: what is served is patched
    catalog = models.PositiveBigIntegerField(default=0)


class ProductRow(models.Model):
    """A product's similar or complete-the-look candidates, ranked before the rules, as the features worker
    computed them under the serving state `built_under` names: a request under that state is a lookup plus the
    rules; under any other it is computed live (and the worker asked to compute them all anew)."""

    product = models.ForeignKey("catalog.Product", on_delete=models.CASCADE, related_name="+")
    placement = models.CharField(max_length=20)
    ranked = models.JSONField(default=list)
    built_under = models.CharField(max_length=100)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["product", "placement"], name="one_row_per_product_placement")]
