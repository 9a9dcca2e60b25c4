"""The outfit score's inputs, worked out by hand: per-outfit features and the subcategory lift table."""

from __future__ import annotations

import numpy as np
import pytest

from model.recommender.outfit_score import (
    OUTFIT_FEATURES,
    SubcategoryLift,
    features_from_grouped,
    features_from_pairs,
)
from model.recommender.signals import subcategory_lift


def test_features_from_pairs_by_hand() -> None:
    logits = np.array([1.0, -1.0, 2.0])
    lifts = np.array([0.5, -0.2, 0.1])
    owner = np.array([0, 0, 1])
    got = features_from_pairs(logits, lifts, owner, 3)
    assert got.shape == (3, len(OUTFIT_FEATURES))
    np.testing.assert_allclose(got[0], [0.0, -1.0, 1.0, np.log(3), -0.2])
    np.testing.assert_allclose(got[1], [2.0, 2.0, 2.0, np.log(2), 0.1])
    np.testing.assert_allclose(got[2], np.zeros(len(OUTFIT_FEATURES)))  # no pair: no evidence


def test_grouped_features_are_the_features_of_the_same_pairs() -> None:
    """Rows of k pairs (the planner's candidate outfits) get the features of those pairs by owner, in any
    order; rows without a pair get zeros."""
    rng = np.random.default_rng(0)
    for k in (0, 1, 4):
        logits, lifts = rng.normal(size=(7, k)), rng.normal(size=(7, k))
        owner = np.repeat(np.arange(7), k)
        order = rng.permutation(len(owner))
        expected = features_from_pairs(logits.ravel()[order], lifts.ravel()[order], owner[order], 7)
        np.testing.assert_allclose(features_from_grouped(logits, lifts), expected, rtol=1e-12, atol=1e-12)


def test_subcategory_lift_by_hand() -> None:
    # items 0 and 1 are subcategory 0, item 2 is 1, item 3 is 2; item 0 is listed twice in the last outfit
    codes = np.array([0, 0, 1, 2])
    table = subcategory_lift([[0, 2], [1, 2], [0, 1, 3, 0]], codes, 3)
    # items worn per subcategory: 4, 2, 1 (7 in all); ordered pairs of distinct items: (0,1)+(1,0) in the
    # last outfit for 0-0, two for 0-1 (one per outfit), two for 0-2, none for 1-1, 1-2 and 2-2
    assert table[0, 1] == pytest.approx(np.log((2 + 1) / (4 * 2 / 7 + 1)))
    assert table[0, 0] == pytest.approx(np.log((2 + 1) / (4 * 4 / 7 + 1)))
    assert table[1, 1] == pytest.approx(np.log(1 / (2 * 2 / 7 + 1)))
    assert table[1, 2] == pytest.approx(np.log(1 / (2 * 1 / 7 + 1)))
    np.testing.assert_allclose(table, table.T)
    lift = SubcategoryLift(table, codes)
    np.testing.assert_allclose(lift.pairs(np.array([0, 2]), np.array([2, 3])), [table[0, 1], table[1, 2]])
