"""The REST API for rooms: create one, list its users, pre-flight a join, remove a gone user."""

from __future__ import annotations

import hmac
import time

from tornado_app import admission
from tornado_app.handlers.base import ApiError, JsonHandler
from tornado_app.rooms import protocol as p
from tornado_app.rooms.errors import RoomError


class CreateRoomHandler(JsonHandler):
    """POST /createRoom [{"lobby"?, "password"?}] -> 201 {"roomId", "hostToken"}."""

    async def post(self) -> None:
        if (token := self.parley.settings.create_room_token) and not self._bearer_is(token):
            raise ApiError.of(RoomError.create_room_unauthorized())
        if not self.parley.create_limiter.allow(self.request.remote_ip or "", time.monotonic()):
            raise ApiError.of(RoomError.too_many_rooms())
        body = self.request.body.strip()
        request = self.body_as(p.CreateRoomRequest) if body else p.CreateRoomRequest()
        host_token = admission.new_host_token()
        record = await admission.settings_record(host_token, lobby=request.lobby, password=request.password)
        room_id = await self.ask(self.parley.meetings.create_room(record))
        self.reply({"roomId": room_id, "hostToken": host_token}, 201)

    def _bearer_is(self, token: str) -> bool:
        """Whether the request carries `Authorization: Bearer <token>` (constant-time compare)."""
        return hmac.compare_digest(bearer(self).encode(), token.encode())


def bearer(handler: JsonHandler) -> str:
    """The token of an `Authorization: Bearer <token>` header, or ''."""
    scheme, _, given = handler.request.headers.get("Authorization", "").partition(" ")
    return given.strip() if scheme.lower() == "bearer" else ""


def protected(view: dict[str, bool]) -> bool:
    """Whether a link alone must not reveal who is in the room (a password or a lobby)."""
    return view["passwordRequired"] or view["lobby"]


class RoomUsersHandler(JsonHandler):
    """GET /room/<roomId>/users -> who is in the room and who shares."""

    async def get(self, room_id: str) -> None:
        if not p.is_id(room_id):
            raise ApiError.of(RoomError.room_not_found())
        record = await self.ask(self.parley.meetings.store.room_settings(room_id))
        if protected(admission.admission_view(record)) and not admission.host_token_matches(
                admission.host_digest(record), bearer(self)):
            raise ApiError.of(RoomError.protected_room_users())
        users, sharer = await self.ask(self.parley.meetings.room_state(room_id))
        self.reply({"roomId": room_id, "users": users, "screenSharer": sharer})


class JoinRoomHandler(JsonHandler):
    """POST /joinRoom {"roomId"} -> where to connect, and who is there (a pre-flight).

    No ICE servers here: TURN credentials go only to those who join over the WebSocket."""

    async def post(self) -> None:
        request = self.body_as(p.JoinRoomRequest)
        users, sharer, max_size = await self.ask(
            self.parley.meetings.join_preflight(request.roomId))
        view = admission.admission_view(await self.ask(self.parley.meetings.store.room_settings(request.roomId)))
        if protected(view):  # the link alone must not reveal who is in a protected meeting
            users, sharer = [], None
        scheme = "wss" if self.request.protocol == "https" else "ws"
        host = self.request.host
        if public := self.parley.settings.public_url:  # the links people use, behind a proxy
            scheme, host = ("wss" if public.startswith("https:") else "ws"), public.split("/")[2]
        self.reply({
            "roomId": request.roomId,
            "wsUrl": f"{scheme}://{host}/ws",
            "users": users,
            "screenSharer": sharer,
            "maxRoomSize": max_size,
            **view,
        })


class LeaveRoomHandler(JsonHandler):
    """POST /leaveRoom {"roomId", "userId", "resumeToken"}: remove a user whose socket is gone."""

    async def post(self) -> None:
        request = self.body_as(p.LeaveRoomRequest)
        await self.ask(self.parley.meetings.leave_with_token(
            request.roomId, request.userId, request.resumeToken))
        self.reply({"left": True})


routes = [
    (r"/createRoom", CreateRoomHandler),
    (r"/room/([^/]+)/users", RoomUsersHandler),
    (r"/joinRoom", JoinRoomHandler),
    (r"/leaveRoom", LeaveRoomHandler),
]
