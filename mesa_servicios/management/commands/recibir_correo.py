"""Read one RFC 822 message from standard input and turn it into a ticket or a follow-up.

For an MTA, e.g. Postfix's /etc/aliases:
    mesadeservicios: "|/srv/portal/.venv/bin/python /srv/portal/manage.py recibir_correo"

Exit status: 0 when the message was handled (including a recorded rejection, which gets a reply), 75
(EX_TEMPFAIL) when the database is unavailable, so the MTA keeps the mail and retries later.
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from mesa_servicios.services.correo import correo_procesar

EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = "Lee un correo (RFC 822) de la entrada estándar y lo registra como ticket o seguimiento."

    def handle(self, *args, **options):
        crudo = sys.stdin.buffer.read()
        if not crudo.strip():
            raise CommandError("La entrada estándar está vacía: se esperaba un mensaje de correo.")
        try:
            registro = correo_procesar(crudo=crudo)
        except DatabaseError as e:
            self.stderr.write(f"Base de datos no disponible, reintente: {e}")
            sys.exit(EX_TEMPFAIL)
        numero = registro.ticket.numero if registro.ticket_id else "—"
        self.stdout.write(f"{registro.get_resultado_display()}: {numero}. {registro.detalle}")
