import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalog.models import Product
from generation.recommendations import serving

KINDS = ("for_you", "similar", "complete_the_look")
MAX_K = 100


class Command(BaseCommand):
    help = (
        "Reads one JSON object per line (id, kind: for_you, similar or complete_the_look, user or sku, k) and prints "
        "one per line: id and products, the recommended SKUs best first, after the rules, as the storefront gets them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--jsonl", type=Path, required=True)

    def handle(self, *args, jsonl, **options):
        try:
            lines = jsonl.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise CommandError(str(exc)) from None
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                asked = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CommandError(f"line {number}: not JSON ({exc})") from None
            self.stdout.write(json.dumps(self._answer(asked), ensure_ascii=False))

    def _answer(self, asked: dict) -> dict:
        out = {"id": asked.get("id"), "products": []}
        kind, k = asked.get("kind"), asked.get("k", 10)
        if kind not in KINDS:
            return out | {"error": f"kind must be one of {', '.join(KINDS)}"}
        if not isinstance(k, int) or not 1 <= k <= MAX_K:
            return out | {"error": f"k must be a whole number from 1 to {MAX_K}"}
        if kind == "for_you":
            if not asked.get("user"):
                return out | {"error": "for_you needs a user"}
            row = serving.for_you(str(asked["user"]), k=k)
        else:
            product = Product.objects.filter(sku=str(asked.get("sku") or "")).first()
            if product is None:
                return out | {"error": f"unknown SKU {asked.get('sku')!r}"}
            row = (serving.similar_items if kind == "similar" else serving.complete_the_look)(product, k=k)
        skus = dict(Product.objects.filter(pk__in=row.products).values_list("id", "sku"))
        return out | {"products": [skus[p] for p in row.products]}
