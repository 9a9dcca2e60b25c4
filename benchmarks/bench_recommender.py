"""Recommender figures: training time on Mango, `recommend` latency, recall and memory on 100,000 (or
1,000,000) synthetic items, and our LightGCN epoch time against a PyG `examples/lightgcn.py` style loop.

    .venv/bin/python -m benchmarks.bench_recommender [--skip-training] [--items 100000] [--queries 1000]
        [--recall-queries 100] [--exact-below N] [--epochs N]
    .venv/bin/python -m benchmarks.bench_recommender --skip-training --items 1000000   # under 5 minutes
    .venv/bin/python -m benchmarks.bench_recommender --epoch-time --items 1000000 [--epoch-batches 10]

The synthetic catalogue (`benchmarks/synthetic.py`) is built from latent styles, so co-occurrence,
LightGCN and the candidate index have real structure to find and the exact top-10 is a list a shopper
would recognise (the benchmark prints the share of it in the query's style). `--skip-training` skips the
Mango figures (training and the epoch ratio). The synthetic model's LightGCN trains 2 epochs up to
100,000 items and none above (`--epochs` overrides): one epoch at 1,000,000 items takes hours on 2 cores
(every batch propagates the whole graph), which `--epoch-time` measures on its own, timing the first
`--epoch-batches` batches of one epoch and estimating the rest; serving's cost does not depend on
training. recall@10 is the share of the exact top-10 (`recommend` scoring every item, the same code
path) that the candidate path returns, over the first `--recall-queries` queries, with the probability
floor and without it (floor 0, lists always 10 long); it is 1 by construction below
`settings.recommend_exact_below` items. Timings move with the machine's load: note `uptime` beside them
(it pins torch to 2 threads).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import NamedTuple

import numpy as np
import torch

from benchmarks.synthetic import item_styles, synthetic_catalogue
from model.evaluation.corpus import build_corpus, read_source
from model.recommender import Recommender
from model.recommender.artifact import save_artifact
from model.recommender.data import TrainingSet
from model.recommender.lightgcn import (
    LightGCNConfig,
    LightGCNRanker,
    NegativeSampler,
    graph_edges,
    normalised_adjacency,
    propagate,
    training_pairs,
)
from model.recommender.model import ClosetConfig, ClosetModel

DATASETS = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets"


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def mango_training_set() -> TrainingSet:
    """All Mango outfits as training outfits (the evaluation's reader and catalogue)."""
    parsed = read_source("mango", DATASETS / "mango")
    return build_corpus(parsed, parsed).training


def bench_training() -> TrainingSet:
    data = mango_training_set()
    started = time.perf_counter()
    model = ClosetModel(ClosetConfig(gcn=LightGCNConfig(progress=False))).fit(data)
    seconds = time.perf_counter() - started
    print(f"training on Mango ({len(data.catalogue)} items, {len(data.outfits)} outfits): {seconds:.1f} s "
          f"(stages {model.report['seconds']}, LightGCN epochs {model.gcn.log.epochs})")
    return data


TRAINED_UP_TO = 100_000  # default LightGCN epochs: 2 up to this many items, 0 above (see the module)


class Recall(NamedTuple):
    recall: float  # share of the exact top-10 in the candidate path's lists
    length: float  # mean length of the exact lists (after the floor)
    exact: list[list[int]]  # the exact lists (item ids)


def recall_at_10(rec: Recommender, ids: np.ndarray, got: list[list[int]], floor: float | None = None
                 ) -> Recall:
    """How much of the exact top-10 (every item scored, the same code) the lists `got` hold.

    `floor` replaces the recommender's probability floor for both (0: every item may be shown)."""
    index, saved = rec.candidate_index, (rec.floor, rec.floor_logit)
    if floor is not None:
        rec.floor, rec.floor_logit = floor, (float(np.log(floor / (1 - floor))) if floor > 0 else -np.inf)
    try:
        if floor is not None:
            got = [[r.item_id for r in rec.recommend(int(item), k=10)] for item in ids]
        rec.candidate_index = None  # the exact path: the same scoring code over the whole catalogue
        exact = [[r.item_id for r in rec.recommend(int(item), k=10)] for item in ids]
    finally:
        rec.candidate_index, (rec.floor, rec.floor_logit) = index, saved
    found = sum(len(set(e) & set(g)) for e, g in zip(exact, got, strict=True))
    total = sum(len(e) for e in exact)
    return Recall(found / total if total else 1.0, total / max(len(exact), 1), exact)


def same_style_share(rec: Recommender, styles: np.ndarray, ids: np.ndarray, lists: list[list[int]]) -> float:
    """Share of listed items of the query's latent style: what makes the exact top-10 a shopper's list
    rather than noise (chance: about 1 / number of styles)."""
    pairs = [(rec.index[int(q)], rec.index[j]) for q, found in zip(ids, lists, strict=True) for j in found]
    return float(np.mean([styles[q] == styles[j] for q, j in pairs])) if pairs else float("nan")


def fit_synthetic(data: TrainingSet, epochs: int) -> ClosetModel:
    """The closet model on a synthetic catalogue: default blend weights (no held-out tuning, which would
    hold queries x items features in memory), LightGCN for `epochs` epochs."""
    config = ClosetConfig(gcn=LightGCNConfig(max_epochs=epochs, progress=False), validation_share=0.0)
    return ClosetModel(config).fit(data)


def describe(data: TrainingSet) -> str:
    worn = np.zeros(len(data.catalogue), dtype=np.int64)
    np.add.at(worn, np.concatenate(data.outfits), 1)
    return (f"{len(data.catalogue)} items, {len(data.outfits)} outfits, {np.mean(worn == 0):.0%} of items in "
            f"no outfit, most worn item in {worn.max()} outfits")


def bench_latency(n_items: int, n_queries: int, recall_queries: int, exact_below: int | None = None,
                  epochs: int | None = None) -> None:
    started_all = time.perf_counter()
    data = synthetic_catalogue(n_items, n_items // 2)
    styles = item_styles(data.catalogue)
    print(f"synthetic catalogue: {describe(data)}, {styles.max() + 1} styles "
          f"({time.perf_counter() - started_all:.0f} s)", flush=True)
    epochs = (2 if n_items <= TRAINED_UP_TO else 0) if epochs is None else epochs
    started = time.perf_counter()
    model = fit_synthetic(data, epochs)
    log = model.gcn.log
    per_epoch = f", {np.mean(log.epoch_seconds):.0f} s per LightGCN epoch" if log.epoch_seconds else ""
    print(f"fitted in {time.perf_counter() - started:.0f} s (stages {model.report['seconds']}{per_epoch})",
          flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        save_artifact(model, Path(tmp))
        del model
        before = rss_mib()
        tracemalloc.start()
        started = time.perf_counter()
        rec = Recommender.load(Path(tmp), exact_below=exact_below)
        load_seconds = time.perf_counter() - started
        loaded, load_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()  # tracing every allocation doubled query times: timed without it
        rng = np.random.default_rng(1)
        ids = rng.choice(rec.item_ids, size=n_queries, replace=False)
        rec.recommend(int(ids[0]))  # warm-up
        timings, got = [], []
        for item in ids:
            started = time.perf_counter()
            found = rec.recommend(int(item), k=10)
            timings.append(time.perf_counter() - started)
            got.append([r.item_id for r in found])
        tracemalloc.start()  # memory a query allocates, over the first 100 queries again
        for item in ids[:100]:
            rec.recommend(int(item), k=10)
        _, query_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        per_class = []
        for item in ids[:200]:
            started = time.perf_counter()
            rec.recommend(int(item), k=12, per_big_class=3)
            per_class.append(time.perf_counter() - started)
        sample = ids[:recall_queries]
        shown = recall_at_10(rec, sample, got[:recall_queries])
        open_ = recall_at_10(rec, sample, got[:recall_queries], floor=0.0)
    ms = np.array(timings) * 1000
    path = "candidates" if rec.candidate_index is not None else "exact"
    index_mib = rec.candidate_index.nbytes / 2**20 if rec.candidate_index is not None else 0.0
    print(f"recommend on {n_items} synthetic items ({path}, LightGCN epochs {epochs}), {n_queries} queries: "
          f"p50 {np.percentile(ms, 50):.2f} ms, p99 {np.percentile(ms, 99):.2f} ms, max {ms.max():.2f} ms; "
          f"per_big_class=3 p99 {np.percentile(np.array(per_class) * 1000, 99):.2f} ms; "
          f"recall@10 {shown.recall:.3f} over {len(sample)} queries (exact lists hold {shown.length:.2f} "
          f"items after the floor; without the floor recall@10 {open_.recall:.3f})")
    print(f"exact top-10 without the floor: {same_style_share(rec, styles, sample, open_.exact):.0%} of the "
          f"query's latent style (chance about {1 / (styles.max() + 1):.1%})")
    print(f"memory: recommender holds {loaded / 2**20:.0f} MiB (load peak {load_peak / 2**20:.0f} MiB) plus "
          f"the faiss index's {index_mib:.0f} MiB, peak extra while querying {query_peak / 2**20:.1f} MiB; "
          f"process peak RSS {rss_mib():.0f} MiB (before load {before:.0f} MiB); load {load_seconds:.1f} s")
    print(f"latency benchmark wall time {time.perf_counter() - started_all:.0f} s")


def bench_epoch_time(n_items: int, batches: int) -> None:
    """One LightGCN epoch on the synthetic catalogue as training runs it (the default config, attribute
    nodes, one full propagation per batch): timed over its first `batches` batches (0: all of them), the
    rest estimated at the same pace, since a whole epoch at 1,000,000 items takes hours on 2 cores."""
    data = synthetic_catalogue(n_items, n_items // 2)
    print(f"synthetic catalogue: {describe(data)}", flush=True)
    config = LightGCNConfig(max_epochs=1, max_batches=batches or None, progress=False)
    ranker = LightGCNRanker(config).fit(data)
    log = ranker.log
    pairs = len(training_pairs(data.outfits, data.catalogue.big_class))
    per_epoch = -(-pairs // config.batch_size)
    seconds = log.epoch_seconds[0] * per_epoch / log.batches[0]
    how = "measured" if log.batches[0] == per_epoch else f"estimated from {log.batches[0]} batches"
    print(f"LightGCN epoch on {n_items} synthetic items ({pairs} pairs, {per_epoch} batches of "
          f"{config.batch_size}): {seconds:.0f} s ({seconds / 3600:.2f} h, {how}; "
          f"{log.epoch_seconds[0] / log.batches[0]:.2f} s per batch), graph and model set up in "
          f"{log.setup_seconds:.0f} s, process peak RSS {rss_mib():.0f} MiB")


def bench_epoch_ratio(data: TrainingSet, repeats: int = 3) -> None:
    """One epoch of our loop (precomputed symmetric CSR) vs PyG's example (edge_index, per-call norm)."""
    from torch_geometric.nn.models import LightGCN

    cat = data.catalogue
    cfg = LightGCNConfig()
    num_nodes = len(cat) + cat.n_clusters + len(data.outfits)
    edge_index = torch.from_numpy(graph_edges(len(cat), cat.cluster, data.outfits))
    pairs = training_pairs(data.outfits, cat.big_class)
    warm = np.unique(np.concatenate(data.outfits))
    negatives = NegativeSampler(cat.big_class, warm).sample(pairs[:, 1], np.random.default_rng(0))

    def epoch(ours: bool) -> float:
        torch.manual_seed(0)
        model = LightGCN(num_nodes, cfg.dim, cfg.layers)
        optimizer = torch.optim.Adam(model.parameters(), lr=cfg.lr)
        adjacency = normalised_adjacency(edge_index, num_nodes) if ours else None
        if ours:
            for conv in model.convs:
                conv.normalize = False
        started = time.perf_counter()
        for start in range(0, len(pairs), cfg.batch_size):
            q = torch.from_numpy(pairs[start:start + cfg.batch_size, 0])
            pos = torch.from_numpy(pairs[start:start + cfg.batch_size, 1])
            neg = torch.from_numpy(negatives[start:start + cfg.batch_size])
            if ours:
                emb = propagate(model, adjacency)
                pos_rank, neg_rank = (emb[q] * emb[pos]).sum(-1), (emb[q] * emb[neg]).sum(-1)
            else:  # examples/lightgcn.py: model(edge_index, edge_label_index) per batch
                label_index = torch.stack([torch.cat([q, q]), torch.cat([pos, neg])])
                pos_rank, neg_rank = model(edge_index, label_index).chunk(2)
            loss = model.recommendation_loss(pos_rank, neg_rank, node_id=torch.cat([q, pos, neg]).unique())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        return time.perf_counter() - started

    timings: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(repeats):  # interleaved, so a busy moment hurts both loops alike
        for ours_loop in (True, False):
            timings[ours_loop].append(epoch(ours_loop))
    ours, pyg = min(timings[True]), min(timings[False])
    print(f"LightGCN epoch on the Mango graph ({edge_index.shape[1]} directed edges, {len(pairs)} pairs, "
          f"batch {cfg.batch_size}): ours {ours:.2f} s, PyG example style {pyg:.2f} s, "
          f"ratio {ours / pyg:.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--recall-queries", type=int, default=100)
    parser.add_argument("--exact-below", type=int, default=None,
                        help="candidate scoring from this many items on (default: the setting, 200,000)")
    parser.add_argument("--skip-training", action="store_true", help="skip the Mango training figures")
    parser.add_argument("--epochs", type=int, default=None,
                        help=f"LightGCN epochs on the synthetic catalogue (default 2 up to {TRAINED_UP_TO} "
                             "items, else 0)")
    parser.add_argument("--epoch-time", action="store_true",
                        help="only time one LightGCN epoch on --items synthetic items")
    parser.add_argument("--epoch-batches", type=int, default=10,
                        help="with --epoch-time: batches timed, the rest estimated (0: the whole epoch)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    torch.set_num_threads(2)
    if args.epoch_time:
        bench_epoch_time(args.items, args.epoch_batches)
    else:
        if not args.skip_training and not (DATASETS / "mango").exists():
            print("../shared/datasets/mango is absent: skipping the Mango figures")
        elif not args.skip_training:
            bench_epoch_ratio(bench_training())
        bench_latency(args.items, args.queries, args.recall_queries, args.exact_below, args.epochs)
    print(f"total wall time {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
