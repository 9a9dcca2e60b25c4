"""LightGCN ranker on a graph of items, outfits and cluster nodes.

Why this shape: MUSINSA items mostly appear in one outfit, so an item seen in no training outfit must
still get an embedding. Every item is linked to its cluster node ('slacks:navy'); an unseen item is
scored through its cluster's embedding. Positives are (query, partner) pairs from training outfits with
different big classes; negatives are drawn from the partner's big class, so the model must learn which
*items* go together, not merely which categories do.
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

from model.recommender.data import TrainingSet, training_pairs


@dataclass
class LightGCNConfig:
    dim: int = 16
    layers: int = 3
    lr: float = 0.01
    batch_size: int = 8192
    max_epochs: int = 40
    # Validation HitRate on the Mango split dips after epoch 1 and recovers past it around epoch 10-17:
    # with patience 3 and 400 noisy validation pairs (+-0.015) the search always stopped at epoch 1.
    patience: int = 8
    lambda_reg: float = 1e-4
    val_queries: int = 2000
    seed: int = 0
    progress: bool = True
    # Share of training outfits hidden from the graph each epoch and used as its positives, so the model
    # learns to find partners of outfits it cannot see (as at test time) instead of memorising 2-hop paths.
    hide_share: float = 0.0  # 0.5 measured worse on the Mango split (HitRate@10 0.092 vs 0.135)


@dataclass
class TrainLog:
    epochs: int = 0
    best_epoch: int = 0
    best_val_hit10: float = float("nan")
    losses: list[float] = field(default_factory=list)
    val_hits: list[float] = field(default_factory=list)
    seconds: float = 0.0


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


def propagate(model: LightGCN, adjacency: torch.Tensor) -> torch.Tensor:
    """LightGCN's layer combination (same as `model.get_embedding`) with the symmetric sparse product."""
    x = model.embedding.weight
    out = x * model.alpha[0]
    for layer in range(model.num_layers):
        x = _SymmetricPropagate.apply(adjacency, x)
        out = out + x * model.alpha[layer + 1]
    return out


def graph_edges(n_items: int, item_cluster: np.ndarray, outfits: list[list[int]]) -> np.ndarray:
    """Undirected edge_index [2, E]: item-cluster and item-outfit links. Nodes: items, clusters, outfits."""
    n_clusters = int(item_cluster.max()) + 1 if n_items else 0
    items = np.arange(n_items)
    cluster_nodes = n_items + item_cluster
    outfit_items = np.fromiter((i for o in outfits for i in o), dtype=np.int64)
    outfit_nodes = n_items + n_clusters + np.repeat(np.arange(len(outfits)), [len(o) for o in outfits])
    src = np.concatenate([items, outfit_items])
    dst = np.concatenate([cluster_nodes, outfit_nodes])
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
        self.pools = [candidates[self.code_of[candidates] == c] for c in range(len(codes))]

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
        self.item_embedding: np.ndarray | None = None  # [n_items, d], cold items use their cluster's
        self.cluster_embedding: np.ndarray | None = None
        self.log = TrainLog()

    # -- training -------------------------------------------------------------------------------------
    def _embeddings(self, model: LightGCN, adj: torch.Tensor, n_items: int, n_clusters: int,
                    warm: np.ndarray, item_cluster: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        with torch.no_grad():
            out = propagate(model, adj).numpy()
        items = out[:n_items].copy()
        clusters = out[n_items:n_items + n_clusters].copy()
        items[~warm] = clusters[item_cluster[~warm]]
        return items, clusters

    def _run(self, data: TrainingSet, outfits: list[list[int]], epochs: int,
             val_pairs: np.ndarray | None) -> tuple[LightGCN, np.ndarray, np.ndarray]:
        cfg = self.config
        cat = data.catalogue
        n_items, n_clusters = len(cat), cat.n_clusters
        torch.manual_seed(cfg.seed)
        rng = np.random.default_rng(cfg.seed)
        num_nodes = n_items + n_clusters + len(outfits)
        edge_index = torch.from_numpy(graph_edges(n_items, cat.cluster, outfits))
        adj = normalised_adjacency(edge_index, num_nodes)
        model = LightGCN(num_nodes, cfg.dim, cfg.layers)
        for conv in model.convs:
            conv.normalize = False
        optimizer = torch.optim.Adam(model.parameters(), lr=cfg.lr)
        pairs = training_pairs(outfits, cat.big_class)
        warm = np.zeros(n_items, dtype=bool)
        if outfits:
            warm[np.fromiter((i for o in outfits for i in o), dtype=np.int64)] = True
        sampler = NegativeSampler(cat.big_class, np.flatnonzero(warm))
        best = (-1.0, 0, None)
        stale = 0
        bar = tqdm(range(1, epochs + 1), desc="LightGCN", disable=not cfg.progress, leave=False)
        for epoch in bar:
            if len(pairs) == 0:
                break
            epoch_adj, epoch_pairs = adj, pairs
            if cfg.hide_share > 0 and len(outfits) >= 10:
                hidden = rng.random(len(outfits)) < cfg.hide_share
                shown = [[] if h else o for o, h in zip(outfits, hidden, strict=True)]
                epoch_adj = normalised_adjacency(
                    torch.from_numpy(graph_edges(n_items, cat.cluster, shown)), num_nodes)
                epoch_pairs = training_pairs([o for o, h in zip(outfits, hidden, strict=True) if h],
                                             cat.big_class)
                if not len(epoch_pairs):
                    epoch_adj, epoch_pairs = adj, pairs
            order = rng.permutation(len(epoch_pairs))
            negatives = sampler.sample(epoch_pairs[:, 1], rng)
            total = 0.0
            model.train()
            for start in range(0, len(order), cfg.batch_size):
                batch = order[start:start + cfg.batch_size]
                nodes = torch.from_numpy(np.concatenate([epoch_pairs[batch, 0], epoch_pairs[batch, 1],
                                                         negatives[batch]]))
                emb_q, emb_pos, emb_neg = propagate(model, epoch_adj)[nodes].split(len(batch))
                pos_rank = (emb_q * emb_pos).sum(-1)
                neg_rank = (emb_q * emb_neg).sum(-1)
                nodes = nodes.unique()
                loss = model.recommendation_loss(pos_rank, neg_rank, node_id=nodes, lambda_reg=cfg.lambda_reg)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                total += float(loss.detach()) * len(batch)
            self.log.losses.append(total / len(epoch_pairs))
            postfix = {"loss": f"{self.log.losses[-1]:.4f}"}
            if val_pairs is not None and len(val_pairs):
                items, _ = self._embeddings(model, adj, n_items, n_clusters, warm, cat.cluster)
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
        items, clusters = self._embeddings(model, adj, n_items, n_clusters, warm, cat.cluster)
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


def validation_hit_rate(items: np.ndarray, big_class: np.ndarray, pairs: np.ndarray, k: int = 10) -> float:
    """HitRate@k of the partner among other-big-class items, by embedding dot product."""
    scores = items[pairs[:, 0]] @ items.T
    same = big_class[pairs[:, 0]][:, None] == big_class[None, :]
    scores[same] = -np.inf
    target = scores[np.arange(len(pairs)), pairs[:, 1]]
    better = (scores > target[:, None]).sum(axis=1)
    return float((better < k).mean())
