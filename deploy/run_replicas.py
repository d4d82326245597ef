"""Run Basin as N replicas behind nginx on this machine: the recipe of docs/DEPLOY.md, runnable.

    python deploy/run_replicas.py --replicas 2 --port 8080     # then open http://127.0.0.1:8080
    python deploy/run_replicas.py --redis    # ... with a throwaway redis-server for class mode's classes

Starts N `streamlit run app.py` processes on free loopback ports, all with the same cookie secret,
renders deploy/nginx/basin.conf.template into a private nginx prefix (a temp folder: config, logs,
temp files, pid) and runs nginx in the foreground in front of them. Ctrl-C stops everything.
The replica test (tests/e2e/test_replicas.py) uses the same functions, so the recipe is what is tested.

Needs nginx (Debian: apt-get install nginx). Standard library only.
"""

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent
REPO_ROOT = DEPLOY.parent
sys.path.insert(0, str(REPO_ROOT))
import serve  # noqa: E402  (the repository root's launcher: `streamlit run app.py`, preloaded)
from serve import free_port, healthy  # noqa: E402

SITE_TEMPLATE = DEPLOY / "nginx" / "basin.conf.template"

# The main nginx config around the site template, for a private, unprivileged run: everything nginx
# writes goes under the prefix, so it needs neither root nor /var/log/nginx.
MAIN_CONF = """\
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    include {prefix}/basin.conf;
}}
"""


def render_site(replica_addresses: list[str], listen: str, access_log: str, server_name: str = "_",
                cookie_flags: str = "") -> str:
    """The site template with its placeholders filled: one upstream server line per replica."""
    if not replica_addresses:
        raise ValueError("at least one replica address is needed")
    servers = "\n".join(f"    server {address} max_fails=1 fail_timeout=10s;" for address in replica_addresses)
    values = {"SERVERS": servers, "LISTEN": listen, "SERVER_NAME": server_name,
              "ACCESS_LOG": access_log, "COOKIE_FLAGS": cookie_flags}
    lines = SITE_TEMPLATE.read_text().splitlines(keepends=True)
    for i, line in enumerate(lines):
        if not line.lstrip().startswith("#"):  # the header comment names the placeholders
            for key, value in values.items():
                line = line.replace(f"@@{key}@@", value)
            lines[i] = line
    return "".join(lines)


def find_nginx() -> str | None:
    """nginx's path; Debian installs it in /usr/sbin, which a non-root PATH often lacks."""
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx")
                                          if os.access(p, os.X_OK)), None)


@dataclass
class Cluster:
    """N replicas and the nginx in front of them. Use as a context manager, or call stop()."""

    prefix: Path
    url: str
    replica_urls: list[str]
    access_log: Path
    processes: list[subprocess.Popen] = field(default_factory=list)
    logs: list = field(default_factory=list)

    def stop(self) -> None:
        for proc in reversed(self.processes):  # nginx first, then the replicas
            if proc.poll() is None:
                proc.terminate()
        for proc in self.processes:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for log in self.logs:
            log.close()

    def __enter__(self) -> "Cluster":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def start(replicas: int = 2, port: int | None = None, cookie_secret: str | None = None,
          prefix: Path | None = None, python: str = sys.executable, timeout: float = 60,
          streamlit_args: tuple[str, ...] = ()) -> Cluster:
    """Start `replicas` app processes and nginx; return once every replica and nginx answer /_stcore/health."""
    nginx = find_nginx()
    if nginx is None:
        raise FileNotFoundError("nginx not found: install it (Debian/Ubuntu: apt-get install nginx)")
    prefix = Path(prefix or tempfile.mkdtemp(prefix="basin-nginx-"))
    (prefix / "tmp").mkdir(parents=True, exist_ok=True)
    prefix.chmod(0o755)  # nginx's workers drop root and must still reach their temp folders
    port = port or free_port()
    secret = cookie_secret or os.environ.get("STREAMLIT_SERVER_COOKIE_SECRET") or secrets.token_hex(32)
    env = {**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": secret}
    ports = [free_port() for _ in range(replicas)]
    cluster = Cluster(prefix=prefix, url=f"http://127.0.0.1:{port}",
                      replica_urls=[f"http://127.0.0.1:{p}" for p in ports], access_log=prefix / "access.log")
    try:
        for i, replica_port in enumerate(ports):
            log = open(prefix / f"replica-{i}.log", "wb")  # noqa: SIM115 (closed by Cluster.stop)
            cluster.logs.append(log)
            cluster.processes.append(subprocess.Popen(
                serve.command(replica_port, *streamlit_args, python=python),
                cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT))
        (prefix / "basin.conf").write_text(render_site(
            [f"127.0.0.1:{p}" for p in ports], listen=f"127.0.0.1:{port}", access_log=str(cluster.access_log)))
        (prefix / "nginx.conf").write_text(MAIN_CONF.format(prefix=prefix))
        nginx_log = open(prefix / "nginx.out", "wb")  # noqa: SIM115 (closed by Cluster.stop)
        cluster.logs.append(nginx_log)
        cluster.processes.append(subprocess.Popen(
            [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
            stdout=nginx_log, stderr=subprocess.STDOUT))
        deadline = time.monotonic() + timeout
        for url in [*cluster.replica_urls, cluster.url]:
            while not healthy(url):
                dead = [p for p in cluster.processes if p.poll() is not None]
                if dead:
                    raise RuntimeError(f"{dead[0].args[0]} exited with code {dead[0].returncode}; logs in {prefix}")
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{url} was not healthy after {timeout:.0f} s; logs in {prefix}")
                time.sleep(0.1)
    except BaseException:
        cluster.stop()
        raise
    return cluster


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", type=int, default=2, help="number of app processes (default 2)")
    parser.add_argument("--port", type=int, default=8080, help="nginx's port on 127.0.0.1 (default 8080)")
    parser.add_argument("--prefix", type=Path, help="folder for nginx's config and logs (default: a temp folder)")
    parser.add_argument("--redis", action="store_true",
                        help="start a throwaway redis-server (deploy/local_redis.py) and give its BASIN_REDIS_URL to "
                             "every replica, so a class started on one replica is the same class on the others")
    args = parser.parse_args()
    if args.replicas < 1:
        parser.error("--replicas must be at least 1")
    redis_process = None
    if args.redis:
        from deploy.local_redis import find_redis_server, start_redis
        program = find_redis_server()
        if program is None:
            parser.error("redis-server not found: apt-get install redis-server")
        folder = Path(tempfile.mkdtemp(prefix="basin-redis-"))
        redis_process, os.environ["BASIN_REDIS_URL"] = start_redis(program, folder)
        print(f"class mode's store: {os.environ['BASIN_REDIS_URL']}")
    elif args.replicas > 1 and not os.environ.get("BASIN_REDIS_URL"):
        print("note: without --redis (or BASIN_REDIS_URL) each replica keeps its own classes: class mode needs one "
              "replica, or Redis", file=sys.stderr)
    try:
        _serve(args)
    finally:
        if redis_process is not None:
            serve.stop(redis_process)


def _serve(args) -> None:
    with start(args.replicas, args.port, prefix=args.prefix) as cluster:
        print(f"Basin: {cluster.url}  ({args.replicas} replicas: {', '.join(cluster.replica_urls)})")
        print(f"nginx config and logs: {cluster.prefix}   (Ctrl-C stops everything)")
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            while all(p.poll() is None for p in cluster.processes):
                time.sleep(1)
            print("a process exited; stopping", file=sys.stderr)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
