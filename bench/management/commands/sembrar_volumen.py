"""manage.py sembrar_volumen [--escala 0.01] [--operadores N --lineas N --movimientos N --tickets N] [--reset]

Loads the benchmark volumes (bench/sembrar.py) into a PostgreSQL database whose name starts with `senae_bench`.
Idempotent: a database already seeded with the same volumes is left as it is; `--reset` empties it first.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from bench import sembrar


class Command(BaseCommand):
    help = "Carga volúmenes realistas para los benchmarks (solo en bases senae_bench*)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--escala", type=float, default=1.0, help="Multiplica los volúmenes del issue (1 = completo).")
        for nombre in sembrar.VOLUMENES:
            parser.add_argument(f"--{nombre}", type=int, default=None, help=f"Fija {nombre} (por omisión: issue × escala).")
        parser.add_argument("--reset", action="store_true", help="Vacía los datos sembrados (y los de corridas) antes.")

    def handle(self, *args, **opciones) -> None:
        try:
            sembrar.exigir_base_de_bench()
        except sembrar.BaseNoPermitida as e:
            raise CommandError(str(e)) from None
        volumenes = sembrar.Volumenes.con_escala(opciones["escala"], **{k: opciones[k] for k in sembrar.VOLUMENES})
        previa = sembrar.semilla_actual()
        if previa is not None and not opciones["reset"]:
            if all(previa.get(k) == getattr(volumenes, k) for k in sembrar.VOLUMENES):
                self.stdout.write(f"La base ya tiene estos volúmenes (sembrada en {previa.get('segundos')} s); nada que hacer.")
                return
            raise CommandError(f"La base ya está sembrada con otros volúmenes ({json.dumps(previa)}); use --reset.")
        if opciones["reset"]:
            sembrar.vaciar()
        self.stdout.write(
            f"Sembrando en «{sembrar.nombre_base()}»: {volumenes.operadores} operadores, {volumenes.lotes} ítems de DAI "
            f"({volumenes.dais} DAI), {volumenes.lotes + volumenes.debitos} movimientos, {volumenes.tickets} tickets…"
        )
        resultado = sembrar.sembrar(volumenes, informar=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"Sembrado en {resultado['segundos']} s."))
