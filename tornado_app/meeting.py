"""The meeting manager: lock the room, ask the service for a decision, deliver it, close sockets.

Everything that happens to a meeting goes through `MeetingManager`, the same way for one process or
many (the bus hides which). The WebSocket handler, the REST handlers and the presence reaper only
translate what they receive into calls on it. It never touches a socket itself: it talks to
`Connection` objects (the WebSocket handler) through the hub and the bus.

Ordering: a decision and its delivery happen inside the store's `sequenced` section for the room,
so every recipient sees a room's messages in the order the decisions were made.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable

from tornado_app.bus import Bus
from tornado_app.cluster.schema import new_conn_id
from tornado_app.hub import Connection, Hub
from tornado_app.logs import room_tag
from tornado_app.metrics import Counters
from tornado_app.ratelimit import KeyedLimiter
from tornado_app.rooms import protocol as p
from tornado_app.rooms.errors import CloseCode, RoomError
from tornado_app.rooms.service import Deliver, RoomService
from tornado_app.store.base import RoomStore, StoreUnavailable

log = logging.getLogger("parley")

# Chat and reactions: 10 per user in any 10 s, apart from the connection's signaling limit, so a
# chatty user cannot crowd out their own negotiation (docs/protocol.md, "Identifiers and limits").
CHAT_RATE, CHAT_BURST = 1.0, 10
CHATTY = (p.SendChat, p.SendReaction)

Relayed = p.Offer | p.Answer | p.SendIceCandidate
RELAYED = (p.SendIceCandidate, p.Offer, p.Answer)
#: A room rule: (room, user, message) -> what to deliver.
Rule = Callable[..., Awaitable[Iterable[Deliver]]]


class MeetingManager:
    """The one place where a meeting's state changes and its messages are sent."""

    def __init__(self, store: RoomStore, service: RoomService, bus: Bus, hub: Hub,
                 counters: Counters) -> None:
        self.store, self.service, self.bus, self.hub = store, service, bus, hub
        self.counters = counters
        self._pending: set[asyncio.Task] = set()
        # The messages that change a room, each with the rule that decides what it does.
        self._rules: dict[type, Rule] = {
            p.StartScreenShare: service.start_share,
            p.StopScreenShare: service.stop_share,
            p.SetMediaState: service.set_media_state,
            p.SendChat: service.chat,
            p.RaiseHand: service.hand,
            p.SendReaction: service.react,
        }
        self._chat_limit = KeyedLimiter(CHAT_RATE, CHAT_BURST)

    def new_conn_id(self) -> str:
        """An id for a new connection, unique across every process that shares the store."""
        return new_conn_id(self.store.node_id)

    # --- rooms, for the REST API --------------------------------------------------------------

    async def create_room(self, settings: str | None = None) -> str:
        """A new room's id; `settings` is its settings record (issue 14), if any."""
        return await self.service.create_room(settings)

    async def room_state(self, room_id: str) -> tuple[list[p.UserInfo], str | None]:
        """Who is in the room and who shares."""
        return await self.service.room_state(room_id)

    async def join_preflight(self, room_id: str) -> tuple[list[p.UserInfo], str | None, int]:
        """The room's state and size limit for someone about to join (roomFull if it is full)."""
        users, sharer = await self.service.join_preflight(room_id)
        return users, sharer, self.service.max_room_size

    # --- what a connection says ---------------------------------------------------------------

    async def join(self, conn: Connection, msg: p.Join) -> bool:
        """Add the connection's user (or let it take over its earlier connection): the reply to
        the joiner, the news to the others, the replaced connection closed wherever it is.
        False if the connection closed while the store was working (the join is undone)."""
        room_id, user_id = msg.roomId, msg.userId
        async with self.store.sequenced(room_id):
            outcome = await self.service.join(conn.conn_id, msg)
            resumed = outcome.replaced_conn_id is not None
            joined = not conn.gone
            if not joined:  # it closed while the store was working: undo
                left = await self.service.leave(room_id, user_id, conn.conn_id)
                await self.bus.deliver(left if resumed else ())  # nobody heard of a new joiner
            else:
                self.hub.attach(room_id, user_id, conn)
                conn.joined(room_id, user_id)
                conn.send(p.encode(outcome.reply))
                await self.bus.deliver(outcome.deliveries)
        if outcome.replaced_conn_id is not None:
            await self.bus.close_connection(outcome.replaced_conn_id, CloseCode.REPLACED,
                                            "replaced by a newer connection")
        if not joined:
            return False
        log.info("%s %s %s", user_id, "resumed in" if resumed else "joined", room_tag(room_id))
        return True

    def relay_now(self, room_id: str, sender_id: str, msg: Relayed, arrived: float) -> bool:
        """Relay an offer, answer or candidate without a coroutine, when this process can check
        the target from memory; False when that needs I/O (then await `relay`)."""
        present = self.bus.present_now(room_id, msg.targetId)
        if present is None:
            return False
        if not present:
            raise RoomError.target_not_found(msg.targetId)
        self.bus.deliver_now(self.service.relay_decision(room_id, sender_id, msg))
        self.counters.relay_done(arrived)
        return True

    async def relay(self, room_id: str, sender_id: str, msg: Relayed, arrived: float) -> None:
        """Relay an offer, answer or candidate to another user of the sender's room."""
        if not await self.bus.relay(self.service.relay_decision(room_id, sender_id, msg)):
            raise RoomError.target_not_found(msg.targetId)
        self.counters.relay_done(arrived)

    async def act(self, room_id: str, user_id: str, msg: p.ClientMessage) -> None:
        """Apply a message that changes the room or speaks to it (screen share, media state, chat,
        hand, reaction); tell who must know."""
        rule = self._rules[type(msg)]
        if type(msg) in CHATTY and not self._chat_limit.allow(f"{room_id}/{user_id}", time.monotonic()):
            raise RoomError.too_much_chat()
        await self._decide_and_deliver(room_id, lambda: rule(room_id, user_id, msg))
        if type(msg) is p.StartScreenShare:
            self.counters.share_switches += 1

    def ice_servers(self, user_id: str) -> list[dict]:
        """Fresh ICE (TURN) servers for the user."""
        return self.service.ice_servers_for(user_id)

    # --- leaving ------------------------------------------------------------------------------

    async def leave(self, room_id: str, user_id: str, conn_id: str | None) -> None:
        """Remove the user (if still on `conn_id`) and tell the rest of the room."""
        await self._decide_and_deliver(room_id,
                                       lambda: self.service.leave(room_id, user_id, conn_id))

    async def leave_with_token(self, room_id: str, user_id: str, token: str) -> None:
        """The REST leave: the holder of the resume token removes the user and closes the
        connection that still speaks for them, wherever it is (1000, "left the meeting")."""
        async with self.store.sequenced(room_id):
            deliveries, conn_id = await self.service.leave_with_token(room_id, user_id, token)
            await self.bus.deliver(deliveries)
        await self.bus.close_connection(conn_id, CloseCode.LEFT, "left the meeting")

    def leave_later(self, room_id: str, user_id: str, conn_id: str, delay: float) -> None:
        """Remove the user after `delay` seconds unless a newer connection has taken over."""
        if delay <= 0:
            self._spawn(self._leave(room_id, user_id, conn_id))
        else:
            asyncio.get_running_loop().call_later(
                delay, lambda: self._spawn(self._leave(room_id, user_id, conn_id)))

    def _spawn(self, coro) -> None:
        if self.hub.shutting_down:
            coro.close()
            return
        task = asyncio.ensure_future(coro)
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _leave(self, room_id: str, user_id: str, conn_id: str, attempt: int = 0) -> None:
        try:
            await self.leave(room_id, user_id, conn_id)
        except StoreUnavailable:  # try again when the store is back, backing off to a minute
            delay = min(60.0, 0.5 * 2 ** attempt)
            log.warning("store unavailable; will remove %s from %s in %.1f s", user_id,
                        room_tag(room_id), delay)
            asyncio.get_running_loop().call_later(delay, lambda: self._spawn(
                self._leave(room_id, user_id, conn_id, attempt + 1)))
        except Exception:
            log.exception("bug while removing %s from %s", user_id, room_tag(room_id))

    async def _decide_and_deliver(self, room_id: str,
                                  decide: Callable[[], Awaitable[Iterable[Deliver]]]) -> None:
        async with self.store.sequenced(room_id):
            await self.bus.deliver(await decide())
