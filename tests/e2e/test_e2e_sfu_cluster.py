"""Issue 16 end to end: two Parley processes on one Redis sharing one real Janus. Ann and Cat reach
the first process, Ben the second (each through their own server's link); with --mesh-max 2 Cat's
join moves the room to the SFU, and every page ends with exactly two connections to Janus and plays
video from both others: people on different processes meet in one VideoRoom room.

Janus, Chromium and the forwarders to both Parley processes run in a network namespace as in
tests/support/sfu.py (`sfu_call`: forwarders, page probes).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Playwright
from support.redis_server import RedisServer
from support.sfu import LIVE_SDP_NAMES, janus_options, join_counted, sfu_call, wait_sfu_media


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


def test_people_on_two_processes_meet_through_one_janus(tmp_path, playwright: Playwright, ui_built,
                                                         namespace, janus, redis_server):
    options = ("--redis-url", redis_server.url, *janus_options(janus))
    with sfu_call(playwright, namespace, tmp_path, options, servers=2) as calls:
        people = join_counted(calls[0], "Ann") + join_counted(calls[1], "Ben") + join_counted(calls[0], "Cat")
        wait_sfu_media(people)
        for person in people:
            names = person.page.evaluate(LIVE_SDP_NAMES)
            assert len(names) == 2 and all("WMS janus" in name for name in names), names
        assert "is an SFU room from now on" in calls[0].server.log()  # Cat's join, on the first
