"""On PostgreSQL, a trigger makes the coefficients of a version immutable at the database level (the model
already refuses save() of an existing row and delete()): a change is always a new version."""

from django.db import migrations

TRIGGER = """
CREATE OR REPLACE FUNCTION perfeccionamiento_coeficiente_inmutable() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'los coeficientes de una versión no se modifican: registre una versión nueva';
END; $$ LANGUAGE plpgsql;
CREATE TRIGGER perfeccionamiento_coeficiente_inmutable BEFORE UPDATE OR DELETE ON perfeccionamiento_coeficiente
FOR EACH ROW EXECUTE FUNCTION perfeccionamiento_coeficiente_inmutable();
"""
SIN_TRIGGER = """
DROP TRIGGER IF EXISTS perfeccionamiento_coeficiente_inmutable ON perfeccionamiento_coeficiente;
DROP FUNCTION IF EXISTS perfeccionamiento_coeficiente_inmutable();
"""


def crear_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER)


def borrar_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SIN_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [("perfeccionamiento", "0001_autorizacion_garantia_codigos")]
    operations = [migrations.RunPython(crear_trigger, borrar_trigger)]
