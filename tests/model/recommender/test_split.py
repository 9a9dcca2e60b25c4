"""`model.split`: deterministic by seed, disjoint by outfit id, and the output still reads as its format."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from db.importers.mango import OUTFIT_FILE, PRODUCT_FILE
from model.evaluation.corpus import load_corpus, read_source
from model.evaluation.protocol import held_out_pairs
from model.split import DISTRACTOR_PREFIX, main

N_OUTFITS = 40
PRODUCT_FIELDS = ["cod_modelo_color", "des_sex", "des_age", "des_line", "des_fabric", "des_product_category",
                  "des_product_aggregated_family", "des_product_family", "des_product_type",
                  "des_agrup_color_eng", "des_color_specification_esp"]
PRODUCTS = [
    ["41085800-02", "Female", "Adult", "SHE", "P-PLANA", "Bottoms", "Trousers & leggings", "Trousers",
     "Trousers", "WHITE", "OFFWHITE"],
    ["51000622-02", "Female", "Adult", "SHE", "K-CIRCULAR", "Tops", "T-shirts", "T-shirt", "T-shirt",
     "BLACK", "NEGRO"],
    ["43067759-01", "Female", "Adult", "SHE", "C-COMPLEMENTOS", "Accesories, Swim and Intimate", "Shoes",
     "Sneakers", "Sneakers", "WHITE", "BLANCO"],
]


def write_csv(path: Path, fields: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        writer.writerow(fields)
        writer.writerows(rows)


@pytest.fixture()
def mango_dir(tmp_path: Path) -> Path:
    source = tmp_path / "mango"
    source.mkdir()
    write_csv(source / PRODUCT_FILE, PRODUCT_FIELDS, PRODUCTS)
    write_csv(source / OUTFIT_FILE, ["cod_outfit", "cod_modelo_color"],
              [[str(o), p[0]] for o in range(1, N_OUTFITS + 1) for p in PRODUCTS[: 2 + o % 2]])
    return source


@pytest.fixture()
def musinsa_file(tmp_path: Path) -> Path:
    outfits = [{"outfit_id": str(1000 + o), "gender": "MALE", "style": "캐주얼", "items": [
        {"item_id": str(500 + o), "category": "상의", "brand": "바이엘", "name": f"셔츠 {o}", "position": 1},
        {"item_id": "77", "category": "하의", "brand": "이에이", "name": "치노 팬츠 베이지", "position": 2},
    ]} for o in range(N_OUTFITS)]
    path = tmp_path / "outfits.json"
    path.write_text(json.dumps(outfits, ensure_ascii=False), encoding="utf-8")
    return path


def mango_ids(path: Path) -> list[str]:
    with (path / OUTFIT_FILE).open(newline="", encoding="utf-8") as handle:
        return [row["cod_outfit"] for row in csv.DictReader(handle)]


def test_mango_split_is_disjoint_complete_and_deterministic(mango_dir: Path, tmp_path: Path) -> None:
    runs = {}
    for name, seed in (("a", "0"), ("b", "0"), ("c", "1")):
        assert main(["--format", "mango", str(mango_dir), "--out", str(tmp_path / name), "--seed", seed,
                     "--distractor-share", "0.3"]) == 0
        runs[name] = {part: mango_ids(tmp_path / name / part) for part in ("train", "test")}
    train, test = set(runs["a"]["train"]), set(runs["a"]["test"])
    singles = {o for o in test if o.startswith(DISTRACTOR_PREFIX)}
    test -= singles
    assert train and test and singles and not train & test
    assert runs["a"] == runs["b"]  # same seed, same split
    assert set(runs["c"]["test"]) != set(runs["a"]["test"])  # another seed, another split
    # The distractor outfits are in neither file; their items come back as single-item test outfits.
    kept_out = set(mango_ids(mango_dir)) - train - test
    assert kept_out and not kept_out & (train | test)
    with (mango_dir / OUTFIT_FILE).open(newline="", encoding="utf-8") as handle:
        kept_items = {row["cod_modelo_color"] for row in csv.DictReader(handle)
                      if row["cod_outfit"] in kept_out}
    assert singles == {DISTRACTOR_PREFIX + item for item in kept_items}
    # Rows of an outfit stay together and the product file (the catalogue) is kept whole on both sides.
    source_rows = mango_ids(mango_dir)
    assert len(runs["a"]["train"]) == sum(o in train for o in source_rows)
    assert len(runs["a"]["test"]) == sum(o in test for o in source_rows) + len(singles)
    for part in ("train", "test"):
        assert (tmp_path / "a" / part / PRODUCT_FILE).read_bytes() == (mango_dir / PRODUCT_FILE).read_bytes()
        parsed = read_source("mango", tmp_path / "a" / part)
        assert {o.source_id for o in parsed.outfits} == set(runs["a"][part])
        assert len(parsed.items) == len(PRODUCTS) and not parsed.problems
    corpus = load_corpus("mango", tmp_path / "a" / "train", tmp_path / "a" / "test")
    assert sum(len(o) == 1 for o in corpus.test_outfits) == len(singles)


def test_no_distractors_when_the_share_is_zero(mango_dir: Path, tmp_path: Path) -> None:
    assert main(["--format", "mango", str(mango_dir), "--out", str(tmp_path / "s"),
                 "--distractor-share", "0"]) == 0
    ids = {part: mango_ids(tmp_path / "s" / part) for part in ("train", "test")}
    assert sorted(ids["train"] + ids["test"]) == sorted(mango_ids(mango_dir))


def split_musinsa(source: Path, out: Path) -> int:
    return main(["--format", "musinsa-snap", str(source), "--out", str(out), "--test-share", "0.3",
                 "--distractor-share", "0.3"])


def test_musinsa_split_preserves_records(musinsa_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "split"
    assert split_musinsa(musinsa_file, out) == 0
    original = json.loads(musinsa_file.read_text(encoding="utf-8"))
    parts = {name: json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
             for name in ("train", "test")}
    singles = [o for o in parts["test"] if o["outfit_id"].startswith(DISTRACTOR_PREFIX)]
    real_test = [o for o in parts["test"] if not o["outfit_id"].startswith(DISTRACTOR_PREFIX)]
    ids = {"train": {o["outfit_id"] for o in parts["train"]}, "test": {o["outfit_id"] for o in real_test}}
    assert ids["train"] and ids["test"] and singles and not ids["train"] & ids["test"]
    # Records are copied unchanged; the kept-out outfits' items come back one per single-item outfit.
    kept_out = [o for o in original if o["outfit_id"] not in ids["train"] | ids["test"]]
    assert sorted(parts["train"] + real_test + kept_out, key=lambda o: o["outfit_id"]) == original
    kept_items = {i["item_id"] for o in kept_out for i in o["items"]}
    assert all(len(o["items"]) == 1 for o in singles)
    assert sorted(o["items"][0]["item_id"] for o in singles) == sorted(kept_items)  # item 77 only once
    again = tmp_path / "again"
    assert split_musinsa(musinsa_file, again) == 0
    assert (again / "test.json").read_bytes() == (out / "test.json").read_bytes()
    assert {o.source_id for o in read_source("musinsa-snap", out / "test.json").outfits} == ids["test"] | {
        o["outfit_id"] for o in singles}
    # The evaluation reads them: the items are in the catalogue, in no pair and in no training outfit.
    corpus = load_corpus("musinsa-snap", out / "train.json", out / "test.json")
    index = {key: i for i, key in enumerate(corpus.training.catalogue.item_ids.tolist())}
    lonely = {index[item] for item in kept_items - {"77"}}
    assert lonely and not lonely & {i for o in corpus.training.outfits for i in o}
    pairs = held_out_pairs(corpus.test_outfits, corpus.category)
    assert not lonely & set(pairs.ravel().tolist())


def test_bad_input_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"not": "a list"}', encoding="utf-8")
    assert main(["--format", "musinsa-snap", str(bad), "--out", str(tmp_path / "out")]) == 2
    assert "expected a JSON list" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--format", "mango", str(tmp_path), "--out", str(tmp_path / "o"), "--test-share", "1.5"])
