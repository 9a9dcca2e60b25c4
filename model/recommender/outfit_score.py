"""One outfit score from pair logits: a learnt, calibrated combination (the app and the evaluation share it).

An outfit is judged by all its unordered pairs of items: two pieces of jewellery worn together are evidence
too (on Mango, leaving same-class pairs out cost 7 points of outfit FITB-4). A pair's logit is the mean of
both directions of the pair blend, except when exactly one item is seen in no training outfit: then it is
judged from that item's side, by the blend fitted for such cold queries (the warm direction mostly says
the other item has no history, which is true of every new item). Per outfit, the pair logits give four
features (mean, min, max, log of the number of pairs), and the outfit's shape a fifth: the least likely
pair of subcategories in it (`signals.subcategory_lift`; a second pair of shoes, a bikini under a coat),
which pair logits fitted on pairs of different big classes cannot see (Mango outfit FITB-4 0.849 -> 0.859,
MUSINSA 0.834 -> 0.840). A linear combination of them, fitted on held-out
*training* outfits against the same outfits with every item swapped for a random item of its big class and
(sharing the weights) against the same outfits with one item swapped (the fill-in-the-blank shape; fitting
the first shape alone gave Mango outfit FITB-4 0.845, both 0.849), then Platt-scaled on the first, turns
them into a calibrated probability that the outfit is real rather than random ("코디 점수"). The features
are defined once (`_features`) for both shapes they are asked of: pairs listed with their outfit
(`features_from_pairs`: training, evaluation, `score_outfit`) and many outfits that share pairs and differ
in one item's (`features_from_grouped`: the planner's thousands of candidate additions, reduced along rows),
so a new feature reaches all of them. Only numpy at serving; scipy and scikit-learn fit it during training.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # training only: the model module pulls in torch
    from model.recommender.model import ClosetModel
    from model.recommender.signals import CountSignals

OUTFIT_FEATURES = ("mean", "min", "max", "log_pairs", "min_subcategory_lift")
MIN_OUTFITS = 20  # fewer held-out outfits than this: keep the default (the mean pair logit)
REPORT_SHARE = 1 / 3  # held-out outfits left out of the fit to measure calibration and AUC
L2 = 1e-3  # ridge on the combination's weights (both losses are means)


@dataclass
class OutfitCombiner:
    """logit = weights . OUTFIT_FEATURES + bias; probability = sigmoid(logit)."""

    weights: np.ndarray
    bias: float
    fitted: bool

    @classmethod
    def default(cls) -> OutfitCombiner:
        """Before fitting (or on tiny data): the mean pair logit, i.e. the mean pair's match probability."""
        return cls(np.eye(len(OUTFIT_FEATURES))[0], 0.0, False)

    def logit(self, features: np.ndarray) -> np.ndarray:
        return np.asarray(features, dtype=np.float64) @ self.weights + self.bias

    def probability(self, features: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-np.clip(self.logit(features), -40, 40)))

    def as_dict(self) -> dict:
        return {"features": list(OUTFIT_FEATURES), "weights": [float(w) for w in self.weights],
                "bias": float(self.bias), "fitted": self.fitted}

    @classmethod
    def from_dict(cls, spec: dict | None) -> OutfitCombiner:
        """From the artifact's `meta["outfit_score"]`; an artifact without one gets the default."""
        if not spec or spec.get("features") != list(OUTFIT_FEATURES):
            return cls.default()
        return cls(np.asarray(spec["weights"], dtype=np.float64), float(spec["bias"]), bool(spec["fitted"]))


