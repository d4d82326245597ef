"""Hardening that can be checked offline: installed and pinned versions against the fixed releases of known
advisories, and the server settings of .streamlit/config.toml.

Online vulnerability databases cannot be reached from here, so the advisories are listed by hand below, each
with its source; add a row when a new one is published. Versions are compared without `packaging`: the
leading numeric part of a version ("1.67.0", "13.0.0", "2.4.6") as a tuple of ints.
"""

import importlib.metadata
import inspect
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import streamlit
from streamlit import config as st_config

import serve
from core.data import images
from tests.conftest import REPO_ROOT

# package -> (lowest safe version, the advisories it fixes). Sources: research/streamlit.md §4 for streamlit,
# Pillow and Starlette; GHSA-5545-2q6w-2gh6 / CVE-2021-41495 (fixed in 1.22.2, which also carries the fixes
# of CVE-2021-33430 and CVE-2021-34141) for numpy; CVE-2023-46308 (plotly.js before 2.25.2, prototype
# pollution) for plotly, checked on the plotly.js bundles themselves below.
MINIMUMS = {
    "streamlit": ("1.59.0", "CVE-2022-35918, GHSA-8qw9-gf7w-42x5, CVE-2023-27494, CVE-2024-42474, "
                            "CVE-2025-1684, CVE-2026-33682, CVE-2026-10804 (PIL palette cache-key collision)"),
    "pillow": ("12.2.0", "GHSA-whj4-6x5x-4v2j (FITS decompression bomb)"),
    "starlette": ("1.0.1", "CVE-2026-48710"),
    "numpy": ("1.22.2", "CVE-2021-41495, CVE-2021-34141, CVE-2021-33430"),
    "plotly": ("5.18.0", "a release bundling plotly.js past CVE-2023-46308; the bundles are checked below"),
}
PLOTLY_JS_MINIMUM = "2.25.2"  # CVE-2023-46308
CONFIG = REPO_ROOT / ".streamlit" / "config.toml"


def version_tuple(version: str) -> tuple[int, ...]:
    match = re.match(r"\d+(?:\.\d+)*", version.strip())
    if match is None:
        raise ValueError(f"not a version: {version!r}")
    parts = [int(p) for p in match.group(0).split(".")]
    while len(parts) > 1 and parts[-1] == 0:  # 1.0.0 == 1.0 == 1
        parts.pop()
    return tuple(parts)


def at_least(version: str, minimum: str) -> bool:
    return version_tuple(version) >= version_tuple(minimum)


def pins(path: Path) -> dict[str, str]:
    """`name==version` lines of a requirements file, names lower-cased."""
    found = {}
    for line in path.read_text().splitlines():
        match = re.match(r"\s*([A-Za-z0-9_.-]+)\s*==\s*([^\s;#]+)", line)
        if match:
            found[match.group(1).lower()] = match.group(2)
    return found


def streamlit_config() -> dict:
    return tomllib.loads(CONFIG.read_text())


@pytest.mark.parametrize(("version", "minimum", "expected"), [
    ("1.67.0", "1.59.0", True), ("1.59.0", "1.59", True), ("1.58.9", "1.59.0", False), ("1.100.0", "1.59.0", True),
    ("13.0.0", "12.2.0", True), ("12.1.1", "12.2.0", False), ("1.0.1", "1.0.1", True), ("1.0.0", "1.0.1", False),
    ("0.99.0", "1.0.1", False), ("2.4.6", "1.22.2", True), ("1.22.1", "1.22.2", False), ("1.10.0", "1.0.1", True),
    ("1.67.0rc1", "1.67.0", True),  # only the release part counts; a pinned rc would be a choice, not an accident
])
def test_version_comparison(version, minimum, expected):
    assert at_least(version, minimum) is expected


def test_version_comparison_refuses_nonsense():
    with pytest.raises(ValueError):
        version_tuple("latest")


@pytest.mark.parametrize("package", sorted(MINIMUMS))
def test_installed_version_is_past_the_known_advisories(package):
    minimum, advisories = MINIMUMS[package]
    installed = importlib.metadata.version(package)
    assert at_least(installed, minimum), f"{package} {installed} is older than {minimum}, which fixes {advisories}"


@pytest.mark.parametrize("package", sorted(MINIMUMS))
def test_requirements_pin_every_advised_package_past_its_fix(package):
    # A pin in requirements.txt (what the Dockerfile and scripts/app.sh install) is what a fresh install gets;
    # starlette comes with streamlit, which allows starlette>=0.46, so it needs its own pin.
    minimum, advisories = MINIMUMS[package]
    pinned = pins(REPO_ROOT / "requirements.txt")
    assert package in pinned, f"requirements.txt does not pin {package} (needs >= {minimum}: {advisories})"
    assert at_least(pinned[package], minimum), f"requirements.txt pins {package}=={pinned[package]} < {minimum}"


