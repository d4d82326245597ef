"""A throwaway redis-server on this machine, for class mode's tests and benchmark (and a local try of replicas).

    python deploy/local_redis.py        # prints BASIN_REDIS_URL=redis://127.0.0.1:<port>/0 ; Ctrl-C stops it

It listens on a free loopback port, keeps nothing on disk (no RDB snapshot, no AOF) and writes its log
into a folder of its own. Needs redis-server (Debian: apt-get install redis-server). Standard library only.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from serve import free_port, stop  # noqa: E402


def find_redis_server() -> str | None:
    """The redis-server program, from PATH or Debian's place for it; None if it is not installed."""
    return shutil.which("redis-server") or next(
        (p for p in ("/usr/bin/redis-server", "/usr/sbin/redis-server") if os.access(p, os.X_OK)), None)


def answers_ping(port: int) -> bool:
    """Whether a Redis on 127.0.0.1:port answers PING (spoken in Redis's own protocol, no client needed)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def start_redis(program: str, folder: Path, timeout: float = 15.0) -> tuple[subprocess.Popen, str]:
    """Start redis-server in folder; return the process and its URL once it answers. Stop it with
    serve.stop(process)."""
    port = free_port()
    process = subprocess.Popen(
        [program, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(folder), "--daemonize", "no", "--loglevel", "warning", "--logfile", str(folder / "redis.log")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while not answers_ping(port):
        if process.poll() is not None or time.monotonic() > deadline:
            stop(process)
            log = folder / "redis.log"
            raise RuntimeError("redis-server did not start: " + (log.read_text()[-2000:] if log.exists() else ""))
        time.sleep(0.05)
    return process, f"redis://127.0.0.1:{port}/0"


def main() -> None:
    program = find_redis_server()
    if program is None:
        sys.exit("redis-server not found: apt-get install redis-server")
    folder = Path(tempfile.mkdtemp(prefix="basin-redis-"))
    process, url = start_redis(program, folder)
    print(f"BASIN_REDIS_URL={url}", flush=True)
    try:
        process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop(process)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
