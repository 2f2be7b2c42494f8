"""A Janus session and its plugin handles: keepalives, attach/detach, messages, trickle, hangup.

Janus ends a session that hears nothing for `session_timeout` seconds (60 by default) and says so
with a `timeout` event; the session sends a `keepalive` every `keepalive_interval` seconds (25 by
default, as janus.js does) so that never happens while Parley holds it. A keepalive that goes
unanswered means Janus hangs: the whole connection is then declared lost. Either way every pending
and later call raises `JanusGone`, and `on_lost` listeners hear it once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from tornado_app.janus.connection import JanusConnection
from tornado_app.janus.errors import (ApiErrorCode, JanusApiError, JanusConnectionLost, JanusGone,
                                      JanusSessionLost, JanusTimeout)
from tornado_app.janus.protocol import Jsep, PluginReply, trickle_body

log = logging.getLogger(__name__)

EventListener = Callable[[dict[str, Any]], None]


class JanusSession:
    """One Janus session on a connection; `attach()` makes plugin handles on it."""

    def __init__(self, connection: JanusConnection, session_id: int, keepalive_interval: float) -> None:
        self.connection = connection
        self.id = session_id
        self.keepalive_interval = keepalive_interval
        self.handles: dict[int, JanusHandle] = {}
        self.lost_reason: JanusGone | None = None
        self._lost = asyncio.Event()
        self._lost_listeners: list[Callable[[JanusGone], None]] = []
        self._keepalive = asyncio.ensure_future(self._keepalive_loop())
        connection.on_lost(self._lose)
        connection.register_session(session_id, self._on_message)  # last: it may deliver a `timeout` at once

    @classmethod
    async def create(cls, connection: JanusConnection, *, keepalive_interval: float = 25.0) -> JanusSession:
        """Ask Janus for a new session (`create`) on `connection`."""
        reply = await connection.request({"janus": "create"})
        return cls(connection, int(reply["data"]["id"]), keepalive_interval)

    @property
    def is_lost(self) -> bool:
        """Whether Janus ended the session or its connection is lost."""
        return self.lost_reason is not None

    def on_lost(self, listener: Callable[[JanusGone], None]) -> None:
        """Call `listener(reason)` once when the session ends other than by `destroy()`."""
        self._lost_listeners.append(listener)

    async def wait_lost(self) -> JanusGone:
        """Wait until the session is lost; returns why."""
        await self._lost.wait()
        assert self.lost_reason is not None
        return self.lost_reason

    async def request(self, message: dict[str, Any], *, timeout: float | None = None) -> dict[str, Any]:
        """A request within this session (`session_id` added); raises JanusSessionLost once it is gone."""
        if self.lost_reason is not None:
            raise type(self.lost_reason)(str(self.lost_reason))
        try:
            return await self.connection.request({**message, "session_id": self.id}, timeout=timeout)
        except JanusApiError as exc:
            if exc.code == ApiErrorCode.SESSION_NOT_FOUND:
                self._lose(JanusSessionLost(f"Janus no longer knows session {self.id}"))
                raise type(self.lost_reason)(str(self.lost_reason)) from exc  # type: ignore[arg-type]
            raise

    async def keepalive(self) -> None:
        """Tell Janus the session is still in use."""
        await self.request({"janus": "keepalive"})

    async def attach(self, plugin: str, *, on_event: EventListener | None = None) -> JanusHandle:
        """Attach a handle to `plugin` (e.g. janus.plugin.videoroom); `on_event` hears its notifications."""
        reply = await self.request({"janus": "attach", "plugin": plugin})
        handle = JanusHandle(self, int(reply["data"]["id"]), plugin, on_event)
        self.handles[handle.id] = handle
        return handle

    async def destroy(self) -> None:
        """End the session in Janus (its handles go with it) and stop the keepalives."""
        self._keepalive.cancel()
        try:
            if self.lost_reason is None:
                await self.request({"janus": "destroy"})
        finally:
            self.connection.unregister_session(self.id)
            self.handles.clear()
            with contextlib.suppress(asyncio.CancelledError):
                await self._keepalive

    async def _keepalive_loop(self) -> None:
        while self.lost_reason is None:
            await asyncio.sleep(self.keepalive_interval)  # the keepalive period itself, not a synchronisation wait
            try:
                await self.keepalive()
            except JanusTimeout as exc:
                # Janus holds the socket open but answers nothing: it hangs. Close it so everyone hears.
                self.connection.abort(JanusConnectionLost(f"Janus did not answer a keepalive: {exc}"))
                return
            except JanusGone:
                return
            except Exception:  # noqa: BLE001 - a refused keepalive is logged; the next one may pass
                log.exception("Janus refused a keepalive for session %s", self.id)

    def _on_message(self, message: dict[str, Any]) -> None:
        kind = message.get("janus")
        if kind == "timeout":
            self._lose(JanusSessionLost(f"Janus timed out session {self.id}"))
            return
        sender = message.get("sender")
        handle = self.handles.get(sender) if isinstance(sender, int) else None
        if handle is None:
            log.debug("Janus event for no known handle: %.300s", message)
            return
        if kind == "detached":
            self.handles.pop(handle.id, None)
        handle._deliver(message)

    def _lose(self, reason: JanusGone) -> None:
        if self.lost_reason is not None:
            return
        self.lost_reason = reason
        self._lost.set()
        self._keepalive.cancel()
        self.connection.unregister_session(self.id)
        self.connection.fail_session(self.id, reason)
        for listener in self._lost_listeners:
            try:
                listener(reason)
            except Exception:  # noqa: BLE001 - one listener's bug must not hide the loss from others
                log.exception("a Janus session on_lost listener failed")


class JanusHandle:
    """A plugin handle: plugin messages (with JSEP), trickle, hangup, detach, and its notifications."""

    def __init__(self, session: JanusSession, handle_id: int, plugin: str, on_event: EventListener | None) -> None:
        self.session = session
        self.id = handle_id
        self.plugin = plugin
        self.on_event = on_event

    async def request(self, message: dict[str, Any], *, timeout: float | None = None) -> dict[str, Any]:
        """A request addressed to this handle (`handle_id` added)."""
        return await self.session.request({**message, "handle_id": self.id}, timeout=timeout)

    async def message(self, body: dict[str, Any], jsep: Jsep | None = None, *,
                      timeout: float | None = None) -> PluginReply:
        """Send the plugin `body` (and an offer or answer); its synchronous answer or its event."""
        message: dict[str, Any] = {"janus": "message", "body": body}
        if jsep is not None:
            message["jsep"] = jsep.to_json()
        return PluginReply.from_message(await self.request(message, timeout=timeout))

    async def trickle(self, candidate: dict[str, Any] | list[dict[str, Any]] | None) -> None:
        """Pass a browser's ICE candidate(s) (`candidate`, `sdpMid`, `sdpMLineIndex`); None: gathering done."""
        await self.request({"janus": "trickle", **trickle_body(candidate)})

    async def hangup(self) -> None:
        """Close the handle's PeerConnection but keep the handle."""
        await self.request({"janus": "hangup"})

    async def detach(self) -> None:
        """Detach the handle from its plugin (its PeerConnection closes)."""
        try:
            await self.request({"janus": "detach"})
        finally:
            self.session.handles.pop(self.id, None)

    def _deliver(self, message: dict[str, Any]) -> None:
        if self.on_event is None:
            return
        try:
            self.on_event(message)
        except Exception:  # noqa: BLE001 - a listener's bug must not stop the connection's reader
            log.exception("a Janus handle event listener failed")
