"""Which store class mode uses, from the environment (not a Streamlit setting: scripts and tests read it too).

    BASIN_REDIS_URL   set (e.g. redis://:password@basin-redis:6379/0): the Redis store, for several replicas.
    BASIN_DATA_DIR    otherwise, the folder of the SQLite file classes.sqlite3;
                      default .basin-data/ in the repository (git ignores it).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from classmode.store import ClassStore

REDIS_URL_VAR = "BASIN_REDIS_URL"
DATA_DIR_VAR = "BASIN_DATA_DIR"
DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / ".basin-data"
SQLITE_NAME = "classes.sqlite3"


def sqlite_path(environ: Mapping[str, str] = os.environ) -> Path:
    """Where the SQLite file is: $BASIN_DATA_DIR/classes.sqlite3, or .basin-data/ in the repository."""
    return Path(environ.get(DATA_DIR_VAR) or DEFAULT_DATA_DIR) / SQLITE_NAME


def open_store(environ: Mapping[str, str] = os.environ, **limits) -> ClassStore:
    """The store the environment asks for: Redis if BASIN_REDIS_URL is set, else SQLite at sqlite_path().
    Open it once per process and share it (it is safe from many threads). `limits` go to ClassStore."""
    url = environ.get(REDIS_URL_VAR, "").strip()
    if url:
        from classmode.redis_store import RedisStore  # redis-py is a deployment dependency only
        return RedisStore(url, **limits)
    from classmode.sqlite_store import SQLiteStore
    return SQLiteStore(sqlite_path(environ), **limits)
