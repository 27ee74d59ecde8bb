"""factory_boy factories of the régimen 21. Records are built directly in a state for tests that start
there; tests of a transition itself go through the services."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from perfeccionamiento.models import (
    CodigoInsumo,
    CodigoProducto,
    Coeficiente,
    Garantia,
    SolicitudAutorizacion,
    TarifaArancelaria,
    TasasGenerales,
    VersionCoeficientes,
)
from tests.factories import OperadorFactory, UsuarioFactory

PDF_MINIMO = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf(nombre: str = "proceso.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(nombre, PDF_MINIMO, content_type="application/pdf")


def hoy():
    return timezone.localdate()


class SolicitudFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SolicitudAutorizacion

    operador = factory.SubFactory(OperadorFactory)
    creada_por = factory.SubFactory(UsuarioFactory)
    modalidad = SolicitudAutorizacion.Modalidad.MAQUILA
    operacion = SolicitudAutorizacion.Operacion.ELABORACION
    descripcion_proceso = "Confección de camisas de algodón con tela importada, corte automático y costura industrial."
    mercancias = "Tela de algodón 5208.12"
    productos = "Camisas de algodón 6205.20"
    plazo_solicitado_meses = 12
    estado = SolicitudAutorizacion.Estado.BORRADOR

    class Params:
        aprobada = factory.Trait(
            estado=SolicitudAutorizacion.Estado.APROBADA,
            numero=factory.Sequence(lambda n: f"SOL21-2026-{n:06d}"),
            numero_autorizacion=factory.Sequence(lambda n: f"AUT21-2026-{n:06d}"),
            vigencia_desde=factory.LazyFunction(lambda: hoy() - timedelta(days=30)),
            vigencia_hasta=factory.LazyFunction(lambda: hoy() + timedelta(days=335)),
        )


class GarantiaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Garantia

    autorizacion = factory.SubFactory(SolicitudFactory, aprobada=True)
    operador = factory.SelfAttribute("autorizacion.operador")
    creada_por = factory.SubFactory(UsuarioFactory)
    numero = factory.Sequence(lambda n: f"GAR21-2026-{n:06d}")
    tipo = Garantia.Tipo.GENERAL
    forma = Garantia.Forma.POLIZA
    entidad_emisora = "Seguros Equinoccial S.A."
    numero_documento = factory.Sequence(lambda n: f"PA-{n:06d}")
    monto = Decimal("100000.00")
    vigencia_desde = factory.LazyFunction(lambda: hoy() - timedelta(days=10))
    vigencia_hasta = factory.LazyFunction(lambda: hoy() + timedelta(days=355))
    estado = Garantia.Estado.APROBADA


class CodigoInsumoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CodigoInsumo

    operador = factory.SubFactory(OperadorFactory)
    creado_por = factory.SubFactory(UsuarioFactory)
    codigo = factory.Sequence(lambda n: f"INS-{n:04d}")
    descripcion = factory.Sequence(lambda n: f"Insumo {n}")
    subpartida = "5208120000"
    unidad = "m"
    estado = CodigoInsumo.Estado.VIGENTE


class CodigoProductoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CodigoProducto

    operador = factory.SubFactory(OperadorFactory)
    creado_por = factory.SubFactory(UsuarioFactory)
    codigo = factory.Sequence(lambda n: f"PRD-{n:04d}")
    descripcion = factory.Sequence(lambda n: f"Producto {n}")
    subpartida = "6205200000"
    unidad = "u"
    estado = CodigoProducto.Estado.VIGENTE


class VersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VersionCoeficientes

    producto = factory.SubFactory(CodigoProductoFactory)
    operador = factory.SelfAttribute("producto.operador")
    creada_por = factory.SubFactory(UsuarioFactory)
    numero = factory.Sequence(lambda n: n + 1)
    vigente_desde = factory.LazyFunction(hoy)
    justificacion = "Prueba de producción."
    estado = VersionCoeficientes.Estado.APROBADA


class CoeficienteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coeficiente

    version = factory.SubFactory(VersionFactory)
    insumo = factory.SubFactory(CodigoInsumoFactory, operador=factory.SelfAttribute("..version.operador"))
    coeficiente = Decimal("1.5")
    desperdicio = Decimal("0.1")


class TarifaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TarifaArancelaria
        django_get_or_create = ["subpartida"]

    subpartida = "5208120000"
    descripcion = "Tejidos de algodón"
    ad_valorem = Decimal("10")
    ice = Decimal("0")


class TasasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TasasGenerales
        django_get_or_create = ["vigente_desde"]

    vigente_desde = factory.LazyFunction(lambda: hoy() - timedelta(days=365))
    fodinfa = Decimal("0.5")
    iva = Decimal("15")
    seguro_presuntivo = Decimal("1")
