#!/usr/bin/env bash
# Set up (first run only) and run every test: unit, AppTest and browser (Playwright + Chromium).
# Extra arguments go to pytest, e.g. `bash scripts/test.sh tests/unit -x`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh"   # also cds to the repository root
ensure_venv requirements-dev.txt

# Browser tests use the system Chromium (Playwright's own browser download is not needed).
if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "Installing Chromium with apt-get ..."
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
    else
        echo "Chromium not found: browser tests will be skipped. Install it (Debian/Ubuntu: sudo apt-get install chromium) to run them."
    fi
fi

exec .venv/bin/python -m pytest "$@"
