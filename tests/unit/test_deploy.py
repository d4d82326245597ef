"""The deployment files: the nginx site template (rendered, and accepted by `nginx -t`) and the Kubernetes
manifest (validated against the Kubernetes schemas by kubernetes-validate, offline, and read for the settings
docs/DEPLOY.md promises). The running two-replica setup is tested in tests/e2e/test_replicas.py."""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

import pytest
import yaml

from deploy import run_replicas
from tests.conftest import REPO_ROOT

MANIFEST = REPO_ROOT / "deploy" / "k8s" / "basin.yaml"
UPLOAD_MB = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text())["server"]["maxUploadSize"]


def nginx_or_skip() -> str:
    nginx = run_replicas.find_nginx()
    if nginx is None:
        message = "nginx not found: apt-get install nginx, or run `bash scripts/test.sh` as root, which installs it."
        if os.environ.get("CI") == "true":
            pytest.fail("CI must check the nginx config. " + message, pytrace=False)
        pytest.skip(message)
    return nginx


def megabytes(size: str) -> float:
    number, unit = re.fullmatch(r"(\d+)([kKmMgG]?)", size).groups()
    return int(number) * {"": 2**-20, "k": 2**-10, "m": 1, "g": 2**10}[unit.lower()]


# ---------- nginx ----------

def test_render_fills_every_placeholder_and_lists_every_replica():
    text = run_replicas.render_site(["10.0.0.1:8501", "10.0.0.2:8501", "10.0.0.3:8501"], listen="8080",
                                    access_log="/var/log/nginx/basin.log", server_name="basin.example.org",
                                    cookie_flags="; Secure")
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    assert "@@" not in code
    assert re.findall(r"^\s*server (\S+) max_fails=1 fail_timeout=10s;$", code, re.M) == [
        "10.0.0.1:8501", "10.0.0.2:8501", "10.0.0.3:8501"]
    assert "server_name basin.example.org;" in code and "listen 8080;" in code
    assert "SameSite=Lax; Secure" in code


def test_render_needs_a_replica():
    with pytest.raises(ValueError):
        run_replicas.render_site([], listen="8080", access_log="off")


