import pytest

from tests.crash.portals import build


@pytest.fixture(scope="module")
def portals(tmp_path_factory):
    built = build(tmp_path_factory.mktemp("portals"))
    for server in built.servers:
        server.start()
    try:
        yield built
    finally:
        for server in built.servers:
            server.stop()
