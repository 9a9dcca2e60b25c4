"""LightGCN training on tiny random graphs: shapes, determinism, a decreasing loss, cold items."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from model.recommender.data import TrainingSet, build_catalogue
from model.recommender.lightgcn import (
    LightGCNConfig,
    LightGCNRanker,
    NegativeSampler,
    graph_edges,
    normalised_adjacency,
    propagate,
    training_pairs,
)


def random_training_set(seed: int, n_items: int = 40, n_outfits: int = 60) -> TrainingSet:
    rng = np.random.default_rng(seed)
    classes = ["top", "bottom", "shoes"]
    rows = [{"id": i, "big_class": classes[i % 3], "cluster_key": f"c{i % 6}:x", "name": f"n{i}",
             "brand": None} for i in range(n_items)]
    warm = n_items - 4  # the last four items appear in no outfit
    outfits = [sorted({int(x) for x in rng.choice(warm, size=3, replace=False)}) for _ in range(n_outfits)]
    return TrainingSet(build_catalogue(rows), outfits)


def config(**kw) -> LightGCNConfig:
    return LightGCNConfig(**{"dim": 8, "layers": 2, "max_epochs": 15, "batch_size": 32, "progress": False,
                             "lr": 0.05, **kw})


def test_embedding_shapes_and_cold_items_use_their_cluster() -> None:
    data = random_training_set(0)
    ranker = LightGCNRanker(config()).fit(data)
    assert ranker.item_embedding.shape == (40, 8)
    assert ranker.cluster_embedding.shape == (data.catalogue.n_clusters, 8)
    for cold in range(36, 40):
        np.testing.assert_array_equal(ranker.item_embedding[cold],
                                      ranker.cluster_embedding[data.catalogue.cluster[cold]])


def test_same_seed_same_embeddings_other_seed_differs() -> None:
    data = random_training_set(1)
    first = LightGCNRanker(config(seed=7)).fit(data).item_embedding
    again = LightGCNRanker(config(seed=7)).fit(data).item_embedding
    other = LightGCNRanker(config(seed=8)).fit(data).item_embedding
    np.testing.assert_array_equal(first, again)
    assert not np.allclose(first, other)


def test_loss_decreases() -> None:
    ranker = LightGCNRanker(config(max_epochs=20)).fit(random_training_set(2))
    losses = ranker.log.losses
    assert len(losses) == 20
    assert losses[-1] < 0.8 * losses[0]


def test_early_stopping_keeps_the_best_epoch() -> None:
    data = random_training_set(3)
    held = data.outfits[:10]
    part = TrainingSet(data.catalogue, data.outfits[10:])
    ranker = LightGCNRanker(config(max_epochs=30, patience=2)).fit(part, val_outfits=held)
    log = ranker.log
    assert 1 <= log.best_epoch <= log.epochs <= 30
    assert log.best_val_hit10 == pytest.approx(max(log.val_hits))


def test_graph_links_items_clusters_and_outfits_symmetrically() -> None:
    cluster = np.array([0, 1, 1])
    edges = graph_edges(3, cluster, [[0, 2]])
    pairs = set(map(tuple, edges.T.tolist()))
    # nodes: items 0-2, clusters 3-4, outfit 5
    assert {(0, 3), (1, 4), (2, 4), (0, 5), (2, 5)} <= pairs
    assert all((b, a) in pairs for a, b in pairs)


def test_symmetric_propagation_matches_pyg_gradients() -> None:
    from torch_geometric.nn.models import LightGCN

    edges = torch.from_numpy(graph_edges(4, np.array([0, 0, 1, 1]), [[0, 2], [1, 3]]))
    adjacency = normalised_adjacency(edges, 8)
    torch.manual_seed(0)
    model = LightGCN(8, 4, 2)
    ours = propagate(model, adjacency)
    ours.pow(2).sum().backward()
    ours_grad = model.embedding.weight.grad.clone()
    model.zero_grad()
    reference = model.get_embedding(edges)
    reference.pow(2).sum().backward()
    torch.testing.assert_close(ours, reference)
    torch.testing.assert_close(ours_grad, model.embedding.weight.grad)


def test_negatives_come_from_the_partner_big_class() -> None:
    big = np.array(["top", "bottom", "bottom", "shoes", "bottom"], dtype=object)
    sampler = NegativeSampler(big, np.array([0, 1, 2, 3]))
    drawn = sampler.sample(np.array([1] * 50 + [3] * 10), np.random.default_rng(0))
    assert set(drawn[:50]) <= {1, 2} and set(drawn[50:]) == {3}
    assert training_pairs([[0, 1, 2]], big).tolist() == [[0, 1], [0, 2], [1, 0], [2, 0]]
