"""This process's connections to every configured Janus instance (issue 16).

One WebSocket and one Janus session (kept alive by its keepalives) per `--janus-url`, opened when
first needed and reopened after a loss: a closed WebSocket, a session Janus timed out, or a
keepalive Janus never answered all mark the instance down and tell `on_lost`; from then on the
pool tries to reach it again (backing off to `RETRY_MAX` seconds) and tells `on_up` when it
answers again. `on_up` also hears the first connection, so the gateway can clean up there.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Callable

from tornado_app.janus import JanusConnection, JanusError, JanusSession
from tornado_app.janus.errors import JanusConnectionLost
from tornado_app.janus.videoroom import VideoRoomAdmin
from tornado_app.rooms.placement import Load

log = logging.getLogger("parley.sfu")

RETRY_FIRST, RETRY_MAX = 0.1, 0.5  # seconds between attempts to reach a lost instance again (a
# connection attempt is cheap; the wait adds to how long media stays away after Janus is back)
LOAD_TIMEOUT = 2.0  # seconds an instance has to say how busy it is before a room goes elsewhere
#: What Parley writes in the description of the VideoRoom rooms it creates: the rooms it may clean.
PARLEY_ROOM = "parley"


async def connect(url: str) -> JanusConnection:
    """A connection to the Janus at `url`: ws:// or wss://, or ws+unix:// and a socket file's path."""
    if url.startswith("ws+unix://"):
        return await JanusConnection.connect("ws://janus/", unix_socket=url[len("ws+unix://"):])
    return await JanusConnection.connect(url)


@dataclasses.dataclass
class _Instance:
    url: str
    session: JanusSession | None = None
    admin: VideoRoomAdmin | None = None
    down: bool = False  # lost (or never reached): the retry loop owns reconnecting
    retry: asyncio.Task | None = None
    lock: asyncio.Lock = dataclasses.field(default_factory=asyncio.Lock)


class JanusPool:
    """A Janus session per instance, with loss detection and reconnection."""

    def __init__(self, urls: tuple[str, ...], *, on_lost: Callable[[str], None],
                 on_up: Callable[[str], None], keepalive_interval: float = 25.0) -> None:
        self.urls = urls
        self.on_lost, self.on_up = on_lost, on_up
        self.keepalive_interval = keepalive_interval
        self._instances = {url: _Instance(url) for url in urls}
        self._closed = False
        self._closing: set[asyncio.Task] = set()  # connections being closed (the loop keeps weak refs)

    def is_up(self, url: str) -> bool:
        """Whether the instance is not known to be down (it may not be connected yet)."""
        instance = self._instances.get(url)
        return instance is not None and not instance.down

    async def session(self, url: str) -> tuple[JanusSession, VideoRoomAdmin]:
        """The live session on `url` and a VideoRoom handle for room management; JanusError if
        the instance cannot be reached (it is then marked down and retried in the background)."""
        instance = self._instances[url]
        async with instance.lock:
            if instance.session is not None and not instance.session.is_lost and instance.admin is not None:
                return instance.session, instance.admin
            if instance.down and instance.retry is not None:
                raise JanusConnectionLost(f"Janus at {url} is down")
            try:
                await self._open(instance)
            except JanusError:
                self._mark_down(instance, notify=False)
                raise
        self.on_up(url)  # reached for the first time (or found again before the retry loop did)
        assert instance.session is not None and instance.admin is not None
        return instance.session, instance.admin

    async def loads(self, admin_key: str | None) -> dict[str, Load]:
        """The load of every instance that answers (down ones are left out)."""
        async def one(url: str) -> tuple[str, Load] | None:
            if not self.is_up(url):
                return None
            try:
                _, admin = await self.session(url)
                # Short: a hung instance must not hold up every new SFU room for a whole request timeout.
                rooms = await admin.list_rooms(admin_key=admin_key, timeout=LOAD_TIMEOUT)
            except JanusError as exc:
                log.warning("Janus at %s does not answer: %s", url, exc)
                return None
            return url, Load(len(rooms), sum(int(r.get("num_participants") or 0) for r in rooms))

        answers = await asyncio.gather(*(one(url) for url in self.urls))
        return dict(answer for answer in answers if answer is not None)

    async def _open(self, instance: _Instance) -> None:
        connection = await connect(instance.url)
        try:
            session = await JanusSession.create(connection, keepalive_interval=self.keepalive_interval)
            admin = await VideoRoomAdmin.attach(session)
        except BaseException:
            await connection.close()
            raise
        instance.session, instance.admin, instance.down = session, admin, False
        session.on_lost(lambda reason: self._lost(instance, session, reason))

    def _lost(self, instance: _Instance, session: JanusSession, reason: Exception) -> None:
        if instance.session is not session or self._closed:
            return  # an older session, or our own shutdown
        log.warning("lost Janus at %s: %s", instance.url, reason)
        connection = session.connection
        instance.session, instance.admin = None, None
        closing = asyncio.ensure_future(connection.close())  # the socket is dead; closing ends its reader
        self._closing.add(closing)
        closing.add_done_callback(self._closing.discard)
        self._mark_down(instance, notify=True)

    def _mark_down(self, instance: _Instance, *, notify: bool) -> None:
        instance.down = True
        if instance.retry is None or instance.retry.done():
            instance.retry = asyncio.ensure_future(self._reconnect(instance))
        if notify:
            self.on_lost(instance.url)

    async def _reconnect(self, instance: _Instance) -> None:
        delay = RETRY_FIRST
        while not self._closed:
            await asyncio.sleep(delay)  # the retry period itself, not a synchronisation wait
            async with instance.lock:
                try:
                    await self._open(instance)
                except JanusError:
                    delay = min(RETRY_MAX, delay * 2)
                    continue
            log.info("Janus at %s answers again", instance.url)
            instance.retry = None
            self.on_up(instance.url)
            return

    async def close(self) -> None:
        """Stop retrying and close every connection (server shutdown)."""
        self._closed = True
        for instance in self._instances.values():
            if instance.retry is not None:
                instance.retry.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await instance.retry
            session, instance.session, instance.admin = instance.session, None, None
            if session is not None:
                await session.connection.close()
        if self._closing:
            await asyncio.wait(self._closing)
