"""Celery worker: report generation and alert fan-out."""

from celery import Celery

from app import settings

celery = Celery("fleetlog", broker=settings.REDIS_URL, backend=settings.REDIS_URL)
celery.conf.worker_max_tasks_per_child = 1000


@celery.task
def build_daily_report(fleet_id: int) -> None:
    """Aggregate yesterday's telemetry for one fleet."""
