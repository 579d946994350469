"""House rules read from the source: one way to open a transaction, a core that knows no domain,
an explicit registry. Each rule names the files that break it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["citizen_api", "notifications", "bots", "infra", "bench", "drills", "tests"]
UNIT_OF_WORK = ROOT / "citizen_api" / "db.py"


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


def test_the_import_contracts_hold():
    """The layers and boundaries of ARCHITECTURE.md ([tool.importlinter] in pyproject.toml): core knows no
    domain, domains reach each other only through service/schemas/ports, no cycles (also `make lint`)."""
    lint_imports = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def test_no_import_cycle_between_modules_of_any_package():
    """acyclic_siblings looks inside each root package; this also catches a cycle across them."""
    graph = grimp.build_graph("citizen_api", "notifications", "bots", "infra")
    cyclic = [
        (module, imported)
        for module in graph.modules
        for imported in graph.find_modules_directly_imported_by(module)
        if graph.chain_exists(importer=imported, imported=module)
    ]
    assert cyclic == []


# ORM calls on a model class (Model.filter(...), Model.create(...) …) or on a row (.save(), .fetch_related())
_ORM_CALLS = {
    "filter", "exclude", "get", "get_or_none", "create", "all", "first", "count", "exists", "update",
    "delete", "bulk_create", "bulk_update", "get_or_create", "update_or_create", "select_for_update",
    "select_related", "prefetch_related", "annotate", "values", "values_list", "order_by", "raw",
    "in_bulk", "only", "distinct", "group_by",
}  # fmt: skip
_ROW_CALLS = {"save", "fetch_related", "refresh_from_db"}


def _may_query(file: Path) -> bool:
    parts = file.relative_to(ROOT).parts
    return file.name in ("models.py", "seed.py") or "repository" in parts or file.name == "repository.py"


def test_orm_calls_live_only_in_repositories_models_and_seeds():
    offenders = []
    for file, tree in _sources("citizen_api", "notifications", "bots"):
        if _may_query(file):
            continue
        models = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.endswith(".models"):
                models |= {alias.asname or alias.name for alias in node.names}
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            on_model = isinstance(node.func.value, ast.Name) and node.func.value.id in models
            if (on_model and node.func.attr in _ORM_CALLS) or node.func.attr in _ROW_CALLS:
                offenders.append(f"{file.relative_to(ROOT)}:{node.lineno} .{node.func.attr}()")
    assert offenders == [], "move these queries into the owning domain's repository: " + ", ".join(offenders)


def test_the_registry_is_written_out_not_discovered():
    for part in ("domains.py", "registry_models.py", "registry_commands.py"):
        modules = _imported_modules(ast.parse((ROOT / "citizen_api" / part).read_text(encoding="utf-8")))
        assert not {m for m in modules if m.split(".")[0] == "importlib"}, part
    offenders = [
        f"{file.relative_to(ROOT)}:{node.lineno}"
        for file, tree in _sources("citizen_api", "notifications", "bots")
        for node in ast.walk(tree)
        if isinstance(node, ast.ExceptHandler)
        and isinstance(node.type, ast.Name)
        and node.type.id in {"ImportError", "ModuleNotFoundError"}
    ]
    assert offenders == [], "no ImportError guards: import what exists, register it in citizen_api.domains"


def test_every_models_and_commands_module_is_registered():
    # a domain's models.py left out of registry_models would have no tables and no migrations;
    # a commands.py left out of registry_commands would be no ``onetrip`` command
    from citizen_api.registry_commands import COMMANDS
    from citizen_api.registry_models import MODEL_MODULES

    found = {
        ".".join(file.relative_to(ROOT).with_suffix("").parts)
        for package in ("citizen_api", "notifications", "bots")
        for file in (ROOT / package).rglob("models.py")
    }
    assert found == set(MODEL_MODULES)
    commands = {
        ".".join(file.relative_to(ROOT).with_suffix("").parts)
        for file in [*(ROOT / "citizen_api").glob("*/commands.py"), ROOT / "notifications" / "commands.py"]
    }
    assert commands == {group.registered_commands[0].callback.__module__ for _, group in COMMANDS}
