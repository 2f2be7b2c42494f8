"""A lean Redis connection for the cross-process relay's hot path: RESP over an asyncio protocol.

redis-py serves every other Redis call. For the two things done once per relayed message (the
routing script and reading the process's inbox) its per-command overhead measured ~110 µs of CPU
against ~50 µs for a bare protocol with the hiredis parser (docs/benchmarks.md, issue 6), which
doubled the cost of a relay across processes. This module is only that bare protocol: pipelined
commands answered in order, and pushed pub/sub messages handed to a callback.
"""

from __future__ import annotations

import asyncio
import collections
from collections.abc import Callable
from typing import Any

import hiredis
from redis.connection import parse_url


class RedisWireError(ConnectionError):
    """The connection is gone or could not be made."""


class RespConnection(asyncio.Protocol):
    """One Redis connection: `call()` returns a future for the reply; pushes go to `on_push`."""

    def __init__(self, on_push: Callable[[list], None] | None = None,
                 reply_timeout: float = 2.0) -> None:
        self.reply_timeout = reply_timeout
        self._reader = hiredis.Reader(encoding="utf-8", errors="replace")
        # Calls waiting for their reply, in order, each with the loop time it must be answered by.
        self._waiting: collections.deque[tuple[asyncio.Future, float]] = collections.deque()
        self._watchdog: asyncio.TimerHandle | None = None
        self._transport: asyncio.Transport | None = None
        self._on_push = on_push
        self.closed = asyncio.get_running_loop().create_future()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self._reader.feed(data)
        while (reply := self._reader.gets()) is not False:
            if self._waiting:  # replies come in the order the commands went
                future, _ = self._waiting.popleft()
                if not future.done():
                    if isinstance(reply, hiredis.ReplyError):
                        future.set_exception(reply)
                    else:
                        future.set_result(reply)
            elif self._on_push is not None:  # a subscribed connection's messages
                self._on_push(reply)

    def connection_lost(self, exc: Exception | None) -> None:
        self._transport = None
        error = RedisWireError(f"Redis connection lost: {exc or 'closed'}")
        while self._waiting:
            future, _ = self._waiting.popleft()
            if not future.done():
                future.set_exception(error)
        if self._watchdog is not None:
            self._watchdog.cancel()
        if not self.closed.done():
            self.closed.set_result(None)

    def call(self, *args: Any) -> asyncio.Future:
        """Send one command; the future gets its reply (or the error Redis answered)."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        if self._transport is None or self._transport.is_closing():
            future.set_exception(RedisWireError("not connected to Redis"))
            return future
        self._transport.write(hiredis.pack_command(args))
        self._waiting.append((future, loop.time() + self.reply_timeout))
        if self._watchdog is None:
            self._watchdog = loop.call_later(self.reply_timeout, self._check_answered)
        return future

    def _check_answered(self) -> None:
        """A Redis that stops answering (frozen, not closed) must not hang callers: fail them and
        drop the connection, whose replies could no longer be matched to their commands. One
        timer checks the oldest call (a timer per call cost the relay's hot path several µs)."""
        self._watchdog = None
        if not self._waiting:
            return
        future, deadline = self._waiting[0]
        loop = asyncio.get_running_loop()
        if loop.time() >= deadline:
            if not future.done():
                future.set_exception(RedisWireError("Redis did not answer in time"))
            self.close()
        else:
            self._watchdog = loop.call_later(deadline - loop.time(), self._check_answered)

    def send(self, *args: Any) -> None:
        """Send a command whose replies arrive as pushes (SUBSCRIBE)."""
        if self._transport is None or self._transport.is_closing():
            raise RedisWireError("not connected to Redis")
        self._transport.write(hiredis.pack_command(args))

    def close(self) -> None:
        """Close the connection (pending calls fail)."""
        if self._transport is not None:
            self._transport.close()


async def connect(url: str, on_push: Callable[[list], None] | None = None,
                  timeout: float = 2.0) -> RespConnection:
    """Open a connection to the Redis at `url` (redis://[:password@]host:port/db)."""
    options = parse_url(url)
    loop = asyncio.get_running_loop()
    try:
        _, conn = await asyncio.wait_for(loop.create_connection(
            lambda: RespConnection(on_push), options.get("host", "localhost"),
            options.get("port", 6379)), timeout)
    except (OSError, asyncio.TimeoutError) as exc:
        raise RedisWireError(f"cannot reach Redis: {exc}") from None
    if options.get("password"):
        auth = (options["username"], options["password"]) if options.get("username") else (
            options["password"],)
        await conn.call("AUTH", *auth)
    if options.get("db"):
        await conn.call("SELECT", options["db"])
    return conn
