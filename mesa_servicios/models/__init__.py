"""Mesa de Servicios: tickets (incidente, consulta, queja), their conversation, routing catalogue, SLA and e-mail log."""

from .catalogo import Area, Motivo, ObjetivoSla, PlantillaRespuesta
from .correo import CorreoEntrante
from .ticket import AvisoSla, Seguimiento, Ticket

__all__ = [
    "Area",
    "AvisoSla",
    "CorreoEntrante",
    "Motivo",
    "ObjetivoSla",
    "PlantillaRespuesta",
    "Seguimiento",
    "Ticket",
]
