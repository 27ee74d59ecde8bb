"""Write docs/estados.md: every audited state machine of the portal as a Mermaid diagram plus a table of
its transitions (label, from, to, who may run it). `--check` fails when the file is out of date (CI)."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_fsm import FSMField

from tramites.fsm import RegistroFSM

DESTINO = Path(settings.BASE_DIR) / "docs" / "estados.md"


def _quien(permiso) -> str:
    if permiso is None:
        return "—"
    if isinstance(permiso, str):
        return f"funcionario con `{permiso}`"
    nombre = getattr(permiso, "__name__", "")
    return {
        "actua_por_el_operador": "el operador o su agente con delegación vigente",
        "solo_sistema": "el sistema (tarea periódica)",
    }.get(nombre, (permiso.__doc__ or nombre).strip().splitlines()[0].rstrip("."))


def documento() -> str:
    partes = [
        "# Máquinas de estados",
        "",
        "Generado por `manage.py documentar_estados` a partir de las transiciones declaradas en los modelos "
        "(no se edita a mano; la suite comprueba que está al día).",
        "",
    ]
    modelos = sorted(
        (m for m in apps.get_models() if issubclass(m, RegistroFSM)), key=lambda m: (m._meta.app_label, m._meta.model_name)
    )
    for modelo in modelos:
        campo = modelo._meta.get_field("estado")
        if not isinstance(campo, FSMField):
            continue
        etiquetas = dict(campo.choices)
        transiciones = sorted(campo.get_all_transitions(modelo), key=lambda t: (str(t.source), t.name))
        partes += [f"## {modelo._meta.verbose_name.capitalize()} (`{modelo._meta.label}`)", "", "```mermaid", "stateDiagram-v2"]
        partes.append(f"    [*] --> {campo.default}")
        for t in transiciones:
            if t.source in ("*", "+"):
                continue
            partes.append(f"    {t.source} --> {t.target}: {t.custom.get('label', t.name)}")
        partes += ["```", "", "| acción | de | a | quién |", "|---|---|---|---|"]
        for t in transiciones:
            partes.append(
                f"| {t.custom.get('label', t.name)} (`{t.name}`) | {etiquetas.get(t.source, t.source)} | "
                f"{etiquetas.get(t.target, t.target)} | {_quien(t.permission)}"
                f"{' · exige motivo' if t.custom.get('requiere_comentario') else ''} |"
            )
        partes.append("")
    return "\n".join(partes)


class Command(BaseCommand):
    help = "Escribe docs/estados.md con el diagrama de cada máquina de estados (--check: solo verifica)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Falla si docs/estados.md no está al día.")

    def handle(self, *args, **options):
        contenido = documento()
        if options["check"]:
            if not DESTINO.exists() or DESTINO.read_text(encoding="utf-8") != contenido:
                raise CommandError("docs/estados.md no está al día: ejecute `manage.py documentar_estados`.")
            self.stdout.write("docs/estados.md está al día.")
            return
        DESTINO.write_text(contenido, encoding="utf-8")
        self.stdout.write(f"Escrito {DESTINO}")
