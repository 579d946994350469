"""Raw SQL on the current connection (or transaction), written once with $1 … placeholders."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from tortoise import connections

_PLACEHOLDER = re.compile(r"\$\d+")


async def run(statement: str, *args: Any) -> list[dict]:
    """Run ``statement`` (PostgreSQL's $1 … placeholders; rewritten for SQLite) and return its rows."""
    conn = connections.get("default")
    if conn.capabilities.dialect == "sqlite":
        statement = _PLACEHOLDER.sub("?", statement)  # every statement here uses its arguments in order
        args = tuple(a.isoformat() if isinstance(a, date) else a for a in args)
    return await conn.execute_query_dict(statement, list(args))
