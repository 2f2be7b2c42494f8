"""Shared fixtures for the server's tests: a real Parley server on a real socket, and factories for clients.

Written against docs/protocol.md, not the implementation. The factories follow jupyter_server's
`jp_fetch` / `jp_ws_fetch`: a test asks for `fetch_json`, `create_room`, `ws_connect`,
`joined_client` or `meeting` and calls them; everything they open is closed at teardown.

Per-test server settings come from a marker: `@pytest.mark.parley_settings(max_room_size=2)`.
The objects the factories hand out (`Response`, `SignalingClient`, `RawWebSocket`) are in
`support/clients.py`.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import tornado.httpclient
import tornado.websocket
from support.clients import RECV_TIMEOUT, RawWebSocket, Response, SignalingClient
from support.redis_server import RedisServer

# Tests that drive Chromium, the Qt window, network namespaces or Janus's media: `make test` runs them
# one at a time on one pytest-xdist worker (they share the 2 cores' frame budget and Xvfb), while
# the other worker runs every other module, each whole and in order.
SERIAL_DIRS = frozenset({"e2e", "desktop", "lan", "janus"})
TESTS_DIR = os.path.dirname(os.path.abspath(__file__))


def _top_dir(item: pytest.Item) -> str:
    return os.path.relpath(str(item.path), TESTS_DIR).split(os.sep)[0]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The browser tests first (the longest group starts at once)."""
    items.sort(key=lambda item: _top_dir(item) not in SERIAL_DIRS)


def scope_of(nodeid: str) -> str:
    """The group a test runs in under `--dist loadgroup`: "serial" for SERIAL_DIRS, else its module."""
    path = nodeid.split("::")[0]
    parts = path.split("/")
    top = parts[parts.index("tests") + 1] if "tests" in parts[:-1] else parts[0]
    return "serial" if top in SERIAL_DIRS else path


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """`--dist loadgroup` with the groups of `scope_of`, decided here on the controller.

    pytest-xdist's own loadgroup reads `xdist_group` marks into the node ids on the workers
    (`item._nodeid`), which pytest 9 no longer reads: every test was its own group and the browser
    tests ran two at a time, one per worker (seen as two Xvfb displays and desktop tests on both).
    """
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class SerialBrowserScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return scope_of(nodeid)

    return SerialBrowserScheduling(config, log)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "parley_settings(**fields): override fields of the server's Settings for one test"
    )


@pytest.fixture(scope="module", autouse=True)
def _leaks_fail_in_their_module():
    """A file or socket a module's tests leaked in a reference cycle fails that module.

    It hides nothing: the leak still fails the run, but in the module that leaked it. What it
    guards: an object only the cycle collector finalises, typically a subprocess pipe still
    referenced from the frames of a failed test's traceback (how tests/desktop/test_desktop_lan.py
    once failed tests/unit/test_protocol_properties.py). `filterwarnings = error` turns its
    ResourceWarning into a failure only when the collector runs: without this, in whichever later
    test that happens. One collection (~50 ms here) per module costs ~2 s a suite; one per test ~30 s.
    """
    yield
    gc.collect()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """One real redis-server for the session; tests flush it."""
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


# --- the server --------------------------------------------------------------------------------


@pytest.fixture
def data_dir(tmp_path):
    """The folder where the server under test keeps its rooms."""
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def settings(request, data_dir, http_server_port):
    """The server's Settings: test defaults, then the test's `parley_settings` marker."""
    from tornado_app.config import Settings

    fields: dict[str, Any] = {"host": "127.0.0.1", "port": http_server_port[1], "data_dir": data_dir}
    for marker in reversed(list(request.node.iter_markers("parley_settings"))):
        fields.update(marker.kwargs)
    return Settings(**fields)


@pytest.fixture
def app(io_loop, settings):
    """The application under test (pytest-tornasync's `http_server` serves it)."""
    from tornado_app.app import make_app

    application = make_app(settings)
    yield application
    # The Janus pool retries a lost instance in a task of its own: ended here, not left pending
    # when the loop closes ("Task was destroyed but it is pending").
    sfu = application.settings["parley"].meetings.sfu
    if sfu is not None:
        io_loop.run_sync(sfu.close)


