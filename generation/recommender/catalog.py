"""What the rows are drawn from: the active products as arrays (ids, categories, the attributes that make a
look) with their image features, and the two content rankings: visual neighbours and complete-the-look."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from generation.recommender.interactions import positions

# How well two tones go together in one outfit: contrast best, two light pieces least.
TONE_FIT = {
    ("dark", "light"): 1.0, ("dark", "mid"): 0.8, ("mid", "light"): 0.8, ("dark", "dark"): 0.6,
    ("mid", "mid"): 0.5, ("light", "light"): 0.4,
}  # fmt: skip
SEASON_MATCH = 0.5
BOTH_PATTERNED = -0.5  # two patterns compete
CO_PURCHASE_WEIGHT = 2.0
# A shopper looking at a T-shirt means other T-shirts by "similar": a bag of much the same outline is less so.
SAME_CATEGORY = 0.1
SAME_LOOK = 0.03  # bought together by shoppers outweighs attribute fit
TONES, SEASONS, SURFACES = (
    ("", "dark", "mid", "light"),
    ("", "cold weather", "warm weather"),
    ("", "plain", "patterned"),
)
# Whom a product is for (the `gender` attribute): a look is for one person, so a men's shirt's look has no
# women's jeans; unisex (and unsaid) goes with anyone.
AUDIENCES = ("", "unisex", "men", "women", "boys", "girls")
ANYONE = (0, AUDIENCES.index("unisex"))


def _codes(values: Sequence[str], known: tuple[str, ...]) -> np.ndarray:
    index = {v: i for i, v in enumerate(known)}
    return np.array([index.get((v or "").lower(), 0) for v in values], dtype=np.int8)


def _fit_table() -> np.ndarray:
    table = np.zeros((len(TONES), len(TONES)), dtype=np.float32)
    for (a, b), fit in TONE_FIT.items():
        table[TONES.index(a), TONES.index(b)] = table[TONES.index(b), TONES.index(a)] = fit
    return table


_TONE_TABLE = _fit_table()


@dataclass(frozen=True)
class Seed:
    product: int
    category: int
    tone: int
    season: int
    surface: int
    audience: int = 0


def _rows_by(codes: np.ndarray) -> dict[int, np.ndarray]:
    """The rows holding each value, sorted: what a request picks from without scanning every row."""
    order = np.argsort(codes, kind="stable")
    values, starts = np.unique(codes[order], return_index=True)
    return {int(v): rows for v, rows in zip(values, np.split(order, starts[1:]), strict=True)} if len(codes) else {}


@dataclass
class ItemTable:
    """The active products, one row each, sorted by id; `features` (N, D) unit rows, zeros where a product has
    no image features yet. Built once per catalog state, then read by many requests: what they would each
    compute over every row (which rows have features, the rows of a category or tone) is computed here."""

    ids: np.ndarray
    categories: np.ndarray
    tones: np.ndarray
    seasons: np.ndarray
    surfaces: np.ndarray
    features: np.ndarray
    audiences: np.ndarray | None = None  # None: all unsaid

    def __post_init__(self) -> None:
        self.featureless = np.flatnonzero(~self.features.any(axis=1))
        self.category_rows = _rows_by(self.categories)
        self.tone_rows, self.surface_rows = _rows_by(self.tones), _rows_by(self.surfaces)

    def with_features(self, rows: np.ndarray, vectors: np.ndarray) -> "ItemTable":
        """The same table with new features for some rows (new photos' features arrived)."""
        features = self.features.copy()
        features[rows] = vectors
        return ItemTable(self.ids, self.categories, self.tones, self.seasons, self.surfaces, features, self.audiences)

    @classmethod
    def build(cls, ids, categories, attributes: Sequence[Mapping], features: np.ndarray) -> "ItemTable":
        order = np.argsort(np.asarray(ids, dtype=np.int64), kind="stable")
        attributes = [attributes[i] for i in order]
        return cls(
            ids=np.asarray(ids, dtype=np.int64)[order], categories=np.asarray(categories, dtype=np.int64)[order],
            tones=_codes([a.get("tone", "") for a in attributes], TONES),
            seasons=_codes([a.get("season", "") for a in attributes], SEASONS),
            surfaces=_codes([a.get("surface", "") for a in attributes], SURFACES),
            features=np.asarray(features, dtype=np.float32)[order],
            audiences=_codes([a.get("gender", "") for a in attributes], AUDIENCES),
        )  # fmt: skip

    def __len__(self) -> int:
        return len(self.ids)

    def row(self, product: int) -> int | None:
        position = int(positions(self.ids, [product])[0])
        return position if position >= 0 else None

    def rows(self, products: np.ndarray) -> np.ndarray:
        """Each product's row, or -1 for one not here (inactive or unknown)."""
        return positions(self.ids, products)

    def category_of(self) -> dict[int, int]:
        return dict(zip(self.ids.tolist(), self.categories.tolist(), strict=True))

    def similar(
        self, vector: np.ndarray, k: int, *, leave_out: int | None = None, category: int | None = None,
        tone: int = 0, surface: int = 0,
    ) -> list[int]:  # fmt: skip
        """The k products that look most like `vector` (a unit feature; `leave_out` is the product it is of, and
        products of its `category` come first among near equals), best first. Exact cosine over the unit
        features: at catalog sizes of 10^5 one matrix-vector product takes a millisecond or two, below what
        building an approximate index would save."""
        if not len(self.ids) or not vector.any():
            return []
        scores = self.features @ vector.astype(np.float32)
        none = np.empty(0, dtype=np.int64)
        if category is not None:
            scores[self.category_rows.get(category, none)] += SAME_CATEGORY
        # The encoder knows shapes better than shades: the tone and surface measured on the photo say the rest.
        if tone:
            scores[self.tone_rows.get(tone, none)] += SAME_LOOK
        if surface:
            scores[self.surface_rows.get(surface, none)] += SAME_LOOK
        scores[self.featureless] = -np.inf
        if leave_out is not None and (row := self.row(leave_out)) is not None:
            scores[row] = -np.inf
        k = min(k, int(np.isfinite(scores).sum()))
        if k <= 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        return [int(self.ids[i]) for i in top[np.argsort(-scores[top], kind="stable")]]

    def seed(self, product: int, category: int, attributes: Mapping) -> "Seed":
        """What complete-the-look needs of the product in view, which may be a draft (not in this table)."""
        return Seed(
            product, category, _codes([attributes.get("tone", "")], TONES)[0],
            _codes([attributes.get("season", "")], SEASONS)[0], _codes([attributes.get("surface", "")], SURFACES)[0],
            _codes([attributes.get("gender", "")], AUDIENCES)[0],
        )  # fmt: skip

    def look_scores(self, seed: "Seed", rows: np.ndarray) -> np.ndarray:
        """How well each of `rows` goes with the product in view, by tone, season and surface."""
        score = _TONE_TABLE[seed.tone, self.tones[rows]].copy()
        seasons = self.seasons[rows]
        if seed.season:
            score += np.where(seasons == seed.season, SEASON_MATCH, 0.0)
        if seed.surface == SURFACES.index("patterned"):
            score += np.where(self.surfaces[rows] == SURFACES.index("patterned"), BOTH_PATTERNED, 0.0)
        return score

    def complete_the_look(
        self, seed: "Seed", *, pairings: Mapping[int, float], co_purchased: Mapping[int, float], k: int,
        popularity: np.ndarray | None = None,
    ) -> list[int]:  # fmt: skip
        """Products of the categories paired with this one's (`pairings`: category id -> weight), ranked by
        how well they go with it and how often shoppers bought them together (`co_purchased`: product id ->
        share), taking the paired categories in turn so the row is a look, not one category."""
        if not pairings:
            return []
        # The products bought together, as rows, once (not once per category and product).
        bought = np.array(list(co_purchased), dtype=np.int64)
        bought_rows, bought_shares = self.rows(bought), np.array(list(co_purchased.values()), dtype=np.float32)
        per_category: list[list[int]] = []
        for category, weight in sorted(pairings.items(), key=lambda kv: -kv[1]):
            rows = self.category_rows.get(category)
            if rows is not None and seed.season:  # a cold-weather piece with a warm-weather one is never a look
                rows = rows[np.isin(self.seasons[rows], (0, seed.season))]
            if rows is not None and seed.audience not in ANYONE and self.audiences is not None:
                rows = rows[np.isin(self.audiences[rows], (*ANYONE, seed.audience))]
            if rows is None or not len(rows):
                continue
            score = weight * self.look_scores(seed, rows)
            at = positions(rows, bought_rows) if len(bought_rows) else bought_rows
            found = at >= 0
            np.add.at(score, at[found], CO_PURCHASE_WEIGHT * bought_shares[found])
            if popularity is not None:
                score += 0.1 * popularity[rows]
            # Many products share a tone and a season: among equals, a spread that differs for each product
            # in view (fixed, not random), rather than the same few everywhere.
            score += ((self.ids[rows] * 2654435761 + seed.product * 40503) % 1000) * 1e-5
            take = min(k, len(rows))
            top = np.argpartition(-score, take - 1)[:take]
            per_category.append([int(self.ids[rows[i]]) for i in top[np.argsort(-score[top], kind="stable")]])
        # The paired categories in turn, k in all: the heaviest category's best, the next one's, and so on.
        ranked = []
        for position in range(k):
            ranked.extend(c[position] for c in per_category if position < len(c))
        return ranked[:k]
