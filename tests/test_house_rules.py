"""House rules read from the source: one way to open a transaction, a core that knows no domain,
an explicit registry. Each rule names the files that break it."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["citizen_api", "notifications", "bots", "infra", "bench", "drills", "tests"]
UNIT_OF_WORK = ROOT / "citizen_api" / "db.py"
# core: knows no domain, no notifications, no bots, not the registry (issue 13)
CORE = [
    "citizen_api/http",
    "citizen_api/db.py",
    "citizen_api/jobs.py",
    "citizen_api/state.py",
    "citizen_api/errors.py",
    "citizen_api/clock.py",
    "citizen_api/settings.py",
    "citizen_api/middleware.py",
    "citizen_api/ratelimit.py",
    "citizen_api/metrics.py",
    "citizen_api/logging_setup.py",
    "citizen_api/wechat",
    "citizen_api/security",
]
DOMAINS = [
    "users",
    "auth",
    "audit",
    "catalog",
    "search",
    "workdays",
    "uploads",
    "cases",
    "appointments",
    "delivery",
    "ratings",
    "complaints",
]


def _sources(*tops: str):
    for top in tops:
        path = ROOT / top
        files = [path] if path.suffix == ".py" else sorted(path.rglob("*.py"))
        for file in files:
            if "migrations" not in file.parts:
                yield file, ast.parse(file.read_text(encoding="utf-8"), str(file))


def _imported_modules(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def test_only_the_unit_of_work_imports_in_transaction():
    offenders = []
    for file, tree in _sources(*PACKAGES):
        if file == UNIT_OF_WORK:
            continue
        for node in ast.walk(tree):
            imported = isinstance(node, ast.ImportFrom) and any(
                a.name == "in_transaction" for a in node.names
            )
            imported |= isinstance(node, ast.Import) and any(
                a.name == "tortoise.transactions" for a in node.names
            )
            used = isinstance(node, ast.Attribute) and node.attr == "in_transaction"
            if imported or used:
                offenders.append(f"{file.relative_to(ROOT)}:{node.lineno}")
    assert offenders == [], (
        "open transactions with citizen_api.db.atomic() (or ctx/job .atomic()): " + ", ".join(offenders)
    )


def test_the_core_knows_no_domain_no_adapter_and_not_the_registry():
    forbidden = (
        "notifications",
        "bots",
        "infra",
        "citizen_api.domains",
        "citizen_api.app",
        "citizen_api.routes",
    )
    forbidden += tuple(f"citizen_api.{name}" for name in DOMAINS)
    offenders = []
    for file, tree in _sources(*CORE):
        for module in _imported_modules(tree):
            if module in forbidden or module.startswith(tuple(f"{f}." for f in forbidden)):
                offenders.append(f"{file.relative_to(ROOT)} imports {module}")
    assert offenders == []


def test_the_registry_is_written_out_not_discovered():
    registry = ROOT / "citizen_api" / "domains.py"
    modules = _imported_modules(ast.parse(registry.read_text(encoding="utf-8")))
    assert not {m for m in modules if m.split(".")[0] == "importlib"}
    offenders = [
        f"{file.relative_to(ROOT)}:{node.lineno}"
        for file, tree in _sources("citizen_api", "notifications", "bots")
        for node in ast.walk(tree)
        if isinstance(node, ast.ExceptHandler)
        and isinstance(node.type, ast.Name)
        and node.type.id in {"ImportError", "ModuleNotFoundError"}
    ]
    assert offenders == [], "no ImportError guards: import what exists, register it in citizen_api.domains"
