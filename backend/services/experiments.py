"""A/B experiment report: per experiment and variant, sessions, click-through, shop opens and survey
ratings with 95 % intervals, and each variant's difference against control.

A recommendation counts once per (session, query item, shown item): click-through is the share of
those shown that were clicked (`click`), the shop-open rate the share whose shop link was opened.
Everything is aggregated in SQL, so the report costs the same on a million events as on a hundred.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import case, func, literal, select, union
from sqlalchemy.orm import Session

from db.events import CLICK, RECOMMENDATION_SHOWN, SHOP_LINK_OPEN
from db.experiments import CONTROL, ExperimentConfig
from db.models import InteractionEvent, SurveyResponse
from model.feedback.intervals import (
    Interval,
    Moments,
    mean_difference,
    mean_interval,
    rate_difference,
    wilson,
)

Key = tuple[str, str]


def _flag(event_type: str):  # noqa: ANN202
    return func.max(case((InteractionEvent.event_type == event_type, 1), else_=0))


def _rates(session: Session) -> dict[Key, tuple[int, int, int]]:
    """(shown, clicked, opened) per (experiment, variant), counting each shown pair once."""
    e = InteractionEvent
    pairs = (select(e.experiment, e.variant, _flag(RECOMMENDATION_SHOWN).label("shown"),
                    _flag(CLICK).label("clicked"), _flag(SHOP_LINK_OPEN).label("opened"))
             .where(e.experiment.is_not(None), e.variant.is_not(None), e.item_id.is_not(None),
                    e.event_type.in_((RECOMMENDATION_SHOWN, CLICK, SHOP_LINK_OPEN)))
             .group_by(e.experiment, e.variant, e.session_id, e.query_item_id, e.item_id).subquery())
    rows = session.execute(select(pairs.c.experiment, pairs.c.variant, func.sum(pairs.c.shown),
                                  func.sum(pairs.c.shown * pairs.c.clicked),
                                  func.sum(pairs.c.shown * pairs.c.opened))
                           .group_by(pairs.c.experiment, pairs.c.variant))
    return {(x, v): (int(s or 0), int(c or 0), int(o or 0)) for x, v, s, c, o in rows}


def _sessions(session: Session) -> dict[Key, int]:
    both = union(*(select(t.experiment, t.variant, t.session_id).where(t.experiment.is_not(None),
                                                                       t.variant.is_not(None))
                   for t in (InteractionEvent, SurveyResponse))).subquery()
    rows = session.execute(select(both.c.experiment, both.c.variant, func.count(literal(1)))
                           .group_by(both.c.experiment, both.c.variant))
    return {(x, v): int(n) for x, v, n in rows}


def _ratings(session: Session) -> dict[Key, Moments]:
    s = SurveyResponse
    rows = session.execute(select(s.experiment, s.variant, func.count(), func.sum(s.rating),
                                  func.sum(s.rating * s.rating))
                           .where(s.experiment.is_not(None), s.variant.is_not(None))
                           .group_by(s.experiment, s.variant))
    return {(x, v): Moments(int(n), float(t or 0), float(q or 0)) for x, v, n, t, q in rows}


def _difference(interval: Interval) -> dict:
    return {"estimate": interval.estimate, "low": interval.low, "high": interval.high,
            "significant": interval.excludes_zero}


def _rate(successes: int, trials: int, base: tuple[int, int] | None) -> dict:
    own = wilson(successes, trials)
    out = {"successes": successes, "trials": trials, "rate": own.estimate, "low": own.low, "high": own.high}
    if base is not None:
        out["difference"] = _difference(rate_difference(successes, trials, *base))
    return out


def _mean(sample: Moments, base: Moments | None) -> dict:
    own = mean_interval(sample)
    out = {"count": sample.count, "mean": own.estimate, "low": own.low, "high": own.high}
    if base is not None:
        out["difference"] = _difference(mean_difference(sample, base))
    return out


def experiments_report(session: Session, config: ExperimentConfig) -> dict:
    """Every experiment with rows, plus the configured one (first), each variant against control."""
    rates, sessions, ratings = _rates(session), _sessions(session), _ratings(session)
    variants: dict[str, list[str]] = defaultdict(list)
    variants[config.name].extend(config.variants)
    for name, variant in sorted({*rates, *sessions, *ratings}):
        if variant not in variants[name]:
            variants[name].append(variant)
    empty = Moments(0, 0.0, 0.0)
    report = []
    for name, names in variants.items():
        control = CONTROL if CONTROL in names else None
        base_rates = rates.get((name, control), (0, 0, 0))
        rows = []
        for variant in names:
            shown, clicked, opened = rates.get((name, variant), (0, 0, 0))
            against = variant != control and control is not None
            rows.append({
                "variant": variant,
                "weight": config.variants.get(variant) if name == config.name else None,
                "sessions": sessions.get((name, variant), 0),
                "click_through": _rate(clicked, shown, (base_rates[1], base_rates[0]) if against else None),
                "shop_open_rate": _rate(opened, shown, (base_rates[2], base_rates[0]) if against else None),
                "survey": _mean(ratings.get((name, variant), empty),
                                ratings.get((name, control), empty) if against else None),
            })
        report.append({"name": name, "active": name == config.name, "control": control, "variants": rows})
    return {"experiments": report}
