"""``onetrip_refuse(code)``: raise from inside one SQL statement (PostgreSQL), so that a write of
several parts made as one statement rolls back whole when a later part finds nothing
(``appointments/repository/one_statement.py``). VOLATILE (the default) so that the planner never
calls it ahead of the CASE branch that asks for it. Written by hand, after ``0100``.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops

FUNCTION = """
CREATE OR REPLACE FUNCTION onetrip_refuse(code text) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = code;
END
$$
"""


async def _install(apps, schema_editor) -> None:
    conn = schema_editor.client
    if conn.capabilities.dialect == "postgres":
        await conn.execute_script(FUNCTION)


class Migration(migrations.Migration):
    dependencies = [("models", "0100_case_stats_triggers")]

    operations = [ops.RunPython(_install)]
