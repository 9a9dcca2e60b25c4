"""How likely a shopper is to look at each rank, estimated from the logs' randomised pages.

A small share of `feedback` pages (settings.feedback_explore_share) shows the matches in a shuffled
order and says so in the event (`detail.randomised`). On those pages what sits at rank r does not depend
on r, so click-through at rank r is proportional to the chance that rank r is examined (the
"randomised results" estimator of Joachims et al. 2017). We fit e(r) = r ** -eta, with e(1) = 1, by
maximum likelihood on the per-rank impressions and clicks (sufficient statistics, so the job adds each
run's counts and refits); a weak normal prior on eta (mean 1, sd 0.5) keeps the first runs, with few
randomised clicks, near the common 1/r curve. The raw per-rank ratios are kept for the report.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize

MAX_RANK = 60  # ranks above are pooled with this one
PRIOR_ETA, PRIOR_SD = 1.0, 0.5


@dataclass(frozen=True)
class ExaminationCurve:
    """e(r) = r ** -eta for ranks 1..MAX_RANK; `examination(ranks)` looks ranks up."""

    eta: float
    randomised_impressions: int = 0
    randomised_clicks: int = 0

    def examination(self, ranks: np.ndarray) -> np.ndarray:
        r = np.clip(np.asarray(ranks, dtype=np.float64), 1, MAX_RANK)
        return r ** -self.eta


def rank_counts(ranks: np.ndarray, clicked: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Impressions and clicks per rank 1..MAX_RANK (index 0 unused) of some impressions."""
    r = np.clip(np.asarray(ranks, dtype=np.int64), 1, MAX_RANK)
    shown = np.bincount(r, minlength=MAX_RANK + 1).astype(np.float64)
    clicks = np.bincount(r, weights=np.asarray(clicked, dtype=np.float64), minlength=MAX_RANK + 1)
    return shown, clicks


def fit_curve(shown: np.ndarray, clicks: np.ndarray) -> ExaminationCurve:
    """Maximum a-posteriori eta of clicks_r ~ Binomial(shown_r, a * r ** -eta) on randomised pages."""
    ranks = np.arange(len(shown), dtype=np.float64)
    used = (shown > 0) & (ranks >= 1)
    n, c, log_r = shown[used], clicks[used], np.log(ranks[used])
    if c.sum() == 0:
        return ExaminationCurve(PRIOR_ETA, int(shown.sum()), 0)

    def loss(params: np.ndarray) -> float:
        log_a, eta = params
        p = np.clip(np.exp(log_a - eta * log_r), 1e-9, 1 - 1e-9)
        nll = -(c * np.log(p) + (n - c) * np.log1p(-p)).sum()
        return float(nll + 0.5 * ((eta - PRIOR_ETA) / PRIOR_SD) ** 2)

    start = np.array([np.log(max(c.sum() / n.sum(), 1e-6)), PRIOR_ETA])
    found = optimize.minimize(loss, start, method="L-BFGS-B", bounds=[(-20.0, 0.0), (0.0, 4.0)])
    return ExaminationCurve(float(found.x[1]), int(shown.sum()), int(clicks.sum()))
