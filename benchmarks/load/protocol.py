"""A light Streamlit client: speaks the app's websocket protocol (BackMsg out, ForwardMsg in), renders nothing.

This is what Streamlit's frontend does on the wire, reduced to what a load test needs (read from the
installed 1.67 package: web/server/starlette/starlette_websocket.py, starlette_routes.py and
runtime/app_session.py):

1. GET /_stcore/health: the server sets the XSRF cookie (`_streamlit_xsrf`).
2. Open ws://host/_stcore/stream with subprotocols ["streamlit", <xsrf cookie>], the cookie and an Origin header,
   as the browser does. The server answers with a `new_session` ForwardMsg (session id, pages).
3. Every run is a BackMsg `rerun_script` = ClientState(query_string, page_script_hash, page_name, widget_states):
   the first one names the page by its URL path (page_name), later page switches by its page_script_hash.
   widget_states carries the values of the page's widgets, as the frontend sends them.
4. The server streams deltas (elements, with widget ids) and ends the run with `script_finished`.
   A delta made inside an `@st.fragment` carries the fragment's id; a change to a widget from such a delta
   reruns only that fragment: the ClientState names it in fragment_id, and the run ends with
   FINISHED_FRAGMENT_RUN_SUCCESSFULLY.
5. An upload: BackMsg `file_urls_request` -> ForwardMsg `file_urls_response` (file id and upload URL) ->
   HTTP PUT of a multipart body with the X-Xsrftoken header -> rerun with a FileUploaderState widget value.

6. `@st.fragment(run_every=...)`: the server sends `auto_rerun` (fragment id, interval) and the frontend, not the
   server, keeps the timer: every interval it sends a rerun_script for that fragment with is_auto_rerun, until
   a `stop_auto_rerun` (App.tsx handleAutoRerun). This client does the same. Runs it did not ask for through
   rerun() (those timed ones, or the whole-app rerun such a fragment asks for with st.rerun) still stream
   deltas: their widgets are learnt all the same (into `last`), their exceptions are counted in
   `background_exceptions`, and `listeners` (callables taking the ForwardMsg) see every message, for a load
   test that watches what a page shows (benchmarks/load/classmode.py). While rerun() waits for its own run,
   the end of a timed fragment run (or of a run cut short for a rerun) is not taken for it.

Latency of one interaction = BackMsg sent -> `script_finished` received (an upload adds its PUT).
"""

import asyncio
import time
import urllib.request
import uuid
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Common_pb2 import FileURLs, UploadedFileInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect

XSRF_COOKIE = "_streamlit_xsrf"
WIDGET_KINDS = ("slider", "checkbox", "selectbox", "radio", "multiselect", "number_input", "file_uploader",
                "button", "text_input", "camera_input")


class ProtocolError(RuntimeError):
    """Something a student would have seen as broken: an exception, a disconnect, an HTTP error, a timeout."""


@dataclass
class Widget:
    id: str
    kind: str
    proto: object  # the element's widget proto (options, label, default ...)
    fragment_id: str = ""  # the @st.fragment it was drawn in: changing it reruns that fragment only

    @property
    def key(self) -> str:
        """The user key: Streamlit's widget ids end in "-<key>" when a key was given."""
        return self.id.rsplit("-", 1)[-1] if self.id.startswith("$$ID") else ""


@dataclass
class RunResult:
    status: int = -1
    widgets: dict = field(default_factory=dict)  # key -> Widget
    exceptions: list = field(default_factory=list)
    errors_shown: list = field(default_factory=list)  # st.error alerts (bad input), counted separately
    bytes: int = 0
    messages: int = 0


def http(url: str, method: str = "GET", body: bytes | None = None, headers: dict | None = None,
         timeout: float = 30):
    """(status, headers (case-insensitive), body) of one HTTP request; HTTP errors are returned, not raised."""
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def multipart(name: str, data: bytes, content_type: str) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{name}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n").encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


