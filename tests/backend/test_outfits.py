"""Coordination examples for a pair: exact outfits first, cluster-level outfits as the fallback."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.backend.factories import add_clusters, add_items, add_outfit


def test_pair_outfits_exact_then_clusters_then_none(client: TestClient, db_url: str) -> None:
    add_clusters(db_url, "shirt:white", "slacks:navy", "cap:black")
    shirt, slacks, other_shirt, other_slacks, cap = add_items(
        db_url,
        {"name": "셔츠", "cluster_key": "shirt:white"}, {"name": "슬랙스", "cluster_key": "slacks:navy"},
        {"name": "셔츠2", "cluster_key": "shirt:white"}, {"name": "슬랙스2", "cluster_key": "slacks:navy"},
        {"name": "캡", "cluster_key": "cap:black"},
    )
    exact = add_outfit(db_url, "o1", [shirt, slacks, cap], popularity=5, tags=("미니멀",))
    popular = add_outfit(db_url, "o2", [other_shirt, other_slacks], popularity=50)
    add_outfit(db_url, "o3", [shirt, cap], popularity=99)

    body = client.get("/api/v1/outfits/by-pair", params={"item_a": shirt, "item_b": slacks}).json()
    assert body["match"] == "items"
    assert [o["id"] for o in body["outfits"]] == [exact]
    outfit = body["outfits"][0]
    assert [i["name"] for i in outfit["items"]] == ["셔츠", "슬랙스", "캡"]
    assert outfit["tags"] == ["미니멀"] and outfit["page_url"].endswith("/o1")

    body = client.get("/api/v1/outfits/by-pair", params={"item_a": other_shirt, "item_b": slacks}).json()
    assert body["match"] == "clusters"
    assert [o["id"] for o in body["outfits"]] == [popular, exact]  # most popular first

    body = client.get("/api/v1/outfits/by-pair", params={"item_a": slacks, "item_b": slacks}).json()
    assert body == {"match": "none", "outfits": []}  # a single item never pairs with itself

    limited = client.get("/api/v1/outfits/by-pair",
                         params={"item_a": other_shirt, "item_b": slacks, "limit": 1}).json()
    assert [o["id"] for o in limited["outfits"]] == [popular]


def test_pair_with_unknown_item_is_404(client: TestClient, db_url: str) -> None:
    [item] = add_items(db_url, {"name": "셔츠"})
    response = client.get("/api/v1/outfits/by-pair", params={"item_a": item, "item_b": 987654})
    assert response.status_code == 404
    assert response.json()["error"]["detail"] == {"missing": [987654]}
