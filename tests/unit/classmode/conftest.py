"""Fixtures for class mode's store: a throwaway redis-server for the session, and `store`, which runs each test
once per backend (SQLite in a temp folder, Redis under a key prefix of its own) with a clock the test moves."""

import os
import secrets
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from deploy.local_redis import find_redis_server, start_redis
from serve import stop

REDIS_MISSING = ("redis-server not found: apt-get install redis-server, or run `bash scripts/test.sh` as root, "
                 "which installs it.")


@pytest.fixture(scope="session")
def redis_url():
    """The URL of a redis-server started for this test session (stopped after it). Skips without
    redis-server or redis-py, except in CI (CI=true), where a missing one fails the test."""
    program = find_redis_server()
    try:
        import redis  # noqa: F401
    except ImportError:
        program, why = None, "redis-py not installed: pip install -r requirements-dev.txt."
    else:
        why = REDIS_MISSING
    if program is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must test the Redis store. " + why, pytrace=False)
        pytest.skip(why)
    folder = Path(tempfile.mkdtemp(prefix="basin-redis-"))
    process, url = start_redis(program, folder)
    try:
        yield url
    finally:
        stop(process)
        shutil.rmtree(folder, ignore_errors=True)


class Clock:
    """A clock the test moves: starts at the real time, moves only with advance()."""

    def __init__(self):
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock():
    return Clock()


BACKENDS = ["sqlite", "redis"]


@pytest.fixture(params=BACKENDS)
def make_store(request, tmp_path, clock):
    """A function that opens the store of this test's backend (the same data each time it is called), with
    the test's clock; keyword arguments (limits) go to the store."""
    if request.param == "sqlite":
        from classmode.sqlite_store import SQLiteStore

        def make(**limits):
            return SQLiteStore(tmp_path / "classes.sqlite3", clock=clock, **limits)
    else:
        url = request.getfixturevalue("redis_url")
        from classmode.redis_store import RedisStore
        prefix = f"test-{secrets.token_hex(4)}:"

        def make(**limits):
            return RedisStore(url, prefix=prefix, clock=clock, **limits)
    make.backend = request.param
    return make


@pytest.fixture
def store(make_store):
    """The store of this test's backend (each test runs once with SQLite and once with Redis)."""
    return make_store()
