"""A synthetic catalogue with the structure of a real one, for the recommender benchmarks at any size.

Uniformly random items and outfits have nothing for co-occurrence, LightGCN or an inverted-file index to
find: the exact top-10 is then items no better than random whose scores differ in the second decimal, and
recall against it means nothing (docs/recommender.md, "A million items"). Real catalogues are made of
styles: a brand mostly sells one style to one audience, a style prefers some subcategories and colours, an
outfit combines items of one style across big classes, a few items are worn in many outfits and most in
none. This generator draws every item and outfit from such latent styles, vectorised (seconds at
1,000,000 items), so co-occurrence, clusters, names and LightGCN's vectors carry that structure.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from model.recommender.attributes import make_cluster_key
from model.recommender.data import Catalogue, TrainingSet
from model.recommender.features import AUDIENCE

BIG = {"top": ["tee_short", "shirt", "knit", "hoodie", "sweatshirt", "polo"],
       "outerwear": ["blazer", "coat", "padding", "cardigan", "blouson"],
       "bottom": ["denim_pants", "slacks", "cotton_pants", "shorts", "skirt"],
       "shoes": ["sneakers", "boots", "dress_shoes"], "bag": ["backpack", "crossbody"],
       "headwear": ["cap", "beanie"]}
CLASS_SHARE = {"top": 0.30, "outerwear": 0.15, "bottom": 0.22, "shoes": 0.15, "bag": 0.10, "headwear": 0.08}
# Every outfit has a top and a bottom; the other classes join with these probabilities.
OUTFIT_SHARE = {"top": 1.0, "bottom": 1.0, "shoes": 0.7, "outerwear": 0.4, "bag": 0.3, "headwear": 0.2}
COLOURS = ["black", "white", "ivory", "grey", "beige", "brown", "khaki", "navy", "blue", "red", "pink"]
STYLE_WORDS = ["minimal", "street", "formal", "casual", "sporty", "vintage", "romantic", "workwear",
               "preppy", "outdoor", "grunge", "classic", "bohemian", "techwear", "military", "resort",
               "dandy", "amekaji", "gorpcore", "cityboy", "feminine", "retro", "athleisure", "punk",
               "western"]
MOODS = ["soft", "bold", "urban", "clean", "loose", "slim", "washed", "raw"]
GENDERS = ("female", "male", "unisex")  # a style's audience
FABRICS = 7
SEASONS = 8
ITEMS_PER_STYLE = 5_000  # 200 styles at 1,000,000 items, 20 at 100,000
ITEMS_PER_BRAND = 300
BRAND_LOYALTY = 0.85  # share of a brand's items in its own style
OUTFIT_LOYALTY = 0.9  # share of an outfit's items from the outfit's style (the rest: any style)
APPEAL_SIGMA = 1.5  # log-normal appeal within a (style, class) pool: a few items in many outfits
Sampler = Callable[[np.ndarray, np.random.Generator], np.ndarray]


def _draw(cumulative: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Per row of a [n, k] cumulative distribution, a category drawn from it."""
    u = rng.random(len(cumulative)) * cumulative[:, -1]
    return np.minimum((u[:, None] >= cumulative).sum(axis=1), cumulative.shape[1] - 1)


def _zipf_weights(n: int, exponent: float, rng: np.random.Generator) -> np.ndarray:
    """Long-tailed weights 1 / rank^exponent over n things in a random order."""
    return rng.permutation(1.0 / np.arange(1, n + 1) ** exponent)


