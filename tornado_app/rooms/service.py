"""Join, leave, relay, screen-share arbitration, chat, hands and reactions: decisions, returned as
messages to deliver. What hosts may do (the lobby, removal, roles, ending) is in `hosting.py`.

`RoomService` never touches a socket. Each call takes what a connection said and returns
`Deliver` values (a message and its recipients in the room) for the adapter to send, or raises
`RoomError` for the sender alone; host actions may also return `CloseConn` and `AdmitConn`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import secrets
import time
from collections.abc import Callable, Sequence

from tornado_app.admission import RoomSettings
from tornado_app.rooms import protocol as p
from tornado_app.rooms.errors import RoomError
from tornado_app.rooms.model import GUEST, HOST, ChatEntry, JoinKind, JoinResult, Member, RemoveResult
from tornado_app.store.base import RoomStore


@dataclasses.dataclass(frozen=True, slots=True)
class Deliver:
    """Send `message` to each of the users `to` in `room_id`."""

    room_id: str
    to: tuple[str, ...]
    message: p.ServerMessage


@dataclasses.dataclass(frozen=True, slots=True)
class CloseConn:
    """Close a connection wherever it lives (`code`, `reason`), sending it `farewell` first."""

    conn_id: str
    code: int
    reason: str
    farewell: p.ServerMessage | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class AdmitConn:
    """Make a waiting connection its user's in the room, wherever it lives, and send it `joined`."""

    conn_id: str
    room_id: str
    user_id: str
    joined: p.Joined


#: What a decision asks the meeting manager to do, in order.
Effect = Deliver | CloseConn | AdmitConn


@dataclasses.dataclass(frozen=True, slots=True)
class JoinOutcome:
    """A join's reply to the joiner, what the others get, and a connection that was taken over."""

    reply: p.Joined
    deliveries: tuple[Deliver, ...]
    replaced_conn_id: str | None


def token_hash(token: str) -> str:
    """What the store keeps of a resume token: its SHA-256, so a leaked store reveals no token."""
    return hashlib.sha256(token.encode()).hexdigest()


def _info(member: Member) -> p.UserInfo:
    return p.UserInfo(member.user_id, member.display_name, member.audio_muted, member.video_muted,
                      member.hand_raised_at, member.role, member.recording)  # type: ignore[arg-type]


def room_view(settings: RoomSettings) -> p.RoomView:
    """What everyone in the room may know of its admission settings."""
    return p.RoomView(settings.lobby, settings.locked, settings.password_required)


def _chat_message(entry: ChatEntry) -> p.ChatMessage:
    return p.ChatMessage(entry.message_id, entry.sender_id, entry.display_name, entry.text,
                         entry.sent_at, entry.target_id)


def _now_ms() -> int:
    return int(time.time() * 1000)


