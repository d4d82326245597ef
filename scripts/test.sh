#!/usr/bin/env bash
# Set up (first run only) and run every test: unit, AppTest and browser (Playwright + Chromium).
# Extra arguments go to pytest, e.g. `bash scripts/test.sh tests/unit -x`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh"   # also cds to the repository root
ensure_venv requirements-dev.txt

# Browser tests use the system Chromium (Playwright's own browser download is not needed); the replica tests
# put nginx in front of two app processes; class mode's Redis store is tested against a throwaway
# redis-server (tests/unit/classmode/conftest.py starts and stops it). All come from the system's packages.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium fonts-dejavu-core)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || missing+=(nginx)
[ -x /usr/bin/redis-server ] || command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "Installing ${missing[*]} with apt-get ..."
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "Not found: ${missing[*]}. The tests that need them will be skipped (CI fails instead)."
        echo "Install them (Debian/Ubuntu: sudo apt-get install ${missing[*]}) to run every test."
    fi
fi

# axe-core (tests/e2e/test_accessibility.py) comes from npm, pinned in package-lock.json.
if [ ! -f node_modules/axe-core/axe.min.js ]; then
    if command -v npm >/dev/null 2>&1; then
        npm ci --no-audit --no-fund --silent
    else
        echo "npm not found: the accessibility tests will be skipped (CI fails instead)."
    fi
fi

# -n 2: two pytest-xdist workers, the browser tests on one and the unit and AppTest tests on the other (see
# pytest_xdist_make_scheduler in tests/conftest.py); BASIN_TEST_WORKERS=0 runs everything in this one process.
# --durations: the slowest tests, listed at the end of every full run, so that the suite stays quick to run.
exec .venv/bin/python -m pytest -n "${BASIN_TEST_WORKERS:-2}" --durations=20 "$@"