def _pooled_sampler(pool: np.ndarray, weight: np.ndarray, n_pools: int) -> tuple[Sampler, np.ndarray]:
    """A function drawing, for each requested pool number, one member with probability ∝ weight, and which
    pools have members.

    Every pool occupies [p, p + 1) of one cumulative axis, so one searchsorted draws for all pools at once.
    """
    order = np.lexsort((np.arange(len(pool)), pool))
    sorted_pool, sorted_weight = pool[order], weight[order]
    totals = np.bincount(sorted_pool, weights=sorted_weight, minlength=n_pools)
    starts = np.concatenate([[0.0], np.cumsum(totals)[:-1]])
    axis = sorted_pool + (np.cumsum(sorted_weight) - starts[sorted_pool]) / np.maximum(totals[sorted_pool],
                                                                                        1e-300)

    def draw(pools: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        at = np.searchsorted(axis, pools + rng.random(len(pools)) * (1 - 1e-9), side="right")
        return order[np.minimum(at, len(order) - 1)]

    return draw, totals > 0


def synthetic_catalogue(n_items: int, n_outfits: int, seed: int = 0) -> TrainingSet:
    """`n_items` items of latent styles and `n_outfits` outfits, each from one style (see the module)."""
    rng = np.random.default_rng(seed)
    classes = list(BIG)
    n_styles = max(8, min(len(STYLE_WORDS) * len(MOODS), n_items // ITEMS_PER_STYLE))
    style_gender = rng.integers(len(GENDERS), size=n_styles)
    # per style: how much it likes each subcategory of each class, and each colour
    n_subs = max(len(subs) for subs in BIG.values())
    sub_like = rng.dirichlet(np.full(n_subs, 0.5), size=(n_styles, len(classes)))
    sub_like *= np.array([[j < len(BIG[c]) for j in range(n_subs)] for c in classes])[None]
    sub_cumulative = np.cumsum(sub_like, axis=2)
    colour_cumulative = np.cumsum(rng.dirichlet(np.full(len(COLOURS), 0.3), size=n_styles), axis=1)

    n_brands = max(4, n_items // ITEMS_PER_BRAND)
    brand_style = rng.integers(n_styles, size=n_brands)
    brand = rng.choice(n_brands, size=n_items, p=_normalised(_zipf_weights(n_brands, 1.0, rng)))
    style = np.where(rng.random(n_items) < BRAND_LOYALTY, brand_style[brand],
                     rng.integers(n_styles, size=n_items))
    big = rng.choice(len(classes), size=n_items, p=[CLASS_SHARE[c] for c in classes])
    sub = _draw(sub_cumulative[style, big], rng)
    colour = _draw(colour_cumulative[style], rng)
    fabric = (style + rng.integers(3, size=n_items)) % FABRICS
    season = rng.integers(SEASONS, size=n_items)
    gender = style_gender[style]
    catalogue = _catalogue(classes, style, brand, big, sub, colour, fabric, season, gender)

    # outfits: a style (long-tailed), a top and a bottom, other classes by OUTFIT_SHARE; items by appeal
    appeal = rng.lognormal(0.0, APPEAL_SIGMA, size=n_items)
    draw, nonempty = _pooled_sampler(style * len(classes) + big, appeal, n_styles * len(classes))
    outfit_style = rng.choice(n_styles, size=n_outfits, p=_normalised(_zipf_weights(n_styles, 0.7, rng)))
    wears = np.stack([rng.random(n_outfits) < OUTFIT_SHARE[c] for c in classes], axis=1)
    outfit, slot_class = np.nonzero(wears)
    slot_style = np.where(rng.random(len(outfit)) < OUTFIT_LOYALTY, outfit_style[outfit],
                          rng.integers(n_styles, size=len(outfit)))
    pools = slot_style * len(classes) + slot_class
    keep = nonempty[pools]
    items = draw(pools[keep], rng)
    bounds = np.cumsum(np.bincount(outfit[keep], minlength=n_outfits))[:-1]
    outfits = [o for o in np.split(items, bounds) if len(o) >= 2]
    return TrainingSet(catalogue, [o.tolist() for o in outfits])


def _normalised(weights: np.ndarray) -> np.ndarray:
    return weights / weights.sum()


def _style_name(style: int) -> str:
    """Two words, a mood and a style word ('washed street'): styles sharing a word share n-grams."""
    return f"{MOODS[style // len(STYLE_WORDS) % len(MOODS)]} {STYLE_WORDS[style % len(STYLE_WORDS)]}"


def _catalogue(classes: list[str], style: np.ndarray, brand: np.ndarray, big: np.ndarray, sub: np.ndarray,
               colour: np.ndarray, fabric: np.ndarray, season: np.ndarray, gender: np.ndarray) -> Catalogue:
    """The Catalogue of the drawn attributes: names carry the style's words (content similarity sees them),
    the audience fields gender, line and collection (season) as Mango has them."""
    n = len(style)
    sub_names = [sub for c in classes for sub in BIG[c]]
    sub_code = np.array([sum(len(BIG[c]) for c in classes[:i]) for i in range(len(classes))])[big] + sub
    style_names = [_style_name(s) for s in range(int(style.max()) + 1)]
    cluster_names = [make_cluster_key(None, s, c) for s in sub_names for c in COLOURS]
    cluster_of = sub_code * len(COLOURS) + colour
    used, cluster = np.unique(cluster_of, return_inverse=True)
    type_of = sub_code * FABRICS + fabric
    _, garment_type = np.unique(type_of, return_inverse=True)
    sub_list = [sub_names[i] for i in sub_code.tolist()]
    colour_list = [COLOURS[i] for i in colour.tolist()]
    genders = [GENDERS[g] for g in gender.tolist()]
    audience = np.full((n, len(AUDIENCE)), -1, dtype=np.int64)
    audience[:, AUDIENCE.index("gender")] = np.where(gender < 2, gender, -1)  # unisex is neutral
    audience[:, AUDIENCE.index("line")] = gender
    audience[:, AUDIENCE.index("collection")] = season
    names = [f"{style_names[s]} {c} {sb} {i % 997}" for s, c, sb, i in
             zip(style.tolist(), colour_list, sub_list, range(n), strict=True)]
    return Catalogue(
        item_ids=np.arange(1, n + 1, dtype=np.int64), big_class=np.array(classes, dtype=object)[big],
        cluster=cluster.reshape(-1).astype(np.int64), cluster_keys=[cluster_names[i] for i in used.tolist()],
        subcategory=sub_list, color=colour_list, name=names, brand=[f"brand{b}" for b in brand.tolist()],
        garment_type=garment_type.reshape(-1).astype(np.int64), audience=audience, gender=genders)


def item_styles(catalogue: Catalogue) -> np.ndarray:
    """Each item's latent style number, read back from its name's first two words (mood and style word,
    as `_catalogue` writes them): the benchmark checks that recommendations keep to the query's style."""
    words = {_style_name(s): s for s in range(len(STYLE_WORDS) * len(MOODS))}
    return np.array([words[" ".join(name.split()[:2])] for name in catalogue.name], dtype=np.int64)
