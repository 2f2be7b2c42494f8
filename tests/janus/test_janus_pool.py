"""The pool of Janus sessions (issue 16) against real Janus processes: an instance that dies is
reported lost at once, one that hangs when a keepalive goes unanswered, and either is reported up
again once it answers; loads come from Janus's own room list, without the instances that are down."""

from __future__ import annotations

import asyncio
import signal
import time

import pytest
from support.janus import janus_instances

from tornado_app.janus import JanusError
from tornado_app.janus_pool import JanusPool
from tornado_app.rooms.placement import Load

DEADLINE = 20.0  # a hung Janus: a keepalive period, then the request timeout (10 s)


class Events:
    """What the pool reported, in order, and a way to wait for the next one."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []
        self.changed = asyncio.Event()

    def add(self, kind: str, url: str) -> None:
        self.seen.append((kind, url))
        self.changed.set()

    async def until(self, expected: tuple[str, str]) -> float:
        """Wait until `expected` was reported; returns how long that took."""
        started = time.monotonic()
        while expected not in self.seen:
            self.changed.clear()
            await asyncio.wait_for(self.changed.wait(), DEADLINE - (time.monotonic() - started))
        return time.monotonic() - started


@pytest.fixture
def pair(tmp_path):
    with janus_instances(tmp_path, 2) as servers:
        yield servers


async def test_a_killed_instance_is_lost_at_once_and_up_again_after_a_restart(pair):
    events = Events()
    urls = (pair[0].url, pair[1].url)
    pool = JanusPool(urls, on_lost=lambda url: events.add("lost", url), on_up=lambda url: events.add("up", url))
    try:
        _, admin = await pool.session(urls[0])
        await admin.create_room("r1", publishers=4, admin_key=pair[0].admin_key)
        assert await pool.loads(None) == {urls[0]: Load(1, 0), urls[1]: Load(0, 0)}
        pair[0].kill()
        assert await events.until(("lost", urls[0])) < 2.0
        assert not pool.is_up(urls[0])
        assert await pool.loads(None) == {urls[1]: Load(0, 0)}  # a down instance is not asked
        with pytest.raises(JanusError):
            await pool.session(urls[0])
        pair[0].restart()
        events.seen.clear()
        assert await events.until(("up", urls[0])) < 2.0  # retried every 0.5 s at most
        assert pool.is_up(urls[0]) and (await pool.loads(None))[urls[0]] == Load(0, 0)  # a new Janus: no rooms
    finally:
        await pool.close()


async def test_a_hung_instance_is_lost_when_a_keepalive_goes_unanswered(pair):
    events = Events()
    url = pair[1].url
    pool = JanusPool((url,), on_lost=lambda u: events.add("lost", u), on_up=lambda u: events.add("up", u),
                     keepalive_interval=0.5)
    try:
        await pool.session(url)
        pair[1].signal(signal.SIGSTOP)  # it holds its sockets open but answers nothing
        await events.until(("lost", url))
        pair[1].signal(signal.SIGCONT)
        events.seen.clear()
        await events.until(("up", url))
        session, _ = await pool.session(url)
        assert not session.is_lost
    finally:
        pair[1].signal(signal.SIGCONT)
        await pool.close()
