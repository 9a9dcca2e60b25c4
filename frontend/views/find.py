"""Page 1, 옷 찾기: search and filter the catalogue (or describe a garment) and pick the starting garment."""

from __future__ import annotations

import math
from typing import Any

import streamlit as st

from frontend import closet, data, navigation, state, ui
from frontend.backend_client import BackendError
from frontend.labels import (
    BIG_CLASSES,
    COLOR_FAMILIES,
    COLOR_SWATCHES,
    GENDER_NAMES_KO,
    SUBCATEGORIES,
    big_class_label,
    color_label,
    subcategory_label,
)

PAGE_SIZE = 10
FILTER_KEYS = ("f_q", "f_big", "f_sub", "f_brand")
ss = st.session_state


def _reset_page() -> None:
    ss["search_page"] = 1


def _reset_all() -> None:
    for key in FILTER_KEYS:
        ss.pop(key, None)
    ss["f_color"] = None
    ss["search_page"] = 1


def _toggle_color(family: str) -> None:
    ss["f_color"] = None if ss.get("f_color") == family else family
    ss["search_page"] = 1


def _current_filters() -> dict[str, Any]:
    return {
        "q": (ss.get("f_q") or "").strip()[:100] or None,
        "big_class": ss.get("f_big"),
        "subcategory": ss.get("f_sub"),
        "color_family": ss.get("f_color"),
        "brand": ss.get("f_brand"),
    }


def _counts(facet_rows: list[dict[str, Any]] | None) -> dict[str, int]:
    return {row["value"]: int(row.get("count", 0)) for row in facet_rows or [] if row.get("value")}


def _filters_ui(facets: dict[str, Any] | None) -> None:
    facets = facets or {}
    big_counts, sub_counts = _counts(facets.get("big_classes")), _counts(facets.get("subcategories"))
    col_big, col_sub, col_brand = st.columns(3)
    with col_big:
        st.selectbox(
            "종류", BIG_CLASSES, index=None, key="f_big", placeholder="전체", on_change=_reset_page,
            format_func=lambda v: f"{big_class_label(v)} ({big_counts[v]})" if v in big_counts
            else big_class_label(v),
        )
    if ss.get("f_sub") and ss.get("f_big") and ss["f_sub"] not in SUBCATEGORIES[ss["f_big"]]:
        ss["f_sub"] = None  # a subcategory of another big class no longer applies
    subs = (list(SUBCATEGORIES[ss["f_big"]]) if ss.get("f_big")
            else [s for names in SUBCATEGORIES.values() for s in names])
    with col_sub:
        st.selectbox(
            "세부 종류", subs, index=None, key="f_sub", placeholder="전체", on_change=_reset_page,
            format_func=lambda v: f"{subcategory_label(v)} ({sub_counts[v]})" if v in sub_counts
            else subcategory_label(v),
        )
    brands = [row["value"] for row in facets.get("brands") or [] if row.get("value")]
    if ss.get("f_brand") and ss["f_brand"] not in brands:
        brands.insert(0, ss["f_brand"])
    with col_brand:
        st.selectbox("브랜드", brands, index=None, key="f_brand", placeholder="전체", on_change=_reset_page)

    color_counts = _counts(facets.get("colors"))
    families = [f for f in COLOR_FAMILIES if not color_counts or f in color_counts or f == ss.get("f_color")]
    st.caption("색상")
    with st.container(horizontal=True, gap="small", key="swatches"):
        for family in families:
            name = COLOR_SWATCHES[family][0]
            label = f"✓ {name}" if ss.get("f_color") == family else name
            st.button(label, key=f"swatch_{family}", on_click=_toggle_color, args=(family,))


def _pick(item: dict[str, Any], rank: int) -> None:
    state.pick_query(item, None)
    state.log_event("click", item_id=int(item["id"]), rank=rank, detail={"page": "find"})
    navigation.go("matches")


def _result_card(item: dict[str, Any], rank: int) -> None:
    image = data.client().absolute(item.get("image"))
    st.markdown(ui.item_card_html(item, image), unsafe_allow_html=True)
    if st.button("이 옷 선택", key=f"pick_{item['id']}", width="stretch"):
        _pick(item, rank)
    closet.add_button(item, "find")


