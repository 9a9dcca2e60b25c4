"""One run of the feedback job over a batch of new events: attribute clicks to impressions, re-estimate
the examination curve, fit the feedback weight, and add the batch to the evidence.

The same function serves the app (`python -m model.feedback`, events read from the database by
`model.feedback.events_db`) and the simulator (events generated in memory), so the simulator proves the
code the app runs.

The two weights (described garments' cluster term, catalogue items' item term) are fitted on the new
batch against the evidence from *before* it (an honest out-of-sample fit): clicks ~ Bernoulli(e(rank) *
sigmoid(a + b * model_logit + c1 * cluster_term + c2 * item_term)); the weights in logit units are
c1 / b and c2 / b, kept within [0, MAX_WEIGHT]. Until
MIN_FIT_SUCCESSES successes fall on pairs with evidence, the previous weights (at first
DEFAULT_WEIGHT) stay.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize

from model.feedback.evidence import (
    CLUSTER_KEYS,
    ITEM_KEYS,
    STATS,
    Evidence,
    add_tables,
    both_directions,
    feedback_term,
)
from model.feedback.position_bias import MAX_RANK, fit_curve, rank_counts

NO_QUERY_ITEM = -1  # a described garment: only the cluster table applies
MIN_FIT_SUCCESSES = 30
MAX_WEIGHT = 4.0
CLICK, OPEN = "click", "open"

SHOWN_COLUMNS = ("session", "query_item", "query_cluster", "item", "rank", "probability", "randomised",
                 "counted")
OUTCOME_COLUMNS = ("session", "query_item", "item", "kind")
SURVEY_COLUMNS = ("session", "query_item", "item", "rating")


def frame(columns: tuple[str, ...], **values: object) -> pd.DataFrame:
    return pd.DataFrame({c: values.get(c, []) for c in columns})


@dataclass
class EventLog:
    """A batch of events as columns. `shown.counted` is False for impressions of earlier runs that are
    here only so that a new click on them can be attributed (their examinations were counted then)."""

    shown: pd.DataFrame = field(default_factory=lambda: frame(SHOWN_COLUMNS))
    outcomes: pd.DataFrame = field(default_factory=lambda: frame(OUTCOME_COLUMNS))
    survey: pd.DataFrame = field(default_factory=lambda: frame(SURVEY_COLUMNS))
    last_event_id: int = 0
    last_survey_id: int = 0


@dataclass(frozen=True)
class RunReport:
    impressions: int
    successes: int
    survey_answers: int
    eta: float
    weights: tuple[float, float]
    weight_fitted: bool
    item_pairs: int
    cluster_pairs: int


def _attributed(log: EventLog) -> pd.DataFrame:
    """Impressions (one per session, query and item) with success and open flags from the outcomes."""
    shown = log.shown.sort_values("rank", kind="stable").drop_duplicates(
        ["session", "query_item", "query_cluster", "item"])
    if log.outcomes.empty:
        return shown.assign(success=0.0, opens=0.0)
    flags = (log.outcomes.assign(success=1.0, opens=(log.outcomes["kind"] == OPEN).astype(float))
             .groupby(["session", "query_item", "item"], as_index=False)[["success", "opens"]].max())
    return shown.merge(flags, on=["session", "query_item", "item"], how="left").fillna(
        {"success": 0.0, "opens": 0.0})


def _lookup(table: pd.DataFrame, keys: tuple[str, ...], pairs: pd.DataFrame) -> pd.DataFrame:
    """successes and examinations of `pairs` in a table (0 where absent), aligned with pairs."""
    found = pairs[list(keys)].merge(table[[*keys, "successes", "examinations"]], on=list(keys), how="left")
    return found[["successes", "examinations"]].fillna(0.0)


def terms(evidence: Evidence, impressions: pd.DataFrame, kappa: float) -> tuple[np.ndarray, np.ndarray]:
    """Each impression's feedback term under the evidence as it stands, split by query kind:
    (described garments: cluster evidence, catalogue items: item evidence), the other part 0."""
    garment = (impressions["query_item"] == NO_QUERY_ITEM).to_numpy()
    c = _lookup(evidence.clusters, CLUSTER_KEYS, impressions)
    i = _lookup(both_directions(evidence.items), ITEM_KEYS, impressions)
    successes = np.where(garment, c["successes"].to_numpy(), i["successes"].to_numpy())
    examinations = np.where(garment, c["examinations"].to_numpy(), i["examinations"].to_numpy())
    term = feedback_term(impressions["probability"].to_numpy(), evidence.rho, kappa, successes, examinations)
    return np.where(garment, term, 0.0), np.where(garment, 0.0, term)


def fit_weights(examination: np.ndarray, probability: np.ndarray, cluster_term: np.ndarray,
                item_term: np.ndarray, success: np.ndarray) -> tuple[float | None, float | None]:
    """(c1 / b, c2 / b) of the click model in the module docstring; None for a kind of query whose
    impressions with evidence hold fewer than MIN_FIT_SUCCESSES successes (the batch cannot tell)."""
    enough = [success[term != 0].sum() >= MIN_FIT_SUCCESSES for term in (cluster_term, item_term)]
    if not any(enough):
        return None, None
    logit = np.log(np.clip(probability, 1e-6, 1 - 1e-6) / np.clip(1 - probability, 1e-6, None))
    x = np.column_stack([np.ones_like(logit), logit, cluster_term, item_term])

    def loss(beta: np.ndarray) -> float:
        p = np.clip(examination / (1 + np.exp(-np.clip(x @ beta, -30, 30))), 1e-9, 1 - 1e-9)
        return float(-(success * np.log(p) + (1 - success) * np.log1p(-p)).sum() + 1e-3 * beta @ beta)

    beta = optimize.minimize(loss, np.array([-2.0, 1.0, 0.5, 0.5]), method="L-BFGS-B").x
    scale = beta[1] if beta[1] > 0.05 else 1.0  # a logit that predicts nothing here: the terms stand alone
    return tuple(float(np.clip(c / scale, 0.0, MAX_WEIGHT)) if ok else None  # type: ignore[return-value]
                 for c, ok in zip(beta[2:], enough, strict=True))


def _pair_sums(impressions: pd.DataFrame, keys: tuple[str, ...]) -> pd.DataFrame:
    table = impressions.assign(impressions=impressions["counted"].astype(float),
                               successes=impressions["success"],
                               examinations=impressions["examination"] * impressions["counted"],
                               rating_sum=0.0, rating_count=0.0)
    return table.groupby(list(keys), as_index=False, sort=False)[list(STATS)].sum()


def _survey_sums(log: EventLog, impressions: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A rating r is one examination with (r - 1) / 4 successes; its cluster is the impression's."""
    s = log.survey.dropna(subset=["item"])
    if s.empty:
        return pd.DataFrame(), pd.DataFrame()
    s = s.assign(impressions=0.0, examinations=1.0, successes=(s["rating"] - 1) / 4, opens=0.0,
                 rating_sum=s["rating"].astype(float), rating_count=1.0)
    clusters = impressions[["session", "query_item", "item", "query_cluster"]].drop_duplicates(
        ["session", "query_item", "item"])
    with_cluster = s.merge(clusters, on=["session", "query_item", "item"], how="inner")
    items = s[s["query_item"] != NO_QUERY_ITEM]
    return (items.groupby(list(ITEM_KEYS), as_index=False)[list(STATS)].sum(),
            with_cluster.groupby(list(CLUSTER_KEYS), as_index=False)[list(STATS)].sum())


