"""Robustness suites: the whole API fuzzed against its OpenAPI schema, concurrency against PostgreSQL, security
gates. They reuse the régimen 21 scenario of tests/perfeccionamiento (an operator with released DAI balances,
its agency with an active delegation)."""

from tests.perfeccionamiento.conftest import aforo, agente_de, con_saldos, escenario, oce, senae  # noqa: F401
