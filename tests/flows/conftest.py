import pytest

from tests.flows.portals import free_port
from tests.flows.prefect_server import start_server


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory):
    """One real Prefect server on 127.0.0.1 for the flow tests (SQLite in a tmp PREFECT_HOME)."""
    server = start_server(tmp_path_factory.mktemp("prefect-home"), free_port())
    try:
        yield server
    finally:
        server.process.stop()
