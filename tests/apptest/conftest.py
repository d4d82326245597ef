"""AppTest fixtures: run the real app (app.py and its st.navigation) headless, without a browser."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import APP

# CI machines are slow on a cold start (first imports of numpy and plotly); 3 s, the default, is too tight.
TIMEOUT = 30


@pytest.fixture
def app() -> AppTest:
    """The whole app, built from the entrypoint, not yet run.

    Open a page with `app.switch_page("pages/x.py").run()`: page paths are relative to app.py.
    An absolute path is used here because a relative one would resolve against the test file's folder.
    """
    return AppTest.from_file(str(APP), default_timeout=TIMEOUT)
