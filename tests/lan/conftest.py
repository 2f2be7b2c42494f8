"""Fixtures for the LAN-mode and TURN tests: a two-machine LAN in network namespaces, a LAN server.

See tests/support/netns.py for how the LAN is simulated.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from support.netns import TwoMachines

from lan_harness import HERE, PYTHON, PageServer


@pytest.fixture(scope="module")
def lan() -> Iterator[TwoMachines]:
    """A two-machine LAN in network namespaces (needs root, as CI has): the server on `host_ns`."""
    with TwoMachines(f"lan{os.getpid()}", "10.213.0") as net:
        yield net


@pytest.fixture(scope="module")
def lan_server(lan, tmp_path_factory) -> Iterator[PageServer]:
    """`parley-server --lan --name 'Room 4'` on the server machine, with the test page."""
    data = tmp_path_factory.mktemp("lan-data")
    server = PageServer(lan.command(lan.host_ns, PYTHON, str(HERE / "serve.py"), "--lan",
                                       "--port", "0", "--data-dir", str(data), "--name", "Room 4"))
    yield server
    server.stop()
