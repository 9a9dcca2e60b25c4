"""The benchmarks' synthetic catalogue (benchmarks/synthetic.py): structured like a real one, seeded."""

from __future__ import annotations

import numpy as np

from benchmarks.synthetic import item_styles, synthetic_catalogue
from model.recommender.data import training_pairs


def test_seeded_and_shaped_like_a_catalogue() -> None:
    data = synthetic_catalogue(20_000, 10_000, seed=3)
    again = synthetic_catalogue(20_000, 10_000, seed=3)
    assert data.outfits == again.outfits and data.catalogue.name == again.catalogue.name
    cat = data.catalogue
    assert len(cat) == 20_000 and 9_000 < len(data.outfits) <= 10_000
    for outfit in data.outfits:  # one item per big class
        assert len(set(cat.big_class[outfit])) == len(outfit) >= 2
    worn = np.bincount(np.concatenate(data.outfits), minlength=len(cat))
    assert 0.3 < np.mean(worn == 0) < 0.9  # many items in no outfit
    assert worn.max() > 20 * worn[worn > 0].mean()  # a long tail: a few items in many outfits


def test_outfits_and_brands_keep_to_a_style() -> None:
    data = synthetic_catalogue(20_000, 10_000, seed=3)
    styles = item_styles(data.catalogue)
    n_styles = styles.max() + 1
    pairs = training_pairs(data.outfits, data.catalogue.big_class)
    together = np.mean(styles[pairs[:, 0]] == styles[pairs[:, 1]])
    assert together > 0.7 and n_styles >= 8  # chance: about 1 / n_styles
    brands = np.asarray(data.catalogue.brand, dtype=object)
    agree = [np.bincount(styles[brands == b]).max() / np.sum(brands == b) for b in np.unique(brands)[:20]]
    assert np.mean(agree) > 0.7
