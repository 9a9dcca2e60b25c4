"""The examination curve is recovered from synthetic randomised logs whose curve we know."""

from __future__ import annotations

import numpy as np
import pytest

from model.feedback.position_bias import PRIOR_ETA, fit_curve, rank_counts


@pytest.mark.parametrize("true_eta", [0.5, 1.0, 1.6])
def test_curve_recovered_from_randomised_logs(true_eta: float) -> None:
    rng = np.random.default_rng(3)
    pages, k = 20_000, 10
    relevance = rng.uniform(0.05, 0.6, size=(pages, k))  # what is shown; shuffled, so rank-independent
    ranks = np.tile(np.arange(1, k + 1), pages)
    examined = rng.random(pages * k) < ranks ** -true_eta
    clicked = examined & (rng.random(pages * k) < relevance.ravel())
    curve = fit_curve(*rank_counts(ranks, clicked))
    assert curve.eta == pytest.approx(true_eta, abs=0.05)
    assert curve.examination(np.array([1, 4]))[1] == pytest.approx(4 ** -true_eta, rel=0.1)


def test_without_clicks_the_prior_curve_is_used() -> None:
    assert fit_curve(*rank_counts(np.array([1, 2, 3]), np.zeros(3))).eta == PRIOR_ETA


def test_ranks_beyond_the_table_are_pooled() -> None:
    shown, clicks = rank_counts(np.array([1, 500, 500]), np.array([1, 1, 0]))
    assert shown[-1] == 2 and clicks[-1] == 1
