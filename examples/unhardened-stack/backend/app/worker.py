"""Celery worker: daily fleet reports and alert fan-out."""

import os

from celery import Celery

celery = Celery("fleetlog", broker=os.environ["REDIS_URL"], backend=os.environ["REDIS_URL"])


@celery.task
def build_daily_report(fleet_id: int) -> None:
    """Aggregate yesterday's telemetry for one fleet and ask the reports service for a PDF."""
