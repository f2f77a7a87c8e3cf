"""HTTP API: health probe, metrics and the telemetry endpoints."""

import os

from fastapi import FastAPI, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

if os.environ.get("DEBUG") == "true":
    # Attach from VS Code ("Python: Remote Attach", port 5678).
    import debugpy

    debugpy.listen(("0.0.0.0", 5678))

app = FastAPI(title="fleetlog")


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/metrics")
def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


@app.get("/api/v1/vehicles")
def vehicles() -> list[dict[str, str]]:
    return []
