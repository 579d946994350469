#!/usr/bin/env bash
# Starts the local simulators on loopback and serves OneTrip on SQLite with in-process jobs.
set -euo pipefail
PORT=${1:-8000}
SIM_PORT=${2:-9100}
K100_SIM_PORT=${3:-9101}
VENV=${VENV:-.venv}
mkdir -p var

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

"$VENV/bin/python" -m infra.simulators.wechat --port "$SIM_PORT" >var/wechat-sim.log 2>&1 &
pids+=($!)
if [ -f infra/simulators/kuaidi100.py ]; then
  "$VENV/bin/python" -m infra.simulators.kuaidi100 --port "$K100_SIM_PORT" >var/kuaidi100-sim.log 2>&1 &
  pids+=($!)
  export ONETRIP_KUAIDI100_API_BASE=${ONETRIP_KUAIDI100_API_BASE:-http://127.0.0.1:$K100_SIM_PORT}
fi
export ONETRIP_WECHAT_API_BASE=${ONETRIP_WECHAT_API_BASE:-http://127.0.0.1:$SIM_PORT}
export ONETRIP_PUBLIC_BASE_URL=${ONETRIP_PUBLIC_BASE_URL:-http://127.0.0.1:$PORT}
export ONETRIP_LOG_JSON=${ONETRIP_LOG_JSON:-false}

cat <<MSG

OneTrip is starting on http://127.0.0.1:$PORT  (SQLite var/onetrip.db, jobs in-process)
  API docs:         http://127.0.0.1:$PORT/api/v1/docs
  OpenAPI:          http://127.0.0.1:$PORT/api/v1/openapi.json
  WeChat simulator: http://127.0.0.1:$SIM_PORT  (login codes: dev-<anyone>)
  Try:  curl -s -X POST http://127.0.0.1:$PORT/api/v1/auth/wechat -H 'content-type: application/json' -d '{"code":"dev-alice"}'
Demo staff logins are listed above (onetrip seed-demo). Ctrl-C stops everything.

MSG
"$VENV/bin/onetrip" serve --host 127.0.0.1 --port "$PORT"
