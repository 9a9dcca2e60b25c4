"""The in-memory index against a brute-force reference: it must never miss or invent a match."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from backend.services.search_index import CatalogueIndex, ItemFilters, bigrams, normalise, query_words

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
    words = query_words(query)
    expected = [n + 1 for n, t in enumerate(texts) if all(w in normalise(t) for w in words)]
    assert sorted(ids) == expected
    assert total == len(expected)


def test_bigrams_stay_inside_words() -> None:
    assert bigrams("오버핏셔츠 tee") == {"오버", "버핏", "핏셔", "셔츠", "te", "ee"}
    assert bigrams("a-b") == set()


def test_relevance_puts_names_starting_with_the_query_first() -> None:
    index = CatalogueIndex(_rows(["셔츠 자켓", "오버핏셔츠", "셔츠"]))
    ids, _ = index.search(ItemFilters(q="셔츠"), sort="relevance", page=1, page_size=10)
    assert ids == [3, 1, 2]  # names starting with 셔츠, most liked (likes = 2, 0) first; then the rest
