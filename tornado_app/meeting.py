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
import dataclasses
import logging
import time
from collections.abc import Awaitable, Callable, Iterable

from tornado_app import admission
from tornado_app.bus import Bus
from tornado_app.cluster.schema import new_conn_id
from tornado_app.hub import Connection, Hub
from tornado_app.logs import room_tag
from tornado_app.metrics import Counters
from tornado_app.sfu import SfuGateway
from tornado_app.ratelimit import KeyedLimiter
from tornado_app.rooms import protocol as p
from tornado_app.rooms.errors import CloseCode, RoomError
from tornado_app.rooms.hosting import Hosting
from tornado_app.rooms.model import GUEST, HOST
from tornado_app.rooms.service import AdmitConn, CloseConn, Deliver, Effect, RoomService
from tornado_app.rooms.topology import MESH, SFU, TopologyPolicy, check_sfu_message
from tornado_app.store.base import RoomStore, StoreUnavailable

log = logging.getLogger("parley")

# Chat and reactions: 10 per user in any 10 s, apart from the connection's signaling limit, so a
# chatty user cannot crowd out their own negotiation (docs/protocol.md, "Identifiers and limits").
CHAT_RATE, CHAT_BURST = 1.0, 10
CHATTY = (p.SendChat, p.SendReaction)

Relayed = p.Offer | p.Answer | p.SendIceCandidate
RELAYED = (p.SendIceCandidate, p.Offer, p.Answer)
#: A room rule: (room, user, message) -> what to deliver (and, for a host's, what to close or admit).
Rule = Callable[..., Awaitable[Iterable[Effect]]]


