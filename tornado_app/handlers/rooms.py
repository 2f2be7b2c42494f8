"""The REST API for rooms: create one, list its users, pre-flight a join, remove a gone user."""

from __future__ import annotations

import time

from tornado_app.handlers.base import ApiError, JsonHandler
from tornado_app.rooms import protocol as p
from tornado_app.rooms.errors import CloseCode, RoomError


class CreateRoomHandler(JsonHandler):
    """POST /createRoom -> 201 {"roomId"}."""

    async def post(self) -> None:
        if not self.parley.create_limiter.allow(self.request.remote_ip or "", time.monotonic()):
            raise ApiError.of(RoomError.too_many_rooms())
        room_id = await self.ask(self.parley.service.create_room())
        self.reply({"roomId": room_id}, 201)


class RoomUsersHandler(JsonHandler):
    """GET /room/<roomId>/users -> who is in the room and who shares."""

    async def get(self, room_id: str) -> None:
        if not p.is_id(room_id):
            raise ApiError.of(RoomError.room_not_found())
        users, sharer = await self.ask(self.parley.service.room_state(room_id))
        self.reply({"roomId": room_id, "users": users, "screenSharer": sharer})


class JoinRoomHandler(JsonHandler):
    """POST /joinRoom {"roomId"} -> where to connect, and who is there (a pre-flight).

    No ICE servers here: TURN credentials go only to those who join over the WebSocket."""

    async def post(self) -> None:
        request = self.body_as(p.JoinRoomRequest)
        service = self.parley.service
        users, sharer = await self.ask(service.room_state(request.roomId))
        if len(users) >= service.max_room_size:
            raise ApiError.of(RoomError.room_full(service.max_room_size))
        scheme = "wss" if self.request.protocol == "https" else "ws"
        host = self.request.host
        if public := self.parley.settings.public_url:  # the links people use, behind a proxy
            scheme, host = ("wss" if public.startswith("https:") else "ws"), public.split("/")[2]
        self.reply({
            "roomId": request.roomId,
            "wsUrl": f"{scheme}://{host}/ws",
            "users": users,
            "screenSharer": sharer,
            "maxRoomSize": service.max_room_size,
        })


class LeaveRoomHandler(JsonHandler):
    """POST /leaveRoom {"roomId", "userId", "resumeToken"}: remove a user whose socket is gone."""

    async def post(self) -> None:
        request = self.body_as(p.LeaveRoomRequest)
        parley = self.parley
        async with parley.store.sequenced(request.roomId):
            await parley.bus.deliver(await self.ask(parley.service.leave_with_token(
                request.roomId, request.userId, request.resumeToken)))
        conn = parley.hub.connection_of(request.roomId, request.userId)
        if conn is not None:  # still connected: that socket no longer speaks for anyone
            parley.hub.detach(request.roomId, request.userId, conn)
            conn.close(CloseCode.LEFT, "left the meeting")
        self.reply({"left": True})


routes = [
    (r"/createRoom", CreateRoomHandler),
    (r"/room/([^/]+)/users", RoomUsersHandler),
    (r"/joinRoom", JoinRoomHandler),
    (r"/leaveRoom", LeaveRoomHandler),
]
