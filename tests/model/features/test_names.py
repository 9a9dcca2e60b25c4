"""Name parser: the cases the issue lists, bad input, and the thresholds on the labelled sample."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.features.name_eval import load_sample, score
from model.features.names import parse_name
from model.features.vocab import ALL_SUBCATEGORIES, COLOR_FAMILIES, SUBCATEGORIES


@pytest.mark.parametrize(("name", "color"), [
    ("오버핏 반팔 티셔츠 [블랙]", "black"),
    ("Wool Balmacaan Coat (Charcoal)", "grey"),
    ("와이드 카고 팬츠_D.OLIVE", "khaki"),
    ("LOGO WIDE PANTS - BLUE", "blue"),
    ("스웨트 후드 그레이 Gray", "grey"),
    ("다크 네이비 슬랙스", "navy"),
    ("라이트 블루 데님 팬츠", "sky_blue"),
    ("딥 그린 니트", "green"),
    ("연청 와이드 데님 팬츠", "sky_blue"),
    ("다크 레드 니트", "burgundy"),
    ("카고버뮤다팬츠화이트", "white"),
    ("울 발마칸 하프코트 [NAVY] / WBE4L10526", "navy"),
    ("크림 베이지 카디건", "beige"),
    ("Jeans Tejano Oscuro", "blue"),
    ("Trousers Offwhite", "ivory"),
    ("Sweater Marino", "navy"),
])
def test_states_one_colour(name: str, color: str) -> None:
    assert parse_name("상의", name).color == color


@pytest.mark.parametrize(("name", "reason_word"), [
    ("베이직 반팔 티셔츠 3colors", "several"),
    ("벨티드 버뮤다 팬츠 - 3 COLOR", "several"),
    ("크롭 자켓 (2컬러)", "several"),
    ("레터링 티셔츠 화이트/블랙", "several"),
    ("클럽 아노락 - 블랙:화이트", "several"),
    ("PATTERN LOGO T SHIRT WHITE NAVY", "several"),
    ("픽셀 카모 쇼츠 블랙", "camouflage"),
    ("Heaven Camo Sweatpants Forest", "camouflage"),
    ("BLACK LABEL 로고 티셔츠", "no colour"),
    ("블랙야크 플리스 자켓", "no colour"),
    ("레드윙 부츠", "no colour"),
    ("우먼즈 스웨이드 블루종 재킷", "no colour"),
    ("Rose 자수 그래픽 티셔츠", "print or brand"),
    ("체크 세미 오버핏 셔츠", "no colour"),
])
def test_gives_no_colour(name: str, reason_word: str) -> None:
    parsed = parse_name("상의", name)
    assert parsed.color is None
    assert reason_word in parsed.reason


@pytest.mark.parametrize(("category", "name", "subcategory"), [
    ("상의", "베티붑 피쳐링 오버핏 반팔 티셔츠_블랙", "tee_short"),
    ("상의", "립 커프스 헨리 넥 긴소매 티셔츠 [멜란지 그레이]", "tee_long"),
    ("상의", "밑단 프릴 니트 슬리브리스 화이트", "sleeveless"),
    ("상의", "96 LAYERED LS TEE BLACK", "tee_long"),
    ("상의", "STRIPED L/S T-SHIRT (ORANGE)", "tee_long"),
    ("상의", "HENLEY NECK WAFFLE LONG SLV TEE ivory", "tee_long"),
    ("상의", "레이어드 롱티 [블랙]", "tee_long"),
    ("상의", "스트라이프 아플리케 레이어드 긴팔티 - 블랙", "tee_long"),
    ("상의", "스트라이프 하프넥 Lst (Multi)", "tee_long"),
    ("상의", "OVERSIZED SS TEE BLACK", "tee_short"),
    ("상의", "ANGORA HALF SLEEVE PULLOVER MINT", "knit"),
    ("상의", "EYELET ANGEL MTM / BLACK", "sweatshirt"),
    ("하의", "FRILL SIDE WHOLE SK / BLACK", "skirt"),
    ("아우터", "88 레이스 트랙 져지 자켓 네이비", "track_jacket"),
    ("상의", "마이 팝 폴로 셔츠_소라색", "polo"),
    ("아우터", "폭스퍼 탈부착 구스다운 점퍼", "padding"),
    ("아우터", "울 발마칸 하프코트 [NAVY]", "coat"),
    ("아우터", "TAG NYLON HOOD VEST - LIGHT GREY", "vest"),
    ("아우터", "UBD 애슬레틱 스웻 후드 집업_4color", "hood_zipup"),
    ("하의", "로우 웨이스트 벨티드 워싱 데님 스커트 [블랙]", "skirt"),
    ("하의", "SUNDAY DENIM SHORT", "shorts"),
    ("하의", "원턱 와이드 스웨트팬츠 블랙", "training_pants"),
    ("하의", "우먼즈 와이드 히든 밴딩 슬랙스 [베이지]", "slacks"),
    ("하의", "와이드 코튼 팬츠", "cotton_pants"),
    ("하의", "이름만 있는 상품", "bottom_other"),
    (None, "Classic Leather Loafers Black", "dress_shoes"),
    (None, "Nylon Backpack", "backpack"),
    (None, "울 비니", "beanie"),
    (None, "아무 단서 없는 상품", None),
    ("액세서리", "실버 목걸이", None),
])
def test_subcategory(category: str | None, name: str, subcategory: str | None) -> None:
    assert parse_name(category, name).subcategory == subcategory


BAD_NAMES = ["", "   ", None, "@@@###", "12345", "ㅋㅋㅋ", "X" * 5000, "\x00\x01", "🧥🧥"]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_bad_names_give_no_colour_and_never_raise(name: str | None) -> None:
    parsed = parse_name("상의", name)  # type: ignore[arg-type]
    assert parsed.color is None and parsed.reason
    assert parsed.subcategory in SUBCATEGORIES["top"]


@settings(max_examples=150, deadline=None)
@given(category=st.one_of(st.none(), st.sampled_from(["상의", "하의", "아우터", "Tops", "기타"]),
                          st.text(max_size=5)),
       name=st.text(max_size=60))
def test_any_text_gives_vocabulary_keys(category: str | None, name: str) -> None:
    parsed = parse_name(category, name)
    assert parsed.color is None or parsed.color in COLOR_FAMILIES
    assert parsed.subcategory is None or parsed.subcategory in ALL_SUBCATEGORIES


@pytest.mark.datasets
@pytest.mark.parametrize("split", ["heldout", "fallback", "all"])
def test_labelled_sample_meets_targets(datasets_dir: Path, split: str) -> None:
    rows = load_sample(datasets_dir)
    assert len(rows) >= 300
    chosen = [row for row in rows if split == "all" or row.split == split]
    result = score(chosen)
    assert result.color_precision >= 0.97, result.color_errors
    assert result.color_recall >= 0.90, result.color_errors
    assert result.subcategory_accuracy >= 0.90, result.subcategory_errors
    if split == "fallback":  # seller abbreviations (LS, LONG SLV, MTM, SK ...) that once fell to a default
        assert result.color_precision == 1.0 and result.subcategory_coverage >= 0.95


def test_parse_names_command(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    import io
    import json

    from model.features.__main__ import main

    lines = "상의\t오버핏 반팔 티셔츠 [블랙]\n하의\tWIDE DENIM PANTS 3colors\n\t\n아우터\t\x00\x01\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(lines))
    assert main(["parse-names"]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert out == [{"color": "black", "subcategory": "tee_short"},
                   {"color": None, "subcategory": "denim_pants"},
                   {"color": None, "subcategory": None},
                   {"color": None, "subcategory": "outer_other"}]
