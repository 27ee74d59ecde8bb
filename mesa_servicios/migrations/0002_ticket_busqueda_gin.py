"""GIN index on the stored full-text vector, on PostgreSQL only (SQLite, the embedded demo default, has no
tsvector: there the vector column stays empty and similar consultations use a plain search)."""

from django.db import migrations


def crear_indice(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE INDEX IF NOT EXISTS mesa_ticket_busqueda_gin ON mesa_servicios_ticket USING gin (busqueda)")


def borrar_indice(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS mesa_ticket_busqueda_gin")


class Migration(migrations.Migration):
    dependencies = [("mesa_servicios", "0001_tickets")]

    operations = [migrations.RunPython(crear_indice, borrar_indice)]
