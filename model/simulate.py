"""Simulated shoppers prove the feedback loop on held-out outfits.

    python -m model.simulate --format {mango,musinsa-snap} --train PATH --test PATH
        [--sessions 2000] [--rounds 5] [--seed 0] [--eta 1.0] [--ceiling] [--json OUT]

The recommender is trained on the train file (as `model.evaluate` does) and served through the app's
`Recommender`. Each round, every simulated shopper takes a random held-out outfit and one of its items
as the query.
`control` sees today's top 10; `feedback` sees the top 10 with the feedback term (and, on a share
`feedback_explore_share` of pages, shuffled, as in the app). Every shopper sees both variants (a
paired comparison: same outfit, same query, same looks). The shopper examines rank r with probability
r ** -eta and clicks an examined item that belongs to their outfit. Between rounds the
feedback job (`model.feedback.job.run`, the app's code, fed these events instead of database rows)
updates the evidence. Prints click-through per round and variant with 95 % Wilson intervals and writes
`{"control": {"ctr_by_round": [...]}, "feedback": {"ctr_by_round": [...]}}`.

`--ceiling` also prints what the evidence behind the last round allows at best (`evidence_ceiling`): the
click-through of a ranking that puts every item with a click for the query first, in the order of the
hidden outfits themselves, relative to control. No ranking built on that evidence beats it (short of
guessing partners nobody clicked), so it says whether a miss is the ranking's or the evidence's.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from db.experiments import CONTROL, FEEDBACK
from db.settings import get_settings
from model.evaluation.corpus import FORMATS, load_corpus_or_report
from model.evaluation.protocol import Corpus
from model.feedback.evidence import Evidence, both_directions
from model.feedback.intervals import wilson
from model.feedback.job import OPEN, OUTCOME_COLUMNS, SHOWN_COLUMNS, EventLog, run
from model.feedback.position_bias import ExaminationCurve
from model.feedback.scorer import FeedbackScorer
from model.recommender.api import Recommender

if TYPE_CHECKING:
    from model.recommender.model import ClosetConfig

TOP_K = 10
VARIANTS = (CONTROL, FEEDBACK)


@dataclass
class Round:
    shown: dict[str, int]
    clicks: dict[str, int]
    ceiling: float | None = None  # evidence_ceiling of the evidence this round was ranked with


def session_queries(test_outfits: list[list[int]], category: np.ndarray) -> list[tuple[int, int]]:
    """(outfit, query) pairs a shopper may bring: every item of an outfit with a partner of another
    category (catalogue indices)."""
    return [(o, q) for o, outfit in enumerate(test_outfits) for q in outfit
            if any(category[j] != category[q] for j in outfit)]


def partner_ids(outfit: list[int], q: int, category: np.ndarray) -> set[int]:
    """Item ids (catalogue index + 1) a shopper with query `q` clicks in `outfit`: its other categories."""
    return {j + 1 for j in outfit if category[j] != category[q]}


def evidence_ceiling(recommender: Recommender, test_outfits: list[list[int]], category: np.ndarray,
                     evidence: Evidence, queries: list[tuple[int, int]], eta: float = 1.0) -> float:
    """Expected clicks of the best ranking the evidence allows, over control's, for a shopper drawn
    uniformly from `queries` who looks at rank r with probability r ** -eta.

    The ranking: every item with a click for the query (either direction) that is a partner in some
    outfit of the query, ordered by how many of the query's outfits wear it (the hidden outfits' own
    context-free order), then control's top 10 in control's order. It knows more than any real ranking
    (which partners are real, and how often), but nothing about partners nobody clicked.
    """
    table = both_directions(evidence.items)
    clicked: dict[int, set[int]] = defaultdict(set)
    for a, b in table.loc[table["successes"] > 0, ["query_item", "item"]].itertuples(index=False):
        clicked[int(a)].add(int(b))
    worn: dict[int, Counter] = defaultdict(Counter)  # query item id -> partner item id -> outfits
    for o, q in set(queries):
        worn[q + 1].update(partner_ids(test_outfits[o], q, category))
    control_lists = {q: [r.item_id for r in recommender.recommend(q, k=TOP_K)] for q in worn}
    looked = ExaminationCurve(eta).examination(np.arange(1, TOP_K + 1))  # the job's model of looking
    control = best = 0.0
    for o, q in queries:
        partners = partner_ids(test_outfits[o], q, category)
        shown = control_lists[q + 1]
        known = sorted((b for b in clicked.get(q + 1, ()) if worn[q + 1][b]),
                       key=lambda b: (-worn[q + 1][b], b))
        first = set(known)
        ranked = (known + [b for b in shown if b not in first])[:TOP_K]
        control += sum(looked[r] for r, b in enumerate(shown) if b in partners)
        best += sum(looked[r] for r, b in enumerate(ranked) if b in partners)
    return best / control if control else float("nan")


def train_recommender(corpus: Corpus, seed: int, directory: Path, config: ClosetConfig | None = None,
                      floor: float | None = None) -> Recommender:
    """Fit the app's model on the training outfits and load it as the app does (ids = catalogue row + 1);
    `floor` overrides the app's probability floor (None: the app's)."""
    from model.recommender.artifact import save_artifact
    from model.recommender.data import TrainingSet
    from model.recommender.lightgcn import LightGCNConfig
    from model.recommender.model import ClosetConfig, ClosetModel

    catalogue = replace(corpus.training.catalogue,
                        item_ids=np.arange(1, len(corpus.category) + 1, dtype=np.int64))
    config = config or ClosetConfig(gcn=LightGCNConfig(seed=seed, progress=False), seed=seed)
    model = ClosetModel(config).fit(TrainingSet(catalogue, corpus.training.outfits))
    save_artifact(model, directory)
    return Recommender.load(directory, floor=floor)


def simulate(recommender: Recommender, test_outfits: list[list[int]], category: np.ndarray, *,
             sessions: int, rounds: int, seed: int, eta: float, explore_share: float,
             kappa: float, ceiling: bool = False) -> list[Round]:
    """Run the rounds; returns impressions and clicks per round and variant.

    A paired design: every shopper (outfit, query and the random numbers that decide which ranks they
    look at) is shown both variants' lists, as two sessions, so the difference between the variants is
    the ranking's and not the luck of the draw. Both sessions' events feed the job, as in the app.
    With `ceiling`, the last round also gets its `evidence_ceiling`.
    """
    rng = np.random.default_rng(seed)
    queries = session_queries(test_outfits, category)
    evidence = Evidence()
    scorer: FeedbackScorer | None = None
    results = []
    for number in range(rounds):
        shown_rows, outcome_rows = [], []
        result = Round(dict.fromkeys(VARIANTS, 0), dict.fromkeys(VARIANTS, 0))
        if ceiling and number == rounds - 1:
            result.ceiling = evidence_ceiling(recommender, test_outfits, category, evidence, queries, eta)
        for n, pick in enumerate(rng.integers(len(queries), size=sessions)):
            outfit, q = queries[pick]
            partners = partner_ids(test_outfits[outfit], q, category)
            cluster = recommender.cluster_keys[recommender.cluster[q]]
            looks = rng.random(TOP_K)
            explore, order = rng.random() < explore_share, rng.permutation(TOP_K)
            for variant in VARIANTS:
                session = f"sim-{seed}-{number}-{n}-{variant}"
                recs = recommender.recommend(q + 1, k=TOP_K, adjust=scorer if variant == FEEDBACK else None)
                randomised = variant == FEEDBACK and explore
                if randomised:
                    recs = [recs[i] for i in order if i < len(recs)]
                for rank, rec in enumerate(recs, start=1):
                    shown_rows.append((session, q + 1, cluster, rec.item_id, rank, rec.probability,
                                       randomised, True))
                    if looks[rank - 1] < rank ** -eta and rec.item_id in partners:
                        outcome_rows.append((session, q + 1, rec.item_id, OPEN))
                        result.clicks[variant] += 1
                result.shown[variant] += len(recs)
        results.append(result)
        log = EventLog(pd.DataFrame(shown_rows, columns=list(SHOWN_COLUMNS)),
                       pd.DataFrame(outcome_rows, columns=list(OUTCOME_COLUMNS)))
        run(evidence, log, kappa)
        scorer = FeedbackScorer(evidence)
    return results


def summary(results: list[Round]) -> dict:
    out: dict = {}
    for variant in VARIANTS:
        intervals = [wilson(r.clicks[variant], r.shown[variant]) for r in results]
        out[variant] = {"ctr_by_round": [i.estimate for i in intervals],
                        "ctr_low": [i.low for i in intervals], "ctr_high": [i.high for i in intervals],
                        "impressions": [r.shown[variant] for r in results],
                        "clicks": [r.clicks[variant] for r in results]}
    if results and results[-1].ceiling is not None:
        out["last_round_ceiling"] = results[-1].ceiling
    return out


def format_table(table: dict) -> str:
    lines = [f"{'round':>5} {'control CTR [95% CI]':>26} {'feedback CTR [95% CI]':>26} {'ratio':>7}"]
    c, f = table[CONTROL], table[FEEDBACK]
    def cell(t: dict, n: int) -> str:
        return f"{t['ctr_by_round'][n]:.4f} [{t['ctr_low'][n]:.4f}, {t['ctr_high'][n]:.4f}]"

    for n, (rc, rf) in enumerate(zip(c["ctr_by_round"], f["ctr_by_round"], strict=True)):
        ratio = f"{rf / rc:.2f}" if rc else "-"
        lines.append(f"{n + 1:>5} {cell(c, n):>26} {cell(f, n):>26} {ratio:>7}")
    if "last_round_ceiling" in table:
        lines.append(f"the evidence behind the last round allows at best {table['last_round_ceiling']:.3f}x "
                     "control (clicked partners first, in the hidden outfits' order)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Simulate shoppers to measure the feedback loop.")
    parser.add_argument("--format", required=True, choices=FORMATS)
    parser.add_argument("--train", required=True, type=Path)
    parser.add_argument("--test", required=True, type=Path)
    parser.add_argument("--sessions", type=int, default=2000, help="simulated sessions per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--eta", type=float, default=1.0, help="shoppers examine rank r with r ** -eta")
    parser.add_argument("--ceiling", action="store_true",
                        help="also print the best the last round's evidence allows (evidence_ceiling)")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.sessions < 1 or args.rounds < 1:
        parser.error("--sessions and --rounds must be at least 1")
    started = time.perf_counter()
    if (corpus := load_corpus_or_report(args.format, args.train, args.test)) is None:
        return 2
    settings = get_settings()
    with tempfile.TemporaryDirectory(prefix="closet-simulate-") as directory:
        recommender = train_recommender(corpus, args.seed, Path(directory))
    results = simulate(recommender, corpus.test_outfits, corpus.category, sessions=args.sessions,
                       rounds=args.rounds, seed=args.seed, eta=args.eta,
                       explore_share=settings.feedback_explore_share, kappa=settings.feedback_pseudo_count,
                       ceiling=args.ceiling)
    table = summary(results)
    print(format_table(table))
    print(f"({args.sessions} sessions per round, examination r^-{args.eta}, "
          f"{time.perf_counter() - started:.0f} s)")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(table, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
