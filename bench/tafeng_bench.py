"""`make bench-recs`, real shoppers: the Ta-Feng supermarket's 817,741 purchase lines (../shared/data/ta-feng/),
by the recommender's engine alone (no Django). A time split as a shop lives it: everything before 2001-02-01 is
the past; the score is each shopper's first-time purchases after it (products they had never bought).

1. The model chosen as a training chooses it: candidates measured on the past's own newest tenth, the winner
   fitted on the whole past.
2. The chosen model, popularity and item co-occurrence fitted on the same past and scored on the same shoppers
   after the cut-off (target: the chosen model at least 1.2x item co-occurrence).
3. Category pairings learnt from the baskets (a shopper's lines of one day), by the product subclass, with their
   lift and support.
"""

import csv
import io
import sys
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generation.recommender.evaluation import evaluate, held_out_shoppers  # noqa: E402
from generation.recommender.interactions import PURCHASE, Interactions  # noqa: E402
from generation.recommender.learners import model_fit  # noqa: E402
from generation.recommender.pairings import pairings_learn  # noqa: E402
from generation.recommender.selection import (  # noqa: E402
    CO_OCCURRENCE_BASELINE,
    HELD_OUT,
    POPULARITY_BASELINE,
    model_select,
)

DATA = (
    Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "ta-feng" / "ta_feng_all_months_merged.csv.zip"
)
CUT_OFF = datetime(2001, 2, 1, tzinfo=UTC)


def ta_feng() -> tuple[Interactions, np.ndarray]:
    """Every purchase line as a purchase event at its day, and each product's subclass as its category."""
    with zipfile.ZipFile(DATA) as archive, archive.open(archive.namelist()[0]) as raw:
        rows = csv.reader(io.TextIOWrapper(raw, encoding="utf-8-sig"))
        next(rows)
        shoppers, products, times, subclass_of, days = [], [], [], {}, {}
        for day, customer, _age, _area, subclass, product, *_ in rows:
            if day not in days:
                month, date, year = map(int, day.split("/"))
                days[day] = int(datetime(year, month, date, tzinfo=UTC).timestamp())
            shoppers.append(customer)
            products.append(int(product))
            times.append(days[day])
            subclass_of[int(product)] = int(subclass)
    item_ids = np.array(sorted(subclass_of), dtype=np.int64)
    data = Interactions.build(shoppers, products, np.full(len(products), PURCHASE), times, item_ids)
    return data, np.array([subclass_of[int(i)] for i in item_ids], dtype=np.int64)


def scored(model, train: Interactions, test: Interactions, shoppers: np.ndarray) -> dict:
    return evaluate(
        lambda rows, history: model.scores_of_its_shoppers(rows, history, None),
        train,
        test,
        shoppers=shoppers,
    )


def main() -> None:
    began = time.perf_counter()
    data, subclasses = ta_feng()
    print(
        f"Ta-Feng: {len(data):,} purchase lines of {len(data.user_ids):,} shoppers over {len(data.item_ids):,} "
        f"products, read in {time.perf_counter() - began:.1f} s"
    )
    cut = int(CUT_OFF.timestamp())
    past, after = data.select(data.times < cut), data.select(data.times >= cut)
    print(f"before {CUT_OFF:%Y-%m-%d}: {len(past):,} lines; after: {len(after):,}")

    began = time.perf_counter()
    selection = model_select(*past.split_by_time(HELD_OUT), item_categories=subclasses, budget_seconds=600)
    print(f"\n1. candidates on the past's newest tenth ({time.perf_counter() - began:.0f} s):")
    print(f"  {'candidate':<80}{'recall@10':>10}{'NDCG@10':>10}{'coverage':>10}")
    for trial in selection.trials:
        f = trial.figures
        print(f"  {trial.candidate.label:<80}{f['recall_at_10']:>10.4f}{f['ndcg_at_10']:>10.4f}{f['coverage']:>10.2%}")
    chosen = selection.best.candidate
    print(f"  chosen: {chosen.label}")

    shoppers = held_out_shoppers(past, after, limit=5000)
    print(f"\n2. first-time purchases after the cut-off, {len(shoppers):,} shoppers:")
    figures = {}
    for label, candidate in (
        ("chosen", chosen),
        ("popularity", POPULARITY_BASELINE),
        ("co-occurrence", CO_OCCURRENCE_BASELINE),
    ):
        model = model_fit(past, candidate, item_categories=subclasses)
        figures[label] = f = scored(model, past, after, shoppers)
        print(
            f"  {label:<16} recall@10 {f['recall_at_10']:.4f}  NDCG@10 {f['ndcg_at_10']:.4f}  "
            f"coverage {f['coverage']:.2%}"
        )
    ratio = figures["chosen"]["recall_at_10"] / figures["co-occurrence"]["recall_at_10"]
    print(
        f"  chosen / co-occurrence: {ratio:.2f}x (target at least 1.2x); "
        f"/ popularity: {figures['chosen']['recall_at_10'] / figures['popularity']['recall_at_10']:.2f}x"
    )

    learnt = pairings_learn(past, subclasses)
    categories = len({p.category for p in learnt})
    print(
        f"\n3. {len(learnt):,} subclass pairings learnt from the past's baskets, for {categories:,} of "
        f"{len(np.unique(subclasses)):,} subclasses; the strongest by baskets together:"
    )
    for pairing in sorted(learnt, key=lambda p: -p.support)[:10]:
        print(
            f"  subclass {pairing.category} -> {pairing.goes_with}: lift {pairing.lift:.2f}, {pairing.support:,} baskets"
        )


if __name__ == "__main__":
    main()
