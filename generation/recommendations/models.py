from django.db import models

from catalog.models import Product


class ShopperEvent(models.Model):
    """One thing a shopper did with a product: the shop's own opaque shopper id, the product, what, when. Kept
    compact (a small integer for the kind, the product by id): a million rows is normal use."""

    class Kind(models.IntegerChoices):
        VIEW = 1, "view"
        CART = 2, "cart"
        PURCHASE = 3, "purchase"

    shopper = models.CharField(max_length=64, db_index=True)
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="events", db_index=False)
    kind = models.PositiveSmallIntegerField(choices=Kind.choices)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["product", "at"]), models.Index(fields=["at"])]
