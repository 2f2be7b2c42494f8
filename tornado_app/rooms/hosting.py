"""What hosts decide (issue 14): the lobby, admission, removal, roles, mute requests, ending.

Like `RoomService`, whose store and rules it shares, `Hosting` never touches a socket: each call
returns the effects for the meeting manager to carry out (`Deliver`, `CloseConn`, `AdmitConn`), or
raises `RoomError` for the sender alone. Every host message is refused to a guest with
`notAllowed` before anything changes.
"""

from __future__ import annotations

from tornado_app.admission import RoomSettings
from tornado_app.rooms import protocol as p
from tornado_app.rooms.errors import CloseCode, RoomError
from tornado_app.rooms.model import HOST, Member
from tornado_app.rooms.service import AdmitConn, CloseConn, Deliver, Effect, RoomService, room_view, token_hash, \
    user_joined

Effects = tuple[Effect, ...]


class Hosting:
    """The lobby and the host's powers, over the same store as the room's other rules."""

    def __init__(self, service: RoomService) -> None:
        self.service, self.store = service, service.store

    # --- the lobby ----------------------------------------------------------------------------

    async def knock(self, conn_id: str, msg: p.Join) -> Effects:
        """Put the joiner in the lobby: every host present hears the knock (an earlier wait of
        the same user, e.g. a reloaded page, is replaced and its connection closed)."""
        waiting = Member(msg.userId, msg.name, conn_id, "", msg.audioMuted, msg.videoMuted)
        knocked = await self.store.add_waiting(msg.roomId, waiting)
        out: list[Effect] = [Deliver(msg.roomId, knocked.hosts, p.Knock(msg.userId, msg.name))]
        if knocked.replaced_conn_id is not None and knocked.replaced_conn_id != conn_id:
            out.append(CloseConn(knocked.replaced_conn_id, CloseCode.REPLACED, "replaced by a newer connection"))
        return tuple(out)

    async def leave_waiting(self, room_id: str, user_id: str, conn_id: str) -> Effects:
        """A waiting connection has closed: out of the lobby (the hosts' list loses them), or,
        if a host admitted it meanwhile, out of the room."""
        taken = await self.store.take_waiting(room_id, user_id, conn_id)
        if taken is None:
            return await self.service.leave(room_id, user_id, conn_id)
        return (Deliver(room_id, await self._hosts(room_id), p.KnockCancelled(user_id)),)

    async def admit(self, room_id: str, host_id: str, msg: p.Admit) -> Effects:
        """Let someone in from the lobby: their `joined`, then the room's `userJoined`."""
        await self._host(room_id, host_id, msg)
        token = self.service._new_token()
        admitted = await self.store.admit(room_id, msg.userId, token_hash(token),
                                          max_size=self.service.max_room_size)
        if admitted is None:
            raise RoomError.not_waiting(msg.userId)
        member, result = admitted.member, admitted.join
        settings = await self.service.settings(room_id)
        joined = await self.service.joined_reply(room_id, member, result, token, settings)
        others = tuple(m.user_id for m in result.others)
        return (AdmitConn(member.conn_id, room_id, member.user_id, joined),
                Deliver(room_id, others, user_joined(member)))

    async def deny(self, room_id: str, host_id: str, msg: p.Deny) -> Effects:
        """Turn someone away from the lobby: `admissionDenied`, then their socket closes (4003)."""
        await self._host(room_id, host_id, msg)
        taken = await self.store.take_waiting(room_id, msg.userId)
        if taken is None:
            raise RoomError.not_waiting(msg.userId)
        denied = RoomError.admission_denied()
        return (Deliver(room_id, await self._hosts(room_id), p.KnockCancelled(msg.userId)),
                CloseConn(taken.conn_id, CloseCode.REMOVED, "denied entry by a host",
                          p.Error(denied.code, denied.message)))

    # --- the people in the room ---------------------------------------------------------------

    async def remove_user(self, room_id: str, host_id: str, msg: p.RemoveUser) -> Effects:
        """Remove someone for good: the others hear they left, they get `removed` and their socket
        closes (4003); their user id (and so their resume token) cannot come back."""
        await self._host(room_id, host_id, msg)
        target = self._other(host_id, msg.targetId, msg)
        member = await self.store.get_member(room_id, target)
        if member is None:
            raise RoomError.target_not_found(target)
        result = await self.store.remove_member(room_id, target, None, ban=True)
        told = await self.service.after_removal(room_id, target, result)
        return (*told, CloseConn(member.conn_id, CloseCode.REMOVED, "removed by a host", p.Removed(host_id)))

    async def mute_request(self, room_id: str, host_id: str, msg: p.AskToMute) -> Effects:
        """Ask one person, or every guest, to mute; only they can do it (nobody unmutes anyone)."""
        await self._host(room_id, host_id, msg)
        if msg.targetId is not None:
            target = self._other(host_id, msg.targetId, msg)
            if await self.store.get_member(room_id, target) is None:
                raise RoomError.target_not_found(target)
            to: tuple[str, ...] = (target,)
        else:
            to = tuple(m.user_id for m in await self.store.members(room_id) if not m.is_host)
        return (Deliver(room_id, to, p.MuteRequest(host_id)),)

    async def lower_hand(self, room_id: str, host_id: str, msg: p.LowerHand) -> Effects:
        """Lower someone's hand for everyone (nothing when it is already down)."""
        await self._host(room_id, host_id, msg)
        change = await self.store.set_hand(room_id, msg.targetId, None)
        if not change.everyone:
            raise RoomError.target_not_found(msg.targetId)
        if not change.changed:
            return ()
        return (Deliver(room_id, change.everyone, p.Hand(msg.targetId, False, None)),)

    async def set_role(self, room_id: str, host_id: str, msg: p.SetRole) -> Effects:
        """Make someone else host or guest; everyone hears it, and a new host hears the lobby."""
        await self._host(room_id, host_id, msg)
        target = self._other(host_id, msg.targetId, msg)
        everyone = await self.store.set_role(room_id, target, msg.role)
        if everyone is None:
            raise RoomError.target_not_found(target)
        if not everyone:
            return ()
        out: list[Effect] = [Deliver(room_id, everyone, p.RoleChanged(target, msg.role))]
        if msg.role == HOST:
            out.extend(await self.service.knocks_to(room_id, target))
        return tuple(out)

    # --- the meeting --------------------------------------------------------------------------

    async def room_settings(self, room_id: str, host_id: str, msg: p.SetRoomSettings,
                            password_hash: str | None) -> Effects:
        """Change the lobby, the lock or the password (`password_hash`: the new password's, hashed
        by the caller off the event loop); everyone hears the new settings. Turning the lobby off
        lets in everyone waiting (while there is room)."""
        await self._host(room_id, host_id, msg)
        before = await self.service.settings(room_id)
        after = RoomSettings(
            before.host_digest,
            before.lobby if msg.lobby is p.UNSET else msg.lobby,
            before.locked if msg.locked is p.UNSET else msg.locked,
            before.password_hash if msg.password is p.UNSET else password_hash)
        if not await self.store.set_room_settings(room_id, after.record()):
            raise RoomError.room_not_found()
        everyone = tuple(m.user_id for m in await self.store.members(room_id))
        out: list[Effect] = [Deliver(room_id, everyone, p.RoomSettingsChanged(**_view(after)))]
        if before.lobby and not after.lobby:
            for waiting in await self.store.waiting(room_id):
                try:
                    out.extend(await self.admit(room_id, host_id, p.Admit(waiting.user_id)))
                except RoomError:  # full: the rest keep waiting, and the hosts still see them
                    break
        return tuple(out)

    async def end_meeting(self, room_id: str, host_id: str, msg: p.EndMeeting) -> Effects:
        """End the meeting for everyone: `meetingEnded`, then every socket of the room (the lobby's
        too) closes with 4004. Chat, hands and bans go; the room id stays valid."""
        await self._host(room_id, host_id, msg)
        ended = await self.store.end_meeting(room_id)
        return tuple(CloseConn(m.conn_id, CloseCode.ENDED, "the meeting was ended", p.MeetingEnded(host_id))
                     for m in (*ended.members, *ended.waiting))

    # --- checks -------------------------------------------------------------------------------

    async def _host(self, room_id: str, user_id: str, msg: p.ClientMessage) -> Member:
        member = await self.store.get_member(room_id, user_id)
        if member is None or not member.is_host:
            raise RoomError.hosts_only(msg.type)
        return member

    async def require_host(self, room_id: str, user_id: str, msg: p.ClientMessage) -> None:
        """notAllowed unless the user is a host (checked before costly work, e.g. hashing)."""
        await self._host(room_id, user_id, msg)

    @staticmethod
    def _other(host_id: str, target: str, msg: p.ClientMessage) -> str:
        if target == host_id:
            raise RoomError.not_for_yourself(msg.type)
        return target

    async def _hosts(self, room_id: str) -> tuple[str, ...]:
        return tuple(m.user_id for m in await self.store.members(room_id) if m.is_host)


def _view(settings: RoomSettings) -> dict[str, bool]:
    view = room_view(settings)
    return {"lobby": view.lobby, "locked": view.locked, "passwordRequired": view.passwordRequired}

