"""Usage events: batched per run, kept while the backend is down, dropped when the backend refuses them."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _script() -> None:
    import streamlit as st

    from frontend import data, state

    state.init()
    if st.session_state.get("bad"):
        state.log_event("search", query_text="x", detail={"blob": "y" * 5000})  # over the backend's limit
    else:
        state.log_event("search", query_text="청바지", detail={"page": 1})
        state.log_event("click", item_id=1, rank=3)
    st.session_state["accepted"] = state.flush_events(data.client())


def test_events_wait_while_the_backend_is_down_then_go_in_one_batch(make_app, down_url) -> None:
    make_app(backend_url=down_url)  # sets the environment and clears caches
    at = AppTest.from_function(_script).run()
    assert not at.exception
    assert at.session_state["accepted"] == 0 and len(at.session_state["event_queue"]) == 2

    make_app()  # the backend is back (the same session goes on)
    at.run()
    assert at.session_state["accepted"] == 4  # the two kept events and the two of this run, one batch
    assert at.session_state["event_queue"] == []


def test_refused_batch_is_dropped(make_app) -> None:
    make_app()
    at = AppTest.from_function(_script)
    at.session_state["bad"] = True
    at.run()
    assert not at.exception
    assert at.session_state["accepted"] == 0 and at.session_state["event_queue"] == []
