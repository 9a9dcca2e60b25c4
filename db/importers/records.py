"""Source-neutral records that every importer (and the crawler) produces for the writer."""

from __future__ import annotations

from dataclasses import dataclass, field

ItemKey = tuple[str, str]


@dataclass(slots=True)
class ItemRecord:
    """One product as a source describes it. `None` collections mean 'not provided, keep'."""

    source: str
    source_id: str
    name: str
    brand: str | None = None
    serial: str | None = None  # the seller's product code (품번)
    big_class_raw: str | None = None
    subcategory_raw: str | None = None
    color_raw: str | None = None
    price: int | None = None
    likes: int | None = None
    rating: float | None = None
    gender: str | None = None
    season: str | None = None
    view_count: int | None = None
    sales_count: int | None = None
    image_url: str | None = None
    image_path: str | None = None
    shop_url: str | None = None
    tags: list[str] | None = None
    attributes: list[tuple[str, str]] | None = None
    buyer_shares: list[tuple[str, str, float]] | None = None

    @property
    def key(self) -> ItemKey:
        return (self.source, self.source_id)


@dataclass(slots=True)
class OutfitRecord:
    """One outfit and its members, referenced by item key with a display position."""

    source: str
    source_id: str
    members: list[tuple[ItemKey, int]]
    style: str | None = None
    season: str | None = None
    gender: str | None = None
    popularity: int | None = None
    image_url: str | None = None
    page_url: str | None = None
    description: str | None = None
    tags: list[str] | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.source_id)


@dataclass(slots=True)
class Problem:
    """A record that could not be loaded: where it is in the input and why."""

    position: str
    reason: str

    def __str__(self) -> str:
        return f"{self.position}: {self.reason}"


@dataclass(slots=True)
class ParsedSource:
    """Everything read from one input: items (deduplicated, last wins), outfits, problems."""

    items: dict[ItemKey, ItemRecord] = field(default_factory=dict)
    outfits: list[OutfitRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
