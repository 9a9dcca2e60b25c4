"""LightGCN ranker on a graph of items, outfits, cluster nodes and attribute nodes.

Why this shape: MUSINSA items mostly appear in one outfit, so an item seen in no training outfit must
still get an informed embedding. Every item is linked to its cluster node ('slacks:navy') and to one
node per catalogue attribute it has (brand, subcategory, colour, garment type, collection). An item seen
in no training outfit has no embedding of its own (its row is held at zero): its vector is what the
propagation brings from its attribute and cluster nodes, which training shapes through the seen items
that share them. Positives are (query, partner) pairs from training outfits with different big classes;
each negative is, by turns, a random training item of the partner's big class (which *items* go together)
or of any class other than the query's (which classes and items rank first in a full catalogue ranking).
"""

from __future__ import annotations

import copy
import time
import warnings
from dataclasses import dataclass, field

import numpy as np
import torch
from torch_geometric.nn.conv.gcn_conv import gcn_norm
from torch_geometric.nn.models import LightGCN
from torch_geometric.utils import to_torch_csr_tensor
from tqdm.auto import tqdm

from model.recommender.data import Catalogue, TrainingSet, training_pairs
from model.recommender.features import AUDIENCE


@dataclass
class LightGCNConfig:
    dim: int = 128
    layers: int = 3
    # Held-out HitRate first falls from the propagated initial embeddings, then climbs past them: at lr
    # 0.01 the dip lasts about 8 epochs on Mango, so patience must outlast it (docs/recommender.md).
    lr: float = 0.01
    batch_size: int = 8192
    max_epochs: int = 60
    patience: int = 12
    lambda_reg: float = 1e-4
    val_queries: int = 4000
    seed: int = 0
    progress: bool = True
    # Share of negatives drawn from any class other than the query's instead of the partner's class: the
    # evaluation ranks the whole catalogue, so the model must also learn which classes come first.
    uniform_negative_share: float = 0.5
    attributes: bool = True  # attribute nodes (brand, subcategory, colour, garment type, collection)
    # Share of pair members scored through their attributes only (own embedding and outfits hidden), as an
    # item seen in no outfit is; trains the attribute nodes to carry what an unseen item needs.
    cold_share: float = 0.0  # 0.2 measured worse on the MUSINSA inner split (HitRate@10 0.012 vs 0.019)
    # Batches per epoch at most (None: every pair). Every batch propagates the whole graph, so an epoch at
    # 1,000,000 items takes hours; the benchmark times a few batches of one (bench_recommender --epoch-time).
    max_batches: int | None = None


@dataclass
class TrainLog:
    epochs: int = 0
    best_epoch: int = 0
    best_val_hit10: float = float("nan")
    losses: list[float] = field(default_factory=list)
    val_hits: list[float] = field(default_factory=list)
    seconds: float = 0.0
    epoch_seconds: list[float] = field(default_factory=list)  # training batches only, no validation
    batches: list[int] = field(default_factory=list)  # batches run per epoch
    setup_seconds: float = 0.0  # graph, adjacency and model before the first epoch


class _SymmetricPropagate(torch.autograd.Function):
    """A @ X for a symmetric sparse A, whose gradient is A @ G again.

    PyG's LGConv on a CSR tensor is fast forward, but autograd's generic sparse backward on CPU costs
    about 20x the forward; with A symmetric the backward is one more sparse product.
    """

    @staticmethod
    def forward(ctx, adjacency: torch.Tensor, x: torch.Tensor) -> torch.Tensor:  # noqa: ANN001
        ctx.adjacency = adjacency
        return adjacency @ x

    @staticmethod
    def backward(ctx, grad: torch.Tensor) -> tuple[None, torch.Tensor]:  # noqa: ANN001
        return None, ctx.adjacency @ grad


def propagate(model: LightGCN, adjacency: torch.Tensor, ego: torch.Tensor | None = None) -> torch.Tensor:
    """LightGCN's layer combination (same as `model.get_embedding`) with the symmetric sparse product.

    `ego` (0/1 per node) zeroes the own embedding of nodes that must be described by their neighbours only
    (items seen in no training outfit).
    """
    x = model.embedding.weight if ego is None else model.embedding.weight * ego[:, None]
    out = x * model.alpha[0]
    for layer in range(model.num_layers):
        x = _SymmetricPropagate.apply(adjacency, x)
        out = out + x * model.alpha[layer + 1]
    return out


