"""Read one RFC 822 message from standard input and turn it into a ticket or a follow-up.

For an MTA, e.g. Postfix's /etc/aliases:
    mesadeservicios: "|/srv/portal/.venv/bin/python /srv/portal/manage.py recibir_correo"

Exit status (sysexits.h, what a pipe delivery understands):
- 0 when the message was handled (including a recorded rejection, which gets a reply, and an ignored autoreply);
- 65 (EX_DATAERR) for input that is not a usable mail (empty, oversized, unparseable, no valid From:): a
  permanent failure, so the MTA bounces it instead of retrying forever;
- 75 (EX_TEMPFAIL) when the database is unavailable, so the MTA keeps the mail and retries later.
"""

import sys

from django.core.management.base import BaseCommand
from django.db import Error as ErrorDeBaseDeDatos

from mesa_servicios.services.correo import CorreoInvalido, correo_procesar

EX_DATAERR = 65
EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = "Lee un correo (RFC 822) de la entrada estándar y lo registra como ticket o seguimiento."

    def handle(self, *args, **options):
        crudo = sys.stdin.buffer.read()
        try:
            if not crudo.strip():
                raise CorreoInvalido("La entrada estándar está vacía: se esperaba un mensaje de correo.")
            registro = correo_procesar(crudo=crudo)
        except CorreoInvalido as e:
            self.stderr.write(f"Correo rechazado (error permanente): {e}")
            sys.exit(EX_DATAERR)
        except ErrorDeBaseDeDatos as e:
            self.stderr.write(f"Base de datos no disponible, reintente: {e}")
            sys.exit(EX_TEMPFAIL)
        numero = registro.ticket.numero if registro.ticket_id else "—"
        self.stdout.write(f"{registro.get_resultado_display()}: {numero}. {registro.detalle}")
