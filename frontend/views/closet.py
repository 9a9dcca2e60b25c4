"""Page 내 옷장: the garments a shopper owns, as a grid with remove buttons, plus described garments.

The closet is stored by the backend under the id in the page URL (`?closet=...`), so it survives a
reload, a bookmark and a restart. Catalogue items are added from the find and matches pages.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from frontend import closet, data, navigation, state, ui
from frontend.labels import (
    BIG_CLASSES,
    COLOR_FAMILIES,
    SUBCATEGORIES,
    big_class_label,
    color_label,
    subcategory_label,
)

GENDERS: dict[str | None, str] = {None: "선택 안 함", **closet.GENDER_LABELS}
ss = st.session_state


def _item_card(item: dict[str, Any], _index: int) -> None:
    api = data.client()
    link = api.shop_link(int(item["id"]), state.session_id())
    st.markdown(ui.item_card_html(item, api.absolute(item.get("image")), link=link), unsafe_allow_html=True)
    st.button("빼기", key=f"closet_remove_{item['entry_id']}", on_click=closet.remove,
              args=(int(item["entry_id"]), item.get("name") or "옷"), icon=":material/close:",
              width="stretch")


def _garment_card(garment: dict[str, Any], _index: int) -> None:
    label = closet.garment_label(garment)
    gender = GENDERS.get(garment.get("gender")) if garment.get("gender") else None
    st.markdown(ui.swatch_tile(garment.get("color_family"), subcategory_label(garment.get("subcategory"))),
                unsafe_allow_html=True)
    st.caption(f"{label} · 직접 설명한 옷" + (f" · {gender}" if gender else ""))
    st.button("빼기", key=f"closet_remove_{garment['entry_id']}", on_click=closet.remove,
              args=(int(garment["entry_id"]), label), icon=":material/close:", width="stretch")


def _describe_form() -> None:
    """Add a garment that is not in the catalogue: big class, subcategory, colour, optional gender."""
    with st.expander("카탈로그에 없는 옷 직접 추가하기", expanded=False):
        big_class = st.selectbox("종류", BIG_CLASSES, format_func=big_class_label, key="c_big")
        st.selectbox("세부 종류", list(SUBCATEGORIES[big_class]), format_func=subcategory_label,
                     key=f"c_sub_{big_class}")
        st.selectbox("색상", COLOR_FAMILIES, format_func=color_label, key="c_color")
        st.selectbox("성별 (선택)", list(GENDERS), format_func=GENDERS.__getitem__, key="c_gender")
        st.button("옷장에 추가", key="closet_add_described", type="primary", on_click=_add_described)


def _add_described() -> None:
    """Reads the form's current values (not the ones of the run that drew the button)."""
    big_class = ss["c_big"]
    closet.add_garment(big_class, ss[f"c_sub_{big_class}"], ss["c_color"], ss.get("c_gender"))


def _page() -> None:
    st.title("내 옷장")
    st.caption("가지고 있는 옷을 담아 두면 그 옷들로 코디를 만들어 드립니다. 로그인은 필요 없어요: "
               "이 페이지의 주소(북마크)가 내 옷장의 열쇠입니다.")
    with ui.backend_guard("retry_closet"):
        found = closet.load()
        if closet.closet_id() and found is None:
            st.warning("이 주소의 옷장을 찾을 수 없습니다. 주소를 확인하거나 새 옷장을 시작해 주세요.")
            st.button("새 옷장 시작", key="closet_forget", on_click=closet.forget)
            return
        items = (found or {}).get("items", [])
        garments = (found or {}).get("garments", [])
        size, max_size = len(items) + len(garments), int((found or {}).get("max_size", 200))
        if not size:
            st.info("옷장이 비어 있습니다. '옷 찾기'나 '추천' 화면의 카드에서 '옷장에 추가'를 누르거나, "
                    "아래에서 옷을 직접 설명해 담아 보세요.")
            if st.button("옷 찾으러 가기", key="closet_to_find", type="primary"):
                navigation.go("find")
        else:
            st.markdown(f"**{size}벌** / 최대 {max_size}벌")
            if size >= max_size:
                st.warning(f"옷장이 가득 찼습니다 (최대 {max_size}벌). "
                           "새 옷을 담으려면 먼저 몇 벌을 빼 주세요.")
            if st.button("이 옷들로 코디 만들기", key="closet_to_outfits", type="primary"):
                navigation.go("closet_outfits")
            for big_class in BIG_CLASSES:
                group_items = [i for i in items if i.get("big_class") == big_class]
                group_garments = [g for g in garments if g.get("big_class") == big_class]
                if group_items or group_garments:
                    st.subheader(f"{big_class_label(big_class)} ({len(group_items) + len(group_garments)})")
                    entries = ([(_item_card, i) for i in group_items]
                               + [(_garment_card, g) for g in group_garments])
                    ui.grid(entries, lambda entry, index: entry[0](entry[1], index),
                            key=f"closet_{big_class}")
            others = [i for i in items if i.get("big_class") not in BIG_CLASSES]
            if others:
                st.subheader("기타")
                ui.grid(others, _item_card, key="closet_other")
    _describe_form()


_page()
