"""Data: the idempotency hash of the inbound mails already logged becomes sha256(sender, newline, Message-ID), the
key `correo_procesar` now uses, so a re-delivery of an old mail is still recognised (reversible)."""

import hashlib

from django.db import migrations


def _con_remitente(apps, schema_editor):
    CorreoEntrante = apps.get_model("mesa_servicios", "CorreoEntrante")
    for registro in CorreoEntrante.objects.only("pk", "remitente", "message_id").iterator():
        clave = f"{registro.remitente.strip().lower()}\n{registro.message_id.strip()}"
        CorreoEntrante.objects.filter(pk=registro.pk).update(huella=hashlib.sha256(clave.encode()).hexdigest())


def _solo_message_id(apps, schema_editor):
    CorreoEntrante = apps.get_model("mesa_servicios", "CorreoEntrante")
    vistas = set()
    for registro in CorreoEntrante.objects.only("pk", "message_id").order_by("pk").iterator():
        huella = hashlib.sha256(registro.message_id.encode()).hexdigest()
        if huella in vistas:  # the same Message-ID from two senders: the later row keeps its (unique) new hash
            continue
        vistas.add(huella)
        CorreoEntrante.objects.filter(pk=registro.pk).update(huella=huella)


class Migration(migrations.Migration):
    dependencies = [("mesa_servicios", "0003_correo_remitente_autenticado_y_ticket_sin_verificar")]

    operations = [migrations.RunPython(_con_remitente, _solo_message_id)]
