"""Start Basin's server: `python serve.py [streamlit options]` is `streamlit run app.py [streamlit options]`,
after importing, once and in the main thread, the libraries that sessions would otherwise import on demand.

Why: Streamlit runs each browser session's script in its own thread. On a fresh server, a class opening the app
at the same moment makes several threads import pandas (through plotly and Streamlit's data code) at once, and
Python's import deadlock detection can then hand one of them a half-initialised module ("partially initialized
module 'pandas'"): the load test saw 10 of 20 students get an error that way, and none once pandas was imported
here first (docs/LOAD.md). The app's own modules are imported here too, so no session pays for them.

It also keeps the C library's memory pools (malloc arenas) to a few, before any thread starts: each thread that
decodes a photo would otherwise get a pool of its own and keep the freed memory of a 20-megapixel decode in it.
Four 20 MP HEIC uploads at once grew the server by 484 MB that way, against 227 MB with two pools
(benchmarks/results/photo-formats-2026-12-06.md).

Everything that starts the app (scripts/app.sh, the Dockerfile, the browser tests, benchmarks, the replica
launcher) goes through `command()`, so what is tested is what is shipped.
"""

from __future__ import annotations

import ctypes
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent
APP = ROOT / "app.py"

# Options for a server that only this machine talks to (tests, benchmarks, replicas behind nginx).
LOCAL_OPTIONS = ("--server.headless=true", "--server.address=127.0.0.1", "--browser.gatherUsageStats=false")


MALLOC_ARENAS = 2  # glibc's own advice for a threaded server that must keep its memory low; its default is 8 a core
_M_ARENA_MAX = -8  # mallopt's parameter number for the arena limit (glibc's malloc.h)


def limit_malloc_arenas(arenas: int = MALLOC_ARENAS) -> bool:
    """Keep glibc's malloc to `arenas` memory pools for the threads started from now on. A deployment that sets
    MALLOC_ARENA_MAX itself keeps its own value; on another C library (musl, macOS) nothing changes. Returns True if
    the limit was set here."""
    if "MALLOC_ARENA_MAX" in os.environ:
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library this process already runs on
    except (OSError, AttributeError):
        return False
    return mallopt(_M_ARENA_MAX, arenas) == 1


def preload():
    """Import, in this thread, what sessions need: the data libraries first, then Basin's own modules."""
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import PIL.Image  # noqa: F401
    import plotly.graph_objects  # noqa: F401
    import plotly.io  # noqa: F401
    import pyarrow  # noqa: F401

    sys.path.insert(0, str(ROOT))
    for path in sorted((ROOT / "core").glob("*.py")):
        __import__(f"core.{path.stem}")


def command(port: int, *options: str, python: str = sys.executable) -> list[str]:
    """The command line of a local server on `port` (loopback only), with extra Streamlit options."""
    return [python, str(ROOT / "serve.py"), *LOCAL_OPTIONS, f"--server.port={port}", *options]


def free_port() -> int:
    """A free TCP port on the loopback address."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(url: str) -> bool:
    """Does the server at `url` answer its health check?"""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
            return response.read() == b"ok"
    except OSError:
        return False


def wait_healthy(url: str, process, timeout: float = 30.0) -> None:
    """Wait until the server answers; RuntimeError if its process ends first or time runs out."""
    deadline = time.monotonic() + timeout
    while not healthy(url):
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the server was not healthy after {timeout:.0f} s")
        time.sleep(0.1)


def stop(process: subprocess.Popen, timeout: float = 10.0) -> None:
    """Stop a server started with command(): SIGTERM, then SIGKILL if it is still running after timeout s."""
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def main(argv: list[str]) -> None:
    limit_malloc_arenas()  # first: importing numpy starts threads
    preload()
    from streamlit.web.cli import main as streamlit_main

    sys.argv = ["streamlit", "run", str(APP), *argv]
    streamlit_main()


if __name__ == "__main__":
    main(sys.argv[1:])
