"""Query words with their synonyms and spelling variants, read from `backend/data/search_synonyms.csv`.

Why: shoppers and sellers spell one garment many ways (청바지 / 데님 / jeans, 자켓 / 재킷, 가디건 / 카디건,
맨투맨 / 스웨트셔츠); a query word matches an item when any spelling of its group does. The table is
data, so adding a spelling is a one-line CSV change. A spelling written `=진` must stand as a whole
word ('블루 진' but not '진한'), because inside longer words it means something else. A group may name
the subcategory it is (`셔츠` -> shirt): a query naming it ranks that subcategory first.

Both the in-memory index and the SQL fallback match through these terms, so they agree.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SYNONYMS_CSV = Path(__file__).resolve().parents[1] / "data" / "search_synonyms.csv"
MAX_WORDS = 8
#: Characters that separate words like a space does when looking for whole words (also in SQL).
DELIMITERS = "[]()_-/,.:|"
_AS_SPACE = str.maketrans(DELIMITERS, " " * len(DELIMITERS))


def normalise(text: str) -> str:
    """Compatibility-folded, lower-cased text: full-width letters and case never hide a match."""
    return unicodedata.normalize("NFKC", text).lower()


def query_words(q: str | None) -> list[str]:
    """Distinct normalised words of the query, in order, at most MAX_WORDS."""
    return list(dict.fromkeys(normalise(q or "").split()))[:MAX_WORDS]


def padded_words(text: str) -> str:
    """' text ' with delimiters as spaces: `' v ' in padded_words(t)` means v is a whole word of t."""
    return f" {text.translate(_AS_SPACE)} "


@dataclass(frozen=True)
class Spelling:
    """One way to write a term (normalised); `whole`: it only counts as a whole word."""

    text: str
    whole: bool = False

    @property
    def words(self) -> list[str]:
        """The spelling's words once delimiters are spaces ('s/s' -> ['s', 's']); none: never whole."""
        return [word for word in self.text.translate(_AS_SPACE).split(" ") if word]

    @property
    def padded(self) -> str:
        """The spelling as whole words: found with `in padded_words(text)` or `LIKE '% … %'`."""
        return f" {' '.join(self.words)} "


@dataclass(frozen=True)
class QueryTerm:
    """A query word (or a phrase of the table, e.g. 'short sleeve'), its spellings, its subcategory."""

    word: str
    spellings: tuple[Spelling, ...]
    subcategory: str | None = None


@dataclass(frozen=True)
class SynonymTable:
    groups: dict[str, tuple[tuple[Spelling, ...], str | None]]  # spelling text -> its whole group
    longest_phrase: int  # the most words in one spelling


class SynonymTableError(ValueError):
    """The synonym CSV is malformed (a spelling in two groups, an empty group ...)."""


@lru_cache(maxsize=4)
def synonym_table(path: Path = SYNONYMS_CSV) -> SynonymTable:
    """The table from `path`: every spelling of a group leads to the whole group."""
    groups: dict[str, tuple[tuple[Spelling, ...], str | None]] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            spellings = tuple(
                Spelling(normalise(term.removeprefix("=")).strip(), whole=term.startswith("="))
                for term in (row.get("terms") or "").split("|") if term.strip("= ")
            )
            if len(spellings) < 2:
                raise SynonymTableError(f"{path.name} line {line}: a group needs two spellings or more")
            group = (spellings, (row.get("subcategory") or "").strip() or None)
            for spelling in spellings:
                if spelling.text in groups:
                    raise SynonymTableError(f"{path.name} line {line}: {spelling.text!r} is in two groups")
                groups[spelling.text] = group
    longest = max((len(text.split()) for text in groups), default=1)
    return SynonymTable(groups, longest)


def query_terms(q: str | None) -> list[QueryTerm]:
    """The query's terms: words, with adjacent words joined where the table knows the phrase."""
    words = query_words(q)
    table = synonym_table()
    terms: dict[str, QueryTerm] = {}
    start = 0
    while start < len(words):
        size = min(table.longest_phrase, len(words) - start)
        while size > 1 and " ".join(words[start:start + size]) not in table.groups:
            size -= 1
        word = " ".join(words[start:start + size])
        spellings, subcategory = table.groups.get(word, ((Spelling(word),), None))
        terms.setdefault(word, QueryTerm(word, spellings, subcategory))
        start += size
    return list(terms.values())


def named_subcategories(terms: list[QueryTerm]) -> set[str]:
    """Subcategories the query names (`셔츠` -> shirt); their items rank first."""
    return {term.subcategory for term in terms if term.subcategory}


def spelling_in(text: str, spelling: Spelling) -> bool:
    """The brute-force rule both search paths implement: substring, or whole word when `whole`."""
    if spelling.whole:
        return bool(spelling.words) and spelling.padded in padded_words(text)
    return spelling.text in text


def term_in(text: str, term: QueryTerm) -> bool:
    return any(spelling_in(text, spelling) for spelling in term.spellings)
