"""`seed_demo` shows the régimen 21 records in each of their states, each with its real timeline."""

import pytest
from django.core.management import call_command

from perfeccionamiento.models import (
    DAI,
    AlertaVencimiento,
    AnexoCompensatorio,
    CodigoInsumo,
    CodigoProducto,
    Garantia,
    SaldoInsumo,
    SolicitudAutorizacion,
    VersionCoeficientes,
)
from tramites.models import Transicion


@pytest.mark.django_db
def test_demo_con_registros_en_cada_estado():
    call_command("seed_demo", verbosity=0)
    assert set(SolicitudAutorizacion.objects.values_list("estado", flat=True)) == set(SolicitudAutorizacion.Estado.values)
    assert set(Garantia.objects.values_list("estado", flat=True)) == set(Garantia.Estado.values)
    assert set(CodigoInsumo.objects.values_list("estado", flat=True)) == {"vigente", "registrado", "rechazado"}
    assert set(CodigoProducto.objects.values_list("estado", flat=True)) == {"vigente"}
    assert set(VersionCoeficientes.objects.values_list("estado", flat=True)) == {"aprobada", "presentada"}
    assert {"borrador", "en_aforo", "observada", "salida_autorizada", "anulada"} <= set(
        DAI.objects.values_list("estado", flat=True)
    )
    assert set(AnexoCompensatorio.objects.values_list("tipo", flat=True)) == set(AnexoCompensatorio.Tipo.values)
    estados_anexo = set(AnexoCompensatorio.objects.values_list("estado", flat=True))
    assert estados_anexo == set(AnexoCompensatorio.Estado.values) - {"borrador", "aceptado"}  # both are momentary
    assert DAI.objects.filter(estado="compensada").exists()
    assert DAI.objects.filter(estado="vencida_con_saldo").exists()
    assert AlertaVencimiento.objects.filter(tipo="saldo").exists()
    for lote in SaldoInsumo.objects.all():
        assert lote.saldo == sum(m.cantidad for m in lote.movimientos.all())
    aprobada = SolicitudAutorizacion.objects.filter(estado="aprobada", operador__usuarios__username="oce").get()
    assert [t.transicion for t in Transicion.objects.de(aprobada)] == ["presentar", "tomar", "observar", "corregir", "aprobar"]
