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
    attribute_codes,
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


def test_embedding_shapes_and_cold_items_come_from_their_attributes() -> None:
    data = random_training_set(0)
    rows = [{"id": i, "big_class": data.catalogue.big_class[i], "cluster_key": data.catalogue.cluster_keys[
        data.catalogue.cluster[i]], "name": f"n{i}", "brand": f"b{i % 5}"} for i in range(40)]
    rows[39] = {**rows[39], "cluster_key": rows[38]["cluster_key"], "brand": rows[38]["brand"],
                "big_class": rows[38]["big_class"]}  # cold 38 and 39: the same attributes
    data = TrainingSet(build_catalogue(rows), data.outfits)
    ranker = LightGCNRanker(config()).fit(data)
    assert ranker.item_embedding.shape == (40, 8)
    assert ranker.cluster_embedding.shape == (data.catalogue.n_clusters, 8)
    items = ranker.item_embedding
    # An unseen item has no embedding of its own: the same attributes give the same vector, others differ.
    np.testing.assert_allclose(items[38], items[39], rtol=1e-6)
    assert np.linalg.norm(items[38]) > 0 and not np.allclose(items[37], items[38])
    # ... and the brand it shares with seen items is what moves it: another brand, another vector.
    rows[39] = {**rows[39], "brand": "b0"}
    other = LightGCNRanker(config()).fit(TrainingSet(build_catalogue(rows), data.outfits)).item_embedding
    assert not np.allclose(other[39], items[38])


def test_attribute_nodes_by_hand() -> None:
    rows = [{"id": 0, "big_class": "top", "cluster_key": "shirt:white", "subcategory": "shirt",
             "color": "white", "name": "a", "brand": "Alpha", "collection": "2019"},
            {"id": 1, "big_class": "bottom", "cluster_key": "slacks:white", "subcategory": "slacks",
             "color": "white", "name": "b", "brand": "alpha ", "collection": "2020"},
            {"id": 2, "big_class": "top", "cluster_key": "shirt:navy", "subcategory": "shirt",
             "color": "navy", "name": "c", "brand": None, "collection": "2020"}]
    codes, n_nodes = attribute_codes(build_catalogue(rows))
    # fields: brand, subcategory, colour, garment type, collection; a value on one item only gets no node
    # (every garment type here is its own cluster's, so none is shared)
    assert codes.tolist() == [[0, 1, 2, -1, -1], [0, -1, 2, -1, 3], [-1, 1, -1, -1, 3]]
    assert n_nodes == 4
    edges = graph_edges(3, np.array([0, 1, 2]), [[0, 1]], codes, n_nodes)
    pairs = set(map(tuple, edges.T.tolist()))
    # nodes: items 0-2, clusters 3-5, attributes 6-9, outfit 10
    assert {(0, 3), (1, 4), (2, 5), (0, 6), (0, 7), (0, 8), (1, 6), (1, 8), (1, 9), (2, 7), (2, 9), (0, 10),
            (1, 10)} == {
        p for p in pairs if p[0] < 3}
    assert all((b, a) in pairs for a, b in pairs)


def test_without_lightgcn_every_score_is_zero() -> None:
    ranker = LightGCNRanker.constant(5, 2)
    assert ranker.item_embedding.shape == (5, 1) and not ranker.item_embedding.any()
    assert ranker.cluster_embedding.shape == (2, 1)


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


def test_max_batches_bounds_an_epoch_and_the_log_times_it() -> None:
    data = random_training_set(2)
    full = LightGCNRanker(config(max_epochs=2, batch_size=8)).fit(data).log
    part = LightGCNRanker(config(max_epochs=2, batch_size=8, max_batches=2)).fit(data).log
    assert full.batches[0] > 2 and part.batches == [2, 2]
    assert len(part.epoch_seconds) == 2 and min(part.epoch_seconds) > 0 and part.setup_seconds > 0


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
    # the other kind: any seen item of another class than the query's (item 4 is unseen)
    other = sampler.sample_other_class(np.array([0] * 100 + [1] * 100), np.random.default_rng(0))
    assert set(other[:100]) == {1, 2, 3} and set(other[100:]) == {0, 3}
    assert training_pairs([[0, 1, 2]], big).tolist() == [[0, 1], [0, 2], [1, 0], [2, 0]]
