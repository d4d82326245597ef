#!/usr/bin/env bash
# Set up (first run only) and start Basin at http://localhost:8501. Extra arguments go to `streamlit run`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh"   # also cds to the repository root
ensure_venv requirements.txt
exec .venv/bin/python serve.py --server.port=8501 "$@"   # serve.py = streamlit run app.py, preloaded
