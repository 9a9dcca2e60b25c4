"""Cached access to the backend and the model for every page (one place sets the TTLs)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import streamlit as st

from db.settings import get_settings
from frontend.backend_client import BackendClient

CATALOGUE_TTL_S = 300  # items and facets change only when the catalogue is re-imported
SEARCH_TTL_S = 120
OUTFIT_TTL_S = 600
ADMIN_TTL_S = 30  # the team wants fresh survey numbers

Filters = tuple[tuple[str, Any], ...]


@st.cache_resource(show_spinner=False)
def client() -> BackendClient:
    """One pooled HTTP client per Streamlit process, pointed at BACKEND_URL."""
    return BackendClient(get_settings().backend_url)


def freeze(filters: dict[str, Any]) -> Filters:
    """Filters as a hashable, order-independent cache key (unset values dropped)."""
    return tuple(sorted((k, v) for k, v in filters.items() if v not in (None, "", [])))


@st.cache_data(ttl=SEARCH_TTL_S, show_spinner=False)
def search(filters: Filters, page: int, page_size: int = 10) -> dict[str, Any]:
    return client().search(dict(filters), page=page, page_size=page_size)


@st.cache_data(ttl=CATALOGUE_TTL_S, show_spinner=False)
def facets(filters: Filters) -> dict[str, list[dict[str, Any]]]:
    return client().facets(dict(filters))


@st.cache_data(ttl=CATALOGUE_TTL_S, show_spinner=False)
def items_by_id(ids: tuple[int, ...]) -> list[dict[str, Any]]:
    return client().items_batch(list(ids))


@st.cache_data(ttl=OUTFIT_TTL_S, show_spinner=False)
def outfits_by_pair(item_a: int, item_b: int, limit: int = 6) -> dict[str, Any]:
    return client().outfits_by_pair(item_a, item_b, limit)


@st.cache_data(ttl=CATALOGUE_TTL_S, show_spinner=False)
def representative_item(big_class: str, subcategory: str | None, color_family: str | None) -> dict | None:
    """A catalogue item in the described garment's cluster, so outfits can be found by cluster."""
    filters = {"big_class": big_class, "subcategory": subcategory, "color_family": color_family}
    found = client().search(filters, page=1, page_size=1)
    return found["items"][0] if found.get("items") else None


@st.cache_data(ttl=ADMIN_TTL_S, show_spinner=False)
def admin_bundle(token: str) -> dict[str, Any]:
    """Everything the insights page shows, fetched together so one bad token fails once."""
    api = client()
    return {
        "summary": api.survey_summary(token),
        "daily": api.daily_stats(token, days=30),
        "insights": api.insights(token),
        "experiments": api.experiments(token),
    }


# -- the model ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ModelStatus:
    """Either a loaded recommender or a plain reason why none is available."""

    recommender: Any | None
    problem: str | None = None
    version: str = ""  # the artifact the recommender came from: a cache key for what it computes


TRAIN_HINT = ".venv/bin/python -m model.train   # 학습 후 새로 고침 (make run 은 자동으로 학습합니다)"


@st.cache_resource(show_spinner="추천 모델을 불러오는 중…")
def _reloader() -> Any:
    """One ModelReloader per process (no TTL): each page run's `model()` asks it for the model in use, and
    it loads a newer artifact in the background (model/recommender/reloader.py, docs/frontend.md)."""
    from model.recommender import Recommender
    from model.recommender.reloader import ModelReloader, latest_version

    artifact_dir = get_settings().artifact_dir
    reloader = ModelReloader(lambda path: Recommender.load(artifact_dir, version=path),
                             lambda: latest_version(artifact_dir))
    reloader.current()  # the first load happens under the spinner
    return reloader


def model() -> ModelStatus:
    """The recommender, or a plain reason why there is none (a state the pages show, not a crash).

    Cheap on every page run: one read of the artifact pointer; a newer artifact loads in the background
    while the pages keep the model in use."""
    try:
        reloader = _reloader()
    except ImportError as error:
        return ModelStatus(None, _problem(error))
    reloader.current()  # starts a background load when a newer artifact exists
    recommender, path = reloader.in_use
    if recommender is not None:
        return ModelStatus(recommender, version=str(path))
    return ModelStatus(None, _problem(reloader.error))


def _problem(error: BaseException | None) -> str:
    """What the pages say when there is no model: none trained yet (or one of an older format, which
    needs retraining), the model code missing, or the load's own error."""
    if isinstance(error, ImportError):
        return f"추천 모델 코드를 불러올 수 없습니다 ({error.name or error})."
    from model.recommender import ArtifactMissing

    if error is None or isinstance(error, ArtifactMissing):
        return "추천 모델이 아직 학습되지 않았습니다."
    return f"추천 모델을 불러오지 못했습니다: {error}"


FEEDBACK_TTL_S = 300  # new evidence from `python -m model.feedback` reaches the app within 5 minutes


@st.cache_resource(ttl=FEEDBACK_TTL_S, show_spinner=False)
def feedback_scorer() -> Any:
    """The `feedback` variant's score term from the latest evidence (empty evidence: no change)."""
    from model.feedback.scorer import FeedbackScorer

    return FeedbackScorer.load(get_settings().artifact_dir)


