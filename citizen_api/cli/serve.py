"""``onetrip serve`` (uvicorn, one or several processes) and ``onetrip worker``."""

from __future__ import annotations

import os
import shutil

import typer

from citizen_api.settings import Settings


def serve(
    host: str = typer.Option("127.0.0.1"),
    port: int = typer.Option(8000),
    workers: int = typer.Option(1, help="API processes"),
) -> None:
    """Serve the HTTP API."""
    import uvicorn

    settings = Settings()
    settings.check_production()
    if workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # every API process writes its metrics here; /metrics aggregates them
        metrics_dir = settings.var_dir / "prometheus"
        shutil.rmtree(metrics_dir, ignore_errors=True)
        metrics_dir.mkdir(parents=True)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    uvicorn.run(
        "citizen_api.app:asgi_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
        proxy_headers=True,
        timeout_graceful_shutdown=10,
    )


def worker() -> None:
    """Run the background worker (arq on Redis; needs ONETRIP_REDIS_URL)."""
    from notifications.worker import run_worker

    run_worker(Settings())