class MeetingManager:
    """The one place where a meeting's state changes and its messages are sent."""

    def __init__(self, store: RoomStore, service: RoomService, bus: Bus, hub: Hub,
                 counters: Counters, sfu: SfuGateway | None = None, mesh_max: int = 4) -> None:
        self.store, self.service, self.bus, self.hub = store, service, bus, hub
        # Issue 16: with a gateway (a Janus URL), rooms past mesh_max people go through Janus.
        self.sfu = sfu
        self.topology = TopologyPolicy(sfu is not None, mesh_max)
        self.counters = counters
        self.hosting = hosting = Hosting(service)
        self._pending: set[asyncio.Task] = set()
        # The messages that change a room, each with the rule that decides what it does.
        self._rules: dict[type, Rule] = {
            p.StartScreenShare: service.start_share,
            p.StopScreenShare: service.stop_share,
            p.SetMediaState: service.set_media_state,
            p.SendChat: service.chat,
            p.RaiseHand: service.hand,
            p.SendReaction: service.react,
            p.SetRecording: service.record,
            p.Admit: hosting.admit,
            p.Deny: hosting.deny,
            p.RemoveUser: hosting.remove_user,
            p.AskToMute: hosting.mute_request,
            p.LowerHand: hosting.lower_hand,
            p.SetRole: hosting.set_role,
            p.EndMeeting: hosting.end_meeting,
        }
        self._chat_limit = KeyedLimiter(CHAT_RATE, CHAT_BURST)
        self._wrong_passwords = admission.WrongPasswordLimiter()

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

    async def join(self, conn: Connection, msg: p.Join, address: str = "") -> bool:
        """Admit the connection's user: refused (locked, password), into the lobby, or into the
        room (or taking over their earlier connection): the reply to the joiner, the news to the
        others, the replaced connection closed wherever it is. False if the connection closed
        while the store was working (the join is undone), or it waits in the lobby."""
        room_id, user_id = msg.roomId, msg.userId
        settings = await self.service.settings(room_id)
        host = settings.is_host_token(msg.hostToken)
        # Someone already in (a reload, a network change) resumes past every admission rule.
        if not host and not (msg.resumeToken and await self.service.can_resume(room_id, user_id, msg.resumeToken)):
            if settings.locked:
                raise RoomError.room_locked()
            if settings.password_hash:
                await self._check_password(settings.password_hash, msg.password, address, room_id)
            if settings.lobby:
                await self._knock(conn, msg)
                return False
        async with self.store.sequenced(room_id):
            before, after = await self._topology_for_join(room_id, user_id)
            outcome = await self.service.join(conn.conn_id, msg, HOST if host else GUEST, settings)
            resumed = outcome.replaced_conn_id is not None
            outcome.reply.topology = after  # type: ignore[assignment]
            if after != before and not conn.gone:  # this join moves the room to Janus
                await self.store.set_topology(room_id, after)
                others = tuple(u.userId for u in outcome.reply.users)
                outcome = dataclasses.replace(outcome, deliveries=(
                    *outcome.deliveries, Deliver(room_id, others, p.TopologyChanged(after))))  # type: ignore[arg-type]
                log.info("%s is an SFU room from now on", room_tag(room_id))
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

    async def _topology_for_join(self, room_id: str, user_id: str) -> tuple[str, str]:
        """The room's topology before and after `user_id` joins; the Janus room made ready first
        when it will be an SFU room (sfuUnavailable refuses the join: the mesh stays as it is)."""
        if self.sfu is None:
            return MESH, MESH
        before = await self.store.topology(room_id)
        members = await self.store.members(room_id)
        people = len(members) + (0 if any(m.user_id == user_id for m in members) else 1)
        after = self.topology.after_join(before, people)
        if after == SFU:
            try:
                await self.sfu.ensure_room(room_id)
            except RoomError:
                if before != SFU or len(members) == people - 1:
                    raise  # a newcomer the mesh cannot take
                # Someone coming back (a reload, a new network) to a room whose media server is gone:
                # they rejoin; their sfuOffer then says sfuUnavailable, and sfuRestart follows once
                # a media server takes the room.
                log.warning("%s: %s rejoins while no media server takes the room", room_tag(room_id), user_id)
        return before, after

    async def _admitted_topology(self, effect: AdmitConn) -> None:
        """Someone let in from the lobby (already a member) counts like a joiner: they may move the
        room to the SFU. Janus unreachable then: they join the mesh as it is (the host already let
        them in), and the server log says why."""
        if self.sfu is None:
            return
        room_id = effect.room_id
        before = await self.store.topology(room_id)
        members = await self.store.members(room_id)
        after = self.topology.after_join(before, len(members))
        if after == SFU:
            try:
                await self.sfu.ensure_room(room_id)
            except RoomError as exc:
                log.warning("%s stays a mesh: %s", room_tag(room_id), exc.message)
                return
        effect.joined.topology = after  # type: ignore[assignment]
        if after != before:
            await self.store.set_topology(room_id, after)
            others = tuple(m.user_id for m in members if m.user_id != effect.user_id)
            await self.bus.deliver([Deliver(room_id, others, p.TopologyChanged(after))])  # type: ignore[arg-type]
            log.info("%s is an SFU room from now on", room_tag(room_id))

    async def sfu_message(self, conn: Connection, room_id: str, user_id: str,
                          msg: p.SfuOffer | p.SfuAnswer | p.SfuCandidate | p.SfuLayerChoice) -> None:
        """An SFU room's media signaling: passed to Janus through this process's gateway."""
        check_sfu_message(await self.store.topology(room_id) if self.sfu else MESH, msg)
        assert self.sfu is not None  # check_sfu_message refused it in a mesh
        if type(msg) is p.SfuOffer:
            await self.sfu.publish(room_id, user_id, msg.sdp, conn.send)
        elif type(msg) is p.SfuAnswer:
            await self.sfu.answer(room_id, user_id, msg.sdp)
        elif type(msg) is p.SfuLayerChoice:
            await self.sfu.set_layer(room_id, user_id, msg.userId, msg.layer)
        else:
            await self.sfu.trickle(room_id, user_id, msg.pc, msg.candidate)  # type: ignore[union-attr]

    def sfu_gone(self, room_id: str, user_id: str) -> None:
        """The user's connection closed: detach their Janus handles (a resume publishes anew)."""
        if self.sfu is not None:
            self._spawn(self.sfu.leave(room_id, user_id))

    async def _meeting_over(self, room_id: str) -> None:
        """After a leave or endMeeting: with nobody left, the Janus room goes too."""
        if self.sfu is not None and not await self.store.members(room_id):
            await self.sfu.destroy_room(room_id)

    async def _check_password(self, stored: str, given: str | None, address: str, room_id: str) -> None:
        """passwordRequired, rateLimited (too many wrong ones: not even checked) or wrongPassword."""
        if given is None:
            raise RoomError.password_required()
        limiter = self._wrong_passwords
        while limiter.must_wait(address, room_id, time.monotonic()):
            if limiter.blocked(address, room_id, time.monotonic()):
                raise RoomError.too_many_wrong_passwords()
            await limiter.settled()  # checks under way could reach the limit: their outcome first
        limiter.checking(address, room_id)  # counts against the limit while scrypt runs
        right = False  # a check that fails to finish counts as wrong: the safe side
        try:
            right = await admission.check_password_async(stored, given)  # scrypt, off the event loop
        finally:
            limiter.checked(address, room_id, time.monotonic(), wrong=not right)
        if not right:
            log.info("wrong password for %s", room_tag(room_id))  # never the password itself
            raise RoomError.wrong_password()

    async def _knock(self, conn: Connection, msg: p.Join) -> None:
        """Put the connection in the room's lobby: it gets `waiting`, the hosts a knock."""
        room_id, user_id = msg.roomId, msg.userId
        async with self.store.sequenced(room_id):
            effects = await self.hosting.knock(conn.conn_id, msg)
            if conn.gone:  # it closed while the store was working: out of the lobby again
                effects = await self.hosting.leave_waiting(room_id, user_id, conn.conn_id)
            else:
                conn.waiting(room_id, user_id)
                conn.send(p.encode(p.Waiting()))
            closes = await self._apply(effects)
        await self._close(closes)
        log.info("%s waits in the lobby of %s", user_id, room_tag(room_id))

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
        hand, reaction, a host's action); tell who must know."""
        if type(msg) is p.SetRoomSettings:
            await self._room_settings(room_id, user_id, msg)
            return
        rule = self._rules[type(msg)]
        if type(msg) in CHATTY and not self._chat_limit.allow(f"{room_id}/{user_id}", time.monotonic()):
            raise RoomError.too_much_chat()
        await self._decide_and_deliver(room_id, lambda: rule(room_id, user_id, msg))
        if type(msg) is p.StartScreenShare:
            self.counters.share_switches += 1
        elif type(msg) is p.EndMeeting:
            await self._meeting_over(room_id)

    async def _room_settings(self, room_id: str, user_id: str, msg: p.SetRoomSettings) -> None:
        # A guest is refused before the costly hash; the rule checks again inside the section.
        await self.hosting.require_host(room_id, user_id, msg)
        hashed = await admission.hash_password_async(msg.password) if isinstance(msg.password, str) else None
        await self._decide_and_deliver(
            room_id, lambda: self.hosting.room_settings(room_id, user_id, msg, hashed))

    def ice_servers(self, user_id: str) -> list[dict]:
        """Fresh ICE (TURN) servers for the user."""
        return self.service.ice_servers_for(user_id)

    # --- leaving ------------------------------------------------------------------------------

    async def leave(self, room_id: str, user_id: str, conn_id: str | None) -> None:
        """Remove the user (if still on `conn_id`) and tell the rest of the room."""
        await self._decide_and_deliver(room_id,
                                       lambda: self.service.leave(room_id, user_id, conn_id))
        await self._meeting_over(room_id)

    async def leave_with_token(self, room_id: str, user_id: str, token: str) -> None:
        """The REST leave: the holder of the resume token removes the user and closes the
        connection that still speaks for them, wherever it is (1000, "left the meeting")."""
        async with self.store.sequenced(room_id):
            deliveries, conn_id = await self.service.leave_with_token(room_id, user_id, token)
            await self.bus.deliver(deliveries)
        await self.bus.close_connection(conn_id, CloseCode.LEFT, "left the meeting")

    def leave_lobby(self, room_id: str, user_id: str, conn_id: str) -> None:
        """A waiting connection has closed: take it out of the lobby (or the room, if admitted)."""
        self._spawn(self._quietly(room_id, user_id, lambda: self.leave_lobby_now(room_id, user_id, conn_id)))

    async def leave_lobby_now(self, room_id: str, user_id: str, conn_id: str) -> None:
        """`leave_lobby`, awaited (the reaper's, for the lobbies of a process gone silent)."""
        await self._decide_and_deliver(room_id, lambda: self.hosting.leave_waiting(room_id, user_id, conn_id))

    async def _quietly(self, room_id: str, user_id: str, work: Callable[[], Awaitable[None]]) -> None:
        try:
            await work()
        except StoreUnavailable:
            log.warning("store unavailable; %s stays in the lobby of %s", user_id, room_tag(room_id))
        except Exception:
            log.exception("bug while taking %s out of the lobby of %s", user_id, room_tag(room_id))

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
                                  decide: Callable[[], Awaitable[Iterable[Effect]]]) -> None:
        async with self.store.sequenced(room_id):
            closes = await self._apply(await decide())
        await self._close(closes)

    async def _apply(self, effects: Iterable[Effect]) -> list[CloseConn]:
        """Deliver messages and admit connections in order; the closes, to make after the section."""
        closes: list[CloseConn] = []
        batch: list[Deliver] = []
        for effect in effects:
            if type(effect) is Deliver:
                batch.append(effect)
                continue
            if batch:
                await self.bus.deliver(batch)
                batch = []
            if type(effect) is AdmitConn:
                await self._admitted_topology(effect)
                await self.bus.admit_connection(effect.conn_id, effect.room_id, effect.user_id,
                                                p.encode(effect.joined))
            else:
                closes.append(effect)  # type: ignore[arg-type]
        if batch:
            await self.bus.deliver(batch)
        return closes

    async def _close(self, closes: Iterable[CloseConn]) -> None:
        for c in closes:
            await self.bus.close_connection(c.conn_id, c.code, c.reason,
                                            p.encode(c.farewell) if c.farewell is not None else None)
