"""HTTP API: health probes, metrics and the telemetry endpoints."""

import psycopg
from fastapi import FastAPI, Response
from prometheus_client import CONTENT_TYPE_LATEST, Counter, generate_latest

from app import settings

app = FastAPI(title="fleetlog")
REQUESTS = Counter("fleetlog_requests_total", "HTTP requests", ["route"])


@app.get("/health")
def health() -> dict[str, str]:
    """Liveness: the process answers."""
    return {"status": "ok"}


@app.get("/health/ready")
def ready(response: Response) -> dict[str, str]:
    """Readiness: the database answers through the pool."""
    try:
        with psycopg.connect(settings.database_dsn(), connect_timeout=2) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error:
        response.status_code = 503
        return {"status": "database unavailable"}
    return {"status": "ready"}


@app.get("/metrics")
def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


@app.get("/api/v1/vehicles")
def vehicles() -> list[dict[str, str]]:
    REQUESTS.labels(route="/api/v1/vehicles").inc()
    return []
