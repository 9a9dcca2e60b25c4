"""Request and response bodies of the HTTP API (the shapes in docs/contracts.md)."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from db.events import EVENT_TYPES
from model.features.vocab import BIG_CLASSES, COLOR_FAMILIES, SUBCATEGORIES

MAX_BATCH_IDS = 200
MAX_EVENTS = 500
MAX_DETAIL_CHARS = 4000

Id = Annotated[int, Field(ge=1, le=2**53)]


def _encodable(text: str) -> str:
    """Lone surrogates and NUL survive JSON decoding but not a database driver: refuse them."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError("text is not valid Unicode") from error
    if "\x00" in text:
        raise ValueError("text contains a NUL character")
    return text


SessionId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$",
                                 description="Anonymous browser session id.")]
FreeText = Annotated[str, AfterValidator(_encodable)]


class ErrorBody(BaseModel):
    code: str = Field(description="snake_case error code")
    message: str = Field(description="What went wrong, in plain words.")
    detail: Any = None


class ErrorResponse(BaseModel):
    error: ErrorBody


class ItemOut(BaseModel):
    id: int
    source: str
    source_id: str
    name: str
    brand: str | None
    big_class: str | None
    subcategory: str | None
    color_family: str | None
    cluster_key: str | None
    price: int | None
    likes: int | None
    rating: float | None
    gender: str | None
    image: str | None = Field(description="/media/<path> for a local image, else the shop's image URL.")
    shop_link: str = Field(description="Backend URL that records the click and redirects to the shop.")
    is_recommendable: bool


class ItemAttributes(BaseModel):
    season: list[str] = []
    fit: list[str] = []


class BuyerShares(BaseModel):
    age: dict[str, float] = {}
    gender: dict[str, float] = {}


class ItemDetail(ItemOut):
    tags: list[str]
    attributes: ItemAttributes
    buyer_shares: BuyerShares
    dominant_rgb: str | None


class SearchPage(BaseModel):
    items: list[ItemOut]
    total: int
    page: int
    page_size: int


class FacetValue(BaseModel):
    value: str
    count: int


class Facets(BaseModel):
    big_classes: list[FacetValue]
    subcategories: list[FacetValue]
    colors: list[FacetValue]
    brands: list[FacetValue]


class BatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    ids: list[Id] = Field(max_length=MAX_BATCH_IDS, description=f"At most {MAX_BATCH_IDS} item ids.")


class ItemList(BaseModel):
    items: list[ItemOut]


class OutfitOut(BaseModel):
    id: int
    source: str
    source_id: str
    style: str | None
    season: str | None
    gender: str | None
    popularity: int | None
    image_url: str | None
    page_url: str | None
    tags: list[str]
    items: list[ItemOut]


class OutfitMatch(BaseModel):
    match: Literal["items", "clusters", "none"] = Field(
        description="items: outfits containing both items; clusters: outfits combining their clusters."
    )
    outfits: list[OutfitOut]


class SurveyIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    session_id: SessionId
    target_kind: Literal["item", "outfit"]
    item_id: Id | None = None
    outfit_id: Id | None = None
    query_item_id: Id | None = None
    rating: int = Field(ge=1, le=5)
    comment: Annotated[FreeText, Field(max_length=2000)] | None = None

    @model_validator(mode="after")
    def _target_given(self) -> SurveyIn:
        if self.target_kind == "item" and self.item_id is None:
            raise ValueError("target_kind 'item' needs item_id")
        if self.target_kind == "outfit" and self.outfit_id is None:
            raise ValueError("target_kind 'outfit' needs outfit_id")
        return self


class Created(BaseModel):
    id: int


EventType = Literal[EVENT_TYPES]  # type: ignore[valid-type]  # the names live in db/events.py


