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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, TypeVar

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
    synonym_table,
)
from db.models import Item

SortKey = Literal["relevance", "price", "-price", "likes", "-likes", "name", "newest"]
CODED_FIELDS = ("big_class", "subcategory", "color_family", "brand", "gender")
MAX_GRAMS = 6
FACET_LIMIT = 50
CACHE_SIZE = 1024  # distinct recent terms whose matching positions are kept, per field
PAGE_CACHE_SIZE = 4096  # recent (filters, sort, page) answers kept: a popular query's first page repeats
CACHE_POSITIONS = 16_000_000  # positions (int32) kept for recent queries' matches in display order: 64 MB
SORT_UNION_FACTOR = 64  # below size / this many positions, a union sorts them instead of a pass over all
PLACE_MASK_SHARE = 1 / 32  # from this share of the catalogue on, matches are ordered through a mask of places
T = TypeVar("T")
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
    """Two-character substrings inside each alphanumeric run of already normalised text (a run's bigrams
    find the runs that may contain a query word)."""
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
    """Postings of one text per item (the names, or the other fields): per alphanumeric run (a word of
    letters and digits), the items whose text has it; per bigram, the runs containing it; and per whole
    word (`word_tokens`), its items.

    A query word of letters and digits sits inside one run of any text containing it (both are maximal
    runs), so its matches are exactly the items of the runs that contain it: the few thousand distinct
    runs are confirmed with `in`, never the items (tens of thousands for a common word at 1,000,000
    items, which cost about 20 ms in Python).
    """

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        run_ids: dict[str, int] = {}
        run_items: list[list[int]] = []
        words: dict[str, list[int]] = {}
        first_run = np.full(len(texts), -1, dtype=np.int64)
        for position, text in enumerate(texts):
            runs = alnum_runs(text)
            for run in set(runs):
                number = run_ids.setdefault(run, len(run_ids))
                if number == len(run_items):
                    run_items.append([])
                run_items[number].append(position)
            if runs and text.startswith(runs[0]):
                first_run[position] = run_ids[runs[0]]
            for word in word_tokens(text):
                words.setdefault(word, []).append(position)
        self.runs = list(run_ids)
        lengths = np.fromiter((len(p) for p in run_items), dtype=np.int64, count=len(run_items))
        self.run_start = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        self.run_positions = (np.fromiter((p for part in run_items for p in part), dtype=np.int32,
                                          count=int(self.run_start[-1])))
        grams: dict[str, list[int]] = {}
        for number, run in enumerate(self.runs):
            for gram in bigrams(run):
                grams.setdefault(gram, []).append(number)
        self.run_grams = {g: np.asarray(r, dtype=np.int32) for g, r in grams.items()}
        # the items whose text starts with each run, grouped by run (as run_positions is), so a prefix
        # query gathers its runs' slices instead of passing over every item
        starting = np.flatnonzero(first_run >= 0)
        by_first = starting[np.argsort(first_run[starting], kind="stable")].astype(np.int32)
        self.first_start = np.concatenate([[0], np.cumsum(np.bincount(first_run[starting],
                                                                      minlength=len(self.runs)))])
        self.first_positions = by_first
        self.words = {w: np.asarray(p, dtype=np.int32) for w, p in words.items()}
        self._terms = BoundedCache(CACHE_SIZE, weight=lambda _: 1)  # per snapshot, like query results
        self._confirmed = BoundedCache(CACHE_POSITIONS // 4)  # words with a space or punctuation inside

    def runs_containing(self, piece: str) -> np.ndarray:
        """Numbers of the runs that contain `piece` (letters and digits only)."""
        if len(piece) >= 2:
            candidates = _intersect(self.run_grams.get(gram, EMPTY) for gram in bigrams(piece))
        else:
            candidates = np.arange(len(self.runs), dtype=np.int32)
        runs = self.runs
        return np.asarray([r for r in candidates.tolist() if piece in runs[r]], dtype=np.int32)

    def items_of_runs(self, numbers: np.ndarray) -> np.ndarray:
        """Sorted positions of the items having any of the runs."""
        return _union([_slices_of(self.run_positions, self.run_start, numbers)], len(self.texts))

    def substring(self, word: str) -> np.ndarray:
        """Positions whose text contains `word`."""
        pieces = alnum_runs(word)
        if pieces == [word]:
            return self.items_of_runs(self.runs_containing(word))
        # punctuation or spaces inside (데님 팬츠, t-shirt): every piece is in some run, then the whole is
        # confirmed item by item, which costs ~0.1 s for a common phrase at 1,000,000 items: remembered,
        # and the synonym table's phrases are looked up when the index is built (`warm`)
        def confirmed() -> np.ndarray:
            if pieces:
                candidates = _intersect(self.items_of_runs(self.runs_containing(p)) for p in pieces)
            else:
                candidates = np.arange(len(self.texts), dtype=np.int32)
            texts = self.texts
            return np.asarray([p for p in candidates.tolist() if word in texts[p]], dtype=np.int32)

        return self._confirmed.remember((word,), confirmed)

    def warm(self, spellings: Iterable[Spelling]) -> None:
        """Look up the spellings that need an item-by-item confirmation now, not in a shopper's request."""
        for spelling in spellings:
            if not spelling.whole and alnum_runs(spelling.text) != [spelling.text]:
                self.substring(spelling.text)
            if len(spelling.words) > 1:
                self.whole(spelling)

    def starting_with(self, word: str) -> np.ndarray:
        """Positions whose text starts with `word`."""
        pieces = alnum_runs(word)
        if pieces == [word]:
            runs = self.runs
            matching = self.runs_containing(word)
            starting = matching[[runs[r].startswith(word) for r in matching.tolist()]]
            return _union([_slices_of(self.first_positions, self.first_start, starting)], len(self.texts))
        texts = self.texts
        return np.asarray([p for p in self.substring(word).tolist() if texts[p].startswith(word)],
                          dtype=np.int32)

    def whole(self, spelling: Spelling) -> np.ndarray:
        """Positions where the spelling stands as a whole word (a phrase: its words side by side)."""
        tokens = spelling.words
        if not tokens:
            return EMPTY
        candidates = _intersect(self.words.get(t, EMPTY) for t in tokens)
        if len(tokens) > 1 and len(candidates):  # a phrase: confirmed item by item, so remembered
            texts, padded = self.texts, spelling.padded
            return self._confirmed.remember(("whole", padded), lambda: np.asarray(
                [p for p in candidates.tolist() if padded in whole_words(texts[p])], dtype=np.int32))
        return candidates

    def term(self, term: QueryTerm, whole: bool = False) -> np.ndarray:
        """Positions where some spelling of the term matches (every spelling as a word when `whole`)."""
        def compute() -> np.ndarray:
            found = [self.whole(s) if whole or s.whole else self.substring(s.text) for s in term.spellings]
            return _union(found, len(self.texts)) if len(found) > 1 else found[0]

        return self._terms.remember((term, whole), compute)


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
    """Sorted positions in any of `arrays`: a sort when they are few, else a mask over all positions
    (a pass over the whole catalogue, far cheaper than union1d for many)."""
    arrays = list(arrays)
    if sum(len(a) for a in arrays) * SORT_UNION_FACTOR < size:
        return np.unique(np.concatenate(arrays)).astype(np.int32) if arrays else EMPTY
    mask = np.zeros(size, dtype=bool)
    for array in arrays:
        mask[array] = True
    return np.flatnonzero(mask).astype(np.int32)


def _slices_of(positions: np.ndarray, start: np.ndarray, numbers: np.ndarray) -> np.ndarray:
    """The groups `numbers` of a grouped array (group g is positions[start[g]:start[g + 1]]), gathered
    at once: offsets within each slice plus its start."""
    starts = start[numbers]
    lengths = start[numbers + 1] - starts
    total = int(lengths.sum())
    if not total:
        return EMPTY
    offsets = np.arange(total) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return positions[np.repeat(starts, lengths) + offsets]


class BoundedCache:
    """Least recently used values, bounded by their total weight: by default their length (a query matching
    most of a 1,000,000-item catalogue holds megabytes; a count bound alone could not cap the memory).

    Plain attributes, no bound methods kept: unlike `lru_cache` over a method, a snapshot holding it has no
    reference cycle, so reference counting frees a replaced snapshot even though the indexer froze it out of
    the garbage collector's reach (`gc.freeze`)."""

    def __init__(self, budget: int, weight: Callable[[Any], int] = len) -> None:
        self.budget = budget
        self.weight = weight
        self.held = 0
        self._arrays: OrderedDict[tuple, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Any | None:  # noqa: ANN401 - whatever was put
        with self._lock:
            found = self._arrays.get(key)
            if found is not None:
                self._arrays.move_to_end(key)
            return found

    def put(self, key: tuple, value: T) -> T:
        with self._lock:
            if key not in self._arrays and self.weight(value) <= self.budget:
                self._arrays[key] = value
                self.held += self.weight(value)
                while self.held > self.budget:
                    self.held -= self.weight(self._arrays.popitem(last=False)[1])
            return value

    def remember(self, key: tuple, compute: Callable[[], T]) -> T:
        """The value kept for `key`, else `compute()` (kept if it fits)."""
        found = self.get(key)
        return found if found is not None else self.put(key, compute())


class CatalogueIndex:
    """An immutable snapshot; build a new one to pick up changes (readers never see a half-built one)."""

    def __init__(self, rows: Sequence, signature: tuple = ()) -> None:
        self.signature = signature
        n = len(rows)
        self.size = n
        self.ids = np.fromiter((r.id for r in rows), dtype=np.int64, count=n)
        self.names = FieldPostings([normalise(r.name or "") for r in rows])
        self.others = FieldPostings([other_text(r.brand, r.subcategory_raw, r.color_raw) for r in rows])

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
        self.orders = {}  # sort key -> positions in that order
        for sort, order in self._orders(rows).items():
            rank = np.empty(n, dtype=np.int32)
            rank[order] = np.arange(n)
            self.ranks[sort], self.orders[sort] = rank, order.astype(np.int32)
        self._cache = BoundedCache(CACHE_POSITIONS)  # queries' matches in display order
        self._terms = BoundedCache(CACHE_POSITIONS // 4)  # single terms' matches
        self._pages = BoundedCache(PAGE_CACHE_SIZE, weight=lambda _: 1)  # a snapshot never changes
        spellings = sorted({s for group, _ in synonym_table().groups.values() for s in group},
                           key=lambda s: (s.text, s.whole))
        for field_postings in (self.names, self.others):
            field_postings.warm(spellings)

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

    def _text_candidates(self, terms: list[QueryTerm]) -> np.ndarray:
        """Positions whose text matches every term. Each term's matches are remembered: shoppers combine
        the same words in ever new ways, so a new query is mostly known terms (the combination is not
        remembered here: `_ordered` keeps it in display order, the only form searches read)."""
        return _intersect(self._term_matches(term) for term in terms)

    def _term_matches(self, term: QueryTerm) -> np.ndarray:
        """Positions whose name or other text matches the term."""
        return self._terms.remember((term,), lambda: _union((self.names.term(term), self.others.term(term)),
                                                             self.size))

    def _kept(self, filters: ItemFilters, positions: np.ndarray | slice, recommendable: bool = True
              ) -> np.ndarray | None:
        """Per position (all of them for slice(None)), whether it passes the structured filters (without
        `recommendable_only` when `recommendable` is False); None when no filter applies."""
        keep = self.recommendable[positions].copy() if filters.recommendable_only and recommendable else None
        checks = []
        for name in CODED_FIELDS:
            wanted = getattr(filters, name)
            if wanted is not None:
                codes, code = self.codes[name][positions], _code_of(self.values[name], wanted)
                checks.append(codes == code if code >= 0 else np.zeros(len(codes), dtype=bool))
        with np.errstate(invalid="ignore"):  # NaN prices pass neither bound
            if filters.min_price is not None:
                checks.append(self.price[positions] >= filters.min_price)
            if filters.max_price is not None:
                checks.append(self.price[positions] <= filters.max_price)
        for check in checks:
            keep = check if keep is None else keep & check
        return keep

    def _mask(self, filters: ItemFilters) -> np.ndarray:
        """Boolean mask over all positions of the items that match every filter and word (with words, from
        the remembered relevance order a search for the same words has usually just computed)."""
        if not query_words(filters.q):
            keep = self._kept(filters, slice(None))
            return np.ones(self.size, dtype=bool) if keep is None else keep
        matching = self._ordered(filters.q, "relevance", filters.recommendable_only)
        keep = self._kept(filters, matching, recommendable=False)
        mask = np.zeros(self.size, dtype=bool)
        mask[matching if keep is None else matching[keep]] = True
        return mask

    def _ordered(self, q: str, sort: SortKey, recommendable_only: bool) -> np.ndarray:
        """Positions matching the query's words (and recommendable, when asked), in display order
        (remembered: the work is per words and sort, and a filter or another page then only selects
        from it)."""
        words = query_words(q)
        return self._cache.remember(("order", sort, recommendable_only, *words),
                                    lambda: self._order(q, words, sort, recommendable_only))

    def _order(self, q: str, words: list[str], sort: SortKey, recommendable_only: bool) -> np.ndarray:
        """`_ordered`'s work: the matches, put in display order."""
        terms = query_terms(q)
        positions = self._text_candidates(terms)
        if recommendable_only:
            positions = positions[self.recommendable[positions]]
        order, relevance = self.orders[sort], sort == "relevance"
        if len(positions) >= PLACE_MASK_SHARE * self.size:
            # mark each match's place in the sort order, then read the marks in order: a scatter of the
            # matches and one pass over a bool per item, 2-3x cheaper than gathering all n places
            placed = np.zeros(self.size, dtype=bool)
            placed[self.ranks[sort][positions]] = True
            ranked = order[np.flatnonzero(placed)]
            if relevance:  # tiers 0-15 first, the sort order within each (a stable radix sort)
                ranked = ranked[np.argsort(self._relevance_tiers(ranked, words, terms), kind="stable")]
        else:  # one sort of (tier, place in the sort order) keys; places are unique, so no ties
            places = self.ranks[sort][positions].astype(np.int64)
            if relevance:
                places += self._relevance_tiers(positions, words, terms).astype(np.int64) * self.size
            ranked = order[np.sort(places) % self.size]
        return ranked

    def search(self, filters: ItemFilters, *, sort: SortKey, page: int,
               page_size: int) -> tuple[list[int], int]:
        """Item ids of one page in display order, and the total number of matches."""
        ids, total = self._pages.remember((filters, sort, page, page_size), lambda: self._search(
            filters, sort=sort, page=page, page_size=page_size))
        return list(ids), total

    def _search(self, filters: ItemFilters, *, sort: SortKey, page: int,
                page_size: int) -> tuple[tuple[int, ...], int]:
        """`search`'s answer, as a tuple to be remembered.

        With words, the matches in display order come from `_ordered` and the filters are checked on
        them only (no pass over the whole catalogue); without, every position is filtered and sorted."""
        start = (page - 1) * page_size
        wanted = start + page_size
        if query_words(filters.q):
            ordered = self._ordered(filters.q, sort, filters.recommendable_only)
            keep = self._kept(filters, ordered, recommendable=False)
            matching = ordered if keep is None else ordered[keep]
            return tuple(self.ids[matching[start:wanted]].tolist()), len(matching)
        positions = np.flatnonzero(self._mask(filters))
        total = len(positions)
        if total == 0 or start >= total:
            return (), total
        key = self.ranks[sort][positions]
        if total > 2 * wanted:  # only the first pages are ever shown: partial sort
            top = np.argpartition(key, wanted - 1)[:wanted]
            chosen = top[np.argsort(key[top], kind="stable")]
        else:
            chosen = np.argsort(key, kind="stable")
        return tuple(self.ids[positions[chosen[start:wanted]]].tolist()), total

    def _relevance_tiers(self, positions: np.ndarray, words: list[str], terms: list[QueryTerm]) -> np.ndarray:
        """Per position 0-15, lower first: 8 not the named subcategory, 4 not every term in the name,
        2 not every term a whole word of the name, 1 the name does not start with the first word."""
        missed = np.full(self.size, 7, dtype=np.int8)  # one mask for the three tests: each met clears its bit
        missed[self.names.starting_with(words[0])] -= 1
        missed[_intersect(self.names.term(term, True) for term in terms)] -= 2
        missed[_intersect(self.names.term(term) for term in terms)] -= 4
        tiers = missed[positions]
        wanted = [_code_of(self.values["subcategory"], s) for s in sorted(named_subcategories(terms))]
        wanted = [code for code in wanted if code >= 0]  # -1 would pick the items without one
        if named_subcategories(terms):
            tiers += np.where(np.isin(self.codes["subcategory"][positions], wanted), 0, 8)
        return tiers  # int8, as `missed` is

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
