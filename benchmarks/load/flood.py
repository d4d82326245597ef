"""An upload flood from one client: many upload URLs asked for, 10 MB sent to each, none attached to a widget.

This is the attack of the hardening review: Streamlit keeps an uploaded file in memory until the session
ends, even one no widget ever reads, so one client could fill a server's memory. The client below does what
the frontend does on the wire (benchmarks/load/protocol.py describes it), with the cookies a browser keeps
(nginx's sticky cookie too, so every request reaches the replica that holds the session):

1. GET /_stcore/health: the XSRF cookie (and, through nginx, the sticky cookie).
2. Open the websocket and run the Classify page (its uploaders exist; none is used).
3. One `file_urls_request` for `count` names -> `count` upload URLs.
4. PUT `size` bytes (multipart) to each URL, `parallel` at a time; nothing is attached to a widget.

`upload_flood(...)` returns the HTTP status of every PUT, in order. Used by tests/e2e/test_replicas.py and
benchmarks/upload_flood.py.
"""

import asyncio
import os
import urllib.request
import uuid
from http.cookies import SimpleCookie

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

from benchmarks.load.protocol import XSRF_COOKIE, http, multipart


def _cookies(base: str) -> dict[str, str]:
    """The cookies the server (and nginx) set on a first request."""
    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=10) as response:
        jar = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar.load(header)
        return {name: morsel.value for name, morsel in jar.items()}


async def upload_flood(base: str, count: int = 60, size: int = 10_000_000, parallel: int = 8,
                       page: str = "classify", timeout: float = 120) -> list[int]:
    """Ask for `count` upload URLs in one session, PUT `size` random bytes to each; return the statuses."""
    base = base.rstrip("/")
    cookies = _cookies(base)
    xsrf = cookies.get(XSRF_COOKIE, "")
    cookie_header = "; ".join(f"{k}={v}" for k, v in cookies.items())
    ws_url = base.replace("http://", "ws://") + "/_stcore/stream"
    async with connect(ws_url, subprotocols=["streamlit", xsrf] if xsrf else ["streamlit"], origin=base,
                       additional_headers={"Cookie": cookie_header}, max_size=None, open_timeout=30,
                       ping_interval=None) as ws:
        session_id, urls = "", None
        back = BackMsg()
        back.rerun_script.page_name = page
        await ws.send(back.SerializeToString())
        request_id = uuid.uuid4().hex
        async with asyncio.timeout(timeout):
            async for raw in ws:
                msg = ForwardMsg()
                msg.ParseFromString(raw)
                kind = msg.WhichOneof("type")
                if kind == "new_session" and msg.new_session.initialize.session_id:
                    session_id = msg.new_session.initialize.session_id
                elif kind == "script_finished" and urls is None:
                    ask = BackMsg()
                    ask.file_urls_request.request_id = request_id
                    ask.file_urls_request.file_names.extend(f"flood-{i}.png" for i in range(count))
                    ask.file_urls_request.session_id = session_id
                    await ws.send(ask.SerializeToString())
                    urls = []
                elif kind == "file_urls_response" and msg.file_urls_response.response_id == request_id:
                    urls = list(msg.file_urls_response.file_urls)
                    break
        body, ctype = multipart("flood.png", os.urandom(size), "image/png")
        headers = {"Content-Type": ctype, "X-Xsrftoken": xsrf, "Cookie": cookie_header, "Origin": base}
        gate = asyncio.Semaphore(parallel)

        async def put(u):
            url = u.upload_url if u.upload_url.startswith("http") else base + u.upload_url
            async with gate:
                return (await asyncio.to_thread(http, url, "PUT", body, headers, 60))[0]
        return list(await asyncio.gather(*(put(u) for u in urls)))
