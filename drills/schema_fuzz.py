"""Drill 1: schemathesis over every operation of the served OpenAPI spec.

Fresh PostgreSQL database, demo data, the WeChat simulator, the real server; schemathesis runs as
anonymous, as a citizen and as an admin. Prints the figures; exits non-zero on any server error
or spec violation.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (
    PY,
    ROOT,
    bench_env,
    drop_pg_database,
    free_port,
    fresh_pg_database,
    run_cli,
    server,
)

EXAMPLES = int(os.environ.get("DRILL_EXAMPLES", "25"))
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


def _post(url: str, payload: dict) -> dict:
    req = urllib.request.Request(
        url, data=json.dumps(payload).encode(), headers={"content-type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.loads(resp.read())


def main() -> int:
    db_name = f"onetrip_drill_schema_{os.getpid()}"
    url = asyncio.run(fresh_pg_database(db_name))
    sim_port = free_port()
    sim = subprocess.Popen(
        [PY, "-m", "infra.simulators.wechat", "--port", str(sim_port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    env = bench_env(url, ONETRIP_WECHAT_API_BASE=f"http://127.0.0.1:{sim_port}", ONETRIP_LOG_JSON="true")
    failures = 0
    try:
        run_cli(env, "migrate")
        run_cli(env, "seed-demo")
        time.sleep(0.5)
        with server(env) as base:
            citizen = _post(f"{base}/api/v1/auth/wechat", {"code": "dev-drill"})["access_token"]
            admin = _post(f"{base}/api/v1/auth/staff", {"username": "admin", "password": "admin-demo-2026"})[
                "access_token"
            ]
            for label, headers in (
                ("anonymous", []),
                ("citizen", ["-H", f"Authorization: Bearer {citizen}"]),
                ("admin", ["-H", f"Authorization: Bearer {admin}"]),
            ):
                report = Path(tempfile.mkdtemp()) / "junit.xml"
                started = time.time()
                result = subprocess.run(
                    [
                        str(Path(PY).parent / "schemathesis"),
                        "run",
                        f"{base}/api/v1/openapi.json",
                        "--checks",
                        CHECKS,
                        "--max-examples",
                        str(EXAMPLES),
                        "--continue-on-failure",
                        "--request-timeout",
                        "10",
                        "--report",
                        "junit",
                        "--report-junit-path",
                        str(report),
                        "--suppress-health-check",
                        "all",
                        *headers,
                    ],
                    cwd=ROOT,
                    env=env,
                    capture_output=True,
                    text=True,
                )
                tail = "\n".join(result.stdout.strip().splitlines()[-12:])
                print(f"== schemathesis as {label}: exit {result.returncode} in {time.time() - started:.0f}s")
                print(tail)
                failures += result.returncode != 0
    finally:
        sim.terminate()
        asyncio.run(drop_pg_database(db_name))
    print(f"drill schema_fuzz: {'PASS' if failures == 0 else 'FAIL'} ({failures} failing runs)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
