"""Page 5, 인사이트 (team only): survey results, usage, catalogue make-up and the model's evaluation."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from frontend import data, ui
from frontend.backend_client import BackendError
from frontend.labels import big_class_label, color_label, subcategory_label

ss = st.session_state
KIND_LABELS = {"item": "추천 옷", "outfit": "코디"}
EVENT_LABELS = {"search": "검색", "view": "코디 조회", "recommendation_shown": "추천 노출", "click": "클릭",
                "shop_link_open": "쇼핑몰 이동", "survey": "설문 응답"}


def _token_form() -> None:
    with st.form("admin_login"):
        token = st.text_input("관리자 토큰", type="password", key="admin_token_input")
        if st.form_submit_button("확인", type="primary") and token.strip():
            ss["admin_token"] = token.strip()
            st.rerun()


def _survey_section(summary: dict[str, Any]) -> None:
    """Backend shape: {"by_kind": {kind: {count, mean_rating, histogram}}, "by_day": [...]}."""
    st.subheader("설문 결과")
    kinds = summary.get("by_kind") or {}
    cols = st.columns(len(KIND_LABELS))
    for col, (kind, label) in zip(cols, KIND_LABELS.items(), strict=True):
        row = kinds.get(kind) or {}
        mean = row.get("mean_rating")
        col.metric(f"{label} 평균 평점", f"{mean:.2f} / 5" if mean is not None else "–",
                   help=f"응답 {row.get('count', 0)}개")
    by_day = summary.get("by_day") or []
    if not by_day:
        st.caption("아직 설문 응답이 없습니다.")
        return
    frame = pd.DataFrame(by_day).pivot_table(index="day", columns="target_kind", values="mean_rating")
    st.caption("날짜별 평균 평점")
    st.bar_chart(frame.rename(columns=KIND_LABELS), stack=False, y_label="평균 평점 (1-5)")


def _item_table(rows: list[dict[str, Any]], count_label: str) -> pd.DataFrame:
    return pd.DataFrame([
        {"브랜드": r["item"].get("brand"), "상품명": r["item"].get("name"),
         "종류": big_class_label(r["item"].get("big_class")), count_label: r.get("count")}
        for r in rows
    ])


def _usage_section(insights: dict[str, Any], daily: dict[str, Any]) -> None:
    st.subheader("사용 현황")
    shown, clicked = insights.get("most_shown") or [], insights.get("most_clicked") or []
    left, right = st.columns(2)
    for column, rows, title, count_label in ((left, shown, "가장 많이 추천된 옷", "노출"),
                                             (right, clicked, "가장 많이 클릭된 옷", "클릭")):
        with column:
            st.caption(title)
            if rows:
                st.dataframe(_item_table(rows, count_label), hide_index=True)
            else:
                st.caption("기록 없음")
    ctr = [row for row in insights.get("click_through_by_big_class") or [] if row.get("rate") is not None]
    if ctr:
        frame = pd.DataFrame(ctr)
        frame["종류"] = frame["big_class"].map(big_class_label)
        frame["클릭률(%)"] = frame["rate"] * 100
        st.caption("종류별 클릭률 (클릭 / 노출)")
        st.bar_chart(frame.set_index("종류")["클릭률(%)"])
    stats = daily.get("stats") or []
    if stats:
        events = pd.DataFrame([row.get("events") or {} for row in stats],
                              index=[row["day"] for row in stats]).fillna(0)
        events["survey"] = [row.get("survey_responses", 0) for row in stats]
        st.caption("날짜별 이벤트와 설문 응답 수")
        st.bar_chart(events.rename(columns=EVENT_LABELS))


def _composition_section(insights: dict[str, Any]) -> None:
    composition = insights.get("catalogue") or {}
    if not any(composition.values()):
        return
    st.subheader("카탈로그 구성")
    for key, title, label in (("big_classes", "종류", big_class_label), ("colors", "색상", color_label),
                              ("subcategories", "세부 종류", subcategory_label)):
        rows = composition.get(key) or []
        if rows:
            frame = pd.DataFrame(rows)
            frame[title] = frame["value"].map(label)
            st.caption(f"{title}별 상품 수")
            counts = frame.groupby(title)["count"].sum().sort_values(ascending=False)
            st.bar_chart(counts, horizontal=True, sort=False)


METRIC_LABELS = {"hit@10": "HitRate@10", "ndcg@10": "NDCG@10", "mrr": "MRR", "fitb4": "FITB(4지선다)",
                 "ece": "보정 오차(ECE)", "pairs": "평가 쌍"}


PAIR_GROUP_LABELS = {"worn_together": "함께 입은 적 있음", "seen_never_together": "둘 다 봤지만 따로",
                     "target_unseen": "추천 상품 처음 봄", "query_unseen": "기준 상품 처음 봄",
                     "both_unseen": "둘 다 처음 봄"}


def _pair_group_table(groups: dict) -> None:
    """HitRate@k per pair group: where each method's hits come from (and which pairs nobody finds)."""
    hits = next((value for key, value in groups.items() if key.startswith("hit@")), None)
    if not hits or not isinstance(groups.get("shares"), dict):
        return
    frame = pd.DataFrame(hits).T.rename(columns=PAIR_GROUP_LABELS)
    frame.index.name = "방법"
    shares = " · ".join(f"{PAIR_GROUP_LABELS.get(name, name)} {share:.0%}"
                        for name, share in groups["shares"].items())
    st.caption(f"평가 쌍 유형별 HitRate (학습 코디가 그 쌍에 대해 알던 것) · 비중: {shares}")
    st.dataframe(frame.reset_index(), hide_index=True)


