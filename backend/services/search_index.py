"""In-memory bigram index of the catalogue: substring search, filters, facets and sorts in ~1 ms.

Why in memory: '셔츠' must find '오버핏셔츠'. FTS trigram tokenizers miss two-character Korean
words and `LIKE '%..%'` scans every row (about 0.3 s on 100,000 items); a bigram table in the
database answers the match but still pays thousands of row look-ups for the total count and the
sort. The backend therefore loads the searchable columns once (about 100 bytes an item) and keeps,
per two-character substring, the sorted positions of the items containing it. Filters, counts,
facets and page order are numpy operations on those positions; only the page's items are then
read from the database by primary key, so callers always get current data.

Matching rule (the same as the SQL fallback in `search.py`): every term of the query (a word, or a
phrase of the synonym table) matches the item's name, brand, raw category or raw colour through
one of its spellings (`search_terms`: 청바지 also finds 데님 and jeans): as a case-insensitive
substring, or as a whole word for spellings marked so. Whole-word spellings are looked up in a
word index built with the bigram index.

Relevance ranks, in order: the subcategory the query names (`셔츠` -> shirts before T-shirts), every
term found in the item's own name (not only in its category text), every term a whole word of the
name (`코튼 셔츠` before `티셔츠`), the name starting with the first word, then the most liked.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Literal

import numpy as np
from sqlalchemy import Connection, func, select

from backend.services.search_terms import (
    QueryTerm,
    Spelling,
    named_subcategories,
    normalise,
    padded_words,
    query_terms,
    query_words,
)
from db.models import Item

SortKey = Literal["relevance", "price", "-price", "likes", "-likes", "name", "newest"]
CODED_FIELDS = ("big_class", "subcategory", "color_family", "brand", "gender")
MAX_GRAMS = 6
FACET_LIMIT = 50
CACHE_SIZE = 1024  # distinct recent queries whose matching positions are kept (a few MB at most)
EMPTY = np.zeros(0, dtype=np.int32)


def alnum_runs(text: str) -> list[str]:
    """Maximal runs of letters and digits (Hangul counts as letters)."""
    runs: list[str] = []
    current: list[str] = []
    for char in text:
        if char.isalnum():
            current.append(char)
        elif current:
            runs.append("".join(current))
            current = []
    if current:
        runs.append("".join(current))
    return runs


def bigrams(text: str) -> set[str]:
    """Two-character substrings inside each alphanumeric run of already normalised text.

    A query's run is a substring of a single run of any text containing it (both are maximal
    alphanumeric runs), so its bigrams are always among that text's: the index never loses a match.
    """
    return {run[i:i + 2] for run in alnum_runs(text) for i in range(len(run) - 1)}


def other_text(brand: str | None, subcategory_raw: str | None, color_raw: str | None) -> str:
    """The fields other than the name an item is found by, one per line (a phrase never spans two)."""
    return "\n".join(normalise(part) for part in (brand, subcategory_raw, color_raw) if part)


def whole_words(text: str) -> str:
    """`padded_words` per line of a text: ' v ' in it means v is a whole word of one field."""
    return padded_words(text).replace("\n", " \n ")


def word_tokens(text: str) -> set[str]:
    """The whole words of `text`: exactly the v with ' v ' in whole_words(text)."""
    return set(whole_words(text).split(" ")) - {"", "\n"}


@dataclass
class TextMatch:
    """How a query is matched: grams looked up in the index, words confirmed as substrings."""

    grams: list[str] = field(default_factory=list)
    confirm: list[str] = field(default_factory=list)


def plan_text_match(words: Sequence[str]) -> TextMatch:
    """A word that is exactly one two-character run is decided by its bigram; others are confirmed."""
    all_grams = list(dict.fromkeys(g for word in words for g in sorted(bigrams(word))))
    confirm = [w for w in words if not (len(w) == 2 and alnum_runs(w) == [w])]
    if len(all_grams) > MAX_GRAMS:  # a few grams narrow enough; the substring check does the rest
        return TextMatch(all_grams[:MAX_GRAMS], list(words))
    return TextMatch(all_grams, confirm)


@dataclass(frozen=True)
class ItemFilters:
    """Structured filters shared by search and facets (values compared exactly)."""

    q: str | None = None
    big_class: str | None = None
    subcategory: str | None = None
    color_family: str | None = None
    brand: str | None = None
    gender: str | None = None
    min_price: int | None = None
    max_price: int | None = None
    recommendable_only: bool = True


COLUMNS = (Item.id, Item.name, Item.brand, Item.subcategory_raw, Item.color_raw, Item.big_class,
           Item.subcategory, Item.color_family, Item.gender, Item.price, Item.likes,
           Item.is_recommendable, Item.created_at)


def catalogue_signature(connection: Connection) -> tuple:
    """Changes whenever an item is added, removed or updated (updated_at is indexed: cheap)."""
    return tuple(connection.execute(
        select(func.count(Item.id), func.max(Item.id), func.max(Item.updated_at))).one())


class FieldPostings:
    """Bigram and whole-word postings of one text per item (the names, or the other fields)."""

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        grams: dict[str, list[int]] = {}
        words: dict[str, list[int]] = {}
        for position, text in enumerate(texts):
            for gram in bigrams(text):
                grams.setdefault(gram, []).append(position)
            for word in word_tokens(text):
                words.setdefault(word, []).append(position)
        self.grams = {g: np.asarray(p, dtype=np.int32) for g, p in grams.items()}
        self.words = {w: np.asarray(p, dtype=np.int32) for w, p in words.items()}
        self.term = lru_cache(maxsize=CACHE_SIZE)(self._term)  # per snapshot, like query results

    def substring(self, word: str) -> np.ndarray:
        """Positions whose text contains `word`."""
        plan = plan_text_match([word])
        if plan.grams:
            candidates = _intersect(self.grams.get(g, EMPTY) for g in plan.grams)
        else:
            candidates = np.arange(len(self.texts), dtype=np.int32)
        if plan.confirm and len(candidates):
            texts = self.texts
            candidates = np.asarray([p for p in candidates.tolist() if word in texts[p]], dtype=np.int32)
        return candidates

    def whole(self, spelling: Spelling) -> np.ndarray:
        """Positions where the spelling stands as a whole word (a phrase: its words side by side)."""
        tokens = spelling.words
        if not tokens:
            return EMPTY
        candidates = _intersect(self.words.get(t, EMPTY) for t in tokens)
        if len(tokens) > 1 and len(candidates):
            texts, padded = self.texts, spelling.padded
            candidates = np.asarray([p for p in candidates.tolist() if padded in whole_words(texts[p])],
                                    dtype=np.int32)
        return candidates

    def _term(self, term: QueryTerm, whole: bool = False) -> np.ndarray:
        """Positions where some spelling of the term matches (every spelling as a word when `whole`)."""
        found = [self.whole(s) if whole or s.whole else self.substring(s.text) for s in term.spellings]
        return _union(found, len(self.texts)) if len(found) > 1 else found[0]


def _intersect(arrays: Iterable[np.ndarray]) -> np.ndarray:
    """Sorted positions in every one of `arrays` (each sorted and unique, as postings are): a mask over the
    smallest one's range keeps the others' members in one pass each, where intersect1d sorts the two
    arrays together every time (most of a search's time at 1,000,000 items)."""
    ordered = sorted(arrays, key=len)
    result = ordered[0]
    for other in ordered[1:]:
        if not len(result):
            break
        mask = np.zeros(int(result[-1]) + 1, dtype=bool)
        mask[result] = True
        other = other[other <= result[-1]]
        result = other[mask[other]]
    return result


def _union(arrays: Iterable[np.ndarray], size: int) -> np.ndarray:
    """Sorted positions in any of `arrays` (a mask over all positions: far cheaper than union1d)."""
    mask = np.zeros(size, dtype=bool)
    for array in arrays:
        mask[array] = True
    return np.flatnonzero(mask).astype(np.int32)


class CatalogueIndex:
    """An immutable snapshot; build a new one to pick up changes (readers never see a half-built one)."""

    def __init__(self, rows: Sequence, signature: tuple = ()) -> None:
        self.signature = signature
        n = len(rows)
        self.size = n
        self.ids = np.fromiter((r.id for r in rows), dtype=np.int64, count=n)
        self.names = FieldPostings([normalise(r.name or "") for r in rows])
        self.others = FieldPostings([other_text(r.brand, r.subcategory_raw, r.color_raw) for r in rows])
        self.heads = np.array([name[:2] for name in self.names.texts], dtype="<U2")  # for 'starts with'

        self.recommendable = np.fromiter((bool(r.is_recommendable) for r in rows), dtype=bool, count=n)
        self.values: dict[str, list[str]] = {}
        self.codes: dict[str, np.ndarray] = {}
        for name in CODED_FIELDS:
            raw = [getattr(r, name) for r in rows]
            values = sorted({v for v in raw if v is not None})
            lookup = {v: code for code, v in enumerate(values)}
            self.values[name] = values
            self.codes[name] = np.fromiter((lookup.get(v, -1) for v in raw), dtype=np.int32, count=n)
        self.price = np.array([np.nan if r.price is None else r.price for r in rows], dtype=np.float64)
        self.ranks = {}  # sort key -> each position's place in that order (0 first)
        for sort, order in self._orders(rows).items():
            rank = np.empty(n, dtype=np.int64)
            rank[order] = np.arange(n)
            self.ranks[sort] = rank
        self._cache: OrderedDict[tuple[str, ...], np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()

    def _orders(self, rows: Sequence) -> dict[str, np.ndarray]:
        """Positions in display order for every sort key (NULLs last; ties by id)."""
        ids = self.ids
        likes = np.array([np.nan if r.likes is None else r.likes for r in rows], dtype=np.float64)
        created = np.array([r.created_at.timestamp() if isinstance(r.created_at, datetime) else np.nan
                            for r in rows], dtype=np.float64)

        def by(values: np.ndarray, descending: bool) -> np.ndarray:
            missing = np.isnan(values)
            filled = np.where(missing, 0.0, values)
            if descending:
                return np.lexsort((-ids, -filled, missing))
            return np.lexsort((ids, filled, missing))

        names = sorted(range(len(rows)), key=lambda p: (normalise(rows[p].name or ""), ids[p]))
        popular = by(likes, descending=True)
        return {"relevance": popular, "-likes": popular, "likes": by(likes, descending=False),
                "price": by(self.price, descending=False), "-price": by(self.price, descending=True),
                "name": np.asarray(names, dtype=np.int64), "newest": by(created, descending=True)}

    @classmethod
    def load(cls, connection: Connection, signature: tuple | None = None) -> CatalogueIndex:
        """A snapshot of the catalogue; pass `signature` when the caller has just read it."""
        if signature is None:
            signature = catalogue_signature(connection)
        rows = connection.execute(select(*COLUMNS).order_by(Item.id)).all()
        return cls(rows, signature)

    # --- queries -------------------------------------------------------------------------------

    def _text_candidates(self, terms: list[QueryTerm]) -> np.ndarray | None:
        """Positions whose text matches every term (None: no terms, everything matches).

        Results are remembered per snapshot (popular queries repeat; the snapshot never changes).
        """
        if not terms:
            return None
        key = tuple(term.word for term in terms)
        with self._cache_lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached
        candidates = _intersect(_union((self.names.term(term), self.others.term(term)), self.size)
                                for term in terms)
        with self._cache_lock:
            self._cache[key] = candidates
            if len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return candidates

    def _mask(self, filters: ItemFilters) -> np.ndarray:
        """Boolean mask over all positions of the items that match every filter and word."""
        candidates = self._text_candidates(query_terms(filters.q))
        if candidates is None:
            mask = np.ones(self.size, dtype=bool)
        else:
            mask = np.zeros(self.size, dtype=bool)
            mask[candidates] = True
        if filters.recommendable_only:
            mask &= self.recommendable
        for name in CODED_FIELDS:
            wanted = getattr(filters, name)
            if wanted is not None:
                code = _code_of(self.values[name], wanted)
                if code < 0:
                    return np.zeros(self.size, dtype=bool)
                mask &= self.codes[name] == code
        with np.errstate(invalid="ignore"):
            if filters.min_price is not None:
                mask &= self.price >= filters.min_price
            if filters.max_price is not None:
                mask &= self.price <= filters.max_price
        return mask

    def search(self, filters: ItemFilters, *, sort: SortKey, page: int,
               page_size: int) -> tuple[list[int], int]:
        """Item ids of one page in display order, and the total number of matches."""
        positions = np.flatnonzero(self._mask(filters))
        total = len(positions)
        start = (page - 1) * page_size
        if total == 0 or start >= total:
            return [], total
        key = self.ranks[sort][positions]
        words = query_words(filters.q)
        if sort == "relevance" and words:
            key = key + self._relevance_tiers(positions, words, query_terms(filters.q)) * self.size
        wanted = start + page_size
        if total > 2 * wanted:  # only the first pages are ever shown: partial sort
            top = np.argpartition(key, wanted - 1)[:wanted]
            chosen = top[np.argsort(key[top], kind="stable")]
        else:
            chosen = np.argsort(key, kind="stable")
        return self.ids[positions[chosen[start:wanted]]].tolist(), total

    def _relevance_tiers(self, positions: np.ndarray, words: list[str], terms: list[QueryTerm]) -> np.ndarray:
        """Per position 0-15, lower first: 8 not the named subcategory, 4 not every term in the name,
        2 not every term a whole word of the name, 1 the name does not start with the first word."""
        first, names = words[0], self.names.texts
        heads = self.heads[positions]
        near = heads == first[:2] if len(first) >= 2 else np.char.startswith(heads, first)
        starts = [p for p in positions[near].tolist() if names[p].startswith(first)]
        in_name = _intersect(self.names.term(term) for term in terms)
        whole = _intersect(self.names.term(term, True) for term in terms)
        tiers = (np.where(self._member(positions, starts), 0, 1)
                 + np.where(self._member(positions, whole), 0, 2)
                 + np.where(self._member(positions, in_name), 0, 4))
        wanted = [_code_of(self.values["subcategory"], s) for s in sorted(named_subcategories(terms))]
        wanted = [code for code in wanted if code >= 0]  # -1 would pick the items without one
        if named_subcategories(terms):
            tiers += np.where(np.isin(self.codes["subcategory"][positions], wanted), 0, 8)
        return tiers.astype(np.int64)

    def _member(self, positions: np.ndarray, members: Sequence[int] | np.ndarray) -> np.ndarray:
        """Per position, whether it is one of `members` (a mask over the catalogue: np.isin sorts both)."""
        mask = np.zeros(self.size, dtype=bool)
        mask[np.asarray(members, dtype=np.int64)] = True
        return mask[positions]

    def facets(self, filters: ItemFilters) -> dict[str, list[dict]]:
        """Counts per big class, subcategory, colour family and brand among the matching items."""
        mask = self._mask(filters)
        result = {}
        for key, name in (("big_classes", "big_class"), ("subcategories", "subcategory"),
                          ("colors", "color_family"), ("brands", "brand")):
            codes = self.codes[name][mask]
            counts = np.bincount(codes[codes >= 0], minlength=len(self.values[name]))
            present = np.flatnonzero(counts)
            ranked = sorted(present.tolist(), key=lambda c: (-counts[c], self.values[name][c]))[:FACET_LIMIT]
            result[key] = [{"value": self.values[name][c], "count": int(counts[c])} for c in ranked]
        return result


def _code_of(values: list[str], wanted: str) -> int:
    """Index of `wanted` in sorted `values`, or -1."""
    index = bisect_left(values, wanted)
    return index if index < len(values) and values[index] == wanted else -1
