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
    from citizen_api.middleware import parse_trusted_proxies

    try:  # a typo in the proxy list fails here, not as silently trusting nobody (or everybody)
        parse_trusted_proxies(settings.trusted_proxies)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    from citizen_api.cli.preflight import require_database_ready

    require_database_ready(settings)  # not migrated or unreachable: one line, exit 1
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
        # forwarded headers are read by our middleware, from ONETRIP_TRUSTED_PROXIES only: uvicorn's
        # own default would believe any X-Forwarded-For sent from 127.0.0.1 (FORWARDED_ALLOW_IPS)
        proxy_headers=False,
        timeout_graceful_shutdown=10,
    )


def worker_wiring():
    """What ``onetrip worker`` runs with (``notifications.worker.WorkerWiring``): every model, the
    registry's periodic jobs, and the clients their start-up hooks open."""
    from citizen_api.app import open_state
    from citizen_api.domains import MODEL_MODULES, PERIODIC_JOBS, WORKER_LIFESPANS
    from notifications.worker import WorkerWiring

    return WorkerWiring(
        model_modules=MODEL_MODULES,
        periodic_jobs=PERIODIC_JOBS,
        open_state=lambda settings, redis: open_state(settings, WORKER_LIFESPANS, redis=redis),
    )


def worker() -> None:
    """Run the background worker (arq on Redis; needs ONETRIP_REDIS_URL)."""
    from citizen_api.cli.preflight import require_database_ready
    from notifications.worker import run_worker

    settings = Settings()
    # a database that is down meanwhile is waited for (jobs retry); one never migrated is refused
    require_database_ready(settings, refuse_unreachable=False)
    run_worker(settings, worker_wiring())