class ProtocolSession:
    """One student's tab, without a browser. Use `async with ProtocolSession(base) as s:`."""

    def __init__(self, base_url: str, run_timeout: float = 60):
        self.base = base_url.rstrip("/")
        self.run_timeout = run_timeout
        self.session_id = ""
        self.pages: dict[str, str] = {}  # url path ("" for Home) -> page_script_hash
        self.page_hash = ""
        self.query_string = ""
        self.states: dict[str, WidgetState] = {}  # widget id -> last value sent (this page)
        self.cached: set[str] = set()  # hashes of cacheable messages received, as the frontend's message cache
        self.messages_by_hash: dict[str, ForwardMsg] = {}  # those messages, to resolve a ref_hash
        self.last = RunResult()
        self._run: RunResult | None = None
        self._finished: asyncio.Event = asyncio.Event()
        self._waiters: dict[str, asyncio.Future] = {}
        self._reader: asyncio.Task | None = None
        self.closed_unexpectedly = False
        self._closing = False
        self.listeners: list = []  # callables(ForwardMsg), called for every message received
        self.auto_reruns: dict[str, tuple[float, asyncio.Task]] = {}  # fragment id -> (interval, its timer task)
        self.auto_runs_sent = 0
        self._expect_fragment = False  # the run rerun() waits for is a fragment run
        self.background_exceptions: list[str] = []  # exceptions shown by runs the server started on its own

    async def __aenter__(self):
        status, headers, _ = await asyncio.to_thread(http, f"{self.base}/_stcore/health")
        if status != 200:
            raise ProtocolError(f"health check answered HTTP {status}")
        cookie = headers.get("Set-Cookie") or ""
        self.xsrf = cookie.split(f"{XSRF_COOKIE}=", 1)[1].split(";", 1)[0] if XSRF_COOKIE in cookie else ""
        ws_url = self.base.replace("http://", "ws://") + "/_stcore/stream"
        protocols = ["streamlit", self.xsrf] if self.xsrf else ["streamlit"]
        self.ws = await connect(ws_url, subprotocols=protocols, origin=self.base, max_size=None,
                                additional_headers={"Cookie": f"{XSRF_COOKIE}={self.xsrf}"} if self.xsrf else None,
                                open_timeout=30, ping_interval=None)
        self._reader = asyncio.create_task(self._read())
        return self

    async def __aexit__(self, *exc):
        self._closing = True
        for _, task in self.auto_reruns.values():
            task.cancel()
        self.auto_reruns.clear()
        await self.ws.close()
        if self._reader:
            self._reader.cancel()

    async def _read(self):
        try:
            async for raw in self.ws:
                msg = ForwardMsg()
                msg.ParseFromString(raw)
                self._handle(msg, len(raw))
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 (any socket failure is a disconnect, counted below)
            pass
        if not self._closing:
            self.closed_unexpectedly = True
            self._finished.set()

    def _handle(self, msg: ForwardMsg, size: int) -> None:
        if msg.WhichOneof("type") == "ref_hash":  # a message sent before, by reference (the frontend's cache)
            cached = self.messages_by_hash.get(msg.ref_hash)
            if cached is None:
                return
            full = ForwardMsg()
            full.CopyFrom(cached)
            full.metadata.CopyFrom(msg.metadata)   # where it goes this time (delta path, fragment)
            msg = full
        elif msg.hash and msg.metadata.cacheable:
            self.messages_by_hash[msg.hash] = msg
        for listener in self.listeners:
            listener(msg)
        kind = msg.WhichOneof("type")
        run = self._run
        if run is None and kind == "delta":  # a run the server started (a fragment on a timer): learn its widgets
            run = self.last
        if msg.hash and msg.metadata.cacheable:
            self.cached.add(msg.hash)
        if run is not None:
            run.bytes += size
            run.messages += 1
        if kind == "new_session":
            init = msg.new_session.initialize
            if init.session_id:
                self.session_id = init.session_id
            self.page_hash = msg.new_session.page_script_hash or self.page_hash
        elif kind == "navigation":
            self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
            self.page_hash = msg.navigation.page_script_hash or self.page_hash
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "page_not_found" and run is not None:
            run.exceptions.append(f"page not found: {msg.page_not_found.page_name}")
        elif (kind == "delta" and run is not None and msg.delta.WhichOneof("type") == "add_block"
              and msg.delta.add_block.WhichOneof("type") == "expandable" and msg.delta.add_block.expandable.id):
            block = msg.delta.add_block.expandable          # an expander with a key: a widget (open or not)
            wid = Widget(block.id, "expandable", block, msg.delta.fragment_id)
            run.widgets[wid.key or wid.id] = wid
        elif kind == "delta" and run is not None and msg.delta.WhichOneof("type") == "new_element":
            el = msg.delta.new_element
            what = el.WhichOneof("type")
            if what == "exception":
                text = f"{el.exception.type}: {el.exception.message}"
                (run.exceptions if run is not self.last else self.background_exceptions).append(text)
            elif what == "alert" and el.alert.format == el.alert.ERROR:
                run.errors_shown.append(el.alert.body)
            elif what in WIDGET_KINDS:
                w = getattr(el, what)
                if getattr(w, "id", ""):
                    wid = Widget(w.id, what, w, msg.delta.fragment_id)
                    run.widgets[wid.key or wid.id] = wid
        elif kind == "script_finished" and run is not None:
            status = msg.script_finished
            if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return  # a run cut short by the next one: wait for that one
            if (status == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY) != self._expect_fragment:
                return  # a timed fragment run ended while a whole-page run is awaited (or the reverse)
            run.status = status
            self._finished.set()
        elif kind == "auto_rerun":
            self._start_auto_rerun(msg.auto_rerun.fragment_id, msg.auto_rerun.interval)
        elif kind == "stop_auto_rerun":
            for fid in msg.stop_auto_rerun.fragment_ids:
                _, task = self.auto_reruns.pop(fid, (0, None))
                if task:
                    task.cancel()
        elif kind == "file_urls_response":
            fut = self._waiters.pop(msg.file_urls_response.response_id, None)
            if fut and not fut.done():
                fut.set_result(msg.file_urls_response)

    def _start_auto_rerun(self, fragment_id: str, interval: float) -> None:
        if not fragment_id or self.auto_reruns.get(fragment_id, (None,))[0] == interval:
            return
        old = self.auto_reruns.pop(fragment_id, (0, None))[1]
        if old:
            old.cancel()
        self.auto_reruns[fragment_id] = (interval, asyncio.get_running_loop().create_task(
            self._auto_rerun(fragment_id, interval)))

    async def _auto_rerun(self, fragment_id: str, interval: float) -> None:
        """What the frontend's setInterval does: rerun the fragment every interval seconds."""
        for _ in range(10**6):  # bounded; cancelled by stop_auto_rerun or when the session closes
            await asyncio.sleep(interval)
            back = BackMsg()
            cs = back.rerun_script
            cs.query_string = self.query_string
            cs.page_script_hash = self.page_hash
            cs.fragment_id = fragment_id
            cs.is_auto_rerun = True
            cs.widget_states.widgets.extend(self.states.values())
            cs.context_info.timezone = "Europe/London"
            cs.context_info.locale = "en-GB"
            try:
                await self.ws.send(back.SerializeToString())
            except Exception:  # noqa: BLE001 (the socket closed: the reader counts the disconnect)
                return
            self.auto_runs_sent += 1

    async def rerun(self, *, page_name: str | None = None, page_hash: str | None = None,
                    new_page: bool = False, fragment_id: str = "", once=()) -> RunResult:
        """Send one rerun_script and wait for its script_finished. Raises ProtocolError on any failure."""
        if new_page:
            self.states, self.query_string = {}, ""
        back = BackMsg()
        cs = back.rerun_script
        cs.query_string = self.query_string
        cs.page_script_hash = page_hash if page_hash is not None else self.page_hash
        if page_name is not None:
            cs.page_name = page_name
        if fragment_id:
            cs.fragment_id = fragment_id
        once_ids = {state.id for state in once}
        cs.widget_states.widgets.extend([v for k, v in self.states.items() if k not in once_ids] + list(once))
        cs.cached_message_hashes.extend(self.cached)
        cs.context_info.timezone = "Europe/London"
        cs.context_info.locale = "en-GB"
        self._run, self._finished = RunResult(), asyncio.Event()
        self._expect_fragment = bool(fragment_id)
        await self.ws.send(back.SerializeToString())
        try:
            await asyncio.wait_for(self._finished.wait(), self.run_timeout)
        except TimeoutError:
            raise ProtocolError(f"no script_finished within {self.run_timeout:.0f} s") from None
        run, self._run = self._run, None
        if not new_page:  # a widget sent as a cached reference keeps the id learnt on an earlier run
            run.widgets = {**self.last.widgets, **run.widgets}
        if self.closed_unexpectedly:
            raise ProtocolError("websocket closed by the server")
        ok = ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY if fragment_id else ForwardMsg.FINISHED_SUCCESSFULLY
        if run.status != ok:
            raise ProtocolError(f"script finished with status {run.status}")
        if run.exceptions:
            raise ProtocolError("exception shown: " + run.exceptions[0][:200])
        self.last = run
        return run

    # --- what a student does ------------------------------------------------------------------------------

    async def open(self, url_path: str = "", query: str = "") -> RunResult:
        """The first run of a fresh tab opened at /<url_path>?<query>."""
        self.states = {}
        self.query_string = query
        return await self.rerun(page_name=url_path, page_hash="")

    async def switch_page(self, url_path: str) -> RunResult:
        """A click in the sidebar menu."""
        if url_path not in self.pages:
            raise ProtocolError(f"no page {url_path!r} in the menu ({sorted(self.pages)})")
        return await self.rerun(page_hash=self.pages[url_path], new_page=True)

    def widget(self, key: str) -> Widget:
        try:
            return self.last.widgets[key]
        except KeyError:
            raise ProtocolError(f"no widget with key {key!r} on this page") from None

    async def set_value(self, key: str, value) -> RunResult:
        """Change one widget (found by its user key) and rerun, sending all values set so far, like the frontend."""
        w = self.widget(key)
        state = WidgetState(id=w.id)
        if w.kind in ("checkbox", "expandable"):
            state.bool_value = bool(value)
        elif w.kind in ("selectbox", "radio", "text_input"):
            state.string_value = str(value)
        elif w.kind == "number_input":
            if w.proto.data_type == w.proto.INT:
                state.int_value = int(value)
            else:
                state.double_value = float(value)
        elif w.kind == "multiselect":
            state.string_array_value.data.extend(value)
        elif w.kind == "slider":
            if w.proto.options:  # select_slider: the formatted option labels
                state.string_array_value.data.extend([value] if isinstance(value, str) else value)
            else:
                state.double_array_value.data.extend([value] if isinstance(value, (int, float)) else value)
        else:
            raise ProtocolError(f"cannot set a {w.kind}")
        self.states[w.id] = state
        return await self.rerun(fragment_id=w.fragment_id)

    async def click(self, key: str) -> RunResult:
        """Click the button with this key: its trigger goes with this rerun only, as the frontend sends it."""
        w = self.widget(key)
        if w.kind != "button":
            raise ProtocolError(f"{key!r} is a {w.kind}, not a button")
        # Sent with this rerun only, never kept in self.states: a timed fragment rerun sent meanwhile would
        # otherwise carry the trigger again and click twice (the frontend, too, resets a trigger once sent).
        return await self.rerun(fragment_id=w.fragment_id, once=[WidgetState(id=w.id, trigger_value=True)])

    async def upload(self, key: str, name: str, data: bytes, content_type: str) -> RunResult:
        """Upload one file into the file_uploader with this key, as the frontend does, then rerun."""
        w = self.widget(key)
        rid = uuid.uuid4().hex
        fut = asyncio.get_running_loop().create_future()
        self._waiters[rid] = fut
        back = BackMsg()
        back.file_urls_request.request_id = rid
        back.file_urls_request.file_names.append(name)
        back.file_urls_request.session_id = self.session_id
        await self.ws.send(back.SerializeToString())
        try:
            resp = await asyncio.wait_for(fut, 30)
        except TimeoutError:
            raise ProtocolError("no file_urls_response within 30 s") from None
        if resp.error_msg or not resp.file_urls:
            raise ProtocolError(f"file URLs refused: {resp.error_msg}")
        urls: FileURLs = resp.file_urls[0]
        url = urls.upload_url if urls.upload_url.startswith("http") else self.base + urls.upload_url
        body, ctype = multipart(name, data, content_type)
        headers = {"Content-Type": ctype, "X-Xsrftoken": self.xsrf, "Cookie": f"{XSRF_COOKIE}={self.xsrf}",
                   "Origin": self.base}
        status, _, text = await asyncio.to_thread(http, url, "PUT", body, headers)
        if status not in (200, 204):
            raise ProtocolError(f"upload answered HTTP {status}: {text[:200]!r}")
        state = WidgetState(id=w.id)
        state.file_uploader_state_value.uploaded_file_info.append(
            UploadedFileInfo(name=name, size=len(data), file_id=urls.file_id, file_urls=urls))
        self.states[w.id] = state
        return await self.rerun(fragment_id=w.fragment_id)


async def smoke(base: str) -> None:
    """A quick look: python -m benchmarks.load.protocol http://127.0.0.1:8501"""
    async with ProtocolSession(base) as s:
        t = time.perf_counter()
        r = await s.open("")
        print("open", f"{time.perf_counter() - t:.3f}s", s.session_id, sorted(s.pages), r.messages, r.bytes)
        for path in list(s.pages):
            t = time.perf_counter()
            r = await s.switch_page(path)
            print(f"{path or 'home':14s} {time.perf_counter() - t:.3f}s msgs={r.messages} bytes={r.bytes}",
                  sorted(r.widgets))


if __name__ == "__main__":
    import sys
    asyncio.run(smoke(sys.argv[1]))
