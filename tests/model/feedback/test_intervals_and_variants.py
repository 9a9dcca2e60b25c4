"""Wilson and Newcombe intervals against published values; variant assignment stable and on weight."""

from __future__ import annotations

import pytest

from db.experiments import ExperimentConfig, assign_variant
from model.feedback.intervals import Moments, mean_difference, mean_interval, rate_difference, wilson


@pytest.mark.parametrize(("successes", "trials", "low", "high"), [
    (81, 263, 0.2553, 0.3662),   # Newcombe (1998), table I
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0, 0.1611),
    (5, 10, 0.2366, 0.7634),
])
def test_wilson_interval_matches_published_values(successes: int, trials: int, low: float,
                                                   high: float) -> None:
    interval = wilson(successes, trials)
    assert interval.low == pytest.approx(low, abs=1e-4)
    assert interval.high == pytest.approx(high, abs=1e-4)


def test_wilson_without_trials_and_bad_counts() -> None:
    assert wilson(0, 0).estimate is None
    with pytest.raises(ValueError):
        wilson(3, 2)


def test_newcombe_difference_matches_published_example() -> None:
    interval = rate_difference(56, 70, 48, 80)  # Newcombe (1998), method 10: 0.0524 to 0.3339
    assert interval.estimate == pytest.approx(0.2)
    assert interval.low == pytest.approx(0.0524, abs=1e-4)
    assert interval.high == pytest.approx(0.3339, abs=1e-4)
    assert interval.excludes_zero


def test_mean_intervals_use_t() -> None:
    values = [3, 4, 5, 4, 4, 2, 5]
    sample = Moments(len(values), sum(values), sum(v * v for v in values))
    interval = mean_interval(sample)  # scipy: t(6) 0.975 = 2.4469, sd = 1.0690
    half = 2.446912 * 1.0690450 / len(values) ** 0.5
    assert interval.low == pytest.approx(27 / 7 - half, abs=1e-5)
    base = Moments(3, 9, 29)  # 2, 3, 4
    assert mean_difference(sample, base).estimate == pytest.approx(27 / 7 - 3)
    assert not mean_difference(sample, base).excludes_zero
    assert mean_interval(Moments(1, 4, 16)).low is None


def test_variant_assignment_is_stable_and_on_weight() -> None:
    config = ExperimentConfig(name="x", variants={"control": 0.7, "feedback": 0.2, "other": 0.1}, salt="s1")
    counts = dict.fromkeys(config.variants, 0)
    for n in range(100_000):
        counts[assign_variant(config, f"session-{n}")] += 1
    for name, weight in config.variants.items():
        assert abs(counts[name] / 100_000 - weight) < 0.01
    again = ExperimentConfig(name="x", variants={"control": 0.7, "feedback": 0.2, "other": 0.1}, salt="s1")
    assert all(assign_variant(config, f"id{n}") == assign_variant(again, f"id{n}") for n in range(50))
    other_salt = config.model_copy(update={"salt": "s2"})
    moved = sum(assign_variant(config, f"s{n}") != assign_variant(other_salt, f"s{n}") for n in range(200))
    assert moved > 50


def test_experiment_config_refuses_bad_weights() -> None:
    with pytest.raises(ValueError):
        ExperimentConfig(variants={})
    with pytest.raises(ValueError):
        ExperimentConfig(variants={"control": -1, "feedback": 1})
    assert assign_variant(ExperimentConfig(variants={"control": 0, "feedback": 1}), "abc") == "feedback"
