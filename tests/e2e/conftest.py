"""Fixtures of the end-to-end tests: one headless Chromium per session, Parley servers as subprocesses,
and `call` / `make_call` to put participants (one browser context each) into a room.

The web client must have been built (`make install` does it); without it every test errors with a
message saying so.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from e2e_harness import DEFAULT_TIMEOUT_MS, Call, ServerProcess, launch_chromium, ui_missing_message
from playwright.sync_api import Browser, Playwright, expect, sync_playwright
from support.janus import JanusServer, MediaNamespace
from support.sfu import janus_in

expect.set_options(timeout=DEFAULT_TIMEOUT_MS)


@pytest.fixture(scope="session")
def ui_built() -> None:
    """Fail clearly when the web client has not been built."""
    if message := ui_missing_message():
        pytest.fail(message, pytrace=False)


# Module scope, not session: Playwright's sync API keeps an event loop running while it is open,
# which would break every later test that runs its own loop (pytest-tornasync) in the same session.
@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    """The Playwright driver (sync API)."""
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright, ui_built: None) -> Iterator[Browser]:
    """One headless Chromium per test module; each participant gets their own context in it."""
    chromium = launch_chromium(playwright)
    yield chromium
    chromium.close()


@pytest.fixture
def start_server(tmp_path: Path, ui_built: None) -> Iterator[Callable[..., ServerProcess]]:
    """Start a server of this test's own (`start_server("--max-room-size", "2")`); stopped afterwards."""
    servers: list[ServerProcess] = []

    def start(*options: str) -> ServerProcess:
        n = len(servers)
        server = ServerProcess(tmp_path / f"data{n}", tmp_path / f"server{n}.log", options)
        servers.append(server)
        server.start()
        return server

    yield start
    for server in servers:
        server.stop()
        print(f"--- server log ({server.base_url}):\n{server.log_tail()}")


@pytest.fixture(scope="session")
def shared_server(tmp_path_factory: pytest.TempPathFactory, ui_built: None) -> Iterator[ServerProcess]:
    """A server with default options that tests share, each in a room of its own."""
    folder = tmp_path_factory.mktemp("shared-server")
    server = ServerProcess(folder / "data", folder / "server.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def make_call(browser: Browser) -> Iterator[Callable[..., Call]]:
    """`make_call(server, room_id=None)`: a `Call` in a new room (or `room_id`); closed afterwards."""
    calls: list[Call] = []

    def make(server: ServerProcess, room_id: str | None = None) -> Call:
        call = Call(browser, server, room_id or server.create_room())
        calls.append(call)
        return call

    yield make
    for call in calls:
        if report := call.close():
            print(report)  # shown with a failing test's captured output


@pytest.fixture
def call(make_call: Callable[..., Call], shared_server: ServerProcess) -> Call:
    """A new room on the shared server."""
    return make_call(shared_server)


@pytest.fixture
def namespace() -> Iterator[MediaNamespace]:
    """A network namespace for Janus and Chromium (Janus gathers no ICE candidate on loopback)."""
    with MediaNamespace(f"sfu-e2e-{os.getpid()}") as ns:
        yield ns


@pytest.fixture
def janus(tmp_path: Path, namespace: MediaNamespace) -> Iterator[JanusServer]:
    """A real Janus in `namespace`, its configuration generated in the test's folder."""
    with janus_in(namespace, tmp_path / "janus") as server:
        yield server