ATTRIBUTE_FIELDS = ("brand", "subcategory", "color", "garment_type", "collection")


def attribute_codes(catalogue: Catalogue) -> tuple[np.ndarray, int]:
    """[n_items, len(ATTRIBUTE_FIELDS)] attribute node numbers (-1: the item lacks it), and their count.

    One node per (field, value) seen on at least two items: a value only one item has tells nothing
    about any other item.
    """
    collection = AUDIENCE.index("collection")
    columns = {
        "brand": [(b or "").strip().lower() for b in catalogue.brand],
        "subcategory": [s or "" for s in catalogue.subcategory],
        "color": [c or "" for c in catalogue.color],
        "garment_type": catalogue.garment_type.tolist(),
        "collection": [v if v >= 0 else "" for v in catalogue.audience[:, collection].tolist()],
    }
    codes = np.full((len(catalogue), len(ATTRIBUTE_FIELDS)), -1, dtype=np.int64)
    n_nodes = 0
    for f, name in enumerate(ATTRIBUTE_FIELDS):
        values, inverse, counts = np.unique(np.asarray(columns[name], dtype=object).astype(str),
                                            return_inverse=True, return_counts=True)
        keep = (counts >= 2) & (values != "")
        number = np.full(len(values), -1, dtype=np.int64)
        number[keep] = n_nodes + np.arange(int(keep.sum()))
        n_nodes += int(keep.sum())
        codes[:, f] = number[inverse.reshape(-1)]
    return codes, n_nodes


def graph_edges(n_items: int, item_cluster: np.ndarray, outfits: list[list[int]],
                attributes: np.ndarray | None = None, n_attributes: int = 0) -> np.ndarray:
    """Undirected edge_index [2, E]: item-cluster, item-attribute and item-outfit links.

    Nodes: items, clusters, attribute nodes (`attributes` [n_items, F] numbers, -1 none), outfits.
    """
    n_clusters = int(item_cluster.max()) + 1 if n_items else 0
    items = np.arange(n_items)
    cluster_nodes = n_items + item_cluster
    attr_items = np.zeros(0, dtype=np.int64)
    attr_nodes = np.zeros(0, dtype=np.int64)
    if attributes is not None and attributes.size:
        has = attributes >= 0
        attr_items = np.repeat(items, has.sum(axis=1))
        attr_nodes = n_items + n_clusters + attributes[has]
    outfit_items = np.fromiter((i for o in outfits for i in o), dtype=np.int64)
    outfit_nodes = (n_items + n_clusters + n_attributes
                    + np.repeat(np.arange(len(outfits)), [len(o) for o in outfits]))
    src = np.concatenate([items, attr_items, outfit_items])
    dst = np.concatenate([cluster_nodes, attr_nodes, outfit_nodes])
    return np.stack([np.concatenate([src, dst]), np.concatenate([dst, src])])


def normalised_adjacency(edge_index: torch.Tensor, num_nodes: int) -> torch.Tensor:
    """Symmetric-normalised CSR adjacency, computed once (the convs then skip their own normalisation)."""
    index, weight = gcn_norm(edge_index, None, num_nodes, add_self_loops=False)
    with warnings.catch_warnings():  # torch marks sparse CSR as beta; the product used here is stable
        warnings.simplefilter("ignore", UserWarning)
        return to_torch_csr_tensor(index, weight, size=(num_nodes, num_nodes))


