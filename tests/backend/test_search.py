"""Search correctness on both engines: Korean substrings, English case, filters, sort, limits."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from backend.services.search import ItemFilters, facets, search_items
from backend.services.search_index import CatalogueIndex
from db.engine import get_engine, get_sessionmaker, session_scope
from db.models import Item
from tests.backend.factories import add_items, build_client, reindex

CATALOGUE = [
    {"name": "오버핏셔츠 화이트", "brand": "Musinsa Standard", "big_class": "top", "subcategory": "shirt",
     "color_family": "white", "price": 39000, "likes": 50, "gender": "male"},
    {"name": "스트라이프 셔츠", "brand": "Covernat", "big_class": "top", "subcategory": "shirt",
     "color_family": "blue", "price": 59000, "likes": 80, "gender": "female"},
    {"name": "Oxford SHIRT Navy", "brand": "Polo", "big_class": "top", "subcategory": "shirt",
     "color_family": "navy", "price": 129000, "likes": 10},
    {"name": "와이드 데님 팬츠", "brand": "Covernat", "big_class": "bottom", "subcategory": "denim_pants",
     "color_family": "blue", "price": 69000, "likes": 120},
    {"name": "100% cotton tee", "brand": "Basic_Lab", "big_class": "top", "subcategory": "tee_short",
     "color_family": "black", "price": 15000, "likes": 5},
    {"name": "반지 실버", "brand": "Jewel", "big_class": None, "is_recommendable": False, "price": 20000},
]


def _seed(client: TestClient, url: str) -> dict[str, int]:
    ids = add_items(url, *CATALOGUE)
    reindex(client)
    return {spec["name"]: item_id for spec, item_id in zip(CATALOGUE, ids, strict=True)}


@pytest.fixture(scope="module")
def shared(module_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict]]:
    """The catalogue on one database per engine, for the tests that only read."""
    with build_client(module_db_url, tmp_path_factory.mktemp("images")) as test_client:
        yield test_client, _seed(test_client, module_db_url)


@pytest.fixture()
def catalogue(shared: tuple[TestClient, dict]) -> dict[str, int]:
    return shared[1]


@pytest.fixture()
def search(shared: tuple[TestClient, dict]) -> TestClient:
    return shared[0]


def names(client: TestClient, **params: object) -> list[str]:
    response = client.get("/api/v1/items/search", params={"page_size": 100, **params})
    assert response.status_code == 200, response.text
    return [item["name"] for item in response.json()["items"]]


def test_korean_two_characters_match_inside_words(search: TestClient, catalogue: dict) -> None:
    assert sorted(names(search, q="셔츠")) == ["Oxford SHIRT Navy", "스트라이프 셔츠", "오버핏셔츠 화이트"]
    assert names(search, q="핏셔") == ["오버핏셔츠 화이트"]
    assert names(search, q="오버핏셔츠") == ["오버핏셔츠 화이트"]
    assert names(search, q="데님") == ["와이드 데님 팬츠"]
    assert names(search, q="셔츠데님") == []  # both bigram pieces exist, the word does not


def test_english_is_case_insensitive(search: TestClient, catalogue: dict) -> None:
    for q in ("oxford shirt", "OXFORD", "Oxford SHIRT"):
        assert names(search, q=q) == ["Oxford SHIRT Navy"], q
    assert names(search, q="shirt") == names(search, q="SHIRT") == names(search, q="Shirt")
    assert names(search, q="covernat") == ["와이드 데님 팬츠", "스트라이프 셔츠"]  # brand, by likes


def test_every_word_must_match(search: TestClient, catalogue: dict) -> None:
    assert names(search, q="오버핏 셔츠") == ["오버핏셔츠 화이트"]
    assert names(search, q="셔츠 데님") == []


def test_like_wildcards_in_user_text_are_literal(search: TestClient, catalogue: dict) -> None:
    assert names(search, q="100%") == ["100% cotton tee"]
    assert names(search, q="%") == ["100% cotton tee"]
    assert names(search, q="_") == ["100% cotton tee"]  # only the brand Basic_Lab has an underscore
    assert names(search, q="' OR 1=1 --") == []


def test_filters_narrow_results(search: TestClient, catalogue: dict) -> None:
    assert names(search, big_class="bottom") == ["와이드 데님 팬츠"]
    assert sorted(names(search, subcategory="shirt", color_family="blue")) == ["스트라이프 셔츠"]
    assert names(search, brand="Polo") == ["Oxford SHIRT Navy"]
    assert names(search, gender="male") == ["오버핏셔츠 화이트"]
    assert sorted(names(search, min_price=50000, max_price=70000)) == ["스트라이프 셔츠", "와이드 데님 팬츠"]
    assert names(search, q="셔츠", color_family="white") == ["오버핏셔츠 화이트"]
    assert "반지 실버" not in names(search)
    assert "반지 실버" in names(search, recommendable_only="false")


def test_sort_and_pagination(search: TestClient, catalogue: dict) -> None:
    by_price = names(search, sort="price")
    assert by_price == ["100% cotton tee", "오버핏셔츠 화이트", "스트라이프 셔츠", "와이드 데님 팬츠",
                        "Oxford SHIRT Navy"]
    assert names(search, sort="-price") == by_price[::-1]
    assert names(search)[0] == "와이드 데님 팬츠"  # relevance without words: most liked first
    page = search.get("/api/v1/items/search", params={"sort": "price", "page": 2, "page_size": 2}).json()
    assert [i["name"] for i in page["items"]] == by_price[2:4]
    assert (page["total"], page["page"], page["page_size"]) == (5, 2, 2)
    beyond = search.get("/api/v1/items/search", params={"page": 9, "page_size": 2}).json()
    assert beyond["items"] == [] and beyond["total"] == 5


def test_item_shape_follows_the_contract(search: TestClient, catalogue: dict) -> None:
    item = search.get("/api/v1/items/search", params={"q": "oxford"}).json()["items"][0]
    assert set(item) == {"id", "source", "source_id", "name", "brand", "big_class", "subcategory",
                         "color_family", "cluster_key", "price", "likes", "rating", "gender", "image",
                         "shop_link", "is_recommendable"}
    assert item["shop_link"] == f"/api/v1/items/{item['id']}/shop"


@pytest.mark.parametrize("params", [
    {"page_size": 101}, {"page_size": 0}, {"page": 0}, {"q": "x" * 101}, {"sort": "id; DROP TABLE item"},
    {"big_class": "jewellery"}, {"min_price": -1},
])
def test_out_of_bounds_input_is_a_clear_422(search: TestClient, params: dict) -> None:
    response = search.get("/api/v1/items/search", params=params)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error" and error["detail"][0]["loc"][0] == "query"


def test_index_follows_renamed_and_deleted_items(client: TestClient, db_url: str) -> None:
    catalogue = _seed(client, db_url)
    with session_scope(db_url) as session:
        item = session.get(Item, catalogue["Oxford SHIRT Navy"])
        item.name = "Linen Blazer"
        session.delete(session.get(Item, catalogue["스트라이프 셔츠"]))
    assert reindex(client)
    assert names(client, q="blazer") == ["Linen Blazer"]
    assert names(client, q="oxford") == []
    assert names(client, q="셔츠") == ["오버핏셔츠 화이트"]


def test_scan_fallback_agrees_with_the_index(shared: tuple[TestClient, dict], module_db_url: str) -> None:
    """Before the first index snapshot, search runs in SQL; both paths must give the same answer."""
    engine = get_engine(module_db_url)
    with engine.connect() as connection:
        index = CatalogueIndex.load(connection)
    with get_sessionmaker(module_db_url)() as session:
        for q in ["셔츠", "SHIRT", "covernat 셔츠", "100%", "e", "핏셔", "데님 팬츠", "없는말", "_"]:
            for sort in ("relevance", "price", "-likes"):
                filters = ItemFilters(q=q)
                indexed, scanned = (search_items(session, filters, sort=sort, page=1, page_size=100, index=i)
                                    for i in (index, None))
                assert [i.id for i in indexed[0]] == [i.id for i in scanned[0]], (q, sort)
                assert indexed[1] == scanned[1], q
            assert facets(session, filters, index=index) == facets(session, filters, index=None), q


def test_facets_count_matching_items(search: TestClient, catalogue: dict) -> None:
    facets = search.get("/api/v1/items/facets", params={"q": "셔츠"}).json()
    assert facets["big_classes"] == [{"value": "top", "count": 3}]  # 셔츠 also finds 'SHIRT'
    assert {f["value"]: f["count"] for f in facets["colors"]} == {"white": 1, "blue": 1, "navy": 1}
    assert {f["value"] for f in facets["brands"]} == {"Musinsa Standard", "Covernat", "Polo"}
    everything = search.get("/api/v1/items/facets").json()
    assert {f["value"]: f["count"] for f in everything["big_classes"]} == {"top": 4, "bottom": 1}


def test_nul_in_q_is_refused_on_the_index_and_the_sql_path(client: TestClient, db_url: str) -> None:
    """SQLite's LIKE stops at a NUL (the SQL path matched everything, the index nothing): refuse it."""
    _seed(client, db_url)
    for path in ("index", "sql"):
        if path == "sql":
            client.app.state.search_indexer.index = None  # as before the first snapshot
        for q in ("\x00", "셔츠\x00", "a\x00b"):
            for route in ("/api/v1/items/search", "/api/v1/items/facets"):
                response = client.get(route, params={"q": q})
                assert response.status_code == 422, (path, route, q)
                assert response.json()["error"]["code"] == "validation_error"
        shirts = ["Oxford SHIRT Navy", "스트라이프 셔츠", "오버핏셔츠 화이트"]  # 셔츠 also finds SHIRT
        assert sorted(names(client, q="셔츠")) == shirts, path
