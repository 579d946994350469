"""电子监察's rollup triggers (``cases/repository/rollup.py``), in the dialect of the database.

Written by hand: ``make migrations`` regenerates only the ``*_initial*`` files. This one follows the
last of them, whatever their number, and installs (or replaces) the triggers that keep
``case_stats_deltas``, then folds whatever cases the database already holds into the rollup.
"""

from pathlib import Path

from tortoise import migrations
from tortoise.migrations import operations as ops

from citizen_api.cases.repository import rollup


def _last_generated() -> str:
    return max(p.stem for p in Path(__file__).parent.glob("0*_initial*.py"))


async def _install(apps, schema_editor) -> None:
    conn = schema_editor.client
    await rollup.install_triggers(conn)
    await rollup.rebuild_on(conn)


class Migration(migrations.Migration):
    dependencies = [("models", _last_generated())]

    operations = [ops.RunPython(_install)]
