"""The in-memory index against a brute-force reference: it must never miss or invent a match."""

from __future__ import annotations

import gc
import weakref
from datetime import datetime
from types import SimpleNamespace
from unittest.mock import patch

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from backend.services.search_index import CatalogueIndex, ItemFilters, bigrams, normalise
from backend.services.search_terms import query_terms, query_words, term_in

ALPHABET = "셔츠오버핏데님팬 abAB-_%1"
names = st.text(alphabet=ALPHABET, min_size=0, max_size=12)


def _rows(texts: list[str]) -> list[SimpleNamespace]:
    return [SimpleNamespace(id=n + 1, name=t, brand=None, subcategory_raw=None, color_raw=None,
                            big_class="top", subcategory=None, color_family=None, gender=None,
                            price=None, likes=n % 3, is_recommendable=True, created_at=datetime(2026, 1, 1))
            for n, t in enumerate(texts)]


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(names, min_size=1, max_size=15), query=st.text(alphabet=ALPHABET, max_size=6))
def test_index_matches_exactly_the_items_containing_every_word(texts: list[str], query: str) -> None:
    index = CatalogueIndex(_rows(texts))
    ids, total = index.search(ItemFilters(q=query), sort="price", page=1, page_size=100)
    terms = query_terms(query)  # plain substrings, or any spelling of a synonym group (셔츠, 데님)
    expected = [n + 1 for n, t in enumerate(texts) if all(term_in(normalise(t), term) for term in terms)]
    assert sorted(ids) == expected
    assert total == len(expected)


#: Pieces of names where the synonym table matters: variants, a whole-word-only spelling (진, 티, s/s),
#: delimiters that end a word, and words that only contain a spelling (진한, 티셔츠).
PIECES = ["청바지", "데님", "진", "진한", "jeans", "자켓", "재킷", "셔츠", "티셔츠", "티", "s/s", "반팔",
          "short", "sleeve", "블랙", "black", " ", " ", "_", "[", "]", "-", "/"]
synonym_names = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)


@settings(max_examples=80, deadline=None)
@given(texts=st.lists(synonym_names, min_size=1, max_size=15),
       query=st.lists(st.sampled_from([p for p in PIECES if p.strip()] + [" "]), max_size=4).map("".join))
def test_index_matches_exactly_the_items_the_synonym_rule_accepts(texts: list[str], query: str) -> None:
    index = CatalogueIndex(_rows(texts))
    ids, total = index.search(ItemFilters(q=query), sort="relevance", page=1, page_size=100)
    terms = query_terms(query)
    expected = [n + 1 for n, t in enumerate(texts) if all(term_in(normalise(t), term) for term in terms)]
    assert sorted(ids) == expected
    assert total == len(expected)


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(names, max_size=20), word=st.text(alphabet=ALPHABET, min_size=1, max_size=4))
def test_starting_with_finds_exactly_the_texts_that_start_with_the_word(texts: list[str], word: str) -> None:
    index = CatalogueIndex(_rows(texts))
    word = normalise(word)
    expected = [n for n, t in enumerate(index.names.texts) if t.startswith(word)]
    assert index.names.starting_with(word).tolist() == expected


def test_bigrams_stay_inside_words() -> None:
    assert bigrams("오버핏셔츠 tee") == {"오버", "버핏", "핏셔", "셔츠", "te", "ee"}
    assert bigrams("a-b") == set()


def test_relevance_puts_names_starting_with_the_query_first() -> None:
    index = CatalogueIndex(_rows(["셔츠 자켓", "오버핏셔츠", "셔츠"]))
    ids, _ = index.search(ItemFilters(q="셔츠"), sort="relevance", page=1, page_size=10)
    assert ids == [3, 1, 2]  # names starting with 셔츠, most liked (likes = 2, 0) first; then the rest


@settings(max_examples=80, deadline=None)
@given(texts=st.lists(names, min_size=1, max_size=15), query=st.text(alphabet=ALPHABET, max_size=4),
       classes=st.lists(st.sampled_from(["top", "bottom", None]), min_size=15, max_size=15),
       wanted=st.sampled_from(["top", "bottom", "shoes", None]), page=st.integers(1, 4),
       sort=st.sampled_from(["relevance", "price", "-likes", "name"]))
def test_filters_and_pages_select_from_the_same_order(texts: list[str], query: str, classes: list,
                                                      wanted: str | None, page: int, sort: str) -> None:
    """A filter and a page select from the query's matches in display order (cached once per words and
    sort), exactly as filtering every item first would; a class no item has matches nothing."""
    rows = _rows(texts)
    for row, big_class in zip(rows, classes, strict=False):
        row.big_class = big_class
    index = CatalogueIndex(rows)
    everything, _ = index.search(ItemFilters(q=query), sort=sort, page=1, page_size=100)
    passing = {r.id for r in rows if wanted is None or r.big_class == wanted}
    expected = [i for i in everything if i in passing]
    ids, total = index.search(ItemFilters(q=query, big_class=wanted), sort=sort, page=page, page_size=3)
    assert total == len(expected)
    assert ids == expected[(page - 1) * 3:page * 3]


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(names, min_size=1, max_size=15),
       query=st.text(alphabet=ALPHABET, min_size=1, max_size=4),
       sort=st.sampled_from(["relevance", "price", "likes", "name"]))
def test_marking_places_or_sorting_the_matches_agree(texts: list[str], query: str, sort: str) -> None:
    """Many matches are ordered through a mask of their places in the sort order, few by sorting them:
    the same order (at this size every match set takes the mask)."""
    assume(query_words(query))  # `_ordered` serves queries with words
    index = CatalogueIndex(_rows(texts))
    marked = index._ordered(query, sort, True).tolist()
    with patch("backend.services.search_index.PLACE_MASK_SHARE", 2.0):  # never the mask
        sorted_ = CatalogueIndex(_rows(texts))._ordered(query, sort, True).tolist()
    assert marked == sorted_


def test_a_replaced_snapshot_is_freed_without_the_garbage_collector() -> None:
    """The indexer freezes each new snapshot out of the collector's scans (gc.freeze), so a snapshot with a
    reference cycle (say, an lru_cache over one of its own methods) would never be freed: one leaked
    catalogue per rebuild. Reference counting alone must free it, caches filled or not."""
    index = CatalogueIndex(_rows(["white shirt", "blue denim pants"]))
    index.search(ItemFilters(q="shirt"), sort="relevance", page=1, page_size=10)
    index.facets(ItemFilters(q="denim"))
    freed = weakref.ref(index)
    gc.disable()
    try:
        del index
        assert freed() is None
    finally:
        gc.enable()