class NegativeSampler:
    """Draws, for each partner, a random item of the partner's big class that appears in training."""

    def __init__(self, big_class: np.ndarray, candidates: np.ndarray) -> None:
        codes, self.code_of = np.unique(big_class, return_inverse=True)
        self.code_of = self.code_of.reshape(-1)
        self.candidates = candidates
        self.pools = [candidates[self.code_of[candidates] == c] for c in range(len(codes))]

    def sample_other_class(self, queries: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """For each query, a random training item of any big class but the query's (redrawn a few times)."""
        out = self.candidates[rng.integers(len(self.candidates), size=len(queries))]
        for _ in range(8):
            clash = self.code_of[out] == self.code_of[queries]
            if not clash.any():
                break
            out[clash] = self.candidates[rng.integers(len(self.candidates), size=int(clash.sum()))]
        return out

    def sample(self, targets: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        out = np.empty_like(targets)
        codes = self.code_of[targets]
        for code in np.unique(codes):
            pool = self.pools[code]
            where = codes == code
            out[where] = pool[rng.integers(len(pool), size=int(where.sum()))] if len(pool) else targets[where]
        return out


class LightGCNRanker:
    """Trains `torch_geometric.nn.models.LightGCN` with BPR and exposes item / cluster embeddings."""

    def __init__(self, config: LightGCNConfig | None = None) -> None:
        self.config = config or LightGCNConfig()
        self.item_embedding: np.ndarray | None = None  # [n_items, d], cold items from their attributes
        self.cluster_embedding: np.ndarray | None = None
        self.log = TrainLog()

    @classmethod
    def constant(cls, n_items: int, n_clusters: int) -> LightGCNRanker:
        """No LightGCN: one zero dimension per item and cluster (every dot product is 0)."""
        ranker = cls()
        ranker.item_embedding = np.zeros((n_items, 1), dtype=np.float32)
        ranker.cluster_embedding = np.zeros((n_clusters, 1), dtype=np.float32)
        return ranker

    # -- training -------------------------------------------------------------------------------------
    @staticmethod
    def _embeddings(model: LightGCN, views: tuple, warm: np.ndarray, n_items: int,
                    n_clusters: int) -> tuple[np.ndarray, np.ndarray]:
        """Item embeddings (seen items from the whole graph, unseen ones from their attributes only) and
        cluster embeddings (attributes-only view: what a described garment has)."""
        with torch.no_grad():
            full = propagate(model, *views[0]).numpy()
            cold = propagate(model, *views[1]).numpy()
        items = np.where(warm[:, None], full[:n_items], cold[:n_items])
        scale = embedding_scale(items, warm)
        return items / scale, cold[n_items:n_items + n_clusters] / scale

    def _run(self, data: TrainingSet, outfits: list[list[int]], epochs: int,
             val_pairs: np.ndarray | None) -> tuple[LightGCN, np.ndarray, np.ndarray]:
        setup_started = time.perf_counter()
        cfg = self.config
        cat = data.catalogue
        n_items, n_clusters = len(cat), cat.n_clusters
        torch.manual_seed(cfg.seed)
        rng = np.random.default_rng(cfg.seed)
        attributes, n_attributes = attribute_codes(cat) if cfg.attributes else (None, 0)
        num_nodes = n_items + n_clusters + n_attributes + len(outfits)
        edge_index = torch.from_numpy(graph_edges(n_items, cat.cluster, outfits, attributes, n_attributes))
        adj = normalised_adjacency(edge_index, num_nodes)
        cold_adj = normalised_adjacency(torch.from_numpy(
            graph_edges(n_items, cat.cluster, [], attributes, n_attributes)), num_nodes)
        model = LightGCN(num_nodes, cfg.dim, cfg.layers)
        for conv in model.convs:
            conv.normalize = False
        optimizer = torch.optim.Adam(model.parameters(), lr=cfg.lr)
        pairs = training_pairs(outfits, cat.big_class)
        warm = np.zeros(n_items, dtype=bool)
        if outfits:
            warm[np.fromiter((i for o in outfits for i in o), dtype=np.int64)] = True
        sampler = NegativeSampler(cat.big_class, np.flatnonzero(warm))
        ego = torch.ones(num_nodes)
        ego[torch.from_numpy(np.flatnonzero(~warm))] = 0.0
        no_items = torch.ones(num_nodes)
        no_items[:n_items] = 0.0
        views = ((adj, ego), (cold_adj, no_items))  # the whole graph; attributes and clusters only
        best = (-1.0, 0, None)
        stale = 0
        self.log.setup_seconds = time.perf_counter() - setup_started
        bar = tqdm(range(1, epochs + 1), desc="LightGCN", disable=not cfg.progress, leave=False)
        for epoch in bar:
            if len(pairs) == 0:
                break
            epoch_started = time.perf_counter()
            order = rng.permutation(len(pairs))
            negatives = sampler.sample(pairs[:, 1], rng)
            uniform = rng.random(len(pairs)) < cfg.uniform_negative_share
            negatives[uniform] = sampler.sample_other_class(pairs[uniform, 0], rng)
            total = 0.0
            model.train()
            starts = range(0, len(order), cfg.batch_size)[:cfg.max_batches]
            for start in starts:
                batch = order[start:start + cfg.batch_size]
                nodes = torch.from_numpy(np.concatenate([pairs[batch, 0], pairs[batch, 1],
                                                         negatives[batch]]))
                emb = propagate(model, *views[0])[nodes]
                if cfg.cold_share > 0:
                    as_cold = torch.from_numpy(rng.random(len(nodes)) < cfg.cold_share)[:, None]
                    emb = torch.where(as_cold, propagate(model, *views[1])[nodes], emb)
                emb_q, emb_pos, emb_neg = emb.split(len(batch))
                pos_rank = (emb_q * emb_pos).sum(-1)
                neg_rank = (emb_q * emb_neg).sum(-1)
                nodes = nodes.unique()
                loss = model.recommendation_loss(pos_rank, neg_rank, node_id=nodes, lambda_reg=cfg.lambda_reg)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                total += float(loss.detach()) * len(batch)
            self.log.epoch_seconds.append(time.perf_counter() - epoch_started)
            self.log.batches.append(len(starts))
            self.log.losses.append(total / min(len(pairs), len(starts) * cfg.batch_size))
            postfix = {"loss": f"{self.log.losses[-1]:.4f}"}
            if val_pairs is not None and len(val_pairs):
                items, _ = self._embeddings(model, views, warm, n_items, n_clusters)
                hit = validation_hit_rate(items, cat.big_class, val_pairs)
                self.log.val_hits.append(hit)
                postfix["val_hit@10"] = f"{hit:.3f}"
                if hit > best[0]:
                    best, stale = (hit, epoch, copy.deepcopy(model.state_dict())), 0
                else:
                    stale += 1
                bar.set_postfix(postfix)
                if stale >= cfg.patience:
                    break
            else:
                bar.set_postfix(postfix)
        bar.close()
        self.log.epochs = len(self.log.losses)
        if best[2] is not None:
            model.load_state_dict(best[2])
            self.log.best_val_hit10, self.log.best_epoch = best[0], best[1]
        items, clusters = self._embeddings(model, views, warm, n_items, n_clusters)
        return model, items, clusters

    def fit(self, data: TrainingSet, val_outfits: list[list[int]] | None = None,
            epochs: int | None = None) -> LightGCNRanker:
        """Train on `data.outfits`; with `val_outfits`, stop early and keep the best epoch's weights."""
        started = time.perf_counter()
        cfg = self.config
        val_pairs = None
        if val_outfits:
            val_pairs = training_pairs(val_outfits, data.catalogue.big_class)
            if len(val_pairs) > cfg.val_queries:
                rng = np.random.default_rng(cfg.seed)
                val_pairs = val_pairs[rng.choice(len(val_pairs), cfg.val_queries, replace=False)]
        _, self.item_embedding, self.cluster_embedding = self._run(
            data, data.outfits, epochs or cfg.max_epochs, val_pairs)
        if val_pairs is None or not len(val_pairs):
            self.log.best_epoch = self.log.epochs
        self.log.seconds = time.perf_counter() - started
        return self


SCALE_PAIRS = 20_000


def embedding_scale(items: np.ndarray, warm: np.ndarray) -> float:
    """sqrt of the std of dot products over random pairs of seen items: dividing by it makes that std 1.

    The blend's weight is fitted on a LightGCN trained on part of the outfits and then applied to one
    trained on all of them (more steps, larger norms); on a fixed scale the weight carries over.
    """
    seen = np.flatnonzero(warm)
    if len(seen) < 2:
        return 1.0
    rng = np.random.default_rng(0)
    a, b = seen[rng.integers(len(seen), size=SCALE_PAIRS)], seen[rng.integers(len(seen), size=SCALE_PAIRS)]
    spread = float(np.std((items[a] * items[b]).sum(axis=1)))
    return float(np.sqrt(spread)) if spread > 1e-12 else 1.0


def validation_hit_rate(items: np.ndarray, big_class: np.ndarray, pairs: np.ndarray, k: int = 10) -> float:
    """HitRate@k of the partner among other-big-class items, by embedding dot product."""
    scores = items[pairs[:, 0]] @ items.T
    same = big_class[pairs[:, 0]][:, None] == big_class[None, :]
    scores[same] = -np.inf
    target = scores[np.arange(len(pairs)), pairs[:, 1]]
    better = (scores > target[:, None]).sum(axis=1)
    return float((better < k).mean())
