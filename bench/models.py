from django.conf import settings
from django.db import models


class Elemento(models.Model):
    """The baseline's trivial model: what a minimal DRF list and create cost on this machine, in this run."""

    nombre = models.CharField(max_length=100)
    valor = models.IntegerField(default=0)
    creado_por = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    creado_en = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "elemento de referencia"
        verbose_name_plural = "elementos de referencia"

    def __str__(self) -> str:
        return self.nombre
