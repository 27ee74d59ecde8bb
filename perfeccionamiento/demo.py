"""Demo data of the régimen 21: requests, guarantees, codes and input-per-product tables in every state,
created through the services (so each record has its real timeline)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from tramites.models import Usuario
from tramites.pdf import renderizar_pdf

from .models import (
    DAI,
    CodigoInsumo,
    CodigoProducto,
    Garantia,
    ReglaCanal,
    SolicitudAutorizacion,
    TarifaArancelaria,
    TasasGenerales,
)
from .services import autorizaciones as aut
from .services import codigos as cod
from .services import garantias as gar


def documento(nombre: str, titulo: str, texto: str = "") -> SimpleUploadedFile:
    contenido = renderizar_pdf("pdf/documento_demo.html", {"titulo": titulo, "texto": texto})
    return SimpleUploadedFile(nombre, contenido, content_type="application/pdf")


PROCESO_TEXTIL = (
    "Corte, confección y acabado de camisas y pantalones de algodón en la planta de Sangolquí (Av. General Enríquez "
    "km 3): 4 mesas de corte automático, 60 máquinas de coser industriales, lavado y planchado. La tela importada se "
    "corta según patrones, se confecciona con hilo, botones y cierres importados y se exporta a Colombia y Estados Unidos."
)
PROCESO_ATUN = (
    "Elaboración de conservas de atún en aceite en la planta de Manta: descongelado, cocción, limpieza, envasado en "
    "latas importadas, adición de aceite de girasol importado, sellado y esterilización. Exportación a la Unión Europea."
)


def _solicitud(operador, usuario, *, modalidad, operacion, proceso, mercancias, productos, meses=12, presentar=True):
    return aut.solicitud_crear(
        operador=operador,
        por=usuario,
        modalidad=modalidad,
        operacion=operacion,
        descripcion_proceso=proceso,
        mercancias=mercancias,
        productos=productos,
        plazo_solicitado_meses=meses,
        archivos=[documento("diagrama-proceso.pdf", "Diagrama del proceso productivo", proceso)],
        presentar=presentar,
    )


def _a(solicitud, accion, por, comentario="", **datos):
    return aut.solicitud_transicionar(solicitud_id=solicitud.pk, accion=accion, por=por, comentario=comentario, **datos)


def _g(garantia, accion, por, comentario="", **datos):
    return gar.garantia_transicionar(garantia_id=garantia.pk, accion=accion, por=por, comentario=comentario, **datos)


def _garantia(operador, usuario, autorizacion, *, numero, monto, tipo=Garantia.Tipo.GENERAL, dias=365, desde=None, **extra):
    hoy = timezone.localdate()
    desde = desde or hoy - timedelta(days=10)
    return gar.garantia_registrar(
        operador=operador,
        por=usuario,
        autorizacion=autorizacion,
        tipo=tipo,
        forma=extra.pop("forma", Garantia.Forma.POLIZA),
        operacion=extra.pop("operacion", ""),
        entidad_emisora=extra.pop("entidad", "Seguros Equinoccial S.A."),
        numero_documento=numero,
        monto=Decimal(monto),
        vigencia_desde=desde,
        vigencia_hasta=desde + timedelta(days=dias),
        archivos=[documento(f"poliza-{numero}.pdf", f"Póliza de garantía aduanera {numero}")],
    )


def _parametros() -> None:
    TasasGenerales.objects.get_or_create(
        vigente_desde=date(2024, 4, 1),
        defaults={"fodinfa": Decimal("0.5"), "iva": Decimal("15"), "seguro_presuntivo": Decimal("1")},
    )
    for subpartida, descripcion, ad_valorem in [
        ("5208120000", "Tejidos de algodón, crudos, de peso ≤ 200 g/m²", "10"),
        ("5402470000", "Hilados de poliéster, sencillos", "5"),
        ("9606220000", "Botones de metal común o plástico", "20"),
        ("9607110000", "Cierres con dientes de metal común", "15"),
        ("5807100000", "Etiquetas tejidas", "20"),
        ("7310210000", "Latas de hojalata para conservas", "5"),
        ("1512190000", "Aceite de girasol refinado", "10"),
    ]:
        TarifaArancelaria.objects.get_or_create(
            subpartida=subpartida, defaults={"descripcion": descripcion, "ad_valorem": Decimal(ad_valorem)}
        )
    ReglaCanal.objects.get_or_create(
        nombre="Hilados de la India: aforo físico",
        defaults={"prioridad": 10, "canal": "fisico", "subpartida_prefijo": "5402", "pais_origen": "IN"},
    )
    ReglaCanal.objects.get_or_create(
        nombre="Importaciones desde USD 80.000: aforo documental",
        defaults={"prioridad": 20, "canal": "documental", "cif_minimo": Decimal("80000")},
    )
    ReglaCanal.objects.get_or_create(
        nombre="Control aleatorio: 5 % a aforo electrónico", defaults={"prioridad": 90, "canal": "electronico", "porcentaje": 5}
    )


def _dais(operador, agente, aforo, autorizacion, garantia) -> None:
    from tramites.models import Distrito

    from .services import dai as dais

    gye = Distrito.objects.get(codigo="028")

    def item(codigo, cantidad, fob, pais="CN", flete="0", seguro=None, **extra):
        insumo = CodigoInsumo.objects.get(operador=operador, codigo=codigo)
        return {"insumo": insumo, "subpartida": insumo.subpartida, "pais_origen": pais, "cantidad": cantidad,
                "unidad": insumo.unidad, "fob": fob, "flete": flete, "seguro": seguro, **extra}  # fmt: skip

    def declarar(bl, lineas, transmitir=True):
        return dais.dai_crear(
            operador=operador, por=agente, distrito=gye, autorizacion=autorizacion, garantia=garantia,
            documento_transporte=bl, lineas=lineas, transmitir=transmitir,
        )  # fmt: skip

    def declarar_y_liberar(bl, lineas):
        """A DAI the demo needs released: if a risk rule sent it to aforo, the official authorises it."""
        dai = declarar(bl, lineas)
        if dai.estado == DAI.Estado.EN_AFORO:
            dai = dais.dai_transicionar(dai_id=dai.pk, accion="autorizar_salida", por=aforo, comentario="Conforme.")
        return dai

    declarar_y_liberar("MSCUGY2611001", [item("TELA-ALG-01", "12000", "30000.00", flete="1800.00", seguro="320.00"),
                               item("BOTON-04", "120000", "2400.00", flete="150.00")])  # fmt: skip
    declarar_y_liberar("HLCUGY2611014", [item("TELA-ALG-01", "8000", "20400.00", flete="1200.00", seguro="210.00"),
                               item("CIERRE-05", "6000", "1800.00", pais="CO", flete="90.00")])  # fmt: skip
    fisica = declarar("MAEUGY2611020", [item("HILO-POL-02", "900", "4950.00", pais="IN", flete="600.00")])
    observada = declarar("CMDUGY2611031", [item("TELA-ALG-01", "30000", "78000.00", flete="5200.00", seguro="800.00")])
    dais.dai_transicionar(
        dai_id=observada.pk, accion="observar", por=aforo,
        comentario="La factura comercial indica 29.500 m; corrija la cantidad del ítem 1 y adjunte la nota de débito del flete.",
    )  # fmt: skip
    del fisica  # stays in physical aforo for the Aforo official to examine
    declarar_y_liberar("ONEYGY2611040", [item("HILO-POL-02", "500", "2750.00", pais="CN", flete="180.00")])
    declarar_y_liberar("ONEYGY2611041", [item("BOTON-04", "1000", "20.00", pais="CN")])  # fully re-exported below: compensada
    declarar("MSCUGY2611045", [item("HILO-POL-02", "300", "1650.00", pais="CN")], transmitir=False)
    anulada = declarar("MSCUGY2611046", [item("BOTON-04", "5000", "100.00")], transmitir=False)
    dais.dai_transicionar(dai_id=anulada.pk, accion="anular", por=agente, comentario="Embarque cancelado por el proveedor.")


def _anexos(textiles, oce, senae) -> None:
    """Anexos compensatorios of every kind and in every state, and a transfer to Confecciones Imbabura."""
    from tramites.models import Operador

    from .models import AnexoCompensatorio, SaldoInsumo
    from .services import anexos

    hoy = timezone.localdate()
    n = iter(range(1, 100))

    def decl(regimen):
        return {"numero": f"028-{hoy.year}-{regimen}-{next(n) + 900:08d}", "fecha": hoy}

    def registrar(tipo, lineas, regimen=None, **extra):
        return anexos.anexo_registrar(
            operador=textiles, por=oce, tipo=tipo, fecha=hoy, lineas=lineas,
            declaracion=decl(regimen) if regimen else None, **extra,
        )  # fmt: skip

    def paso(anexo, accion, por, comentario="", **datos):
        return anexos.anexo_transicionar(anexo_id=anexo.pk, accion=accion, por=por, comentario=comentario, **datos)

    exportacion = registrar("exportacion", [{"producto": "CAM-001", "cantidad": "2000"}], "40",
                            observaciones="Camisas para Bogotá, factura 001-002-000123")  # fmt: skip
    paso(exportacion, "aceptar", senae, "DAE 40 verificada en Ecuapass.")  # leaves waste stock of fabric and thread
    registrar("exportacion", [{"producto": "PANT-002", "cantidad": "1500"}], "40")  # awaiting SENAE
    lote_botones = SaldoInsumo.objects.get(linea__dai__documento_transporte="ONEYGY2611041")
    reexportacion = registrar("reexportacion", [{"insumo": "BOTON-04", "cantidad": "1000", "lotes": [lote_botones.pk]}], "61")
    paso(reexportacion, "aceptar", senae)  # its DAI reaches zero: compensada
    nacionalizacion = registrar("nacionalizacion", [{"insumo": "TELA-ALG-01", "cantidad": "500"}], "10",
                                observaciones="Tela vendida en el mercado local.")  # fmt: skip
    paso(nacionalizacion, "aceptar", senae)
    retazos = registrar("nacionalizacion", [{"insumo": "HILO-POL-02", "cantidad": "1.5", "desperdicio": True,
                                             "valor_declarado": "3.00"}], "10",
                        observaciones="Hilo sobrante vendido como retazo a su valor declarado.")  # fmt: skip
    paso(retazos, "aceptar", senae)
    desperdicios = registrar("desperdicios", [{"insumo": "TELA-ALG-01", "cantidad": "120"}], "86",
                             archivos=[documento("acta-destruccion.pdf", "Acta de destrucción de retazos de tela")])  # fmt: skip
    paso(desperdicios, "aceptar", senae)
    anexos.anexo_solicitar_correccion(
        anexo_id=desperdicios.pk, por=oce, motivo="El acta de destrucción registra 112,5 m, no 120 m.",
        lineas=[{"insumo": "TELA-ALG-01", "cantidad": "112.5"}],
    )  # fmt: skip
    perdida = registrar("perdida", [{"insumo": "TELA-ALG-01", "cantidad": "80"}], "87",
                        archivos=[documento("denuncia.pdf", "Denuncia de robo en bodega")])  # fmt: skip
    paso(perdida, "rechazar", senae, "La denuncia no identifica la mercancía; presente el informe del perito.")
    anulado = registrar("exportacion", [{"producto": "CAM-001", "cantidad": "10"}], "40")
    paso(anulado, "anular", oce, "Muestras sin valor comercial: se declararon por error.")

    imbabura = Operador.objects.get(razon_social="Confecciones Imbabura S.A.")
    oce4 = imbabura.usuarios.get()
    aut = _solicitud(imbabura, oce4, modalidad=SolicitudAutorizacion.Modalidad.MAQUILA,
                     operacion=SolicitudAutorizacion.Operacion.ELABORACION,
                     proceso=PROCESO_TEXTIL.replace("Sangolquí", "Otavalo"),
                     mercancias="Tela de algodón 5208.12", productos="Camisas 6205.20")  # fmt: skip
    _a(aut, "tomar", senae)
    _a(aut, "aprobar", senae)
    garantia = _garantia(imbabura, oce4, aut, numero="PA-2026-220019", monto="60000.00")
    _g(garantia, "aprobar", senae)
    tela = cod.insumo_registrar(operador=imbabura, por=oce4, codigo="TEJ-ALG", descripcion="Tejido de algodón 140 g/m²",
                                subpartida="5208120000", unidad="m")  # fmt: skip
    cod.codigo_transicionar(modelo=CodigoInsumo, codigo_id=tela.pk, accion="aprobar", por=senae)
    cedida = registrar("cesion", [{"insumo": "TELA-ALG-01", "cantidad": "1500"}], cesionario=imbabura,
                       observaciones="Venta de tela a Confecciones Imbabura, factura 001-002-000140")  # fmt: skip
    paso(cedida, "aceptar_cesion", oce4, "Recibida conforme.", garantia=garantia.pk)
    registrar("cesion", [{"insumo": "TELA-ALG-01", "cantidad": "400"}], cesionario=imbabura)  # pending acceptance
    caducada = registrar("cesion", [{"insumo": "TELA-ALG-01", "cantidad": "250"}], cesionario=imbabura)
    AnexoCompensatorio.objects.filter(pk=caducada.pk).update(aceptar_hasta=hoy - timedelta(days=2))  # demo only: its term ran out
    anexos.cesiones_caducar(hoy=hoy)


def _vencimientos() -> None:
    """One DAI whose term ended with balance (SENAE's control queue) and others near their end, then the jobs."""
    from .models import SaldoInsumo
    from .services.vencimientos import alertar_vencimientos, vencer_registros

    hoy = timezone.localdate()
    # Demo only: move dates so that the jobs have something to do today.
    for bl, dias in [("ONEYGY2611040", -3), ("HLCUGY2611014", 25), ("MSCUGY2611001", 58)]:
        SaldoInsumo.objects.filter(linea__dai__documento_transporte=bl).update(vence_el=hoy + timedelta(days=dias))
        DAI.objects.filter(documento_transporte=bl).update(vence_el=hoy + timedelta(days=dias))
    vencer_registros()
    alertar_vencimientos()


@transaction.atomic
def sembrar(stdout) -> None:
    _parametros()
    u = {x.username: x for x in Usuario.objects.filter(username__in=["oce", "oce2", "oce3", "regimenes", "agente", "aforo"])}
    oce, oce2, senae = u["oce"], u["oce2"], u["regimenes"]
    textiles, conservas = oce.operador, oce2.operador
    M, Op = SolicitudAutorizacion.Modalidad, SolicitudAutorizacion.Operacion

    # --- Solicitudes in every state ---------------------------------------------------------------
    principal = _solicitud(
        textiles, oce, modalidad=M.MAQUILA, operacion=Op.ELABORACION, proceso=PROCESO_TEXTIL,
        mercancias="Tela de algodón 5208.12, hilo de poliéster 5402.47, botones 9606.22, cierres 9607.11",
        productos="Camisas (6205.20) y pantalones (6203.42) de algodón para Colombia y EE. UU.",
    )  # fmt: skip
    _a(principal, "tomar", senae)
    _a(principal, "observar", senae, "Adjunte el contrato de maquila con la marca extranjera y el plano de la planta.")
    aut.solicitud_corregir(
        solicitud_id=principal.pk,
        por=oce,
        comentario="Adjuntamos el contrato de maquila y el plano.",
        archivos=[documento("contrato-maquila.pdf", "Contrato de maquila")],
    )
    _a(principal, "aprobar", senae, "Cumple los requisitos de la Res. SENAE-DGN-2015-0775-RE.")

    _solicitud(
        textiles, oce, modalidad=M.MAQUILA, operacion=Op.REPARACION, presentar=False, meses=6,
        proceso="Reparación de prendas devueltas por clientes del exterior: descosido, reemplazo de piezas y nuevo acabado.",
        mercancias="Prendas de vestir devueltas (capítulo 62)", productos="Prendas reparadas, reexportadas",
    )  # fmt: skip
    _solicitud(
        textiles, oce, modalidad=M.IMPORTACION_INDIVIDUAL, operacion=Op.TRANSFORMACION, meses=8,
        proceso="Teñido y estampado de tela cruda importada en la planta de Sangolquí, para exportar tela terminada.",
        mercancias="Tela cruda de algodón 5208.11", productos="Tela teñida y estampada 5208.52",
    )  # fmt: skip
    en_revision = _solicitud(
        conservas, oce2, modalidad=M.INSTALACION_INDUSTRIAL, operacion=Op.ELABORACION, meses=10,
        proceso=PROCESO_ATUN.replace("atún", "sardina"),
        mercancias="Latas 7310.21, aceite de girasol 1512.19", productos="Sardinas en conserva 1604.13",
    )  # fmt: skip
    _a(en_revision, "tomar", senae)
    observada = _solicitud(
        conservas, oce2, modalidad=M.INSTALACION_INDUSTRIAL, operacion=Op.REPARACION, meses=6,
        proceso="Reparación y mantenimiento de redes de pesca de cerco de la flota atunera, con paño y cabos importados.",
        mercancias="Paño de red de nailon 5608.11, cabos 5607.50", productos="Redes reparadas de la flota (reexportación)",
    )  # fmt: skip
    _a(observada, "tomar", senae)
    _a(observada, "observar", senae, "Indique los buques (matrícula) cuyas redes se repararán y el taller donde se hará.")
    rechazada = _solicitud(
        conservas, oce2, modalidad=M.IMPORTACION_INDIVIDUAL, operacion=Op.TRANSFORMACION, meses=3,
        proceso="Reempaque de harina de pescado importada en sacos de 25 kg para la venta local y exportación.",
        mercancias="Harina de pescado 2301.20", productos="Harina de pescado reempacada",
    )  # fmt: skip
    _a(rechazada, "tomar", senae)
    _a(rechazada, "rechazar", senae, "El reempaque no es una operación de perfeccionamiento (COPCI art. 149).")
    anulada = _solicitud(
        textiles, oce, modalidad=M.MAQUILA, operacion=Op.ELABORACION, meses=4, presentar=False,
        proceso="Confección de uniformes escolares con tela importada, para un cliente de Perú (borrador duplicado).",
        mercancias="Tela de poliéster-algodón", productos="Uniformes escolares",
    )  # fmt: skip
    _a(anulada, "anular", oce, "Duplicado por error.")

    atun = _solicitud(
        conservas, oce2, modalidad=M.INSTALACION_INDUSTRIAL, operacion=Op.ELABORACION, proceso=PROCESO_ATUN,
        mercancias="Latas de hojalata 7310.21, aceite de girasol 1512.19", productos="Atún en aceite 1604.14",
    )  # fmt: skip
    _a(atun, "tomar", senae)
    _a(atun, "aprobar", senae)
    _a(atun, "solicitar_prorroga", oce2, "La temporada de pesca se extendió; necesitamos compensar hasta diciembre.", meses=6)

    suspendida = _solicitud(
        conservas, oce2, modalidad=M.INSTALACION_INDUSTRIAL, operacion=Op.ELABORACION, meses=12,
        proceso="Elaboración de harina y aceite de pescado con recortes de la planta de conservas y pescado importado.",
        mercancias="Pescado congelado 0303.89", productos="Harina de pescado 2301.20 y aceite 1504.20",
    )  # fmt: skip
    _a(suspendida, "tomar", senae)
    _a(suspendida, "aprobar", senae)
    _a(suspendida, "suspender", senae, "Control posterior en curso por diferencias de inventario.")

    revocada = _solicitud(
        textiles, oce, modalidad=M.MAQUILA, operacion=Op.ELABORACION, meses=12,
        proceso="Confección de chompas de lana con hilado importado, en el taller de Otavalo (cerrado en 2026).",
        mercancias="Hilado de lana 5107.10", productos="Chompas de lana 6110.11",
    )  # fmt: skip
    _a(revocada, "tomar", senae)
    _a(revocada, "aprobar", senae)
    _a(revocada, "revocar", senae, "El taller de Otavalo cerró: ya no existe el proceso productivo autorizado.")

    vencida = _solicitud(
        conservas, oce2, modalidad=M.INSTALACION_INDUSTRIAL, operacion=Op.ELABORACION, meses=6,
        proceso="Elaboración de lomos de atún precocidos congelados para exportar a España (programa 2025).",
        mercancias="Bolsas de empaque al vacío 3923.21", productos="Lomos de atún precocidos 1604.14",
    )  # fmt: skip
    _a(vencida, "tomar", senae)
    _a(vencida, "aprobar", senae)
    hoy = timezone.localdate()
    # Demo only: the term ended some time ago (dates are data, the state still changes through a transition).
    SolicitudAutorizacion.objects.filter(pk=vencida.pk).update(
        vigencia_desde=hoy - timedelta(days=200), vigencia_hasta=hoy - timedelta(days=20)
    )
    _a(vencida, "vencer", None, "Plazo de la autorización cumplido.")

    # --- Guarantees in every state ----------------------------------------------------------------
    general = _garantia(textiles, oce, principal, numero="PA-2026-118734", monto="250000.00")
    _g(general, "aprobar", senae, "Póliza verificada con la aseguradora.")
    _garantia(textiles, oce, principal, numero="PA-2026-120002", monto="40000.00", tipo=Garantia.Tipo.ESPECIFICA,
              operacion="Importación de tela de algodón, embarque de diciembre", entidad="Banco del Pichincha C.A.",
              forma=Garantia.Forma.BANCARIA)  # fmt: skip
    rechazada_g = _garantia(textiles, oce, principal, numero="PA-2026-099811", monto="15000.00", entidad="Aseguradora del Sur")
    _g(rechazada_g, "rechazar", senae, "La aseguradora no confirma la emisión de la póliza.")
    mod = _garantia(conservas, oce2, atun, numero="GB-77120", monto="180000.00", forma=Garantia.Forma.BANCARIA,
                    entidad="Banco de Guayaquil S.A.")  # fmt: skip
    _g(mod, "aprobar", senae)
    _g(mod, "solicitar_modificacion", oce2, "Aumento por la temporada alta.", monto=Decimal("260000.00"),
       vigencia_hasta=mod.vigencia_hasta + timedelta(days=120))  # fmt: skip
    cobro = _garantia(conservas, oce2, suspendida, numero="GB-66001", monto="90000.00", forma=Garantia.Forma.BANCARIA,
                      entidad="Banco de Guayaquil S.A.")  # fmt: skip
    _g(cobro, "aprobar", senae)
    _g(cobro, "notificar_cobro", senae, "Saldos de insumos no compensados al cierre del control posterior.",
       oficio="SENAE-DZM-2026-0412-OF")  # fmt: skip
    impugnada = _garantia(conservas, oce2, en_revision, numero="PA-55-2026", monto="30000.00", entidad="Seguros Sucre S.A.")
    _g(impugnada, "aprobar", senae)
    _g(impugnada, "notificar_cobro", senae, "Tributos de la DAI 028-2025-21-00004411 no compensados.",
       oficio="SENAE-DZM-2026-0398-OF")  # fmt: skip
    _g(impugnada, "impugnar", oce2, "La DAI fue compensada con la DAE 028-2026-40-00000917; adjuntamos el anexo.")
    efectivizada = _garantia(textiles, oce, revocada, numero="PA-2025-044120", monto="12000.00")
    _g(efectivizada, "aprobar", senae)
    _g(efectivizada, "notificar_cobro", senae, "Revocatoria con saldos pendientes.", oficio="SENAE-DDQ-2026-0107-OF")
    _g(efectivizada, "efectivizar", senae, "A petición del obligado, que allanó el cobro.", anticipada=True)
    liberada = _garantia(textiles, oce, revocada, numero="PA-2025-031007", monto="8000.00")
    _g(liberada, "aprobar", senae)
    _g(liberada, "liberar", senae, "Sin saldos pendientes: se devuelve la póliza.")
    vencida_g = _garantia(
        conservas, oce2, vencida, numero="PA-2025-017733", monto="20000.00", desde=hoy - timedelta(days=30), dias=60
    )
    _g(vencida_g, "aprobar", senae)
    Garantia.objects.filter(pk=vencida_g.pk).update(
        vigencia_desde=hoy - timedelta(days=400), vigencia_hasta=hoy - timedelta(days=35)
    )  # demo only: an old guarantee
    _g(vencida_g, "vencer", None, "Fin de la vigencia de la póliza.")
    anulada_g = _garantia(conservas, oce2, atun, numero="GB-77121", monto="5000.00", forma=Garantia.Forma.BANCARIA,
                          entidad="Banco de Guayaquil S.A.")  # fmt: skip
    _g(anulada_g, "anular", oce2, "Se registró por error; usaremos la garantía general.")

    # --- Codes and input-per-product tables -------------------------------------------------------
    insumos = {}
    for codigo, descripcion, subpartida, unidad in [
        ("TELA-ALG-01", "Tela de algodón peinado, 140 g/m², ancho 1,50 m", "5208120000", "m"),
        ("HILO-POL-02", "Hilo de poliéster para costura, 40/2", "5402470000", "kg"),
        ("BOTON-04", "Botones de plástico de 4 agujeros, 11 mm", "9606220000", "u"),
        ("CIERRE-05", "Cierres de metal de 18 cm", "9607110000", "u"),
    ]:
        insumos[codigo] = cod.insumo_registrar(
            operador=textiles, por=oce, codigo=codigo, descripcion=descripcion, subpartida=subpartida, unidad=unidad
        )
        cod.codigo_transicionar(modelo=CodigoInsumo, codigo_id=insumos[codigo].pk, accion="aprobar", por=senae)
    cod.insumo_registrar(operador=textiles, por=oce, codigo="ETIQ-06", descripcion="Etiquetas tejidas de marca",
                         subpartida="5807100000", unidad="u")  # fmt: skip
    malo = cod.insumo_registrar(operador=textiles, por=oce, codigo="TINTE-07", descripcion="Tinte",
                                subpartida="3204160000", unidad="kg")  # fmt: skip
    cod.codigo_transicionar(modelo=CodigoInsumo, codigo_id=malo.pk, accion="rechazar", por=senae,
                            comentario="Descripción insuficiente: indique el tipo y color del colorante reactivo.")  # fmt: skip
    camisa = cod.producto_registrar(operador=textiles, por=oce, codigo="CAM-001", descripcion="Camisa de algodón manga larga",
                                    subpartida="6205200000", unidad="u")  # fmt: skip
    pantalon = cod.producto_registrar(operador=textiles, por=oce, codigo="PANT-002", descripcion="Pantalón de algodón",
                                      subpartida="6203420000", unidad="u")  # fmt: skip
    for producto in (camisa, pantalon):
        cod.codigo_transicionar(modelo=CodigoProducto, codigo_id=producto.pk, accion="aprobar", por=senae)
    v1 = cod.version_registrar(
        producto_id=camisa.pk, por=oce, vigente_desde=hoy, justificacion="Prueba de producción de 500 camisas, talla M.",
        lineas=[
            {"insumo": "TELA-ALG-01", "coeficiente": "1.85", "desperdicio": "0.15"},
            {"insumo": "HILO-POL-02", "coeficiente": "0.012", "desperdicio": "0.001"},
            {"insumo": "BOTON-04", "coeficiente": "9", "desperdicio": "0"},
        ],
    )  # fmt: skip
    cod.version_transicionar(version_id=v1.pk, accion="aprobar", por=senae)
    v2 = cod.version_registrar(
        producto_id=camisa.pk, por=oce, vigente_desde=hoy + timedelta(days=30),
        justificacion="Nuevo patrón de corte con menos desperdicio.",
        lineas=[
            {"insumo": "TELA-ALG-01", "coeficiente": "1.78", "desperdicio": "0.08"},
            {"insumo": "HILO-POL-02", "coeficiente": "0.012", "desperdicio": "0.001"},
            {"insumo": "BOTON-04", "coeficiente": "9", "desperdicio": "0"},
        ],
    )  # fmt: skip
    del v2  # presented, pending SENAE's review
    vp = cod.version_registrar(
        producto_id=pantalon.pk, por=oce, vigente_desde=hoy, justificacion="Ficha técnica del modelo P-22.",
        lineas=[
            {"insumo": "TELA-ALG-01", "coeficiente": "1.30", "desperdicio": "0.12"},
            {"insumo": "HILO-POL-02", "coeficiente": "0.015", "desperdicio": "0.001"},
            {"insumo": "BOTON-04", "coeficiente": "1", "desperdicio": "0"},
            {"insumo": "CIERRE-05", "coeficiente": "1", "desperdicio": "0"},
        ],
    )  # fmt: skip
    cod.version_transicionar(version_id=vp.pk, accion="aprobar", por=senae)

    _dais(textiles, u["agente"], u["aforo"], principal, general)
    _anexos(textiles, oce, senae)
    _vencimientos()

    cuentas = {m._meta.verbose_name_plural: m.objects.count() for m in (DAI, SolicitudAutorizacion, Garantia, CodigoInsumo)}
    stdout.write("  perfeccionamiento: " + ", ".join(f"{n} {nombre}" for nombre, n in cuentas.items()))
