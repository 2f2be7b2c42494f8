"""The Janus client against a recorded transcript of a real Janus (1.1.2): no Janus process needed.

The fake Janus (fake_janus.ReplayJanus) checks every request the client sends against the one the
recorder sent to the real Janus, and answers with what Janus answered: acks before and after their
events, a synchronous plugin error, core errors, hangup/detached notifications, a session timeout.
"""

from __future__ import annotations

import asyncio

import pytest
from fake_janus import FIXTURES, ReplayJanus, ack_keepalive, answer_nothing, close_socket, load_transcript

from tornado_app.janus import (JanusApiError, JanusConnection, JanusConnectionLost, JanusPluginError,
                               JanusSessionLost, JanusTimeout, Jsep)
from tornado_app.janus.errors import ApiErrorCode, VideoRoomErrorCode
from tornado_app.janus.session import JanusHandle
from tornado_app.janus.videoroom import (PLUGIN, StreamConfig, StreamRequest, VideoRoomAdmin, VideoRoomPublisher,
                                         VideoRoomSubscriber)

ROOM = "transcript-room"
DEADLINE = 10.0  # how long a test waits for something it expects (never a sleep)


@pytest.fixture
def janus(io_loop):
    """The fake Janus, replaying the recorded conversation (pytest-tornasync has no async fixtures)."""
    server = ReplayJanus(load_transcript())
    io_loop.run_sync(server.start)
    yield server
    io_loop.run_sync(server.stop)


@pytest.fixture
def connect(janus, io_loop):
    """Connections to the fake Janus, closed at teardown."""
    opened: list[JanusConnection] = []

    async def make(**kwargs) -> JanusConnection:
        connection = await JanusConnection.connect(janus.url, **kwargs)
        opened.append(connection)
        return connection

    yield make
    for connection in opened:
        io_loop.run_sync(connection.close)


async def test_a_whole_videoroom_conversation_gets_janus_s_answers(janus, connect):
    connection = await connect()
    session = await connection.create_session(keepalive_interval=3600)
    admin = await VideoRoomAdmin.attach(session)
    create = dict(publishers=50, extra={"dummy_publisher": True})

    with pytest.raises(JanusPluginError) as refused:
        await admin.create_room(ROOM, admin_key="wrong", **create)
    assert refused.value.code == VideoRoomErrorCode.UNAUTHORIZED and "admin_key" in str(refused.value)
    assert await admin.create_room(ROOM, admin_key="transcript-key", **create) == ROOM
    with pytest.raises(JanusPluginError) as exists:
        await admin.create_room(ROOM, admin_key="transcript-key", **create)
    assert exists.value.code == VideoRoomErrorCode.ROOM_EXISTS
    assert await admin.room_exists(ROOM) is True
    assert await admin.room_exists("no-such-room") is False

    publisher_events: list[dict] = []
    publisher = await VideoRoomPublisher.attach(session, on_event=publisher_events.append)
    with pytest.raises(JanusPluginError) as no_room:
        await publisher.join("no-such-room")  # an async plugin request: ack, then an event with error_code
    assert no_room.value.code == VideoRoomErrorCode.NO_SUCH_ROOM
    joined = await publisher.join(ROOM, id="alice", display="Alice")
    assert (joined.room, joined.id) == (ROOM, "alice") and joined.private_id > 0
    [dummy] = joined.publishers
    assert [(s.type, s.mid, s.codec) for s in dummy.streams] == [("audio", "0", "opus"), ("video", "1", "vp8")]
    offer = Jsep("offer", (FIXTURES / "chromium_publish_offer.sdp").read_text())
    answer = await publisher.publish(offer, bitrate=1_000_000, descriptions=[("1", "camera")])
    assert answer.type == "answer" and "a=recvonly" in answer.sdp and "VP8/90000" in answer.sdp
    assert await publisher.configure(bitrate=500_000) is None

    subscriber_events: list[dict] = []
    subscriber = await VideoRoomSubscriber.attach(session, on_event=subscriber_events.append)
    with pytest.raises(JanusPluginError) as no_feed:
        await subscriber.join(ROOM, [StreamRequest("alice")])
    assert no_feed.value.code == VideoRoomErrorCode.NO_SUCH_FEED
    subscription = await subscriber.join(ROOM, [StreamRequest(dummy.id)])
    assert subscription.offer is not None and subscription.offer.type == "offer"
    assert [(s.mid, s.type, s.feed_id, s.feed_mid) for s in subscription.streams] == [
        ("0", "audio", dummy.id, "0"), ("1", "video", dummy.id, "1")]
    await subscriber.start(Jsep("answer", (FIXTURES / "chromium_subscribe_answer.sdp").read_text()))
    # Janus sent this one's event before its ack: the event answers it, the late ack is ignored.
    assert await subscriber.configure([StreamConfig("1", substream=0, temporal=0)]) is None
    await subscriber.trickle({"candidate": "candidate:1 1 udp 2122260223 10.213.0.2 40000 typ host",
                              "sdpMid": "0", "sdpMLineIndex": 0})
    await subscriber.trickle(None)
    await session.keepalive()
    with pytest.raises(JanusApiError) as no_handle:
        await JanusHandle(session, 1, PLUGIN, None).message({"request": "exists", "room": ROOM})
    assert no_handle.value.code == ApiErrorCode.HANDLE_NOT_FOUND

    await subscriber.leave()
    await publisher.leave()
    await admin.destroy_room(ROOM)
    with pytest.raises(JanusPluginError) as gone:
        await admin.destroy_room(ROOM)
    assert gone.value.code == VideoRoomErrorCode.NO_SUCH_ROOM
    for handle in (subscriber, publisher, admin):
        await handle.detach()
    await session.destroy()
    # Janus's notifications reached the handle they were about.
    assert {"janus": "hangup", "reason": "Close PC"}.items() <= subscriber_events[0].items()
    assert [e["janus"] for e in publisher_events] == ["hangup", "detached"]

    # A request on a session Janus no longer knows (458) ends that session for the caller.
    with pytest.raises(JanusSessionLost):
        await session.keepalive()
    assert session.is_lost

    # A session nobody keeps alive: Janus's `timeout` event ends it, and callers hear why.
    quiet = await connection.create_session(keepalive_interval=3600)
    reason = await asyncio.wait_for(quiet.wait_lost(), DEADLINE)
    assert isinstance(reason, JanusSessionLost) and "timed out" in str(reason)
    with pytest.raises(JanusSessionLost):
        await quiet.attach(PLUGIN)
    assert not connection.is_lost  # a lost session leaves the connection (and its other sessions) alone
    assert janus.mismatches == [] and janus.remaining_requests() == []


