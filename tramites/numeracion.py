"""Gap-free, concurrency-safe numbering of records (tickets, authorizations, declarations, anexos).

    numero = siguiente_numero(f"MDS-{anio}")             # 1, 2, 3 … per key
    "MDS-2026-000123" == formatear("MDS", 2026, 123)

`siguiente_numero` must run inside the transaction that creates the record: the counter row stays locked
until it commits, so two concurrent creators never get the same number, and a rolled-back creation gives
its number back (no gaps).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from .models import Secuencia


def siguiente_numero(clave: str) -> int:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("siguiente_numero() debe ejecutarse dentro de transaction.atomic().")
    fila = Secuencia.objects.select_for_update().filter(clave=clave).first()
    if fila is None:
        try:
            with transaction.atomic():
                Secuencia.objects.create(clave=clave, ultimo=0)
        except IntegrityError:
            pass  # another transaction created it first; the lock below waits for it
        fila = Secuencia.objects.select_for_update().get(clave=clave)
    fila.ultimo += 1
    fila.save(update_fields=["ultimo"])
    return fila.ultimo


def formatear(prefijo: str, anio: int, numero: int, *, ancho: int = 6) -> str:
    return f"{prefijo}-{anio}-{numero:0{ancho}d}"
