"""factory_boy factories of the shared framework. Apps' test factories build on these."""

from datetime import timedelta

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from tramites import roles
from tramites.demo import ruc_sociedad
from tramites.models import AgenteAduana, Delegacion, Operador, Usuario


class OperadorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Operador

    ruc = factory.Sequence(lambda n: ruc_sociedad(500000 + n * 7))
    razon_social = factory.Sequence(lambda n: f"Industria Demo {n} S.A.")
    email = factory.Sequence(lambda n: f"oce{n}@empresa.test")
    estado = Operador.Estado.HABILITADO


class AgenteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgenteAduana

    ruc = factory.Sequence(lambda n: ruc_sociedad(700000 + n * 7))
    nombre = factory.Sequence(lambda n: f"Agencia Aduanera {n}")
    licencia = factory.Sequence(lambda n: f"AA-055-{n:04d}")
    email = factory.Sequence(lambda n: f"agencia{n}@agencia.test")


class UsuarioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Usuario
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"usuario{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@correo.test")
    first_name = "Ana"
    last_name = "Pérez"
    password = factory.PostGenerationMethodCall("set_password", "clave-de-prueba-123")

    @factory.post_generation
    def grupos(self, create, extracted, **kwargs):
        if create and extracted:
            roles.configurar_grupos()
            self.groups.set(Group.objects.filter(name__in=extracted))
        if create:
            self.save()


class UsuarioOperadorFactory(UsuarioFactory):
    operador = factory.SubFactory(OperadorFactory)


class UsuarioAgenteFactory(UsuarioFactory):
    agente = factory.SubFactory(AgenteFactory)


class FuncionarioFactory(UsuarioFactory):
    """A SENAE official; `FuncionarioFactory(grupos=[roles.AFORO])` picks the groups (default: regímenes)."""

    is_staff = True

    @factory.post_generation
    def grupos(self, create, extracted, **kwargs):
        if create:
            roles.configurar_grupos()
            self.groups.set(Group.objects.filter(name__in=extracted or [roles.REGIMENES]))
            self.save()


class DelegacionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegacion

    operador = factory.SubFactory(OperadorFactory)
    agente = factory.SubFactory(AgenteFactory)
    desde = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    hasta = None
    creada_por = factory.SubFactory(UsuarioFactory)
