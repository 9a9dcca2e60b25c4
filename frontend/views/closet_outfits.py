"""Page 코디 만들기: up to five complete outfits made only from the closet, and 완성하기 (complete the look).

Each outfit is a collage of its garments with the calibrated 코디 점수 and the strongest pair reason.
"완성하기" shows the shop item the model picked for each missing class (chosen for the whole outfit);
its image opens the shop through the backend's tracked redirect, like every shop link in the app.
"""

from __future__ import annotations

from html import escape
from typing import Any

import streamlit as st

from frontend import closet, data, navigation, state, ui
from frontend.labels import big_class_label, subcategory_label

OUTFITS = 5
ss = st.session_state


def _members(key: data.ClosetKey, found: dict[str, Any]) -> list[dict[str, Any]]:
    """The closet entries in `key` order, each `{"item": ItemOut}` or `{"garment": {...}}`."""
    garments = iter(found.get("garments", []))
    items = {int(i["id"]): i for i in found.get("items", [])}
    return [{"item": items[entry[1]]} if entry[0] == "item" else {"garment": next(garments)} for entry in key]


def _tile(member: dict[str, Any]) -> str:
    if "item" in member:
        item = member["item"]
        url = data.client().absolute(item.get("image"))
        if url:
            return f'<img src="{escape(url, quote=True)}" alt="{escape(item.get("name") or "", quote=True)}">'
        return ui.swatch_tile(item.get("color_family"), subcategory_label(item.get("subcategory")))
    garment = member["garment"]
    return ui.swatch_tile(garment.get("color_family"), subcategory_label(garment.get("subcategory")))


def _name(member: dict[str, Any]) -> str:
    return member["item"].get("name") or "옷" if "item" in member else closet.garment_label(member["garment"])


def _outfit_card(number: int, outfit: dict[str, Any], members: list[dict[str, Any]]) -> None:
    worn = [members[p] for p in outfit["members"]]
    st.markdown(ui.tiles_collage_html([_tile(m) for m in worn]), unsafe_allow_html=True)
    score = f"<span class='closet-score'>코디 점수 {outfit['probability'] * 100:.0f}%</span>"
    st.markdown(f"**코디 {number}** &nbsp; {score}", unsafe_allow_html=True)
    if outfit.get("reason"):
        st.markdown(f"<div class='closet-reason'>{escape(outfit['reason'])}</div>", unsafe_allow_html=True)
    st.caption(" / ".join(_name(m) for m in worn))
    if outfit["shop"]:
        missing = ", ".join(big_class_label(s["big_class"]) for s in outfit["shop"])
        if st.button(f"완성하기 ({missing})", key=f"complete_{number}", width="stretch"):
            ss["completed_outfit"] = number


def _completion(number: int, outfit: dict[str, Any]) -> None:
    """The shop items that complete outfit `number`, each with its tracked shop link."""
    st.subheader(f"코디 {number} 완성하기")
    completed = outfit.get("completed_probability")
    if completed is not None:
        score = f"<span class='closet-score'>코디 점수 {completed * 100:.0f}%</span>"
        st.markdown(f"쇼핑몰 아이템까지 더한 코디 {score}", unsafe_allow_html=True)
    api = data.client()
    items = {int(i["id"]): i for i in data.items_by_id(tuple(s["item_id"] for s in outfit["shop"]))}
    picks = [(rank, pick, items[pick["item_id"]]) for rank, pick in enumerate(outfit["shop"], start=1)
             if pick["item_id"] in items]
    st.caption("사진을 누르면 쇼핑몰 페이지가 새 탭에서 열립니다.")

    def card(entry: tuple[int, dict[str, Any], dict[str, Any]], _index: int) -> None:
        rank, pick, item = entry
        link = api.shop_link(int(item["id"]), state.session_id(), None, rank)
        st.markdown(ui.item_card_html(item, api.absolute(item.get("image")), link=link,
                                      reason=pick["reason"]), unsafe_allow_html=True)
        closet.add_button(item, f"complete{number}")
        state.log_event("recommendation_shown",
                        once_key=f"complete:{closet.closet_id()}:{number}:{item['id']}",
                        item_id=int(item["id"]), rank=rank,
                        detail={"page": "closet_outfits", "big_class": pick["big_class"]})

    ui.grid(picks, card, key=f"complete_{number}")


def _no_outfits(members: list[dict[str, Any]]) -> None:
    classes = {(m["item"] if "item" in m else m["garment"]).get("big_class") for m in members}
    if "bottom" not in classes:
        st.info("코디를 만들려면 상의와 하의, 또는 원피스가 필요합니다. 옷장에 하의나 원피스를 "
                "추가해 주세요. '옷 찾기'에서 상의를 고르면 어울리는 하의를 추천해 드립니다.")
    elif "top" not in classes and not any(
            (m.get("item") or m.get("garment") or {}).get("subcategory") == "dress" for m in members):
        st.info("코디를 만들려면 상의와 하의, 또는 원피스가 필요합니다. 옷장에 상의를 추가해 주세요.")
    else:
        st.info("이 옷장의 옷으로는 아직 코디를 만들 수 없습니다. 모델이 아는 옷을 더 담아 보세요.")
    if st.button("옷 찾으러 가기", key="outfits_to_find", type="primary"):
        navigation.go("find")


def _page() -> None:
    st.title("코디 만들기")
    st.caption("내 옷장의 옷만으로 만든 코디입니다. "
               "코디 점수는 실제 코디와 무작위 조합을 구별하도록 보정한 값입니다.")
    status = data.model()
    with ui.backend_guard("retry_closet_outfits"):
        found = closet.load()
        if not found or not (found.get("items") or found.get("garments")):
            st.info("옷장이 비어 있습니다. 먼저 '내 옷장'에 가지고 있는 옷을 담아 주세요.")
            if st.button("내 옷장으로", key="outfits_to_closet", type="primary"):
                navigation.go("closet")
            return
        if status.recommender is None:
            st.warning(status.problem or "추천 모델을 사용할 수 없습니다.", icon=":material/psychology:")
            st.code(data.TRAIN_HINT, language="bash")
            return
        key = data.closet_key(found)
        members = _members(key, found)
        outfits = data.closet_outfits(key, OUTFITS)
        ss["closet_outfits_shown"] = outfits
        if not outfits:
            _no_outfits(members)
            return
        if not any((m.get("item") or m.get("garment") or {}).get("big_class") == "shoes" for m in members):
            st.caption("옷장에 신발이 없어, '완성하기'에서 코디에 맞는 신발을 골라 드립니다.")
        ui.grid(list(enumerate(outfits, start=1)),
                lambda entry, _i: _outfit_card(entry[0], entry[1], members), key="closet_outfits", columns=3)
        chosen = ss.get("completed_outfit")
        if chosen is not None and 1 <= chosen <= len(outfits) and outfits[chosen - 1]["shop"]:
            _completion(chosen, outfits[chosen - 1])
    if st.button("내 옷장 보기", key="outfits_back_closet"):
        navigation.go("closet")


_page()
