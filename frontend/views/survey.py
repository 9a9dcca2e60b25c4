"""Page 4, 설문: 1-5 ratings for the matches and outfits the shopper saw, plus a comment."""

from __future__ import annotations

from html import escape
from typing import Any

import streamlit as st

from frontend import data, navigation, state, ui
from frontend.backend_client import BackendError

MAX_ITEMS, MAX_OUTFITS = 5, 3
SCALE = [1, 2, 3, 4, 5]
SCALE_HELP = "1 = 전혀 아니에요 · 3 = 보통이에요 · 5 = 아주 좋아요"
ss = st.session_state


def _items_to_rate() -> list[dict[str, Any]]:
    """The chosen match first, then the best match of each big class, without repeats."""
    chosen = [ss["match_item"]] if ss.get("match_item") else []
    best_per_class: dict[str, dict] = {}
    for entry in ss.get("shown_matches") or []:
        best_per_class.setdefault(entry["rec"]["big_class"], entry["item"])
    seen: set[int] = set()
    ordered = []
    for item in chosen + list(best_per_class.values()):
        if int(item["id"]) not in seen:
            seen.add(int(item["id"]))
            ordered.append(item)
    return ordered[:MAX_ITEMS]


def _rating(label: str, key: str) -> int | None:
    """1-5 in one row; the label names what is rated (read by screen readers, shown above as text)."""
    return st.radio(label, SCALE, index=None, horizontal=True, key=key, label_visibility="collapsed")


def _thanks() -> None:
    st.success(f"설문에 참여해 주셔서 감사합니다! ({ss['survey_sent']}개 응답 저장)",
               icon=":material/favorite:")
    cols = st.columns(2)
    with cols[0]:
        if st.button("다른 옷으로 다시 해 보기", type="primary", key="restart", width="stretch"):
            state.pick_query(None, None)
            navigation.go("find")
    with cols[1]:
        if st.button("추천 화면으로 돌아가기", key="back_to_matches", width="stretch"):
            navigation.go("matches")


def _submit(answers: list[dict[str, Any]], comment: str) -> None:
    """Post each answer once: after a failure half-way, a retry sends only what is still missing."""
    api = data.client()
    posted: dict[str, int] = ss.setdefault("survey_posted", {})
    for index, answer in enumerate(answers):
        key = f"{answer['target_kind']}:{answer.get('item_id') or answer.get('outfit_id')}"
        if key in posted:
            continue
        body = {"session_id": state.session_id(), "query_item_id": state.query_item_id(), **answer}
        if comment and index == 0:
            body["comment"] = comment  # one comment per visit, kept with the first answer
        posted[key] = api.post_survey({k: v for k, v in body.items() if v is not None})
    ss["survey_sent"] = len(posted)


def _page() -> None:
    st.title("설문")
    if ss.get("survey_sent"):
        _thanks()
        return
    items, outfits = _items_to_rate(), (ss.get("shown_outfits") or [])[:MAX_OUTFITS]
    if not items and not outfits:
        st.info("추천이나 코디를 본 뒤에 평가할 수 있어요. '옷 찾기'에서 시작해 주세요.")
        if st.button("옷 찾으러 가기", type="primary", key="survey_to_find"):
            navigation.go("find")
        return
    st.caption(SCALE_HELP)
    with st.form("survey_form"):
        answers: list[dict[str, Any]] = []
        if items:
            st.subheader("추천된 옷이 내 옷과 잘 어울리나요?")
        api = data.client()
        for item in items:
            image = api.absolute(item.get("image"))
            thumb = (f"<img class='closet-mini' src='{escape(image, quote=True)}' alt=''>" if image else "")
            brand = escape(item.get("brand") or "")
            st.markdown(f"<div class='closet-survey-item'>{thumb}<div><b>{brand}</b> "
                        f"{escape(item.get('name') or '')}<br><span class='closet-reason'>"
                        f"{escape(ui.describe(item))}</span></div></div>", unsafe_allow_html=True)
            value = _rating(f"{item.get('name') or ''} 평점", key=f"rate_item_{item['id']}")
            answers.append({"target_kind": "item", "item_id": int(item["id"]), "rating": value})
        if outfits:
            st.subheader("추천 코디가 마음에 드나요?")
        for number, outfit in enumerate(outfits, start=1):
            label = " · ".join(x for x in (outfit.get("style"), outfit.get("season")) if x)
            st.markdown(f"**코디 {number}** {escape(label)}")
            value = _rating(f"코디 {number} 평점", key=f"rate_outfit_{outfit['id']}")
            answers.append({"target_kind": "outfit", "outfit_id": int(outfit["id"]), "rating": value})
        comment = st.text_area("하고 싶은 말 (선택)", max_chars=1000, key="survey_comment",
                               placeholder="검색이나 추천에서 좋았던 점, 아쉬웠던 점을 알려 주세요.")
        submitted = st.form_submit_button("보내기", type="primary")
    if submitted:
        rated = [a for a in answers if a["rating"] is not None]
        if not rated:
            st.warning("하나 이상 평점을 골라 주세요.")
            return
        try:
            _submit(rated, (comment or "").strip())
        except BackendError as error:
            ui.show_backend_error(error, "retry_survey")
            st.caption("입력한 평점은 그대로 남아 있습니다. '보내기'를 다시 눌러 주세요.")
            return
        st.rerun()


_page()
