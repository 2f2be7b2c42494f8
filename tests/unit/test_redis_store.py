"""What only the Redis store has: sequenced sections that exclude each other across processes."""

from __future__ import annotations

import asyncio
import time

import pytest

from tornado_app.cluster.schema import LOCK_TTL_MS
from tornado_app.cluster.store import RedisRoomStore


@pytest.fixture
def two_stores(redis_server, io_loop):
    """Two stores on one Redis, as two server processes would have."""
    redis_server.flush()
    stores = [RedisRoomStore(redis_server.url) for _ in range(2)]
    yield stores
    for store in stores:
        io_loop.run_sync(store.close)


async def test_sections_on_one_room_never_overlap_across_processes(two_stores):
    inside: list[int] = []
    overlaps = 0

    async def section(store: RedisRoomStore, n: int) -> None:
        nonlocal overlaps
        async with store.sequenced("room"):
            overlaps += bool(inside)
            inside.append(n)
            await asyncio.sleep(0)  # a suspension inside, as a real section has (Redis calls)
            await store.room_exists("room")
            inside.remove(n)

    await asyncio.gather(*(section(two_stores[n % 2], n) for n in range(20)))
    assert overlaps == 0


async def test_a_released_section_lets_the_next_one_in_at_once(two_stores):
    first, second = two_stores
    started = time.monotonic()
    for _ in range(5):
        async with first.sequenced("room"):
            pass
        async with second.sequenced("room"):
            pass
    # Had a lock not been released, the next section would wait for its expiry.
    assert time.monotonic() - started < LOCK_TTL_MS / 1000


async def test_sections_on_different_rooms_do_not_wait_for_each_other(two_stores):
    first, second = two_stores
    async with first.sequenced("a"):
        await asyncio.wait_for(_enter(second, "b"), LOCK_TTL_MS / 2000)


async def _enter(store: RedisRoomStore, room: str) -> None:
    async with store.sequenced(room):
        pass
