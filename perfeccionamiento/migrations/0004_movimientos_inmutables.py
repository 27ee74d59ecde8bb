"""On PostgreSQL, a trigger makes the input ledger append-only at the database level: a movement is never
updated or deleted (a correction is a reversal plus new movements)."""

from django.db import migrations

TRIGGER = """
CREATE OR REPLACE FUNCTION perfeccionamiento_movimiento_inmutable() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'el kárdex de insumos es de solo agregado';
END; $$ LANGUAGE plpgsql;
CREATE TRIGGER perfeccionamiento_movimiento_inmutable BEFORE UPDATE OR DELETE ON perfeccionamiento_movimientoinsumo
FOR EACH ROW EXECUTE FUNCTION perfeccionamiento_movimiento_inmutable();
"""
SIN_TRIGGER = """
DROP TRIGGER IF EXISTS perfeccionamiento_movimiento_inmutable ON perfeccionamiento_movimientoinsumo;
DROP FUNCTION IF EXISTS perfeccionamiento_movimiento_inmutable();
"""


def crear_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER)


def borrar_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SIN_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [("perfeccionamiento", "0003_dai_saldos_parametros")]
    operations = [migrations.RunPython(crear_trigger, borrar_trigger)]
