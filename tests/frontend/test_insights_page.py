"""인사이트 page: the admin token gate, survey and usage figures from the backend, the evaluation table."""

from __future__ import annotations

import json

import httpx

from frontend.backend_client import BackendClient
from tests.frontend import helpers
from tests.frontend.conftest import ADMIN_TOKEN

PAGE = "views/insights.py"


def _login(at, token: str):  # noqa: ANN001, ANN202
    at.switch_page(PAGE).run()
    at.text_input(key="admin_token_input").input(token)
    at.get("form_submit_button")[0].click()
    return at.run()


def test_wrong_token_is_refused(make_app) -> None:
    at = _login(make_app(), "not-the-token")
    assert not at.exception
    assert any("관리자 토큰이 올바르지 않습니다" in e.value for e in at.error)
    assert "admin_token" not in at.session_state and not at.metric


def test_team_sees_survey_usage_catalogue_and_evaluation(make_app, frontend_stack, tmp_path) -> None:
    a, b = helpers.pair_worn_together(frontend_stack.database_url)
    client = BackendClient(frontend_stack.backend_url)
    session_id = "insights-test"
    client.post_survey({"session_id": session_id, "target_kind": "item", "item_id": b, "query_item_id": a,
                        "rating": 4})
    client.post_events([{"session_id": session_id, "event_type": "recommendation_shown", "item_id": b,
                         "query_item_id": a, "rank": 1},
                        {"session_id": session_id, "event_type": "click", "item_id": b, "query_item_id": a}])
    summary = client.survey_summary(ADMIN_TOKEN)
    client.close()
    evaluation = {"musinsa-snap": {"methods": {"popularity": {"hit@10": 0.12, "pairs": 900},
                                               "closet": {"hit@10": 0.31, "pairs": 900}},
                                   "k": 10, "items": 1234, "train_outfits": 400, "test_outfits": 100,
                                   "pair_groups": {"shares": {"worn_together": 0.25, "query_unseen": 0.75},
                                                   "hit@10": {"closet": {"worn_together": 0.8,
                                                                         "query_unseen": 0.2}}}}}
    (tmp_path / "evaluation.json").write_text(json.dumps(evaluation), encoding="utf-8")

    at = _login(make_app(artifact_dir=tmp_path), ADMIN_TOKEN)
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    expected = summary["by_kind"]["item"]["mean_rating"]
    assert metrics["추천 옷 평균 평점"] == f"{expected:.2f} / 5"
    subheaders = [h.value for h in at.subheader]
    assert {"설문 결과", "사용 현황", "카탈로그 구성", "추천 모델 평가"} <= set(subheaders)
    tables = [d.value for d in at.dataframe]
    assert any("HitRate@10" in t.columns and list(t["방법"]) == ["popularity", "closet"]
               and list(t["HitRate@10"]) == [0.12, 0.31] for t in tables)
    assert any("musinsa-snap" in c.value and "상품 1,234" in c.value for c in at.caption)
    assert any(list(t.columns) == ["방법", "함께 입은 적 있음", "기준 상품 처음 봄"]
               and list(t["기준 상품 처음 봄"]) == [0.2] for t in tables)
    assert any("기준 상품 처음 봄 75%" in c.value for c in at.caption)
    assert any("상품명" in t.columns for t in tables)  # most shown / clicked items
    at.button(key="admin_logout").click().run()
    assert "admin_token" not in at.session_state


def test_backend_down_on_insights(make_app, down_url) -> None:
    at = _login(make_app(backend_url=down_url), ADMIN_TOKEN)
    assert not at.exception
    assert any("서버에 연결할 수 없습니다" in e.value for e in at.error)
    assert at.session_state["admin_token"] == ADMIN_TOKEN  # the token is kept for the retry
    assert at.button(key="retry_insights").label == "다시 시도"


def test_experiment_table_chart_and_plain_verdict(make_app, frontend_stack) -> None:
    from db.experiments import assign_variant
    from db.settings import get_settings

    a, b = helpers.pair_worn_together(frontend_stack.database_url)
    config = get_settings().experiment
    sessions = {"control": [], "feedback": []}
    n = 0
    while min(len(v) for v in sessions.values()) < 3:
        sid = f"exp-{n}"
        sessions[assign_variant(config, sid)].append(sid)
        n += 1
    kinds = {"control": ("recommendation_shown",), "feedback": ("recommendation_shown", "click")}
    events = [{"session_id": sid, "event_type": kind, "item_id": b, "query_item_id": a, "rank": 1}
              for variant, ids in sessions.items() for sid in ids[:3] for kind in kinds[variant]]
    client = BackendClient(frontend_stack.backend_url)
    client.post_events(events)
    client.close()
    # Other tests of this stack log events too: the page must show what the endpoint reports.
    report = httpx.get(f"{frontend_stack.backend_url}/api/v1/admin/experiments",
                       headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}).json()
    [experiment] = [e for e in report["experiments"] if e["active"]]
    feedback = next(v for v in experiment["variants"] if v["variant"] == "feedback")
    feedback_rate = feedback["click_through"]["rate"]
    assert feedback_rate > 0

    at = _login(make_app(), ADMIN_TOKEN)
    assert not at.exception
    assert "A/B 실험" in [h.value for h in at.subheader]
    [table] = [d.value for d in at.dataframe if "변형" in d.value.columns]
    assert list(table["변형"]) == ["control", "feedback"]
    assert list(table["세션"]) >= [3, 3]
    assert table["추천 클릭률 차이"].iloc[0] == "기준"
    assert table["추천 클릭률 (95% 구간)"].iloc[1].startswith(f"{feedback_rate:.1%}")
    verdicts = " ".join(m.value for m in at.markdown)
    assert "'feedback'의 설문 평균: 아직 비교할 데이터가 부족합니다." in verdicts
    assert "추천 클릭률" in verdicts
    assert "유의하게 높습니다" in verdicts or "아직 유의하지 않습니다" in verdicts
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