@dataclass(frozen=True)
class SubcategoryLift:
    """`signals.subcategory_lift` read by item: how plausible two items' subcategories are in one outfit."""

    table: np.ndarray  # [S, S]
    item_subcategory: np.ndarray  # [n_items] codes into `table`

    def pairs(self, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        return self.table[self.item_subcategory[first], self.item_subcategory[second]].astype(np.float64)


def outfit_pairs(outfits: Sequence[Sequence[int]],
                 big_class: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Unordered pairs (a before b in the outfit) of items with different big classes (every pair when
    `big_class` is None): [P, 2] and the outfit each pair belongs to [P]."""
    pairs, owner = [], []
    for o, outfit in enumerate(outfits):
        for i, a in enumerate(outfit):
            for b in outfit[i + 1:]:
                if big_class is None or big_class[a] != big_class[b]:
                    pairs.append((a, b))
                    owner.append(o)
    return np.asarray(pairs, dtype=np.int64).reshape(-1, 2), np.asarray(owner, dtype=np.int64)


def _features(reduce: _ByOwner | _ByRow, logits: np.ndarray | tuple[np.ndarray, np.ndarray],
              lifts: np.ndarray | tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """The one definition of OUTFIT_FEATURES, whatever the shape of the pair arrays: `reduce` sums,
    minimises and maximises a pair array per outfit. An outfit without a pair gets zeros (no evidence
    either way). A new outfit feature is added here and nowhere else."""
    counts = reduce.counts()
    features = np.column_stack([reduce.total(logits) / np.maximum(counts, 1.0), reduce.lowest(logits),
                                reduce.highest(logits), np.log1p(counts), reduce.lowest(lifts)])
    empty = counts == 0
    if empty.any():
        features[empty] = 0.0
    return features


@dataclass(frozen=True)
class _ByOwner:
    """Per-outfit reductions of flat pair arrays, each pair in outfit `owner[p]` of `n_outfits`."""

    owner: np.ndarray
    n_outfits: int

    def counts(self) -> np.ndarray:
        return np.bincount(self.owner, minlength=self.n_outfits).astype(np.float64)

    def total(self, values: np.ndarray) -> np.ndarray:
        return np.bincount(self.owner, weights=values, minlength=self.n_outfits)

    def lowest(self, values: np.ndarray) -> np.ndarray:
        lows = np.full(self.n_outfits, np.inf)
        np.minimum.at(lows, self.owner, values)
        return lows

    def highest(self, values: np.ndarray) -> np.ndarray:
        return -self.lowest(-values)


@dataclass(frozen=True)
class _ByRow:
    """Per-outfit reductions of (shared, rows) pair arrays: pairs every outfit has ([s]) and an outfit's
    own pairs ([n_outfits, k] rows), so the shared pairs are reduced once, not copied into every row."""

    shared: int
    n_outfits: int
    k: int

    def counts(self) -> np.ndarray:
        return np.full(self.n_outfits, float(self.shared + self.k))

    def total(self, values: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        return values[0].sum() + values[1].sum(axis=1)

    def lowest(self, values: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        rows = values[1].min(axis=1, initial=np.inf)
        return np.minimum(values[0].min(), rows) if self.shared else rows

    def highest(self, values: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        rows = values[1].max(axis=1, initial=-np.inf)
        return np.maximum(values[0].max(), rows) if self.shared else rows


def features_from_pairs(logits: np.ndarray, lifts: np.ndarray, owner: np.ndarray, n_outfits: int
                        ) -> np.ndarray:
    """[n_outfits, len(OUTFIT_FEATURES)] outfit features from each pair's logit and subcategory lift and
    its outfit (`owner`, in any order; outfits of any number of pairs)."""
    return _features(_ByOwner(np.asarray(owner, dtype=np.int64), n_outfits),
                     np.asarray(logits, dtype=np.float64), np.asarray(lifts, dtype=np.float64))


def features_from_grouped(logits: np.ndarray, lifts: np.ndarray, shared_logits: Sequence[float] = (),
                          shared_lifts: Sequence[float] = ()) -> np.ndarray:
    """`features_from_pairs` of outfits that share some pairs and differ in k others: [n_outfits, k] pair
    logits and lifts (a row an outfit) and the pairs every outfit also has (1-D). The planner's candidate
    outfits (an outfit plus one of thousands of candidates) have this shape; reduced along rows, with no
    owner index to scatter by and the shared pairs reduced once."""
    logits, lifts = np.asarray(logits, dtype=np.float64), np.asarray(lifts, dtype=np.float64)
    shared = np.asarray(shared_logits, dtype=np.float64), np.asarray(shared_lifts, dtype=np.float64)
    return _features(_ByRow(len(shared[0]), logits.shape[0], logits.shape[1]), (shared[0], logits),
                     (shared[1], lifts))


def undirected(forward: np.ndarray, backward: np.ndarray, first_seen: np.ndarray,
               second_seen: np.ndarray) -> np.ndarray:
    """A pair's logit from both directions (first -> second, second -> first): from the unseen item's side
    when exactly one item is seen in no training outfit, else their mean."""
    return np.where(first_seen & ~second_seen, backward,
                    np.where(second_seen & ~first_seen, forward, (forward + backward) / 2.0))


def pair_logits(directed: Callable[[np.ndarray, np.ndarray], np.ndarray], pairs: np.ndarray,
                seen: np.ndarray) -> np.ndarray:
    """`undirected` logits of pairs [P, 2], each distinct pair computed once."""
    if not len(pairs):
        return np.zeros(0)
    unique, inverse = np.unique(pairs, axis=0, return_inverse=True)
    both = directed(np.concatenate([unique[:, 0], unique[:, 1]]),
                    np.concatenate([unique[:, 1], unique[:, 0]]))
    half = len(unique)
    logits = undirected(both[:half], both[half:], seen[unique[:, 0]], seen[unique[:, 1]])
    return logits[inverse.reshape(-1)]


def outfit_features(directed: Callable[[np.ndarray, np.ndarray], np.ndarray], lift: SubcategoryLift,
                    outfits: Sequence[Sequence[int]], seen: np.ndarray) -> np.ndarray:
    """Features of each outfit (all its pairs) from a directed pair-logit function and the lift table."""
    pairs, owner = outfit_pairs(outfits, None)
    return features_from_pairs(pair_logits(directed, pairs, seen), lift.pairs(pairs[:, 0], pairs[:, 1]),
                               owner, len(outfits))


def summed_pair_scores(pair_score: Callable[[np.ndarray, np.ndarray], np.ndarray],
                       outfits: Sequence[Sequence[int]], big_class: np.ndarray | None) -> np.ndarray:
    """Per outfit, the sum of a pair score over its pairs (cross-class only when `big_class` is given): the
    outfit score of the count baselines, so a candidate's score in FITB sums over its context."""
    pairs, owner = outfit_pairs(outfits, big_class)
    values = pair_score(pairs[:, 0], pairs[:, 1]) if len(pairs) else np.zeros(0)
    return np.bincount(owner, weights=np.asarray(values, dtype=np.float64), minlength=len(outfits))


def closet_pair_logits(model: ClosetModel, signals: CountSignals, items: np.ndarray
                       ) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """Directed calibrated pair logits of the fitted blend, on the given signals and LightGCN embedding."""
    def directed(q: np.ndarray, c: np.ndarray) -> np.ndarray:
        x = model._pair_features(signals, items, q, c)
        warm = signals.popularity[q] > 0
        logits = np.empty(len(q))
        for kind, mask in (("warm", warm), ("cold", ~warm)):
            blend = model.blends[kind]
            logits[mask] = blend.scale * blend.score(x[mask]) + blend.bias
        return logits
    return directed


def _fit_weights(x: np.ndarray, y: np.ndarray, differences: np.ndarray) -> OutfitCombiner:
    """One set of weights for both questions the score answers: real outfit or all-swapped copy
    (logistic loss, with a bias) and which of two outfits that differ in one item is real (conditional
    logit on the feature differences, the fill-in-the-blank shape; the bias cancels). Each loss is a mean,
    so both count alike; then a Platt step on the first question calibrates the result."""
    from scipy import optimize
    from sklearn.linear_model import LogisticRegression  # training only

    def loss(theta: np.ndarray) -> float:
        w, b = theta[:-1], theta[-1]
        z = x @ w + b
        compat = np.logaddexp(0.0, np.where(y == 1, -z, z)).mean()
        fitb = np.logaddexp(0.0, -(differences @ w)).mean() if len(differences) else 0.0
        return float(compat + fitb + L2 * w @ w)

    start = np.append(OutfitCombiner.default().weights, 0.0)
    theta = optimize.minimize(loss, start, method="L-BFGS-B").x
    direction = x @ theta[:-1]
    platt = LogisticRegression(C=1.0, max_iter=1000).fit(direction[:, None], y)
    scale = float(platt.coef_[0, 0])
    return OutfitCombiner(theta[:-1] * scale, float(platt.intercept_[0]), True)


def fit_outfit_combiner(directed: Callable[[np.ndarray, np.ndarray], np.ndarray], lift: SubcategoryLift,
                        outfits: list[list[int]], big_class: np.ndarray, seen: np.ndarray, seed: int
                        ) -> tuple[OutfitCombiner, dict]:
    """Fit the combination on held-out outfits (positives) against swapped copies (negatives).

    Two kinds of negatives keep the shapes the score is asked about: the same outfit with every item
    swapped for a random item of its big class (is this a real outfit?) and, for outfits of 3 or more
    items, the same outfit with one item swapped (which item completes it?). A third of the outfits is
    left out to report calibration (ECE) and AUC, then the fit is redone on all of them. Returns the
    combiner and its report.
    """
    from model.evaluation.metrics import expected_calibration_error
    from model.evaluation.outfits import auc, one_swapped, swapped_outfits

    rng = np.random.default_rng(seed)
    real = [list(dict.fromkeys(o)) for o in outfits if len(set(o)) >= 2]
    if len(real) < MIN_OUTFITS:
        return OutfitCombiner.default(), {"outfits": len(real), "fitted": False}
    fake = swapped_outfits(real, big_class, rng)
    real_x = outfit_features(directed, lift, real, seen)
    x = np.vstack([real_x, outfit_features(directed, lift, fake, seen)])
    y = np.concatenate([np.ones(len(real)), np.zeros(len(fake))])
    owner, one_fake = one_swapped(real, big_class, rng)
    differences = (real_x[owner] - outfit_features(directed, lift, one_fake, seen) if len(owner)
                   else np.zeros((0, len(OUTFIT_FEATURES))))
    report_outfits = rng.random(len(real)) < REPORT_SHARE
    report_rows = np.tile(report_outfits, 2)

    held = _fit_weights(x[~report_rows], y[~report_rows], differences[~report_outfits[owner]])
    probability = held.probability(x[report_rows])
    held_differences = differences[report_outfits[owner]]
    report = {"outfits": len(real), "report_outfits": int(report_rows.sum() // 2),
              "ece": expected_calibration_error(probability, y[report_rows]),
              "auc": auc(probability[y[report_rows] == 1], probability[y[report_rows] == 0]),
              "auc_mean_pair": auc(x[report_rows & (y == 1), 0], x[report_rows & (y == 0), 0]),
              "one_swap_accuracy": float((held_differences @ held.weights > 0).mean())
              if len(held_differences) else float("nan")}
    combiner = _fit_weights(x, y, differences)
    report["fitted"] = True
    report["weights"] = dict(zip(OUTFIT_FEATURES, map(float, combiner.weights), strict=True))
    return combiner, report


def fit_outfit_score(model: ClosetModel, signals: CountSignals, items: np.ndarray,
                     held: list[list[int]]) -> None:
    """Training step (called from `ClosetModel.fit` with the held-out outfits and the signals fitted without
    them): sets `model.outfit_combiner` and `model.report["outfit_score"]`."""
    directed = closet_pair_logits(model, signals, items)
    model.outfit_combiner, model.report["outfit_score"] = fit_outfit_combiner(
        directed, subcategory_lift_of(model, signals), held, model.data.catalogue.big_class,
        signals.popularity > 0, model.config.seed)


def subcategory_lift_of(model: ClosetModel, signals: CountSignals) -> SubcategoryLift:
    return SubcategoryLift(signals.subcategory_lift, model.data.catalogue.item_subcategory)


def closet_outfit_scores(model: ClosetModel, outfits: Sequence[Sequence[int]]) -> np.ndarray:
    """The fitted model's outfit logits (what `Recommender.score_outfit` computes, for the evaluation)."""
    directed = closet_pair_logits(model, model.signals, model.gcn.item_embedding)
    return model.outfit_combiner.logit(outfit_features(directed, subcategory_lift_of(model, model.signals),
                                                       outfits, model.signals.popularity > 0))