def test_installed_versions_are_the_pinned_ones():
    for package, version in pins(REPO_ROOT / "requirements.txt").items():
        assert version_tuple(importlib.metadata.version(package)) == version_tuple(version), package


def _bundled_plotly_js_versions() -> dict[str, str]:
    """plotly.js inside the Python plotly package (to_html, fig.show) and inside Streamlit's frontend, which is
    the one that draws st.plotly_chart in the student's browser."""
    from plotly.offline import get_plotlyjs_version

    found = {"plotly (python)": get_plotlyjs_version()}
    static = Path(streamlit.__file__).parent / "static" / "static" / "js"
    for bundle in sorted(static.glob("PlotlyChart*.js")):
        match = re.search(r'"src/version\.js"\(\w+\)\{\w+\.version=[`"\'](\d+\.\d+\.\d+)[`"\']', bundle.read_text())
        if match:
            found["streamlit frontend"] = match.group(1)
    return found


def test_plotly_js_in_both_bundles_is_past_the_prototype_pollution_fix():
    found = _bundled_plotly_js_versions()
    assert set(found) == {"plotly (python)", "streamlit frontend"}, (
        f"could not find the plotly.js version in Streamlit's frontend bundle (found {found}); "
        "if Streamlit changed how it bundles plotly.js, update the search here")
    for where, version in found.items():
        assert at_least(version, PLOTLY_JS_MINIMUM), f"plotly.js {version} in {where} < {PLOTLY_JS_MINIMUM}"


def test_every_config_key_is_a_real_streamlit_option():
    # A misspelt key is ignored by Streamlit, and a hardening setting would silently not apply.
    known = set(st_config._config_options_template)
    for section, values in streamlit_config().items():
        for key in values:
            assert f"{section}.{key}" in known, f"{section}.{key} in {CONFIG.name} is not a streamlit option"


def test_xsrf_and_cors_protection_stay_on():
    server = streamlit_config().get("server", {})
    assert server.get("enableXsrfProtection", True) is True
    assert server.get("enableCORS", True) is True
    assert server.get("xsrfCookieSameSite", "lax") in ("lax", "strict")
    assert st_config._config_options_template["server.enableXsrfProtection"].default_val is True
    assert st_config._config_options_template["server.enableCORS"].default_val is True


def test_error_details_are_hidden_from_users():
    assert streamlit_config()["client"]["showErrorDetails"] == "none"


def test_upload_limit_is_set_and_covers_the_apps_own_limit():
    limit_mb = streamlit_config()["server"]["maxUploadSize"]
    assert 1 <= limit_mb <= 50          # far below Streamlit's default of 200 MB
    assert images.MAX_FILE_BYTES <= limit_mb * 2**20  # the Classify page's own, stricter check can be reached


def test_a_served_app_watches_no_files():
    # Streamlit's default watcher set up file watches for every new session: about 0.3 s of each first load
    # (benchmarks/results/server-options.md). The setting is read as a server started from the repository reads it.
    assert streamlit_config()["server"]["fileWatcherType"] == "none"
    assert not any("fileWatcherType" in o for o in serve.LOCAL_OPTIONS)   # tests and benchmarks run the file's
    code = ("from streamlit import config; config.get_config_options(); "
            "print(config.get_option('server.fileWatcherType'))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "none"


def test_the_server_keeps_the_c_librarys_memory_pools_few(monkeypatch):
    # in a child process, as serve.main does before anything starts a thread; this machine's C library is glibc
    code = "import serve, sys; sys.exit(0 if serve.limit_malloc_arenas() else 3)"
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    assert subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, env=env).returncode == 0
    # a deployment's own MALLOC_ARENA_MAX wins
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert serve.limit_malloc_arenas() is False
    assert "limit_malloc_arenas()" in inspect.getsource(serve.main).split("preload()")[0]


def test_telemetry_is_off_and_the_server_is_headless():
    cfg = streamlit_config()
    assert cfg["browser"]["gatherUsageStats"] is False
    assert cfg["server"]["headless"] is True
    dockerfile = (REPO_ROOT / "Dockerfile").read_text()
    assert "STREAMLIT_BROWSER_GATHER_USAGE_STATS=false" in dockerfile
