"""A product's similar and complete-the-look candidates, ranked before the rules: one computation for serving live
and for the rows the features worker computes ahead (precompute.py)."""

from collections.abc import Mapping

import numpy as np

from generation.recommendations.snapshot import (
    CatalogView,
    State,
    active_model,
    co_purchased,
    model_on_table,
    product_features,
)


def _seed_vector(view: CatalogView, product_id: int) -> np.ndarray:
    row = view.table.row(product_id)
    if row is not None:
        return view.table.features[row]
    vector = product_features([product_id]).get(product_id)  # a draft or archived product: its own features
    return vector if vector is not None else np.zeros(view.table.features.shape[1], dtype=np.float32)


def similar_ranked(view: CatalogView, product_id: int, category_id: int, attributes: Mapping, n: int) -> list[int]:
    """Active products that look most like the product, in its category first, by tone and surface."""
    seed = view.table.seed(product_id, category_id, attributes or {})
    return view.table.similar(
        _seed_vector(view, product_id),
        n,
        leave_out=product_id,
        category=seed.category,
        tone=seed.tone,
        surface=seed.surface,
    )


def look_ranked(
    state: State, view: CatalogView, product_id: int, category_id: int, attributes: Mapping, n: int
) -> list[int]:
    """Products of the paired categories that go with the product, by tone and season, and by co-purchase."""
    model = active_model(state)
    on_table = model_on_table(state, view, model)
    return view.table.complete_the_look(
        view.table.seed(product_id, category_id, attributes or {}),
        pairings=view.pairings.get(category_id, {}),
        co_purchased=co_purchased(model, product_id),
        k=n,
        popularity=on_table.popularity if on_table else None,
    )
