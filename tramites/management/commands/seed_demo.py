from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.test import override_settings

from tramites.demo import CLAVE_DEMO, USUARIOS
from tramites.models import Usuario


class Command(BaseCommand):
    help = "Carga datos de demostración creíbles (idempotente: no hace nada si ya existen)."

    def handle(self, *args, **options):
        if Usuario.objects.filter(username="oce").exists():
            self.stdout.write("Los datos de demostración ya existen; no se cargan de nuevo.")
        else:
            # The demo's own notifications are kept in the portal, not printed as e-mails to the console.
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                for app in apps.get_app_configs():
                    modulo = f"{app.name}.demo"
                    if app.path.startswith(str(apps.get_app_config("tramites").path).rsplit("/", 1)[0]) and find_spec(modulo):
                        import_module(modulo).sembrar(self.stdout)
            self.stdout.write(self.style.SUCCESS("Datos de demostración cargados."))
        self.stdout.write(f"Usuarios de demostración (contraseña «{CLAVE_DEMO}»): " + ", ".join(USUARIOS))