@pytest.fixture
def port(http_server, http_server_port) -> int:
    """The port of the running server (requesting it starts the server)."""
    return http_server_port[1]


@pytest.fixture
def base_url(port) -> str:
    return f"http://127.0.0.1:{port}"


# --- HTTP --------------------------------------------------------------------------------------


@pytest.fixture
def fetch_json(http_server_client) -> Callable[..., Awaitable[Response]]:
    """`await fetch_json("POST", "/createRoom", body={...})`: never raises on an HTTP error status."""

    async def fetch(method: str, path: str, body: Any = None, *, raw_body: bytes | str | None = None,
                    headers: dict[str, str] | None = None, **kwargs: Any) -> Response:
        headers = dict(headers or {})
        data: bytes | str | None = raw_body
        if body is not None:
            data = json.dumps(body)
            headers.setdefault("Content-Type", "application/json")
        if data is None and method in ("POST", "PUT"):
            data = b""
        response = await http_server_client.fetch(
            path, method=method, body=data, headers=headers, raise_error=False,
            request_timeout=RECV_TIMEOUT * 2, **kwargs,
        )
        return Response(response)

    return fetch


@pytest.fixture
def create_room(fetch_json) -> Callable[[], Awaitable[str]]:
    """`room_id = await create_room()`: a new room, made through the REST API."""

    async def create() -> str:
        response = await fetch_json("POST", "/createRoom", {})
        assert response.status == 201, response
        return response.json()["roomId"]

    return create


# --- WebSocket clients -------------------------------------------------------------------------


@pytest.fixture
def ws_connect(io_loop, port):
    """`client = await ws_connect(origin=None)`: a SignalingClient on `/ws`, closed at teardown."""
    clients: list[SignalingClient] = []

    async def connect(origin: str | None = None, headers: dict[str, str] | None = None,
                      **kwargs: Any) -> SignalingClient:
        headers = dict(headers or {})
        if origin is not None:
            headers["Origin"] = origin
        request = tornado.httpclient.HTTPRequest(
            f"ws://127.0.0.1:{port}/ws", headers=headers, connect_timeout=RECV_TIMEOUT,
            request_timeout=RECV_TIMEOUT,
        )
        conn = await tornado.websocket.websocket_connect(request, **kwargs)
        client = SignalingClient(conn)
        clients.append(client)
        return client

    yield connect

    async def close_all() -> None:
        for client in clients:
            client.conn.close()
        for client in clients:
            if client.conn.close_code is None:
                try:
                    await asyncio.wait_for(client.conn.read_message(), RECV_TIMEOUT)
                except (asyncio.TimeoutError, tornado.websocket.WebSocketClosedError):
                    pass

    io_loop.run_sync(close_all, timeout=RECV_TIMEOUT * 3)


@pytest.fixture
def joined_client(ws_connect):
    """`client = await joined_client(room_id, user_id, displayName=...)`: connected and joined."""

    async def join(room_id: str, user_id: str, **fields: Any) -> SignalingClient:
        client = await ws_connect()
        await client.join(room_id, user_id, **fields)
        return client

    return join


@pytest.fixture
def meeting(create_room, joined_client):
    """`alice, bob = await meeting("alice", "bob")`: a new room with these users in it, all quiet.

    Everyone has consumed the `userJoined` of those who came after them, so each client's next
    message is whatever the test causes.
    """

    async def start(*user_ids: str, room_id: str | None = None) -> list[SignalingClient]:
        room_id = room_id or await create_room()
        clients: list[SignalingClient] = []
        for user_id in user_ids:
            newcomer = await joined_client(room_id, user_id)
            for present in clients:
                assert (await present.recv("userJoined"))["userId"] == user_id
            clients.append(newcomer)
        return clients

    return start


@pytest.fixture
def raw_ws_connect(port):
    """`raw = await raw_ws_connect()`: a RawWebSocket on `/ws`, dropped at teardown."""
    sockets: list[RawWebSocket] = []

    async def connect() -> RawWebSocket:
        sock = await RawWebSocket.connect(port)
        sockets.append(sock)
        return sock

    yield connect
    for sock in sockets:
        sock.drop()
