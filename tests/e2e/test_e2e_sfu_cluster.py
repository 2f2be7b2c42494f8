"""Issue 16 end to end: two Parley processes on one Redis sharing one real Janus. Ann and Cat reach
the first process, Ben the second (each through their own server's link); with --mesh-max 2 Cat's
join moves the room to the SFU, and every page ends with exactly two connections to Janus and plays
video from both others: people on different processes meet in one VideoRoom room.

Janus, Chromium and the forwarders to both Parley processes run in a network namespace as in
test_e2e_sfu_switch.py (whose forwarder and page probes this test reuses).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e_harness import Call, ServerProcess, new_tab
from playwright.sync_api import Playwright
from support.chromium import CHROMIUM, flags
from support.janus import JanusServer, MediaNamespace
from support.meeting import CALL_FLAGS
from support.redis_server import RedisServer
from sfu_harness import LIVE_SDP_NAMES, PC_COUNTER, Forwarder, janus_in, wait_sfu_media


@pytest.fixture
def namespace() -> Iterator[MediaNamespace]:
    with MediaNamespace(f"sfu-cl-{os.getpid()}", address="10.217.0.1") as ns:
        yield ns


@pytest.fixture
def janus(tmp_path: Path, namespace: MediaNamespace) -> Iterator[JanusServer]:
    with janus_in(namespace, tmp_path / "janus", log=False) as server:
        yield server


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


def test_people_on_two_processes_meet_through_one_janus(tmp_path, playwright: Playwright, ui_built,
                                                         namespace, janus, redis_server):
    options = ("--redis-url", redis_server.url, "--janus-url", f"ws+unix://{janus.unix_socket}",
               "--janus-admin-key", janus.admin_key, "--mesh-max", "2")
    servers = [ServerProcess(tmp_path / f"data{i}", tmp_path / f"server{i}.log", options) for i in (0, 1)]
    for server in servers:
        server.start()
    try:
        with Forwarder(namespace, servers[0].port), Forwarder(namespace, servers[1].port):
            browser = playwright.chromium.launch(
                executable_path=str(namespace.chromium_wrapper(tmp_path, CHROMIUM)),
                args=flags([*CALL_FLAGS, "--disable-features=WebRtcHideLocalIpsWithMdns"]))
            room = servers[0].create_room()
            calls = [Call(browser, server, room) for server in servers]
            try:
                people = []
                for name, call in (("Ann", calls[0]), ("Ben", calls[1]), ("Cat", calls[0])):
                    tab = new_tab(browser)
                    tab.context.add_init_script(script=PC_COUNTER)
                    people.append(call.join(name, tab=tab))
                wait_sfu_media(people)
                for person in people:
                    names = person.page.evaluate(LIVE_SDP_NAMES)
                    assert len(names) == 2 and all("WMS janus" in name for name in names), names
                assert "is an SFU room from now on" in servers[0].log()  # Cat's join, on the first
            finally:
                for call in calls:
                    print(call.close())
                browser.close()
    finally:
        for i, server in enumerate(servers):
            server.stop()
            print(f"--- server {i} log:\n{server.log_tail()}")
