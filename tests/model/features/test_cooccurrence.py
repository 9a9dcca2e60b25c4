"""Co-occurrence counts: definitions checked against a brute-force count."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.features.cooccurrence import build_cooccurrence


def _brute_force(outfits, item_cluster, n_items, n_clusters):
    item_item = np.zeros((n_items, n_items), dtype=int)
    cluster_cluster = np.zeros((n_clusters, n_clusters), dtype=int)
    for outfit in outfits:
        members = sorted(set(outfit))
        for i, j in itertools.permutations(members, 2):
            item_item[i, j] += 1
        pairs = {(item_cluster[i], item_cluster[j]) for i, j in itertools.permutations(members, 2)
                 if item_cluster[i] >= 0 and item_cluster[j] >= 0}
        for a, b in pairs:
            cluster_cluster[a, b] += 1
    item_pop = np.array([sum(i in set(o) for o in outfits) for i in range(n_items)])
    cluster_pop = np.array([sum(any(item_cluster[i] == c for i in set(o)) for o in outfits)
                            for c in range(n_clusters)])
    return item_item, cluster_cluster, item_pop, cluster_pop


def test_small_example_by_hand() -> None:
    result = build_cooccurrence([[0, 1, 2], [1, 2], [2, 3, 3], [0, 4]], [0, 0, 1, -1, 1], 5, 2)
    assert result.item_item[1, 2] == 2 and result.item_item[2, 1] == 2
    assert result.item_item.diagonal().sum() == 0
    # clusters 0 and 1 meet in outfits 1, 2 and 4; cluster 0 pairs with itself once (items 0 and 1)
    assert result.cluster_cluster.toarray().tolist() == [[1, 3], [3, 0]]
    assert result.item_popularity.tolist() == [2, 2, 3, 1, 1]
    assert result.cluster_popularity.tolist() == [3, 4]
    assert result.n_outfits == 4


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_matches_brute_force(data: st.DataObject) -> None:
    n_items = data.draw(st.integers(1, 12))
    n_clusters = data.draw(st.integers(1, 5))
    item_cluster = data.draw(st.lists(st.integers(-1, n_clusters - 1), min_size=n_items, max_size=n_items))
    outfits = data.draw(st.lists(st.lists(st.integers(0, n_items - 1), max_size=6), max_size=15))
    result = build_cooccurrence(outfits, item_cluster, n_items, n_clusters)
    expected = _brute_force(outfits, item_cluster, n_items, n_clusters)
    item_item, cluster_cluster, item_pop, cluster_pop = expected
    assert result.item_item.format == "csr" and result.cluster_cluster.format == "csr"
    assert (result.item_item.toarray() == item_item).all()
    assert (result.cluster_cluster.toarray() == cluster_cluster).all()
    assert (result.item_popularity == item_pop).all()
    assert (result.cluster_popularity == cluster_pop).all()


def test_rejects_out_of_range_indices() -> None:
    with pytest.raises(ValueError, match="item index"):
        build_cooccurrence([[0, 5]], [0, 0], 2, 1)
    with pytest.raises(ValueError, match="cluster index"):
        build_cooccurrence([[0, 1]], [0, 3], 2, 1)
    with pytest.raises(ValueError, match="one entry per item"):
        build_cooccurrence([[0, 1]], [0], 2, 1)


def test_empty_input() -> None:
    result = build_cooccurrence([], np.zeros(0, dtype=int), 0, 0)
    assert result.item_item.shape == (0, 0) and result.n_outfits == 0
