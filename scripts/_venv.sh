# Shared by scripts/app.sh and scripts/test.sh (sourced, not run).
# Usage: ensure_venv <requirements file>
# Creates .venv in the repository root if missing, and pip-installs the requirements file only
# when its content (with any file it includes via -r) changed since the last install.

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
REPO_ROOT=$(pwd)
VENV="$REPO_ROOT/.venv"

ensure_venv() {
    local req=$1
    local python=${PYTHON:-python3}
    if [ ! -x "$VENV/bin/python" ]; then
        "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
            echo "Basin needs Python 3.11 or newer; '$python' is $("$python" --version 2>&1)." >&2
            echo "Set PYTHON=/path/to/python3.11 and try again." >&2
            return 1
        }
        echo "Creating $VENV ..."
        "$python" -m venv "$VENV" || return 1
    fi
    # The stamp names the requirements file and hashes it plus the files it may include (requirements.txt,
    # requirements-deploy.txt).
    local stamp="$VENV/.basin-$(basename "$req" .txt).sha256"
    local want
    want=$(cat "$req" requirements.txt requirements-deploy.txt | "$VENV/bin/python" -c 'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        echo "Installing $req into .venv (first run takes a minute) ..."
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req" || return 1
        echo "$want" > "$stamp"
    fi
}