def run(evidence: Evidence, log: EventLog, kappa: float) -> RunReport:
    """Add one batch to `evidence` (in place) and refit the curve and the weight."""
    evidence.meta["kappa"] = kappa
    impressions = _attributed(log)
    counted = impressions[impressions["counted"].astype(bool).to_numpy()]
    randomised = counted[counted["randomised"].astype(bool).to_numpy()]
    shown, clicks = rank_counts(randomised["rank"].to_numpy(), randomised["success"].to_numpy())
    if len(evidence.rank_shown) != MAX_RANK + 1:
        evidence.rank_shown, evidence.rank_clicks = np.zeros(MAX_RANK + 1), np.zeros(MAX_RANK + 1)
    evidence.rank_shown = evidence.rank_shown + shown
    evidence.rank_clicks = evidence.rank_clicks + clicks
    curve = fit_curve(evidence.rank_shown, evidence.rank_clicks)
    impressions = impressions.assign(examination=curve.examination(impressions["rank"].to_numpy()))
    counted = impressions[impressions["counted"].astype(bool).to_numpy()]

    if len(counted):
        weights = fit_weights(counted["examination"].to_numpy(), counted["probability"].to_numpy(),
                              *terms(evidence, counted, kappa), counted["success"].to_numpy())
        for kind, weight in enumerate(weights):
            if weight is not None:
                evidence.meta["weights"][kind], evidence.meta["weight_fitted"] = weight, True
        evidence.meta["successes"] += float(counted["success"].sum())
        evidence.meta["expected"] += float((counted["examination"] * counted["probability"]).sum())

    survey_items, survey_clusters = _survey_sums(log, impressions)
    with_item = impressions[impressions["query_item"] != NO_QUERY_ITEM]
    evidence.items = add_tables(evidence.items, pd.concat(
        [_pair_sums(with_item, ITEM_KEYS), survey_items], ignore_index=True), ITEM_KEYS)
    evidence.clusters = add_tables(evidence.clusters, pd.concat(
        [_pair_sums(impressions.dropna(subset=["query_cluster"]), CLUSTER_KEYS), survey_clusters],
        ignore_index=True), CLUSTER_KEYS)
    evidence.meta.update(eta=curve.eta, runs=evidence.meta["runs"] + 1,
                         last_event_id=max(evidence.meta["last_event_id"], log.last_event_id),
                         last_survey_id=max(evidence.meta["last_survey_id"], log.last_survey_id))
    return RunReport(impressions=len(counted), successes=int(counted["success"].sum()),
                     survey_answers=len(log.survey), eta=curve.eta, weights=tuple(evidence.meta["weights"]),
                     weight_fitted=evidence.meta["weight_fitted"], item_pairs=len(evidence.items),
                     cluster_pairs=len(evidence.clusters))