class EventIn(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    session_id: SessionId
    event_type: EventType
    item_id: Id | None = None
    outfit_id: Id | None = None
    query_item_id: Id | None = None
    query_text: Annotated[FreeText, Field(max_length=200)] | None = None
    rank: int | None = Field(default=None, ge=0, le=10000)
    detail: dict[str, Any] | None = Field(
        default=None, description=f"Extra JSON object (at most {MAX_DETAIL_CHARS} characters)."
    )


    @field_validator("detail")
    @classmethod
    def _small_detail(cls, detail: dict[str, Any] | None) -> dict[str, Any] | None:
        if detail is not None:
            try:
                text = _encodable(json.dumps(detail, ensure_ascii=False, allow_nan=False))
            except ValueError as error:  # NaN or Infinity: Python writes them, JSON has no such value
                raise ValueError(f"detail is not valid JSON: {error}") from error
            if len(text) > MAX_DETAIL_CHARS:
                raise ValueError(f"detail is longer than {MAX_DETAIL_CHARS} characters as JSON")
        return detail


class EventBatch(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    events: list[EventIn] = Field(max_length=MAX_EVENTS, description=f"At most {MAX_EVENTS} events.")


class Accepted(BaseModel):
    accepted: int


class Health(BaseModel):
    status: str
    search_index: Literal["ready", "building"] | None = Field(
        default=None, description="On /ready: whether search uses the in-memory index yet.")


class KindSummary(BaseModel):
    count: int
    mean_rating: float | None
    histogram: dict[str, int] = Field(description="Responses per rating '1'..'5'.")


class DaySummary(BaseModel):
    day: date
    target_kind: str
    count: int
    mean_rating: float


class SurveySummary(BaseModel):
    by_kind: dict[str, KindSummary]
    by_day: list[DaySummary]


class DailyStat(BaseModel):
    day: date
    events: dict[str, int]
    survey_responses: int


class DailyStats(BaseModel):
    days: int
    stats: list[DailyStat]


class ItemCount(BaseModel):
    item: ItemOut
    count: int


class ClickThrough(BaseModel):
    big_class: str
    shown: int
    clicked: int
    rate: float | None


class Insights(BaseModel):
    most_shown: list[ItemCount]
    most_clicked: list[ItemCount]
    click_through_by_big_class: list[ClickThrough]
    catalogue: dict[str, list[FacetValue]] = Field(description="colors, subcategories, big_classes.")


class Difference(BaseModel):
    estimate: float | None = Field(description="This variant minus control.")
    low: float | None
    high: float | None
    significant: bool = Field(description="True when the 95 % interval excludes 0.")


class RateEstimate(BaseModel):
    successes: int
    trials: int
    rate: float | None
    low: float | None = Field(description="95 % Wilson interval.")
    high: float | None
    difference: Difference | None = Field(
        default=None, description="Against control, Newcombe's hybrid score interval; null for control.")


class MeanEstimate(BaseModel):
    count: int
    mean: float | None
    low: float | None = Field(description="95 % Student t interval.")
    high: float | None
    difference: Difference | None = Field(
        default=None, description="Against control, Welch's t interval; null for control.")


class VariantReport(BaseModel):
    variant: str
    weight: float | None = Field(description="Configured share of sessions (null: no longer configured).")
    sessions: int
    click_through: RateEstimate = Field(description="Shown recommendations that were clicked.")
    shop_open_rate: RateEstimate = Field(description="Shown recommendations whose shop page was opened.")
    survey: MeanEstimate = Field(description="Survey ratings 1-5.")


class ExperimentReport(BaseModel):
    name: str
    active: bool = Field(description="The experiment configured now (settings.experiment).")
    control: str | None = Field(description="The variant the others are compared with.")
    variants: list[VariantReport]


class ExperimentsReport(BaseModel):
    experiments: list[ExperimentReport]
# -- closets (내 옷장) ------------------------------------------------------------------------------
MAX_CLOSET_ENTRIES = 200
GENDERS = ("male", "female", "unisex")  # db.audience vocabulary


class ClosetCreated(BaseModel):
    closet_id: str = Field(description="32 lowercase hex characters (128 random bits); keep it secret.")


class GarmentIn(BaseModel):
    """A garment the shopper describes instead of picking a catalogue item (allow-listed vocabulary)."""

    model_config = ConfigDict(extra="forbid", strict=True)
    big_class: Literal[BIG_CLASSES]  # type: ignore[valid-type]
    subcategory: str = Field(description="A subcategory key of `big_class` (model.features.vocab).")
    color_family: Literal[COLOR_FAMILIES]  # type: ignore[valid-type]
    gender: Literal[GENDERS] | None = None  # type: ignore[valid-type]

    @model_validator(mode="after")
    def _subcategory_of_big_class(self) -> GarmentIn:
        if self.subcategory not in SUBCATEGORIES[self.big_class]:
            raise ValueError(f"subcategory {self.subcategory!r} is not one of {self.big_class!r}: "
                             f"{', '.join(SUBCATEGORIES[self.big_class])}")
        return self


class ClosetAdd(BaseModel):
    """Exactly one of `item_id` (a catalogue item) and `garment` (a described garment)."""

    model_config = ConfigDict(extra="forbid", strict=True)
    item_id: Id | None = None
    garment: GarmentIn | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> ClosetAdd:
        if (self.item_id is None) == (self.garment is None):
            raise ValueError("give exactly one of item_id and garment")
        return self


class ClosetAdded(BaseModel):
    entry_id: int
    created: bool = Field(description="False when the item was already in the closet (nothing changed).")
    size: int = Field(description=f"Garments in the closet now (at most {MAX_CLOSET_ENTRIES}).")


class GarmentOut(BaseModel):
    entry_id: int
    big_class: str
    subcategory: str | None
    color_family: str | None
    gender: str | None


class ClosetItemOut(ItemOut):
    entry_id: int


class ClosetOut(BaseModel):
    closet_id: str
    items: list[ClosetItemOut] = Field(description="Catalogue items, in the order they were added.")
    garments: list[GarmentOut] = Field(description="Described garments, in the order they were added.")
    max_size: int = MAX_CLOSET_ENTRIES
