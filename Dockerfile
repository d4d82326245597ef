# Basin in a container: docker build -t basin . && docker run -p 8501:8501 basin
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STREAMLIT_SERVER_HEADLESS=true \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false \
    BASIN_DATA_DIR=/data

WORKDIR /app
# Class mode keeps its classes in SQLite under BASIN_DATA_DIR (/data): the one folder the app user may write.
# Mount a volume there to keep classes across container restarts (docker run -v basin-data:/data ...); with
# several replicas, set BASIN_REDIS_URL instead (docs/DEPLOY.md). redis-py is not in this image: a deployment
# that uses Redis installs requirements-deploy.txt on top of it.
RUN groupadd --gid 10001 basin && useradd --create-home --uid 10001 --gid basin basin \
    && mkdir /data && chown 10001:10001 /data

# Dependencies first, so editing the app does not reinstall them.
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

# The code stays owned by root: the app user can read it but not change it.
COPY . .
# Numeric, so Kubernetes can verify runAsNonRoot (deploy/k8s/basin.yaml).
USER 10001:10001

EXPOSE 8501
# Standard-library health check: the slim image has no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read() != b'ok')"]

# serve.py is `streamlit run app.py` after importing the libraries once, before any session (see its docstring).
CMD ["python", "serve.py", "--server.port=8501", "--server.address=0.0.0.0"]
