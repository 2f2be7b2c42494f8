"""The meeting manager on one process: what each connection receives, and which get closed.

The manager talks to connections only through the `Connection` interface, so these tests hand it
recording connections (no socket); the API tests drive the same paths over real WebSockets.
"""

from __future__ import annotations

import json

import pytest

from tornado_app.bus import LocalBus
from tornado_app.hub import Hub
from tornado_app.meeting import MeetingManager
from tornado_app.metrics import Counters
from tornado_app.rooms import protocol as p
from tornado_app.rooms.model import RoomError
from tornado_app.rooms.service import RoomService
from tornado_app.store import MemoryRoomStore, SqliteRoomCatalog


class Recorder:
    """A connection that keeps what it was sent and how it was closed."""

    def __init__(self, conn_id: str) -> None:
        self.conn_id = conn_id
        self.gone = False
        self.sent: list[dict] = []
        self.closed: tuple[int | None, str | None] | None = None
        self.member_of: tuple[str, str] | None = None

    def send(self, data: bytes) -> None:
        self.sent.append(json.loads(data))

    def joined(self, room_id: str, user_id: str) -> None:
        self.member_of = (room_id, user_id)

    def close(self, code: int | None = None, reason: str | None = None) -> None:
        self.closed = (code, reason)

    def types(self) -> list[str]:
        return [m["type"] for m in self.sent]


@pytest.fixture
def meetings(tmp_path, io_loop):
    store = MemoryRoomStore(SqliteRoomCatalog(tmp_path / "rooms.sqlite3"))
    hub = Hub()
    service = RoomService(store, max_room_size=4)
    yield MeetingManager(store, service, LocalBus(store, hub), hub, Counters())
    io_loop.run_sync(store.close)


async def connect(meetings: MeetingManager, room: str, user: str, **join) -> Recorder:
    conn = Recorder(meetings.new_conn_id())
    meetings.hub.opened(conn)
    assert await meetings.join(conn, p.Join(room, user, **join))
    return conn


async def test_a_join_replies_to_the_joiner_and_tells_the_others(meetings):
    room = await meetings.create_room()
    ann = await connect(meetings, room, "ann")
    bob = await connect(meetings, room, "bob")
    assert bob.member_of == (room, "bob") and bob.types() == ["joined"]
    assert ann.types() == ["joined", "userJoined"]


async def test_a_join_whose_socket_closed_meanwhile_is_undone(meetings):
    room = await meetings.create_room()
    ann = await connect(meetings, room, "ann")
    ghost = Recorder(meetings.new_conn_id())
    ghost.gone = True  # closed while the store was adding it
    assert not await meetings.join(ghost, p.Join(room, "bob"))
    assert ghost.sent == [] and ghost.member_of is None
    assert [u.userId for u in (await meetings.room_state(room))[0]] == ["ann"]
    assert ann.types() == ["joined"]  # Ann never heard of Bob: no userLeft for a stranger


async def test_a_resume_closes_the_replaced_connection_with_4001(meetings):
    room = await meetings.create_room()
    await connect(meetings, room, "ann")
    bob = await connect(meetings, room, "bob")
    again = await connect(meetings, room, "bob", resumeToken=bob.sent[0]["payload"]["resumeToken"])
    assert bob.closed == (4001, "replaced by a newer connection")
    assert again.closed is None and again.types() == ["joined"]


async def test_a_relay_reaches_only_its_target_and_an_absent_one_is_refused(meetings):
    room = await meetings.create_room()
    ann, bob, cat = [await connect(meetings, room, u) for u in ("ann", "bob", "cat")]
    offer = p.Offer(p.SessionDescription("offer", "v=0\r\n"), "bob")
    assert meetings.relay_now(room, "ann", offer, 0.0)
    assert bob.sent[-1] == {"type": "offer", "payload": {
        "sdp": {"type": "offer", "sdp": "v=0\r\n"}, "senderId": "ann"}}
    assert "offer" not in cat.types() + ann.types()
    for target in ("ann", "nobody"):
        with pytest.raises(RoomError) as refused:
            meetings.relay_now(room, "ann", p.Offer(offer.sdp, target), 0.0)
        assert refused.value.code == "targetNotFound"


async def test_a_rest_leave_tells_the_room_and_closes_the_socket_with_1000(meetings):
    room = await meetings.create_room()
    ann = await connect(meetings, room, "ann")
    bob = await connect(meetings, room, "bob")
    await meetings.leave_with_token(room, "bob", bob.sent[0]["payload"]["resumeToken"])
    assert ann.sent[-1] == {"type": "userLeft", "payload": {"userId": "bob"}}
    assert bob.closed == (1000, "left the meeting")
