"""`make bench-copy`: the built-in copywriter on a full demo catalog (--dataset fashion-mnist or fashion-products;
the Makefile runs both), on this machine's CPU.

It trains the copywriter (the catalog's copy and the phrase banks' realisations, BENCH_COPY_MINUTES), then for
every kind x style x language writes VARIANTS variants for each of PRODUCTS random demo products and reports:
the share written of those asked (per language, with why each unwritten one was not written), in the asked
language, passing grounding, within the limit; invented identifiers (target 0); distinct-2 among a product's
variants; facts a text says and its fact coverage (the share of the product's sayable facts whose words the text
holds, read from the text); mistakes of form (target 0); the facts each language has no word for; and style
separability: a logistic regression on character n-grams, trained on half the texts to tell the style and scored
on the other half (target >= 0.9).
Side by side in the same run: the same writing with the copywriter's ranking and without it (the realisations in
the banks' order). A throw-away database; nothing else is touched.
"""

import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import demo_argument, demo_load  # noqa: E402

BUDGET_MINUTES = float(os.environ.get("BENCH_COPY_MINUTES", 3))
PRODUCTS = int(os.environ.get("BENCH_COPY_PRODUCTS", 50))
VARIANTS = 3
EXAMPLES_SHOWN = 10


def style_separability(texts: list[tuple[str, str]], seed: int = 0) -> float:
    """Accuracy of telling the style from the text, on the half of the texts the classifier did not see."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    shuffled = texts[:]
    random.Random(seed).shuffle(shuffled)
    half = len(shuffled) // 2
    train, test = shuffled[:half], shuffled[half:]
    if len({style for style, _ in train}) < 2 or not test:
        return float("nan")
    classifier = make_pipeline(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4)), LogisticRegression(max_iter=2000)
    )
    classifier.fit([t for _, t in train], [s for s, _ in train])
    return classifier.score([t for _, t in test], [s for s, _ in test])


def main() -> None:
    dataset = demo_argument(extra=("shop-fixture",))
    with tempfile.TemporaryDirectory(prefix="retail-bench-copy-") as var_dir:
        os.environ.update(
            RETAIL_STUDIO_VAR_DIR=var_dir, DJANGO_SETTINGS_MODULE="retail_studio.settings",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        )  # fmt: skip
        os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("CELERY_BROKER_URL", "memory://")  # the demo's photos queue work no worker runs here
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        from catalog.models import Category, Product
        from generation.copy.checker import form_problems
        from generation.copy.grounding import identifiers, wrong_language
        from generation.copy.limits import KINDS, kind_limit
        from generation.copy.long_form import facts_said
        from generation.copy.training_loop import CopyTrainConfig, training_loop
        from generation.copy.vocabulary import LANGUAGES
        from generation.copy.writer import distinct_2, write_copy
        from generation.services.copy_grounding import copy_banks, copy_said_in, copy_vocabulary, product_copy_flags
        from generation.services.copy_plans import product_copy_facts, product_plans
        from generation.services.copywriting import copy_corpus, product_variants
        from generation.services.jobs import STYLES

        call_command("migrate", verbosity=0)
        began = time.monotonic()
        demo_load(dataset)
        print(f"{Product.objects.count():,} demo products loaded in {time.monotonic() - began:.0f} s")
        began = time.monotonic()
        examples = copy_corpus(list(Category.objects.all()))
        print(f"{len(examples):,} texts to learn from (catalog copy and bank realisations), "
              f"gathered in {time.monotonic() - began:.0f} s")  # fmt: skip
        result = training_loop(examples=examples, config=CopyTrainConfig(), max_seconds=BUDGET_MINUTES * 60)
        print(f"training: {result.seconds:.0f} s, {result.step:,} steps of 64 texts, loss "
              f"{result.history[-1]['loss'] if result.history else float('nan'):.3f}\n")  # fmt: skip

        banks, vocabulary, said_in = copy_banks(), copy_vocabulary(), copy_said_in()

        def shortfall_reason(product, kind: str, style: str, language: str, taken: set[str]) -> str:
            """Why fewer variants than asked were written: what writing without each check would have given."""
            plans = product_plans(product, kind=kind, said_in=said_in, vocabulary=vocabulary, banks=banks)
            limit = kind_limit(kind, language, settings.COPY_LIMITS)
            alone = write_copy(
                plans=plans, bank=banks[language], kind=kind, style=style, limit=limit, count=VARIANTS, seed=product.pk
            )
            if len(alone) < VARIANTS:
                return f"its facts give fewer than {VARIANTS} distinct texts of this kind"
            beside = write_copy(
                plans=plans,
                bank=banks[language],
                kind=kind,
                style=style,
                limit=limit,
                count=VARIANTS,
                seed=product.pk,
                taken=set(taken),
            )
            if len(beside) < VARIANTS:
                return "the batch's products with the same facts took its texts"
            return "grounding refused its texts"

        products = list(Product.objects.select_related("category").order_by("?")[:PRODUCTS])
        rankers = {"ranked by the copywriter": (result.model, result.tokenizer), "unranked (banks' order)": None}
        for ranker_name, copywriter in rankers.items():
            print(f"== {ranker_name}: {len(products)} products x {VARIANTS} variants per kind, style and language")
            header = (f"{'kind':<17}{'style':<9}{'lang':<5}{'written':>8}{'in lang':>8}{'grounded':>9}"
                      f"{'in limit':>9}{'invented':>9}{'distinct-2':>11}{'facts':>7}{'coverage':>9}{'form':>6}")  # fmt: skip
            print(header)
            by_language: dict[str, list[tuple[str, str]]] = {language: [] for language in LANGUAGES}
            shown: dict[tuple[str, str], list[str]] = {}
            totals = {"asked": 0, "written": 0, "language": 0, "grounded": 0, "limit": 0, "invented": 0, "form": 0}
            singulars = [noun for nouns in banks["en"].data["nouns"].values() for noun in nouns]
            unsaid: dict[str, dict[tuple[str, str], set[int]]] = {language: {} for language in LANGUAGES}
            unwritten: dict[str, dict[str, int]] = {language: {} for language in LANGUAGES}
            asked_in = {language: 0 for language in LANGUAGES}
            written_in = {language: 0 for language in LANGUAGES}
            seconds = 0.0
            for kind in KINDS:
                for style in STYLES:
                    for language in LANGUAGES:
                        taken: set[str] = set()
                        written = in_language = grounded = in_limit = invented = malformed = 0
                        distinct, said, coverage = [], [], []
                        for product in products:
                            before = set(taken)
                            started = time.monotonic()
                            variants = product_variants(
                                product=product, kind=kind, style=style, language=language, count=VARIANTS,
                                seed=product.pk, copywriter=copywriter, banks=banks, vocabulary=vocabulary,
                                taken=taken, said_in=said_in,
                            )  # fmt: skip
                            seconds += time.monotonic() - started
                            texts = [variant.text for variant in variants]
                            asked_in[language] += VARIANTS
                            written_in[language] += len(texts)
                            if len(texts) < VARIANTS:
                                reason = shortfall_reason(product, kind, style, language, before)
                                missing_count = VARIANTS - len(texts)
                                unwritten[language][reason] = unwritten[language].get(reason, 0) + missing_count
                            attributes = product.attributes or {}
                            sayable = [
                                fact
                                for fact in product_copy_facts(
                                    product, kind=kind, said_in=said_in, vocabulary=vocabulary, banks=banks
                                )
                                if fact.language in (None, language)
                            ]
                            for fact in banks[language].unsayable(sayable):
                                unsaid[language].setdefault((fact.field, fact.value), set()).add(product.pk)
                            for variant in variants:
                                # Read from the text: the facts whose words it holds, of all the product holds.
                                found = facts_said(variant.text, sayable, banks[language])
                                said.append(len(found))
                                if sayable:
                                    coverage.append(len(found) / len(sayable))
                            for text in texts:
                                written += 1
                                in_language += not wrong_language(text, language, attributes)
                                grounded += not product_copy_flags(
                                    product=product,
                                    kind=kind,
                                    text=text,
                                    language=language,
                                    vocabulary=vocabulary,
                                    banks=banks,
                                )
                                in_limit += len(text) <= kind_limit(kind, language, settings.COPY_LIMITS)
                                invented += bool(identifiers(text, attributes, vocabulary))
                                malformed += bool(form_problems(text, singulars=singulars))
                                by_language[language].append((style, text))
                                shown.setdefault((language, style), []).append(f"{kind}: {text}")
                            if len(texts) > 1:
                                distinct.append(distinct_2(texts))
                        asked = len(products) * VARIANTS
                        share = lambda n, of: f"{n / of:.1%}" if of else "-"  # noqa: E731
                        print(f"{kind:<17}{style:<9}{language:<5}{share(written, asked):>8}"
                              f"{share(in_language, written):>8}{share(grounded, written):>9}"
                              f"{share(in_limit, written):>9}{invented:>9}"
                              f"{statistics.mean(distinct) if distinct else 0:>11.2f}"
                              f"{statistics.mean(said) if said else 0:>7.1f}"
                              f"{statistics.mean(coverage) if coverage else 0:>9.2f}{malformed:>6}")  # fmt: skip
                        for key, value in (("asked", asked), ("written", written), ("language", in_language),
                                           ("grounded", grounded), ("limit", in_limit), ("invented", invented),
                                           ("form", malformed)):  # fmt: skip
                            totals[key] += value
            written = totals["written"]
            print(f"all: {totals['written'] / totals['asked']:.1%} written of {totals['asked']:,} asked; of those "
                  f"{totals['language'] / written:.1%} in the asked language, {totals['grounded'] / written:.1%} "
                  f"grounded, {totals['limit'] / written:.1%} within the limit, {totals['invented']} with invented "
                  f"identifiers, {totals['form']} with a mistake of form (doubled article, stray punctuation, "
                  f"a/an, agreement); {written / seconds:,.0f} variants per second")  # fmt: skip
            for language in LANGUAGES:
                reasons = "; ".join(
                    f"{count} {reason}"
                    for reason, count in sorted(unwritten[language].items(), key=lambda item: -item[1])
                )
                print(
                    f"{language}: {written_in[language] / asked_in[language]:.1%} of {asked_in[language]:,} asked "
                    f"written; the rest: {reasons or 'none'}"
                )
            for language, missing in unsaid.items():
                worst = sorted(missing.items(), key=lambda item: -len(item[1]))[:10]
                print(f"facts {language} has no word for: {len(missing)}"
                      + (": " + ", ".join(f"{f}={v} ({len(p)} products)" for (f, v), p in worst) if worst else ""))  # fmt: skip
            for language, texts in by_language.items():
                print(f"style separability ({language}, logistic regression on character 1-4-grams, half held out): "
                      f"{style_separability(texts):.3f}")  # fmt: skip
            print()
            if copywriter is not None:
                rng = random.Random(0)
                for (language, style), texts in sorted(shown.items()):
                    print(f"-- {EXAMPLES_SHOWN} texts, {language}, {style}:")
                    for text in rng.sample(texts, min(EXAMPLES_SHOWN, len(texts))):
                        print(f"   {text}")
                print()


if __name__ == "__main__":
    main()