def recommend(item_id: int | None, garment: tuple[str, str | None, str | None] | None,
              per_big_class: int = 5, gender: str | None = None, variant: str = "control") -> dict[str, Any]:
    """Matches as plain dicts (cacheable): `{"by": "item"|"garment"|"none", "recs": [...], "classes": [...]}`.

    A catalogue item the model has not seen (imported after training) is recommended for by its
    attributes (`garment`, taken from the item, and `gender`) instead of failing. `classes` are the big
    classes the model drew from, so a row with nothing worth showing can say so. The `feedback` variant
    adds the feedback evidence's term; every other variant gets today's ranking. Cached per model
    version, so a reloaded model's matches show on the next page run.
    """
    status = model()
    return _recommend(status.version, item_id, garment, per_big_class, gender, variant, status.recommender)


@st.cache_data(ttl=FEEDBACK_TTL_S, show_spinner=False)
def _recommend(version: str, item_id: int | None, garment: tuple[str, str | None, str | None] | None,
               per_big_class: int, gender: str | None, variant: str, _recommender: Any) -> dict[str, Any]:
    recommender = _recommender
    if recommender is None:
        return {"by": "none", "recs": [], "classes": []}
    from db.experiments import FEEDBACK
    from model.recommender import GarmentQuery, UnknownItem

    kwargs: dict[str, Any] = {"k": per_big_class * 6, "per_big_class": per_big_class}
    if variant == FEEDBACK:
        kwargs["adjust"] = feedback_scorer()
    by = "item"
    try:
        if item_id is None:
            raise UnknownItem(item_id)
        results = recommender.recommend(int(item_id), **kwargs)
        classes = recommender.match_classes(int(item_id))
    except UnknownItem:
        if garment is None or not garment[0]:
            return {"by": "none", "recs": [], "classes": []}
        big_class, subcategory, color_family = garment
        query = GarmentQuery(big_class=big_class, subcategory=subcategory, color_family=color_family,
                             gender=gender)
        results = recommender.recommend(garment=query, **kwargs)
        classes = recommender.match_classes(garment=query)
        by = "garment"
    recs = [{"item_id": int(r.item_id), "big_class": r.big_class, "score": float(r.score),
             "probability": float(r.probability), "reason": r.reason} for r in results]
    return {"by": by, "recs": recs, "classes": classes}


def evaluation_table() -> dict[str, Any] | None:
    """The model's latest evaluation: from the loaded model, else `evaluation.json` in ARTIFACT_DIR."""
    status = model()
    table = getattr(status.recommender, "evaluation", None) if status.recommender else None
    if table:
        return table
    path = get_settings().artifact_dir / "evaluation.json"
    if path.exists():
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
    return None


# A closet entry as a hashable cache key: ("item", id, big_class, subcategory, colour) or
# ("garment", big_class, subcategory, colour, gender)
ClosetKey = tuple[tuple[Any, ...], ...]


def closet_key(closet: dict[str, Any]) -> ClosetKey:
    """The closet's garments in a fixed order (items, then described garments), as `closet_outfits` wants."""
    return (tuple(("item", int(i["id"]), i.get("big_class"), i.get("subcategory"), i.get("color_family"))
                  for i in closet.get("items", []))
            + tuple(("garment", g["big_class"], g.get("subcategory"), g.get("color_family"), g.get("gender"))
                    for g in closet.get("garments", [])))


def _garment_query(big_class: str, subcategory: str | None, color_family: str | None,
                   gender: str | None) -> Any:
    """A GarmentQuery; the gender goes along only where the model knows about genders."""
    from dataclasses import fields

    from model.recommender import GarmentQuery

    extra = {"gender": gender} if gender and "gender" in {f.name for f in fields(GarmentQuery)} else {}
    return GarmentQuery(big_class=big_class, subcategory=subcategory, color_family=color_family, **extra)


def closet_outfits(key: ClosetKey, k: int = 5) -> list[dict[str, Any]]:
    """Up to k outfits from the closet as plain dicts (cacheable), best first; a catalogue item the model
    has not seen (imported after training) takes part by its big class, subcategory and colour:
    `{"members": [positions in key], "probability", "reason", "shop": [{"item_id", "big_class", "reason"}],
    "completed_probability"}` (the last is None when nothing is missing)."""
    status = model()
    return _closet_outfits(status.version, key, k, status.recommender)


@st.cache_data(ttl=FEEDBACK_TTL_S, show_spinner="코디를 만드는 중…")
def _closet_outfits(version: str, key: ClosetKey, k: int, _recommender: Any) -> list[dict[str, Any]]:
    recommender = _recommender
    if recommender is None or not key:
        return []
    known = getattr(recommender, "index", None)  # item id -> row: items added after training are not in it

    def query(entry: tuple[Any, ...]) -> Any:
        if entry[0] == "garment":
            return _garment_query(*entry[1:])
        item_id, big_class, subcategory, color_family = entry[1:]
        if known is None or item_id in known or not big_class:
            return item_id
        return _garment_query(big_class, subcategory, color_family, None)  # judged by its attributes

    outfits = recommender.complete_outfits([query(entry) for entry in key], k=k, fill_from_shop=True)
    return [{"members": [int(m) for m in o.members], "probability": float(o.score.probability),
             "reason": o.reason,
             "shop": [{"item_id": int(s.item_id), "big_class": s.big_class, "reason": s.reason}
                      for s in o.shop_items],
             "completed_probability": float(o.completed_score.probability) if o.completed_score else None}
            for o in outfits]
