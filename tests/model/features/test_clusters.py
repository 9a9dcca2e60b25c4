"""Cluster keys are a pure function of (subcategory, colour): same across runs and insertion orders."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.features.clusters import cluster_index, cluster_key, parse_cluster_key
from model.features.vocab import ALL_SUBCATEGORIES, COLOR_FAMILIES

ITEMS = st.lists(st.tuples(st.sampled_from(sorted(ALL_SUBCATEGORIES)),
                           st.one_of(st.none(), st.sampled_from(COLOR_FAMILIES))), max_size=40)


def test_key_format() -> None:
    assert cluster_key("slacks", "navy") == "slacks:navy"
    assert cluster_key("slacks", None) == "slacks:unknown"
    assert parse_cluster_key("slacks:navy") == ("bottom", "slacks", "navy")
    assert parse_cluster_key("cap:unknown") == ("headwear", "cap", "unknown")


@pytest.mark.parametrize("bad", [("trousers", "navy"), ("slacks", "teal"), ("", None)])
def test_rejects_keys_outside_the_vocabulary(bad: tuple[str, str | None]) -> None:
    with pytest.raises(ValueError):
        cluster_key(*bad)


@pytest.mark.parametrize("bad", ["slacks", "slacks:teal", "x:navy", "slacks:navy:1", ""])
def test_parse_rejects_malformed(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_cluster_key(bad)


@settings(max_examples=100, deadline=None)
@given(items=ITEMS, data=st.data())
def test_same_keys_and_indices_in_any_insertion_order(items: list[tuple[str, str | None]],
                                                      data: st.DataObject) -> None:
    order = data.draw(st.permutations(range(len(items))))
    first = {index: cluster_key(*items[index]) for index in range(len(items))}
    second = {index: cluster_key(*items[index]) for index in order}
    assert first == second
    assert cluster_index(first.values()) == cluster_index(second[i] for i in order)
    assert sorted(cluster_index(first.values()).values()) == list(range(len(set(first.values()))))
