"""Fixtures for the LAN-mode and TURN tests: a two-machine LAN in network namespaces, a LAN server.

See lan_harness.py for how the LAN is simulated.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from lan_harness import HERE, PYTHON, Lan, ServerProcess


@pytest.fixture(scope="module")
def lan() -> Iterator[Lan]:
    """A two-machine LAN in network namespaces (needs root, as CI has)."""
    net = Lan(f"{os.getpid()}")
    net.destroy()
    net.create()
    yield net
    net.destroy()


@pytest.fixture(scope="module")
def lan_server(lan, tmp_path_factory) -> Iterator[ServerProcess]:
    """`parley-server --lan --name 'Room 4'` on the server machine, with the test page."""
    data = tmp_path_factory.mktemp("lan-data")
    server = ServerProcess(lan.command(lan.server_ns, PYTHON, str(HERE / "serve.py"), "--lan",
                                       "--port", "0", "--data-dir", str(data), "--name", "Room 4"))
    yield server
    server.stop()
