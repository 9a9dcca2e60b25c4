"""Test data and clients for the backend tests: items, clusters, outfits, an app per database."""

from __future__ import annotations

import itertools
from pathlib import Path

from fastapi.testclient import TestClient
from pydantic import SecretStr

from backend.main import create_app
from db.engine import session_scope
from db.models import Cluster, Item, ItemAttribute, ItemBuyerShare, ItemTag, Outfit, OutfitItem, OutfitTag
from db.settings import Settings

_SOURCE_IDS = itertools.count(1)
ADMIN_TOKEN = "test-admin-token-0123456789"


def make_settings(image_dir: Path, **overrides: object) -> Settings:
    values: dict = {"image_dir": image_dir, "admin_token": SecretStr(ADMIN_TOKEN), **overrides}
    return Settings(**values)


def build_client(url: str, image_dir: Path, *, startup_timeout_s: float = 5.0,
                 **overrides: object) -> TestClient:
    settings = make_settings(image_dir, backend_startup_timeout_s=startup_timeout_s,
                             backend_search_index_interval_s=3600, **overrides)
    app = create_app(url, settings=settings)
    return TestClient(app)


def reindex(client: TestClient) -> bool:
    """Rebuild the search index now (the background refresh runs only hourly in tests)."""
    return client.app.state.search_indexer.refresh(force=True)


ItemSpec = dict


def add_items(url: str, *specs: ItemSpec) -> list[int]:
    """Insert items (defaults fill what a spec leaves out); returns their ids in order."""
    ids = []
    with session_scope(url) as session:
        for spec in specs:
            spec = dict(spec)
            tags, attributes = spec.pop("tags", []), spec.pop("attributes", [])
            shares = spec.pop("shares", [])
            item = Item(source=spec.pop("source", "musinsa"),
                        source_id=spec.pop("source_id", f"s{next(_SOURCE_IDS)}"),
                        is_recommendable=spec.pop("is_recommendable", True), **spec)
            item.tags = [ItemTag(tag=t) for t in tags]
            item.attributes = [ItemAttribute(attribute=a, value=v) for a, v in attributes]
            item.buyer_shares = [ItemBuyerShare(dimension=d, bucket=b, share_pct=p) for d, b, p in shares]
            session.add(item)
            session.flush()
            ids.append(item.id)
    return ids


def add_clusters(url: str, *keys: str) -> None:
    with session_scope(url) as session:
        for key in keys:
            subcategory, colour = key.split(":")
            session.add(Cluster(key=key, big_class="top", subcategory=subcategory, color_family=colour,
                                item_count=0, outfit_count=0))


def add_outfit(url: str, source_id: str, item_ids: list[int], popularity: int = 0,
               tags: tuple[str, ...] = ()) -> int:
    with session_scope(url) as session:
        outfit = Outfit(source="musinsa_snap", source_id=source_id, popularity=popularity,
                        image_url=f"https://image.example/{source_id}.jpg",
                        page_url=f"https://www.musinsa.com/snap/{source_id}")
        outfit.members = [OutfitItem(item_id=i, position=n + 1) for n, i in enumerate(item_ids)]
        outfit.tags = [OutfitTag(tag=t) for t in tags]
        session.add(outfit)
        session.flush()
        return outfit.id
