# The régimen 21 scenarios of tests/perfeccionamiento, for the browser tests.
from tests.perfeccionamiento.conftest import aforo, agente_de, con_saldos, escenario, oce, senae  # noqa: F401
