from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmark-only app (installed by bench/settings.py, never by the portal's settings): the baseline model
    and endpoints, and the volume seeding command."""

    name = "bench"
    verbose_name = "Benchmarks"
    default_auto_field = "django.db.models.BigAutoField"
