"""95 % intervals for the experiment report and the simulator, from scipy.stats.

Rates use Wilson's score interval (honest near 0 and 1, where click-through lives) and differences of
rates Newcombe's hybrid score interval built from the two Wilson intervals (Newcombe 1998, method 10);
means use Student's t and differences of means Welch's t. All work from counts and sums, so callers can
aggregate in SQL.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats

CONFIDENCE = 0.95


@dataclass(frozen=True, slots=True)
class Interval:
    estimate: float | None
    low: float | None
    high: float | None

    @property
    def excludes_zero(self) -> bool:
        return self.low is not None and self.high is not None and (self.low > 0 or self.high < 0)


EMPTY = Interval(None, None, None)


def _z(confidence: float) -> float:
    return float(stats.norm.ppf(0.5 + confidence / 2))


def wilson(successes: int, trials: int, confidence: float = CONFIDENCE) -> Interval:
    """Wilson score interval of successes / trials (EMPTY when there are no trials)."""
    if trials <= 0:
        return EMPTY
    if not 0 <= successes <= trials:
        raise ValueError("successes must be between 0 and trials")
    z = _z(confidence)
    p = successes / trials
    centre = (p + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z / (1 + z * z / trials) * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials))
    return Interval(p, max(0.0, centre - half), min(1.0, centre + half))


def rate_difference(successes: int, trials: int, base_successes: int, base_trials: int,
                    confidence: float = CONFIDENCE) -> Interval:
    """rate - base rate with Newcombe's hybrid score interval."""
    a, b = wilson(successes, trials, confidence), wilson(base_successes, base_trials, confidence)
    if a.estimate is None or b.estimate is None:
        return EMPTY
    d = a.estimate - b.estimate
    low = d - math.sqrt((a.estimate - a.low) ** 2 + (b.high - b.estimate) ** 2)
    high = d + math.sqrt((a.high - a.estimate) ** 2 + (b.estimate - b.low) ** 2)
    return Interval(d, low, high)


@dataclass(frozen=True, slots=True)
class Moments:
    """count, sum and sum of squares of a sample: enough for its mean and variance."""

    count: int
    total: float
    squares: float

    @property
    def mean(self) -> float | None:
        return self.total / self.count if self.count else None

    @property
    def variance(self) -> float | None:
        if self.count < 2:
            return None
        return max(0.0, (self.squares - self.total * self.total / self.count) / (self.count - 1))


def mean_interval(sample: Moments, confidence: float = CONFIDENCE) -> Interval:
    """Student's t interval of the mean (no interval below two observations)."""
    if sample.count == 0:
        return EMPTY
    if sample.count < 2:
        return Interval(sample.mean, None, None)
    se = math.sqrt(sample.variance / sample.count)
    if se == 0:
        return Interval(sample.mean, sample.mean, sample.mean)
    low, high = stats.t.interval(confidence, sample.count - 1, loc=sample.mean, scale=se)
    return Interval(sample.mean, float(low), float(high))


def mean_difference(sample: Moments, base: Moments, confidence: float = CONFIDENCE) -> Interval:
    """mean - base mean with Welch's t interval (unequal variances)."""
    if sample.count < 2 or base.count < 2:
        if sample.count and base.count:
            return Interval(sample.mean - base.mean, None, None)
        return EMPTY
    va, vb = sample.variance / sample.count, base.variance / base.count
    d = sample.mean - base.mean
    if va + vb == 0:
        return Interval(d, d, d)
    dof = (va + vb) ** 2 / (va * va / (sample.count - 1) + vb * vb / (base.count - 1))
    half = float(stats.t.ppf(0.5 + confidence / 2, dof)) * math.sqrt(va + vb)
    return Interval(d, d - half, d + half)