async def test_the_replay_fails_when_the_client_sends_something_else(janus, connect):
    """The fake Janus is strict: a request that differs from the recorded one ends the conversation."""
    connection = await connect(request_timeout=DEADLINE)
    session = await connection.create_session(keepalive_interval=3600)
    admin = await VideoRoomAdmin.attach(session)
    with pytest.raises(JanusConnectionLost):
        await admin.create_room(ROOM, publishers=6, admin_key="wrong")  # recorded: 50 publishers, a dummy
    assert len(janus.mismatches) == 1 and "'publishers': 6" in janus.mismatches[0]


async def test_keepalives_are_sent_while_the_session_is_held(janus, connect):
    janus.behaviour["keepalive"] = ack_keepalive
    connection = await connect()
    session = await connection.create_session(keepalive_interval=0.05)
    deadline = asyncio.get_running_loop().time() + DEADLINE
    while sum(m["janus"] == "keepalive" for m in janus.received) < 3:
        janus.got_request.clear()
        await asyncio.wait_for(janus.got_request.wait(), deadline - asyncio.get_running_loop().time())
    keepalive = next(m for m in janus.received if m["janus"] == "keepalive")
    assert keepalive["session_id"] == session.id and keepalive["transaction"]
    assert not session.is_lost


async def test_a_janus_that_stops_answering_keepalives_is_declared_lost(janus, connect):
    janus.behaviour["keepalive"] = answer_nothing
    connection = await connect(request_timeout=0.5)
    session = await connection.create_session(keepalive_interval=0.1)
    lost: list[Exception] = []
    session.on_lost(lost.append)
    reason = await asyncio.wait_for(connection.wait_lost(), DEADLINE)
    assert isinstance(reason, JanusConnectionLost) and "keepalive" in str(reason)
    assert session.is_lost and len(lost) == 1
    with pytest.raises(JanusConnectionLost):
        await session.attach(PLUGIN)


async def test_a_request_without_an_answer_times_out(janus, connect):
    janus.behaviour["attach"] = answer_nothing
    connection = await connect(request_timeout=0.3)
    session = await connection.create_session(keepalive_interval=3600)
    with pytest.raises(JanusTimeout, match="'attach'"):
        await session.attach(PLUGIN)
    assert not session.is_lost  # one slow answer is not a lost session


async def test_a_closed_socket_fails_the_pending_request_and_every_later_one(janus, connect):
    janus.behaviour["attach"] = close_socket
    connection = await connect(request_timeout=DEADLINE)
    session = await connection.create_session(keepalive_interval=3600)
    heard: list[Exception] = []
    connection.on_lost(heard.append)
    with pytest.raises(JanusConnectionLost):
        await session.attach(PLUGIN)
    assert connection.is_lost and session.is_lost and len(heard) == 1
    with pytest.raises(JanusConnectionLost):
        await connection.create_session()


async def test_connecting_to_nothing_is_a_clear_error():
    from support.processes import free_port
    with pytest.raises(JanusConnectionLost, match="cannot connect to Janus"):
        await JanusConnection.connect(f"ws://127.0.0.1:{free_port()}", connect_timeout=DEADLINE)


async def test_a_request_outside_any_session_fails_when_the_socket_closes(janus, connect):
    janus.behaviour["create"] = close_socket
    connection = await connect(request_timeout=DEADLINE)
    with pytest.raises(JanusConnectionLost):  # at once, not a JanusTimeout after DEADLINE
        await connection.create_session()
    assert isinstance(await asyncio.wait_for(connection.wait_lost(), DEADLINE), JanusConnectionLost)
