"""The embedded server's start, on real sockets: a start that fails leaves nothing behind, so the
user can try again (no Qt window needed)."""

from __future__ import annotations

import socket
import threading

import pytest

from desktop.embedded import EmbeddedServer
from desktop_harness import healthz
from support.processes import free_port
from tornado_app.config import Settings


def server_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate()
            if thread.name == "parley-server" and thread.is_alive()]


def test_a_start_that_fails_after_binding_frees_its_port_and_thread(tmp_path):
    port = free_port()
    with socket.socket() as busy:  # the metrics port is taken: found only after the main bind
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        settings = Settings(host="127.0.0.1", port=port, data_dir=tmp_path,
                            metrics_port=busy.getsockname()[1])
        with pytest.raises(OSError):
            EmbeddedServer(settings).start()
    assert server_threads() == []
    with socket.socket() as probe:  # nobody listens there any more: no half-started server
        assert probe.connect_ex(("127.0.0.1", port)) != 0

    again = EmbeddedServer(Settings(host="127.0.0.1", port=port, data_dir=tmp_path))
    url = again.start()  # trying again on the same port and data folder works
    try:
        assert url == f"http://127.0.0.1:{port}/"
        assert healthz(url)["status"] == "ok"
    finally:
        assert again.stop()
    assert server_threads() == []


def test_a_port_taken_is_an_error_with_nothing_left_running(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        server = EmbeddedServer(Settings(host="127.0.0.1", port=busy.getsockname()[1],
                                         data_dir=tmp_path))
        with pytest.raises(OSError) as failed:
            server.start()
    assert "in use" in str(failed.value)
    assert server_threads() == []
    assert server.stop()  # stopping what never started is harmless
