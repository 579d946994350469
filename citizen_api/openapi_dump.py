"""The served OpenAPI document, dumped for the workbench's generated TypeScript types.

``python -m citizen_api.openapi_dump spec --digest-file web/src/api/openapi.sha256`` (``make web-types``)
builds the app without a database or any secret on disk and prints the document it would serve.
An entry-layer module: it builds the whole app, so nothing below the composition root imports it.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from citizen_api.webui import REPO_ROOT

TYPES_DIGEST = REPO_ROOT / "web" / "src" / "api" / "openapi.sha256"


def served_spec() -> dict[str, Any]:
    """The document served at /api/v1/openapi.json, built without a database or any secret on disk."""
    from citizen_api.app import create_app
    from citizen_api.settings import Settings

    settings = Settings(
        env="test",
        jwt_secret="openapi-dump-only-" * 3,
        data_key=base64.urlsafe_b64encode(b"\0" * 32).decode(),
    )
    return create_app(settings).state.openapi


def spec_digest(spec: dict[str, Any]) -> str:
    canonical = json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m citizen_api.openapi_dump")
    sub = parser.add_subparsers(dest="command", required=True)
    spec_cmd = sub.add_parser("spec", help="print the served OpenAPI document as JSON")
    spec_cmd.add_argument("--digest-file", type=Path, help="also write its digest here")
    args = parser.parse_args(argv)
    spec = served_spec()
    if args.digest_file:
        args.digest_file.write_text(spec_digest(spec) + "\n", encoding="utf-8")
    sys.stdout.write(json.dumps(spec, ensure_ascii=False, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
