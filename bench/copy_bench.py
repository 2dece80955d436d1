"""`make bench-copy`: the built-in copywriter on the full demo catalog, on this machine's CPU.

How long it trains until it is usable (at least USABLE_PASS_RATE of the titles it writes for real products
pass grounding; the share of distinct titles is shown beside it, and is low by nature on the demo catalog,
whose honest titles can only combine a tone, a surface and a category), then how many variants per second it
writes and what share of them pass grounding. A throw-away database; nothing else is touched.
"""

import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BUDGET_MINUTES = float(os.environ.get("BENCH_COPY_MINUTES", 6))
MEASURE_EVERY_SECONDS = 30
USABLE_PASS_RATE = 0.9
WRITE_PRODUCTS, VARIANTS = 200, 3


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="retail-bench-copy-") as var_dir:
        os.environ.update(
            RETAIL_STUDIO_VAR_DIR=var_dir, DJANGO_SETTINGS_MODULE="retail_studio.settings",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        )  # fmt: skip
        os.environ.pop("DATABASE_URL", None)
        import django

        django.setup()
        from django.core.management import call_command

        from catalog.models import Category, Product
        from generation.copy.sampling import write_variants
        from generation.copy.training_loop import CopyTrainConfig, training_loop
        from generation.services.copy_grounding import copy_vocabulary, product_copy_flags
        from generation.services.copywriting import copy_corpus, copy_measure, product_controls

        call_command("migrate", verbosity=0)
        call_command("load_demo_catalog", verbosity=0)
        categories = list(Category.objects.all())
        examples = copy_corpus(categories)
        print(f"{Product.objects.count():,} demo products, {len(examples):,} titles and descriptions to learn from")

        checks: list[tuple[float, dict]] = []
        measuring = [0.0]
        started = time.monotonic()

        def measure(model, tokenizer) -> None:
            began = time.monotonic()
            trained = began - started - measuring[0]  # the measuring is not training time
            figures = copy_measure(model, tokenizer, categories, per_category=10)
            measuring[0] += time.monotonic() - began
            checks.append((trained, figures))
            print(f"  after {trained:5.0f} s of training: {figures['grounding_pass_rate']:.0%} of titles grounded, "
                  f"{figures['distinct_share']:.0%} distinct")  # fmt: skip

        def usable() -> bool:
            return bool(checks) and checks[-1][1]["grounding_pass_rate"] >= USABLE_PASS_RATE

        result = training_loop(
            examples=examples, config=CopyTrainConfig(), max_seconds=BUDGET_MINUTES * 60, sample_fn=measure,
            sample_every_seconds=MEASURE_EVERY_SECONDS, abort_fn=usable,
        )  # fmt: skip
        trained_seconds = result.seconds - measuring[0]
        verdict = "usable" if usable() else f"not usable within {BUDGET_MINUTES:g} min"
        print(f"\ntraining: {trained_seconds:.0f} s ({result.step:,} steps of 64 texts, loss "
              f"{result.history[-1]['loss'] if result.history else float('nan'):.3f}), {verdict}")  # fmt: skip

        vocabulary = copy_vocabulary()
        products = list(Product.objects.select_related("category").order_by("?")[:WRITE_PRODUCTS])
        began, texts, passed = time.monotonic(), 0, 0
        for product in products:
            controls = product_controls(product, kind="title", style="plain", language="en")
            for text in write_variants(result.model, result.tokenizer, controls, count=VARIANTS, seed=product.pk):
                passed += not product_copy_flags(product=product, kind="title", text=text, vocabulary=vocabulary)
                texts += 1
        seconds = time.monotonic() - began
        print(f"writing: {texts / seconds:,.1f} title variants per second ({texts} for {len(products)} products, "
              f"{VARIANTS} each, in {seconds:.1f} s)")  # fmt: skip
        print(f"grounding: {passed / texts:.1%} of the variants pass ({passed} of {texts})")
        sample = products[0]
        print(f"\nfor example, {sample.sku} ({sample.title}):")
        for text in write_variants(result.model, result.tokenizer, product_controls(
                sample, kind="title", style="plain", language="en"), count=3, seed=1):  # fmt: skip
            print(f"  {text}")


if __name__ == "__main__":
    main()
