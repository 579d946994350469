"""Split a generated migration into parts of at most ``MAX_LINES`` lines, chained by dependencies.

Tortoise writes one file per ``makemigrations`` run; the initial schema of every domain is over 700
lines. The parts apply the same operations in the same order, so the database and the migration state
(checked by the models-match-migrations test) are exactly what the single file gave.
"""

from __future__ import annotations

import ast
from pathlib import Path

MAX_LINES = 360


def split(path: Path, max_lines: int = MAX_LINES) -> list[Path]:
    source = path.read_text()
    lines = source.splitlines()
    if len(lines) <= max_lines:
        return [path]
    tree = ast.parse(source)
    migration = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Migration")
    assign = next(
        n
        for n in migration.body
        if isinstance(n, ast.Assign) and any(getattr(t, "id", "") == "operations" for t in n.targets)
    )
    operations = assign.value
    header = "\n".join(lines[: migration.lineno - 1])
    # the first part keeps the class as generated (initial flag or its dependencies)
    first_preamble = lines[migration.lineno - 1 : assign.lineno - 1]
    chunks: list[list[str]] = [[]]
    size = 0
    for op in operations.elts:  # type: ignore[attr-defined]
        text = "\n".join(lines[op.lineno - 1 : op.end_lineno])
        text += "" if text.rstrip().endswith(",") else ","
        op_lines = text.count("\n") + 1
        if chunks[-1] and size + op_lines > max_lines - 20:
            chunks.append([])
            size = 0
        chunks[-1].append(text)
        size += op_lines
    written: list[Path] = []
    previous = None
    for number, ops in enumerate(chunks):
        name = path.stem if number == 0 else f"{path.stem}_part{number + 1}"
        prefix = f"{int(path.stem[:4]) + number:04d}" + name[4:]
        target = path.with_name(f"{prefix}.py")
        if previous is None:
            body = [header, *first_preamble]
        else:
            body = [header, "class Migration(migrations.Migration):"]
            body += [f"    dependencies = [('models', '{previous}')]", ""]
        body += ["    operations = [", *ops, "    ]", ""]
        target.write_text("\n".join(body))
        written.append(target)
        previous = target.stem
    if written[0] != path:
        path.unlink()
    return written


if __name__ == "__main__":
    import sys

    for part in split(Path(sys.argv[1])):
        print(f"  {part}")
