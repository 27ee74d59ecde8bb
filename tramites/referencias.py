"""Reference data the portal needs: customs districts (SRI ATS catalogue, table 6).

Migration 0002 loads them on every new database; `asegurar_distritos()` loads them again where a flushed
database may lack them (demo data, tests that truncate tables)."""

from __future__ import annotations

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


def asegurar_distritos() -> None:
    from .models import Distrito

    existentes = set(Distrito.objects.values_list("codigo", flat=True))
    Distrito.objects.bulk_create([Distrito(codigo=c, nombre=n) for c, n in DISTRITOS if c not in existentes])