def _evaluation_section() -> None:
    """`python -m model.evaluate --json` writes {corpus: {"methods": {method: {metric: value}}, ...}}."""
    st.subheader("추천 모델 평가")
    table = data.evaluation_table()
    if not table:
        st.caption("아직 평가 결과가 없습니다. `python -m model.evaluate --json` 으로 만들 수 있습니다.")
        return
    corpora = {name: body for name, body in table.items() if isinstance(body, dict) and "methods" in body}
    if not corpora:
        st.json(table, expanded=False)
        return
    for name, body in corpora.items():
        frame = pd.DataFrame(body["methods"]).T.rename(columns=METRIC_LABELS)
        frame.index.name = "방법"
        sizes = (("items", "상품"), ("train_outfits", "학습 코디"), ("test_outfits", "평가 코디"))
        facts = [f"{label} {body[key]:,}" for key, label in sizes if isinstance(body.get(key), int)]
        st.caption(f"{name} · " + " · ".join(facts) if facts else name)
        st.dataframe(frame.reset_index(), hide_index=True)
        if isinstance(body.get("pair_groups"), dict):
            _pair_group_table(body["pair_groups"])


EXPERIMENT_METRICS = (("click_through", "추천 클릭률", True), ("shop_open_rate", "쇼핑몰 이동률", True),
                      ("survey", "설문 평균", False))


def _estimate_text(value: float | None, low: float | None, high: float | None, rate: bool) -> str:
    if value is None:
        return "–"
    show = (lambda x: f"{x * 100:.1f}%") if rate else (lambda x: f"{x:.2f}")  # noqa: E731
    return show(value) + (f" [{show(low)}, {show(high)}]" if low is not None and high is not None else "")


def _experiment_rows(experiment: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for variant in experiment.get("variants") or []:
        row: dict[str, Any] = {"변형": variant["variant"], "세션": variant["sessions"]}
        for key, label, rate in EXPERIMENT_METRICS:
            m = variant[key]
            value = m.get("rate") if rate else m.get("mean")
            row[f"{label} (95% 구간)"] = _estimate_text(value, m.get("low"), m.get("high"), rate)
            diff = m.get("difference")
            if diff is None:
                row[f"{label} 차이"] = "기준"
            else:
                row[f"{label} 차이"] = _estimate_text(diff["estimate"], diff["low"], diff["high"], rate)
        rows.append(row)
    return rows


def _verdicts(experiment: dict[str, Any]) -> list[str]:
    """One plain sentence per variant and metric compared with control."""
    lines = []
    for variant in experiment.get("variants") or []:
        for key, label, _ in EXPERIMENT_METRICS:
            diff = variant[key].get("difference")
            if diff is None:
                continue
            if diff.get("estimate") is None or diff.get("low") is None:
                lines.append(f"'{variant['variant']}'의 {label}: 아직 비교할 데이터가 부족합니다.")
            elif diff["significant"]:
                way = "높습니다" if diff["estimate"] > 0 else "낮습니다"
                lines.append(f"'{variant['variant']}'의 {label}는 '{experiment['control']}'보다 "
                             f"유의하게 {way} (95% 구간이 0을 포함하지 않음).")
            else:
                lines.append(f"'{variant['variant']}'의 {label} 차이는 아직 유의하지 않습니다 "
                             f"(95% 구간이 0을 포함).")
    return lines


def _experiment_chart(experiment: dict[str, Any]) -> alt.LayerChart | None:
    points = [{"변형": v["variant"], "클릭률(%)": v["click_through"]["rate"] * 100,
               "low": v["click_through"]["low"] * 100, "high": v["click_through"]["high"] * 100}
              for v in experiment.get("variants") or [] if v["click_through"].get("rate") is not None]
    if not points:
        return None
    frame = pd.DataFrame(points)
    base = alt.Chart(frame).encode(x=alt.X("변형:N", title=None))
    return (base.mark_point(filled=True, size=90).encode(y=alt.Y("클릭률(%):Q"))
            + base.mark_errorbar(ticks=True).encode(y=alt.Y("low:Q", title="추천 클릭률 (%)"), y2="high:Q"))


def _experiments_section(report: dict[str, Any]) -> None:
    """`GET /admin/experiments`: per variant with 95 % intervals and the difference against control."""
    st.subheader("A/B 실험")
    experiments = report.get("experiments") or []
    if not experiments:
        st.caption("진행 중인 실험이 없습니다.")
        return
    for experiment in experiments:
        state = "진행 중" if experiment.get("active") else "종료"
        st.caption(f"실험 '{experiment['name']}' ({state}) · 기준: {experiment.get('control') or '없음'}")
        st.dataframe(pd.DataFrame(_experiment_rows(experiment)), hide_index=True)
        chart = _experiment_chart(experiment)
        if chart is not None:
            st.altair_chart(chart)
        for line in _verdicts(experiment):
            st.markdown(f"- {line}")


def _page() -> None:
    st.title("인사이트")
    st.caption("팀 전용 화면입니다.")
    token = ss.get("admin_token")
    if not token:
        _token_form()
        return
    try:
        bundle = data.admin_bundle(token)
    except BackendError as error:
        if error.kind == "unauthorized":
            st.error("관리자 토큰이 올바르지 않습니다. 다시 입력해 주세요.")
            ss.pop("admin_token", None)
            _token_form()
        else:
            ui.show_backend_error(error, "retry_insights")
        return
    _survey_section(bundle["summary"] or {})
    _usage_section(bundle["insights"] or {}, bundle["daily"])
    _experiments_section(bundle.get("experiments") or {})
    _composition_section(bundle["insights"] or {})
    _evaluation_section()
    if st.button("로그아웃", key="admin_logout"):
        ss.pop("admin_token", None)
        st.rerun()


_page()