SECURITY_HEADERS = {
    "X-Frame-Options": "SAMEORIGIN",
    "Content-Security-Policy": "frame-ancestors 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def nginx_block(text: str, opening: str) -> str:
    """The text of the `{ ... }` block that starts with `opening` (no nested blocks inside)."""
    start = text.index(opening)
    return text[start:text.index("}", start)]


def test_template_limits_uploads_per_client():
    text = run_replicas.SITE_TEMPLATE.read_text()
    zone = re.search(r"limit_req_zone\s+\$binary_remote_addr\s+zone=basin_uploads:\w+\s+rate=(\d+)r/m;", text)
    assert zone and int(zone.group(1)) <= 60                         # at most one a second, after the burst
    assert re.search(r"limit_conn_zone\s+\$binary_remote_addr\s+zone=basin_upload_conns:\w+;", text)
    uploads = nginx_block(text, "location /_stcore/upload_file/ {")
    burst = int(re.search(r"limit_req zone=basin_uploads burst=(\d+) nodelay;", uploads).group(1))
    assert 1 <= burst <= 20                                           # 10 MB each: bounded memory per client
    assert re.search(r"limit_conn basin_upload_conns \d+;", uploads)
    assert "limit_req_status 429;" in uploads and "limit_conn_status 429;" in uploads
    assert "proxy_pass http://basin_replicas;" in uploads


def test_template_sends_security_headers_everywhere_and_caches_hashed_assets():
    text = run_replicas.SITE_TEMPLATE.read_text()
    server = text[text.index("server {"):]
    for name, value in SECURITY_HEADERS.items():
        assert re.search(rf'add_header {name} "{re.escape(value)}" always;', server), name
    # add_header in a location would drop the server's ones there: every location relies on the server's
    for opening in ("location / {", "location /static/ {", "location /_stcore/upload_file/ {"):
        assert "add_header" not in nginx_block(text, opening), opening
    assert re.search(r'~\^/static/\s+"public, max-age=31536000, immutable";', text)
    assert "add_header Cache-Control $basin_cache_control always;" in server
    assert "gzip on;" in server and "application/javascript" in server and "text/css" in server


def test_template_upgrades_websockets_routes_by_cookie_and_allows_uploads():
    text = run_replicas.SITE_TEMPLATE.read_text()
    assert "proxy_http_version 1.1;" in text
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert re.search(r"map \$http_upgrade \$basin_connection \{\s*default upgrade;", text)
    assert "hash $basin_sticky_key consistent;" in text
    assert re.search(r"proxy_read_timeout (\d+)h;", text)          # hours, not nginx's 60 s default
    body = re.search(r"client_max_body_size (\w+);", text).group(1)
    assert UPLOAD_MB < megabytes(body) <= 2 * UPLOAD_MB                # Streamlit, not nginx, refuses big files


def test_nginx_accepts_the_rendered_config():
    nginx = nginx_or_skip()
    prefix = Path(tempfile.mkdtemp(prefix="basin-nginx-t-"))
    try:
        (prefix / "tmp").mkdir()
        (prefix / "basin.conf").write_text(run_replicas.render_site(
            ["127.0.0.1:8501", "127.0.0.1:8502"], listen="127.0.0.1:8080", access_log=str(prefix / "access.log")))
        (prefix / "nginx.conf").write_text(run_replicas.MAIN_CONF.format(prefix=prefix))
        result = subprocess.run([nginx, "-t", "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                                capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, result.stderr
        assert "syntax is ok" in result.stderr
    finally:
        shutil.rmtree(prefix, ignore_errors=True)


# ---------- Kubernetes ----------

def validator() -> str:
    found = shutil.which("kubernetes-validate", path=str(Path(sys.executable).parent)) or shutil.which(
        "kubernetes-validate")
    assert found, "kubernetes-validate is missing: `pip install -r requirements-dev.txt` installs it"
    return found


def all_documents() -> list[dict]:
    return [doc for doc in yaml.safe_load_all(MANIFEST.read_text()) if doc]


def documents(name: str = "basin") -> dict[str, dict]:
    """The manifest's resources called `name` (the app's own by default; "basin-redis" for class mode's
    store), by kind (the uploads Ingress and the headers ConfigMap are checked through all_documents())."""
    return {doc["kind"]: doc for doc in all_documents() if doc["metadata"]["name"] == name}


def ingresses() -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in all_documents() if d["kind"] == "Ingress"}


def test_manifest_is_valid_against_the_kubernetes_schemas():
    result = subprocess.run([validator(), "--strict", str(MANIFEST)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("INFO") == 7 and "ERROR" not in result.stdout   # one line per valid resource


def test_manifest_has_the_resources_the_recipe_needs():
    assert set(documents()) == {"Deployment", "Service", "Ingress"}
    assert set(documents("basin-redis")) == {"Deployment", "Service"}
    assert {d["kind"] for d in all_documents()} == {"Deployment", "Service", "ConfigMap", "Ingress"}
    assert [d["metadata"]["name"] for d in all_documents() if d["kind"] == "Ingress"] == ["basin", "basin-uploads"]
    names = [doc["metadata"]["name"] for doc in all_documents()]
    assert sorted(names) == ["basin"] * 3 + ["basin-redis"] * 2 + ["basin-response-headers", "basin-uploads"]


def test_pods_are_probed_on_health_limited_and_not_root():
    pod = documents()["Deployment"]["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"] == {"path": "/_stcore/health", "port": "http"}, probe
    assert {p["name"]: p["containerPort"] for p in container["ports"]} == {"http": 8501}
    assert set(container["resources"]["requests"]) == set(container["resources"]["limits"]) == {"cpu", "memory"}
    assert pod["securityContext"]["runAsNonRoot"] is True
    dockerfile_user = re.search(r"^USER (\d+)", (REPO_ROOT / "Dockerfile").read_text(), re.M).group(1)
    assert pod["securityContext"]["runAsUser"] == int(dockerfile_user)
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]


def test_every_replica_gets_the_cookie_secret_from_a_secret():
    pod = documents()["Deployment"]["spec"]["template"]["spec"]
    env = {e["name"]: e for e in pod["containers"][0]["env"]}
    secret = env["STREAMLIT_SERVER_COOKIE_SECRET"]
    assert "value" not in secret and set(secret["valueFrom"]["secretKeyRef"]) == {"name", "key"}


def test_every_replica_shares_one_redis_for_class_mode():
    env = {e["name"]: e for e in documents()["Deployment"]["spec"]["template"]["spec"]["containers"][0]["env"]}
    names = list(env)
    assert names.index("BASIN_REDIS_PASSWORD") < names.index("BASIN_REDIS_URL")   # so that $(...) is filled in
    assert set(env["BASIN_REDIS_PASSWORD"]["valueFrom"]["secretKeyRef"]) == {"name", "key"}
    service = documents("basin-redis")["Service"]
    (port,) = service["spec"]["ports"]
    assert env["BASIN_REDIS_URL"]["value"] == (f"redis://:$(BASIN_REDIS_PASSWORD)@{service['metadata']['name']}:"
                                              f"{port['port']}/0")
    redis = documents("basin-redis")["Deployment"]
    assert redis["spec"]["replicas"] == 1 and redis["spec"]["strategy"]["type"] == "Recreate"
    labels = redis["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= labels.items()
    pod = redis["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert container["image"].startswith("redis:") and container["image"] != "redis:latest"
    assert container["args"][:2] == ["--requirepass", "$(REDIS_PASSWORD)"]
    assert container["env"][0]["valueFrom"]["secretKeyRef"] == env["BASIN_REDIS_PASSWORD"]["valueFrom"]["secretKeyRef"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert set(container["resources"]["limits"]) == {"cpu", "memory"}


def test_service_and_ingress_are_sticky():
    docs = documents()
    assert docs["Service"]["spec"]["sessionAffinity"] == "ClientIP"
    annotations = docs["Ingress"]["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert int(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600
    assert UPLOAD_MB < megabytes(annotations["nginx.ingress.kubernetes.io/proxy-body-size"]) <= 2 * UPLOAD_MB



@pytest.mark.parametrize(("old", "new", "complaint"), [
    ("readinessProbe:", "readynessProbe:", "readynessProbe"),        # a typo'd field (strict mode)
    ("replicas: 3", "replicas: x", "'x' is not of type 'integer'"),  # a wrong type
])
def test_the_validator_does_reject_a_broken_manifest(tmp_path, old, new, complaint):
    # So that a green validation above means something.
    (tmp_path / "broken.yaml").write_text(MANIFEST.read_text().replace(old, new, 1))
    result = subprocess.run([validator(), "--strict", str(tmp_path / "broken.yaml")], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode != 0
    assert "ERROR" in result.stdout and complaint in result.stdout


def test_every_ingress_is_sticky_and_sends_the_security_headers():
    headers = next(d for d in all_documents() if d["kind"] == "ConfigMap")
    assert headers["metadata"]["name"] == "basin-response-headers" and headers["data"] == SECURITY_HEADERS
    for name, ingress in ingresses().items():
        annotations = ingress["metadata"]["annotations"]
        assert annotations["nginx.ingress.kubernetes.io/affinity"] == "cookie", name
        assert annotations["nginx.ingress.kubernetes.io/session-cookie-name"] == "basin_sticky", name
        assert annotations["nginx.ingress.kubernetes.io/custom-headers"].endswith("/basin-response-headers"), name
        assert UPLOAD_MB < megabytes(annotations["nginx.ingress.kubernetes.io/proxy-body-size"]) <= 2 * UPLOAD_MB


def test_the_upload_path_has_its_own_limits():
    uploads = ingresses()["basin-uploads"]
    (rule,) = uploads["spec"]["rules"]
    assert [p["path"] for p in rule["http"]["paths"]] == ["/_stcore/upload_file/"]
    annotations = uploads["metadata"]["annotations"]
    burst = int(annotations["nginx.ingress.kubernetes.io/limit-rpm"]) * int(
        annotations["nginx.ingress.kubernetes.io/limit-burst-multiplier"])
    assert 1 <= burst <= 20 and int(annotations["nginx.ingress.kubernetes.io/limit-connections"]) <= 20
    main = ingresses()["basin"]["metadata"]["annotations"]
    assert not any("limit-" in key for key in main)          # a page's 30 assets never meet the upload limits