def _pager(total: int) -> None:
    pages = max(1, math.ceil(total / PAGE_SIZE))
    if pages == 1:
        return
    current = min(ss["search_page"], pages)
    prev_col, info_col, next_col = st.columns([1, 2, 1], vertical_alignment="center")
    with prev_col:
        if st.button("◀ 이전", key="page_prev", disabled=current <= 1, width="stretch"):
            ss["search_page"] = current - 1
            st.rerun()
    with info_col:
        st.number_input(f"페이지 (전체 {pages}쪽, {total:,}개)", min_value=1, max_value=pages,
                        value=current, step=1, key=f"page_jump_{pages}_{current}",
                        on_change=lambda: ss.update(search_page=int(ss[f"page_jump_{pages}_{current}"])))
    with next_col:
        if st.button("다음 ▶", key="page_next", disabled=current >= pages, width="stretch"):
            ss["search_page"] = current + 1
            st.rerun()


def _catalogue_tab() -> None:
    st.text_input("검색어", key="f_q", placeholder="예: 셔츠, 네이비 슬랙스, 브랜드 이름",
                  on_change=_reset_page, max_chars=100)
    filters = _current_filters()
    try:
        facets = data.facets(data.freeze({k: v for k, v in filters.items() if k != "color_family"}))
    except BackendError:
        facets = None  # filters still work with the full vocabulary; the search below shows the error
    _filters_ui(facets)

    buttons = st.columns(2)
    with buttons[0]:
        st.button("필터 초기화", on_click=_reset_all, width="stretch", key="reset")
    with buttons[1]:
        random_clicked = st.button("아무거나 골라 주세요", width="stretch", key="random_pick")

    with ui.backend_guard("retry_search"):
        if random_clicked:
            item = data.client().random_item(filters.get("big_class"))
            if item is None:
                st.info("조건에 맞는 옷이 없습니다. 필터를 초기화해 보세요.")
            else:
                _pick(item, 0)
        filters = _current_filters()
        result = data.search(data.freeze(filters), ss["search_page"], PAGE_SIZE)
        total, items = int(result.get("total", 0)), result.get("items", [])
        if any(filters.values()):
            state.log_event("search", once_key=f"search:{data.freeze(filters)}:{ss['search_page']}",
                            query_text=filters.get("q"),
                            detail={"filters": {k: v for k, v in filters.items() if v},
                                    "page": ss["search_page"], "total": total})
        if not items:
            st.info("검색 결과가 없습니다. 검색어를 짧게 바꾸거나(예: '셔츠'), 필터를 초기화하거나, "
                    "'직접 설명하기' 탭에서 옷의 종류와 색을 골라 보세요.")
            return
        st.caption(f"{total:,}개 중 {(ss['search_page'] - 1) * PAGE_SIZE + 1}–"
                   f"{(ss['search_page'] - 1) * PAGE_SIZE + len(items)}번째")
        ui.grid(items, _result_card, key="results")
        _pager(total)


def _describe_tab() -> None:
    st.caption("카탈로그에 없는 옷이라면 종류와 색을 골라 주세요.")
    big_class = st.selectbox("종류", BIG_CLASSES, format_func=big_class_label, key="d_big")
    subcategory = st.selectbox("세부 종류", list(SUBCATEGORIES[big_class]),
                               format_func=subcategory_label, key=f"d_sub_{big_class}")
    color = st.selectbox("색상", COLOR_FAMILIES, format_func=color_label, key="d_color")
    gender = st.selectbox("누가 입나요? (선택)", list(GENDER_NAMES_KO), index=None, key="d_gender",
                          placeholder="상관없음", format_func=GENDER_NAMES_KO.get,
                          help="고르면 다른 성별 전용 상품은 추천하지 않습니다.")
    if st.button("이 옷에 어울리는 옷 보기", type="primary", key="describe_go"):
        state.pick_query(None, (big_class, subcategory, color), gender)
        navigation.go("matches")


st.title("내 옷 찾기")
st.caption("가지고 있는 옷을 골라 주세요. 어울리는 옷과 코디를 찾아 드립니다.")
catalogue, describe = st.tabs(["카탈로그에서 찾기", "직접 설명하기"])
with describe:
    _describe_tab()
with catalogue:
    _catalogue_tab()
