"""Closet's Streamlit entry point: `streamlit run frontend/app.py`.

Sets up the page, the shopper's session and the navigation; after every run, the usage events the
pages queued are sent to the backend in one batch.
"""

from __future__ import annotations

import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:  # `streamlit run` puts only frontend/ on the path
    sys.path.insert(0, str(PROJECT_ROOT))

import streamlit as st  # noqa: E402

from frontend import closet, data, navigation, state, ui  # noqa: E402

st.set_page_config(page_title="Closet · 코디 추천", page_icon=":material/checkroom:", layout="wide")
state.init()
ui.inject_css()
current = st.navigation(navigation.build(), position="top")
closet.sync_url()  # the closet id stays in the URL on every page, so a reload or bookmark keeps it
try:
    closet.show_flash()
    current.run()
finally:  # also after st.switch_page / st.rerun, which stop the page with an exception
    state.flush_events(data.client())
