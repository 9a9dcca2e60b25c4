"""Page 3, 코디: real outfits that combine the picked garment and the chosen match (or their clusters)."""

from __future__ import annotations

from html import escape
from typing import Any

import streamlit as st

from frontend import data, navigation, state, ui

OUTFIT_LIMIT = 6
ss = st.session_state

MATCH_NOTES = {
    "items": "두 옷을 실제로 함께 입은 코디입니다.",
    "clusters": "두 옷을 함께 입은 코디는 없어서, 같은 종류·같은 색의 옷을 함께 입은 코디를 보여 드립니다.",
}


def _anchor_item() -> dict[str, Any] | None:
    """The starting item; a described garment is stood in for by a catalogue item of its cluster."""
    if ss.get("query_item"):
        return ss["query_item"]
    garment = ss.get("garment")
    return data.representative_item(*garment) if garment else None


def _outfit_card(outfit: dict[str, Any], rank: int) -> None:
    api = data.client()
    members = outfit.get("items") or []
    alt = outfit.get("style") or "코디"
    photo = api.absolute(outfit.get("image_url"))
    picture = (ui.image_tag(photo, alt) if photo
               else ui.collage_html([api.absolute(m["image"]) for m in members if m.get("image")], alt))
    st.markdown(picture, unsafe_allow_html=True)
    title = " · ".join(x for x in (outfit.get("style"), outfit.get("season")) if x) or "코디"
    st.markdown(f"**{escape(title)}**")
    tags = outfit.get("tags") or []
    if tags:
        st.markdown("".join(f'<span class="closet-tag">#{escape(t)}</span>' for t in tags[:8]),
                    unsafe_allow_html=True)
    if members:
        st.caption(" / ".join(f"{m.get('brand') or ''} {m.get('name') or ''}".strip() for m in members[:5]))
    if outfit.get("page_url"):
        st.link_button("코디 페이지 보기", outfit["page_url"], width="stretch")
    state.log_event("view", once_key=f"outfit:{outfit['id']}", outfit_id=int(outfit["id"]),
                    query_item_id=state.query_item_id(), rank=rank + 1, detail={"page": "outfits"})


def _page() -> None:
    st.title("코디 보기")
    match = ss.get("match_item")
    if match is None:
        st.info("먼저 '추천' 화면에서 어울리는 옷을 하나 골라 주세요.")
        if st.button("추천 보러 가기", type="primary", key="to_matches"):
            navigation.go("matches")
        return
    api = data.client()
    left, right = st.columns(2)
    with left:
        st.caption("내 옷")
        ui.query_header(ss.get("query_item"), ss.get("garment"),
                        api.absolute(ss["query_item"].get("image")) if ss.get("query_item") else None)
    with right:
        st.caption("고른 옷")
        ui.query_header(match, None, api.absolute(match.get("image")))

    with ui.backend_guard("retry_outfits"):
        anchor = _anchor_item()
        found = data.outfits_by_pair(int(anchor["id"]), int(match["id"]), OUTFIT_LIMIT) if anchor else None
        outfits = (found or {}).get("outfits") or []
        ss["shown_outfits"] = outfits
        if not outfits:
            st.info("이 두 옷이 함께 나온 코디를 아직 찾지 못했습니다. 다른 추천 옷을 골라 보세요.")
        else:
            st.caption(MATCH_NOTES.get(found.get("match"), ""))
            ui.grid(outfits, _outfit_card, key="outfits", columns=3)
    cols = st.columns(2)
    with cols[0]:
        if st.button("다른 추천 옷 고르기", key="back_matches", width="stretch"):
            navigation.go("matches")
    with cols[1]:
        if st.button("설문 참여하기", type="primary", key="to_survey", width="stretch"):
            navigation.go("survey")


_page()
