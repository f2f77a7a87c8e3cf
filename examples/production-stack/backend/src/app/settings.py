"""Settings from the environment; every credential can also come from a `<NAME>_FILE` path."""

import os
from pathlib import Path


def secret(name: str, default: str | None = None) -> str | None:
    """Read NAME_FILE (a Docker secret) first, then NAME, then the default."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def database_dsn() -> str:
    host = os.environ.get("DATABASE_HOST", "localhost")
    port = os.environ.get("DATABASE_PORT", "5432")
    name = os.environ.get("DATABASE_NAME", "fleetlog")
    user = os.environ.get("DATABASE_USER", "fleetlog")
    sslmode = os.environ.get("DATABASE_SSLMODE", "prefer")
    password = secret("DATABASE_PASSWORD", "")
    return f"host={host} port={port} dbname={name} user={user} password={password} sslmode={sslmode}"


REDIS_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")
LOG_LEVEL = os.environ.get("LOG_LEVEL", "info")
