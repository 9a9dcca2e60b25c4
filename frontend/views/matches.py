"""Page 2, 추천: matches for the picked garment, grouped by the other big classes."""

from __future__ import annotations

import random
from typing import Any

import streamlit as st

from db.experiments import FEEDBACK
from db.settings import get_settings
from frontend import closet, data, navigation, state, ui
from frontend.labels import BIG_CLASSES, big_class_label, subject_particle
from model.feedback.session import rerank

PER_BIG_CLASS = 5
ss = st.session_state


def _choose(entry: dict[str, Any], rank: int) -> None:
    state.pick_match(entry["item"])  # a new pair deserves its own outfits and survey
    ss["session_signals"].record_click(entry["item"])
    state.log_event("click", item_id=int(entry["item"]["id"]), query_item_id=state.query_item_id(), rank=rank,
                    detail={"page": "matches", "probability": entry["rec"]["probability"]})
    navigation.go("outfits")


def _card(entry: dict[str, Any], rank: int) -> None:
    item, rec = entry["item"], entry["rec"]
    api = data.client()
    link = api.shop_link(int(item["id"]), state.session_id(), state.query_item_id(), rank)
    st.markdown(ui.item_card_html(item, api.absolute(item.get("image")), link=link,
                                  probability=rec["probability"], reason=rec["reason"]),
                unsafe_allow_html=True)
    if st.button("이걸로 코디 보기", key=f"choose_{item['id']}", width="stretch"):
        _choose(entry, rank)
    closet.add_button(item, "matches")


def _matches() -> tuple[list[dict[str, Any]], str, list[str]]:
    """Recommendations joined with their catalogue items, in the model's order, what they are for, and
    the big classes the model looked in (in page order)."""
    item, garment, gender = ss.get("query_item"), ss.get("garment"), ss.get("garment_gender")
    if item is not None:  # its attributes stand in if the model has not seen the item
        garment = (item.get("big_class"), item.get("subcategory"), item.get("color_family"))
        gender = item.get("gender")
    found = data.recommend(int(item["id"]) if item else None, tuple(garment) if garment else None,
                           PER_BIG_CLASS, gender, ss["variant"])
    recs = found["recs"]
    items = {int(i["id"]): i for i in data.items_by_id(tuple(r["item_id"] for r in recs))}
    entries = [{"item": items[r["item_id"]], "rec": r} for r in recs if r["item_id"] in items]
    if ss["variant"] == FEEDBACK:
        floor = float(getattr(data.model().recommender, "floor", 0.0) or 0.0)
        entries = rerank(entries, ss["session_signals"], floor)
    looked_in = set(found.get("classes") or ()) | {e["rec"]["big_class"] for e in entries}
    return entries, found["by"], [b for b in BIG_CLASSES if b in looked_in]


def empty_row_message(big_class: str) -> str:
    """What a row says when nothing of its class is better than a random pick for this garment."""
    label = big_class_label(big_class)
    return f"아직 추천할 만한 {label}{subject_particle(label)} 없습니다."


def _explored(query_key: object) -> bool:
    """Whether this session's page for this garment is one of the shuffled ones (stable across reruns):
    the feedback job estimates from them how often each rank is looked at."""
    share = get_settings().feedback_explore_share
    return ss["variant"] == FEEDBACK and random.Random(f"{state.session_id()}:{query_key}").random() < share


def _from_link() -> None:
    """`/matches?item=<id>` opens the matches of one catalogue item directly (shareable link)."""
    wanted = st.query_params.get("item", "")
    if wanted.isdigit() and (ss.get("query_item") or {}).get("id") != int(wanted):
        found = data.client().item(int(wanted))
        if found is None:
            st.warning("링크의 옷을 찾을 수 없습니다. '옷 찾기'에서 골라 주세요.")
        else:
            state.pick_query(found, None)


def _add_query_button(item: dict[str, Any] | None, garment: tuple | None) -> None:
    """"옷장에 추가" for the garment the shopper started from (a catalogue item or a described one)."""
    if item is not None:
        st.button("옷장에 추가", key="closet_add_query", icon=":material/add:", on_click=closet.add_item,
                  args=(item,))
    elif garment is not None:
        st.button("옷장에 추가", key="closet_add_query", icon=":material/add:", on_click=closet.add_garment,
                  args=tuple(garment[:4]))


def _page() -> None:
    st.title("어울리는 옷")
    with ui.backend_guard("retry_link"):
        _from_link()
    item, garment = ss.get("query_item"), ss.get("garment")
    if item is None and garment is None:
        st.info("먼저 '옷 찾기'에서 내 옷을 골라 주세요.")
        if st.button("옷 찾으러 가기", type="primary", key="to_find"):
            navigation.go("find")
        return
    api = data.client()
    ui.query_header(item, garment, api.absolute(item.get("image")) if item else None)
    _add_query_button(item, garment)

    status = data.model()
    if status.recommender is None:
        st.warning(status.problem or "추천 모델을 사용할 수 없습니다.", icon=":material/psychology:")
        st.markdown("팀에서 모델을 학습하면 이 화면에 추천이 나타납니다. 학습 방법:")
        st.code(data.TRAIN_HINT, language="bash")
        return

    with ui.backend_guard("retry_matches"):
        entries, by, classes = _matches()
        ss["shown_matches"] = entries
        if item is not None and by == "garment":
            st.caption("이 옷은 모델 학습 이후에 추가되어, 같은 종류·색의 옷을 기준으로 추천합니다.")
        if not entries and not classes:
            st.info("이 옷에 맞는 추천을 찾지 못했습니다. 다른 옷을 골라 보거나 '직접 설명하기'를 써 보세요.")
            if st.button("다른 옷 고르기", key="back_find"):
                navigation.go("find")
            return
        st.caption("사진을 누르면 쇼핑몰 페이지가 새 탭에서 열립니다. "
                   "매칭 확률은 실제 코디 데이터로 보정한 값입니다.")
        query_key = item["id"] if item else garment
        shuffled = _explored(query_key)
        rank = 0
        for big_class in classes:
            group = [e for e in entries if e["rec"]["big_class"] == big_class]
            if shuffled:
                random.Random(f"{state.session_id()}:{query_key}:{big_class}").shuffle(group)
            st.subheader(big_class_label(big_class))
            if not group:  # the model rates nothing of this class above a random pick: say so, not fill
                st.info(empty_row_message(big_class), icon=":material/block:")
                continue
            ranked = list(enumerate(group, start=rank + 1))
            ui.grid(ranked, lambda pair, _i: _card(pair[1], pair[0]), key=f"matches_{big_class}")
            for position, entry in ranked:
                detail = {"probability": round(entry["rec"]["probability"], 4),
                          "garment": list(garment) if garment else None, "randomised": shuffled}
                item_id = int(entry["item"]["id"])
                if state.log_event("recommendation_shown", once_key=f"shown:{query_key}:{item_id}",
                                   item_id=item_id, query_item_id=state.query_item_id(), rank=position,
                                   detail=detail):
                    ss["session_signals"].record_shown(item_id)
            rank += len(group)
    if st.button("다른 옷 고르기", key="back_find_bottom"):
        navigation.go("find")


_page()
