"""Audit what shoppers see: for sampled catalogue garments, the share of match cards that break a rule.

    python -m model.audit [--queries 200] [--seed 0] [--source musinsa] [--k 30] [--per-big-class 5]
                          [--database-url URL] [--artifact-dir DIR] [--json OUT]

It asks the current artifact exactly what the matches page asks (`recommend(item_id, k=30,
per_big_class=5)`) and judges every card against the database, not against the artifact's own arrays:

- gender clash: query and card both have a one-gender audience (`item.gender` male / female) and differ;
- below the floor: the card's probability is not above the recommender's floor;
- look-alike: the card is the same product as the query or an earlier card (same brand and name without
  colour words, or one variant group; `shopper.lookalike_keys` over the database's fields);
- other source: the card comes from another shop than the query.

It also counts rows (query x other big class) left empty because nothing was worth showing.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.audience import FEMALE, MALE
from db.engine import session_scope
from db.models import Item
from model.recommender.api import Recommender
from model.recommender.artifact import ArtifactMissing
from model.recommender.attributes import variant_group
from model.recommender.shopper import lookalike_keys

ONE_GENDER = {MALE, FEMALE}


@dataclass
class CatalogueFacts:
    """What the audit checks each card against, by database item id."""

    source: dict[int, str]
    gender: dict[int, str | None]
    lookalike: dict[int, int]


@dataclass
class AuditReport:
    """Counts over every card shown, their shares of the cards, and the empty rows."""

    queries: int = 0
    cards: int = 0
    gender_clashes: int = 0
    below_floor: int = 0
    lookalikes: int = 0
    other_source: int = 0
    rows: int = 0
    empty_rows: int = 0
    floor: float = 0.0
    probability_under_5pct: int = 0
    shares: dict[str, float] = field(default_factory=dict)

    def finish(self) -> AuditReport:
        for name in ("gender_clashes", "below_floor", "lookalikes", "other_source", "probability_under_5pct"):
            self.shares[name] = getattr(self, name) / self.cards if self.cards else 0.0
        self.shares["empty_rows"] = self.empty_rows / self.rows if self.rows else 0.0
        return self


def catalogue_facts(session: Session) -> CatalogueFacts:
    """Source, gender and look-alike key of every item in the database."""
    rows = session.execute(select(Item.id, Item.source, Item.source_id, Item.brand, Item.name,
                                  Item.color_family, Item.gender).order_by(Item.id)).all()
    groups: dict[str, int] = {}
    group = np.asarray([groups.setdefault(variant_group(r.source, r.source_id), len(groups)) for r in rows])
    keys = lookalike_keys([r.brand for r in rows], [r.name for r in rows], [r.color_family for r in rows],
                          group)
    return CatalogueFacts(source={r.id: r.source for r in rows}, gender={r.id: r.gender for r in rows},
                          lookalike={r.id: int(k) for r, k in zip(rows, keys, strict=True)})


def audit(rec: Recommender, facts: CatalogueFacts, queries: list[int], k: int = 30,
          per_big_class: int = 5, floor: float | None = None) -> AuditReport:
    """Count rule breaks over the cards `recommend` returns for each query (judged against `floor`,
    default the recommender's own)."""
    floor = rec.floor if floor is None else floor
    report = AuditReport(queries=len(queries), floor=floor)
    for query in queries:
        cards = rec.recommend(query, k=k, per_big_class=per_big_class)
        classes = rec.match_classes(query)
        report.rows += len(classes)
        report.empty_rows += sum(1 for c in classes if not any(r.big_class == c for r in cards))
        seen = {facts.lookalike.get(query)}
        for card in cards:
            item = card.item_id
            report.cards += 1
            genders = {facts.gender.get(query), facts.gender.get(item)}
            report.gender_clashes += genders == ONE_GENDER
            report.below_floor += card.probability <= floor
            report.probability_under_5pct += card.probability < 0.05
            report.lookalikes += facts.lookalike.get(item) in seen
            seen.add(facts.lookalike.get(item))
            report.other_source += facts.source.get(item) != facts.source.get(query)
    return report.finish()


def sample_queries(rec: Recommender, facts: CatalogueFacts, source: str | None, n: int,
                   seed: int) -> list[int]:
    """`n` recommendable catalogue items (of `source`), drawn without replacement with a fixed seed."""
    pool = [int(i) for i in rec.item_ids[rec.everyone].tolist()
            if source is None or facts.source.get(int(i)) == source]
    rng = np.random.default_rng(seed)
    return sorted(rng.choice(pool, size=min(n, len(pool)), replace=False).tolist()) if pool else []


def format_report(report: AuditReport, source: str | None) -> str:
    lines = [f"queries: {report.queries} ({source or 'any source'}), cards shown: {report.cards} "
             f"({report.cards / max(report.queries, 1):.1f} per query), floor: {report.floor:.3f}",
             f"{'check':<34}{'cards':>8}{'share':>9}"]
    for name, label in (("gender_clashes", "gender clashes (male vs female)"),
                        ("below_floor", "at or below the floor"),
                        ("lookalikes", "look-alikes (same product twice)"),
                        ("other_source", "from another source than the query"),
                        ("probability_under_5pct", "probability under 5 %")):
        lines.append(f"{label:<34}{getattr(report, name):>8}{report.shares[name]:>9.1%}")
    lines.append(f"rows left empty (nothing above the floor): {report.empty_rows} of {report.rows} "
                 f"({report.shares['empty_rows']:.1%})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Share of match cards that break a shopper rule.")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--source", default="musinsa", help="queries from this item.source; 'any' for all")
    parser.add_argument("--k", type=int, default=30)
    parser.add_argument("--per-big-class", type=int, default=5)
    parser.add_argument("--database-url", default=None, help="defaults to settings.database_url")
    parser.add_argument("--artifact-dir", type=Path, default=None, help="defaults to settings.artifact_dir")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    if args.queries < 1 or args.k < 1 or args.per_big_class < 1:
        parser.error("--queries, --k and --per-big-class must be at least 1")
    try:
        rec = Recommender.load(args.artifact_dir)
    except ArtifactMissing as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    with session_scope(args.database_url) as session:
        facts = catalogue_facts(session)
    source = None if args.source == "any" else args.source
    queries = sample_queries(rec, facts, source, args.queries, args.seed)
    if not queries:
        print(f"error: no recommendable items of source {args.source!r} in the artifact", file=sys.stderr)
        return 2
    report = audit(rec, facts, queries, args.k, args.per_big_class)
    print(format_report(report, source))
    if args.json:
        args.json.write_text(json.dumps(asdict(report), indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
