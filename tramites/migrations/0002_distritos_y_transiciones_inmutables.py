"""Reference data (customs districts, SRI ATS table 6) and, on PostgreSQL, a trigger that makes the
transition log append-only at the database level (no UPDATE, no DELETE)."""

from django.db import migrations

DISTRITOS = [
    ("019", "Guayaquil Zona de Carga Aérea"),
    ("028", "Guayaquil Puerto Marítimo"),
    ("037", "Manta"),
    ("046", "Esmeraldas"),
    ("055", "Quito"),
    ("064", "Puerto Bolívar"),
    ("073", "Tulcán"),
    ("082", "Huaquillas"),
    ("091", "Cuenca"),
    ("109", "Loja-Macará"),
    ("118", "Santa Elena"),
    ("127", "Latacunga"),
    ("136", "Dirección General"),
    ("145", "CEBAF San Miguel"),
]

TRIGGER = """
CREATE OR REPLACE FUNCTION tramites_transicion_inmutable() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'tramites_transicion es de solo agregado';
END; $$ LANGUAGE plpgsql;
CREATE TRIGGER tramites_transicion_inmutable BEFORE UPDATE OR DELETE ON tramites_transicion
FOR EACH ROW EXECUTE FUNCTION tramites_transicion_inmutable();
"""
SIN_TRIGGER = """
DROP TRIGGER IF EXISTS tramites_transicion_inmutable ON tramites_transicion;
DROP FUNCTION IF EXISTS tramites_transicion_inmutable();
"""


def crear_distritos(apps, schema_editor):
    Distrito = apps.get_model("tramites", "Distrito")
    for codigo, nombre in DISTRITOS:
        Distrito.objects.update_or_create(codigo=codigo, defaults={"nombre": nombre})


def borrar_distritos(apps, schema_editor):
    apps.get_model("tramites", "Distrito").objects.filter(codigo__in=[c for c, _ in DISTRITOS]).delete()


def crear_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER)


def borrar_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SIN_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [("tramites", "0001_inicial")]
    operations = [
        migrations.RunPython(crear_distritos, borrar_distritos),
        migrations.RunPython(crear_trigger, borrar_trigger),
    ]
