"""The load test's websocket client (benchmarks/load/protocol.py) against a real server: it must speak the protocol
the way the browser does, or the load figures in the README measure something else."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from benchmarks.load.protocol import ProtocolSession
from tests.conftest import REPO_ROOT

PHOTO = (REPO_ROOT / "tests" / "fixtures" / "face.jpg").read_bytes()


async def lap(base):
    async with ProtocolSession(base) as s:
        await s.open("")
        assert {"", "basin", "classify"} <= set(s.pages)
        await s.switch_page("basin")
        options = list(s.widget("alpha").proto.options)
        await s.set_value("alpha", options[-1])
        opened = await s.switch_page("classify")
        photo = s.widget("clf_photo_file")
        alpha = s.widget("alpha")
        uploaded = await s.upload("clf_photo_file", "face.jpg", PHOTO, "image/jpeg")
        return opened, photo, alpha, uploaded


def test_protocol_client_runs_a_lap_and_an_upload_reruns_only_the_photo_fragment(streamlit_server):
    # In a thread of its own: the browser tests' Playwright keeps an event loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        opened, photo, alpha, uploaded = pool.submit(asyncio.run, lap(streamlit_server)).result()
    assert photo.fragment_id and not alpha.fragment_id  # the photo tab is an @st.fragment, the sidebar is not
    # rerun() raised unless the run ended FINISHED_FRAGMENT_RUN_SUCCESSFULLY; a fragment run sends only the tab
    assert 0 < uploaded.bytes < opened.bytes / 2
    assert not uploaded.exceptions and not uploaded.errors_shown