class RoomService:
    """The rules of a meeting, over a `RoomStore`."""

    def __init__(self, store: RoomStore, *, max_room_size: int,
                 ice_servers: Sequence[dict] = (),
                 ice_servers_for: Callable[[str], list[dict]] | None = None,
                 new_token: Callable[[], str] = lambda: secrets.token_urlsafe(16),
                 clock_ms: Callable[[], int] = _now_ms) -> None:
        self.store = store
        self.clock_ms = clock_ms  # server time (ms since the epoch) for sentAt and raisedAt
        self.max_room_size = max_room_size
        fixed = [dict(server) for server in ice_servers]
        # Per user, because TURN credentials name the user and expire (see tornado_app/turn.py).
        self.ice_servers_for = ice_servers_for or (lambda _user_id: [dict(s) for s in fixed])
        self._new_token = new_token

    async def create_room(self, settings: str | None = None) -> str:
        """A new room with an unguessable 128-bit id (and its settings record, if any)."""
        room_id = self._new_token()
        await self.store.create_room(room_id, settings)
        return room_id

    async def settings(self, room_id: str) -> RoomSettings:
        """The room's admission settings (an unknown room's are open: the join then says so)."""
        return RoomSettings.parse(await self.store.room_settings(room_id))

    async def can_resume(self, room_id: str, user_id: str, token: str) -> bool:
        """Whether `token` resumes the user, present in the room (so admission is not asked again)."""
        member = await self.store.get_member(room_id, user_id)
        return member is not None and secrets.compare_digest(member.token_hash, token_hash(token))

    async def joined_reply(self, room_id: str, member: Member, result: JoinResult, token: str,
                           settings: RoomSettings) -> p.Joined:
        """The `joined` a member gets: the others, the share, the chat they may read, their role,
        the room's settings, and (hosts only) who waits in the lobby."""
        share = result.share
        chat = [_chat_message(e) for e in await self.store.chat_history(room_id)
                if e.readable_by(member.user_id)]
        waiting = [p.WaitingUser(w.user_id, w.display_name) for w in await self.store.waiting(room_id)
                   ] if member.is_host else []
        return p.Joined(room_id, member.user_id, [_info(m) for m in result.others],
                        share.user_id if share else None, share.stream_id if share else None,
                        self.ice_servers_for(member.user_id), token, chat, member.role,  # type: ignore[arg-type]
                        room_view(settings), waiting)

    async def join(self, conn_id: str, msg: p.Join, role: str = GUEST,
                   settings: RoomSettings = RoomSettings()) -> JoinOutcome:
        """Add the connection's user to the room, or let it take over its own earlier connection."""
        token = self._new_token()
        member = Member(msg.userId, msg.name, conn_id, token_hash(token), msg.audioMuted,
                        msg.videoMuted, role=role)
        given = token_hash(msg.resumeToken) if msg.resumeToken else None
        result = await self.store.add_member(msg.roomId, member, max_size=self.max_room_size,
                                             token_hash=given)
        replaced = result.replaced
        if replaced is not None and replaced.is_host:
            member.role = HOST  # a resume keeps the role (the store did the same)
        others = tuple(m.user_id for m in result.others)
        reply = await self.joined_reply(msg.roomId, member, result, token, settings)
        deliveries: tuple[Deliver, ...] = ()
        if result.kind is JoinKind.NEW:
            deliveries = (Deliver(msg.roomId, others, user_joined(member)),)
        elif replaced is not None:
            changed: list[Deliver] = []
            if (replaced.audio_muted, replaced.video_muted) != (member.audio_muted, member.video_muted):
                changed.append(Deliver(msg.roomId, others, p.MediaState(
                    member.user_id, member.audio_muted, member.video_muted)))
            if replaced.role != member.role:  # a guest came back with the host token
                changed.append(Deliver(msg.roomId, others, p.RoleChanged(member.user_id, member.role)))  # type: ignore[arg-type]
            deliveries = tuple(changed)
        return JoinOutcome(reply, deliveries, replaced.conn_id if replaced else None)

    async def leave(self, room_id: str, user_id: str, conn_id: str | None) -> tuple[Deliver, ...]:
        """Remove the user (if still on `conn_id`): the sharer's stop, then the leave, to the rest;
        when they were the last host, the new host's role (and the lobby, to the new host)."""
        return await self.after_removal(room_id, user_id,
                                        await self.store.remove_member(room_id, user_id, conn_id))

    async def after_removal(self, room_id: str, user_id: str, result: RemoveResult) -> tuple[Deliver, ...]:
        """What the rest of the room hears when a member has gone."""
        if not result.removed:
            return ()
        out = []
        if result.was_sharing:
            out.append(Deliver(room_id, result.remaining, p.ScreenShareStopped(user_id)))
        out.append(Deliver(room_id, result.remaining, p.UserLeft(user_id)))
        if result.promoted is not None:
            out.append(Deliver(room_id, result.remaining, p.RoleChanged(result.promoted, HOST)))
            out.extend(await self.knocks_to(room_id, result.promoted))
        return tuple(out)

    async def knocks_to(self, room_id: str, host_id: str) -> list[Deliver]:
        """The lobby's knocks, for a member who has just become host."""
        return [Deliver(room_id, (host_id,), p.Knock(w.user_id, w.display_name))
                for w in await self.store.waiting(room_id)]

    async def leave_with_token(self, room_id: str, user_id: str,
                               token: str) -> tuple[tuple[Deliver, ...], str]:
        """The REST leave: only the holder of the user's resume token may remove them.

        Returns what to deliver and the connection that spoke for the user (to be closed)."""
        if not await self.store.room_exists(room_id):
            raise RoomError.room_not_found()
        member = await self.store.get_member(room_id, user_id)
        if member is None:
            raise RoomError.user_not_found()
        if not secrets.compare_digest(member.token_hash, token_hash(token)):
            raise RoomError.wrong_token()
        return await self.leave(room_id, user_id, member.conn_id), member.conn_id

    @staticmethod
    def relay_decision(room_id: str, sender_id: str,
                       msg: p.Offer | p.Answer | p.SendIceCandidate) -> Deliver:
        """The relay's rule, for a target that the bus finds in the room (else targetNotFound):
        no I/O, no coroutine."""
        target = msg.targetId
        if target == sender_id:
            raise RoomError.target_not_found(target)
        if type(msg) is p.SendIceCandidate:
            out: p.ServerMessage = p.RelayedIceCandidate(msg.candidate, sender_id)
        elif type(msg) is p.Offer:
            out = p.RelayedOffer(msg.sdp, sender_id)
        else:
            out = p.RelayedAnswer(msg.sdp, sender_id)
        return Deliver(room_id, (target,), out)

    async def start_share(self, room_id: str, user_id: str,
                          msg: p.StartScreenShare) -> tuple[Deliver, ...]:
        """Make the sender the sharer (last start wins) and tell everyone, the sender included."""
        _check_own(room_id, user_id, msg)
        everyone = await self.store.set_sharer(room_id, user_id, msg.streamId)
        return (Deliver(room_id, everyone, p.ScreenShareActive(user_id, msg.streamId)),)

    async def stop_share(self, room_id: str, user_id: str,
                         msg: p.StopScreenShare) -> tuple[Deliver, ...]:
        """End the sender's share; a stop from someone who is no longer the sharer changes nothing."""
        _check_own(room_id, user_id, msg)
        everyone = await self.store.clear_sharer(room_id, user_id)
        if everyone is None:
            return ()
        return (Deliver(room_id, everyone, p.ScreenShareStopped(user_id)),)

    async def set_media_state(self, room_id: str, user_id: str,
                              msg: p.SetMediaState) -> tuple[Deliver, ...]:
        """Remember the sender's mute state and show it to the others."""
        if not await self.store.set_media_state(room_id, user_id, msg.audioMuted, msg.videoMuted):
            return ()
        others = tuple(m.user_id for m in await self.store.members(room_id) if m.user_id != user_id)
        return (Deliver(room_id, others, p.MediaState(user_id, msg.audioMuted, msg.videoMuted)),)

    async def chat(self, room_id: str, user_id: str, msg: p.SendChat) -> tuple[Deliver, ...]:
        """Keep the message and send it to everyone (public) or to its target and the sender
        (private); targetNotFound when the target is not another user of the room."""
        target = msg.targetId
        if target == user_id:
            raise RoomError.target_not_found(target)
        sender = await self.store.get_member(room_id, user_id)
        if sender is None:
            return ()  # left in the meantime
        added = await self.store.add_chat(room_id, ChatEntry(
            "", user_id, sender.display_name, msg.text, self.clock_ms(), target))
        if added.entry is None:
            if user_id in added.everyone:
                raise RoomError.target_not_found(target or "")
            return ()
        to = added.everyone if target is None else (target, user_id)
        return (Deliver(room_id, to, _chat_message(added.entry)),)

    async def hand(self, room_id: str, user_id: str, msg: p.RaiseHand) -> tuple[Deliver, ...]:
        """Raise or lower the sender's hand and tell everyone, the sender included; nothing when
        it changes nothing (a raised hand keeps its first time)."""
        change = await self.store.set_hand(room_id, user_id, self.clock_ms() if msg.raised else None)
        if not change.changed:
            return ()
        return (Deliver(room_id, change.everyone, p.Hand(user_id, msg.raised, change.raised_at)),)

    async def record(self, room_id: str, user_id: str, msg: p.SetRecording) -> tuple[Deliver, ...]:
        """Show everyone, the recorder included, that the sender records (or stopped); nothing
        when it changes nothing."""
        everyone = await self.store.set_recording(room_id, user_id, msg.active)
        if not everyone:
            return ()
        return (Deliver(room_id, everyone, p.Recording(user_id, msg.active)),)

    async def react(self, room_id: str, user_id: str, msg: p.SendReaction) -> tuple[Deliver, ...]:
        """Show the reaction to everyone, the sender included; nothing is kept."""
        everyone = tuple(m.user_id for m in await self.store.members(room_id))
        if user_id not in everyone:
            return ()
        return (Deliver(room_id, everyone, p.Reaction(user_id, msg.emoji)),)

    async def room_state(self, room_id: str) -> tuple[list[p.UserInfo], str | None]:
        """Who is in the room and who shares, for the REST API."""
        if not await self.store.room_exists(room_id):
            raise RoomError.room_not_found()
        share = await self.store.share(room_id)
        users = [_info(m) for m in await self.store.members(room_id)]
        return users, share.user_id if share else None

    async def join_preflight(self, room_id: str) -> tuple[list[p.UserInfo], str | None]:
        """`room_state` for someone about to join: refused when the room is already full."""
        users, sharer = await self.room_state(room_id)
        if len(users) >= self.max_room_size:
            raise RoomError.room_full(self.max_room_size)
        return users, sharer


def user_joined(member: Member) -> p.UserJoined:
    """The news of a new member, for the rest of the room."""
    return p.UserJoined(member.user_id, member.display_name, member.audio_muted, member.video_muted,
                        member.hand_raised_at, member.role, member.recording)  # type: ignore[arg-type]


def _check_own(room_id: str, user_id: str, msg: p.StartScreenShare | p.StopScreenShare) -> None:
    if msg.userId != user_id or msg.roomId != room_id:
        raise RoomError.not_own_share()
