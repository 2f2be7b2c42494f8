"""The Janus client against a real Janus (Debian's `janus`, started by support.janus with a generated configuration).

Signaling only: rooms, a publisher's Chromium offer answered, a subscription offered, keepalives
outliving Janus's session timeout, and a Janus that dies or hangs reported promptly.
"""

from __future__ import annotations

import asyncio
import signal
import time

import pytest
from fake_janus import FIXTURES
from support.janus import JanusServer

from tornado_app.janus import JanusConnection, JanusConnectionLost, JanusPluginError, JanusSessionLost, Jsep
from tornado_app.janus.errors import VideoRoomErrorCode
from tornado_app.janus.videoroom import StreamRequest, VideoRoomAdmin, VideoRoomPublisher, VideoRoomSubscriber

SESSION_TIMEOUT = 3  # seconds: Janus's session_timeout in the generated configuration
KEEPALIVE = 1.0  # the client's keepalive period in these tests (production: 25 s against Janus's 60 s)
DEADLINE = 15.0  # how long a test waits for something it expects (never a sleep)
OFFER = Jsep("offer", (FIXTURES / "chromium_publish_offer.sdp").read_text())
ANSWER = Jsep("answer", (FIXTURES / "chromium_subscribe_answer.sdp").read_text())


@pytest.fixture(scope="module")
def janus_server(tmp_path_factory):
    """One Janus for the module's signaling tests (fails, never skips, when janus is missing)."""
    server = JanusServer(tmp_path_factory.mktemp("janus"), session_timeout=SESSION_TIMEOUT)
    server.start()
    yield server
    assert server.stop() == 0, f"Janus did not shut down cleanly:\n{server.log_tail()}"


@pytest.fixture
def own_janus(tmp_path):
    """A Janus of the test's own, which it may kill or freeze."""
    server = JanusServer(tmp_path / "janus", session_timeout=SESSION_TIMEOUT)
    server.folder.mkdir()
    server.start()
    yield server
    server.kill()  # it may be frozen: no clean shutdown to wait for


@pytest.fixture
def connect(io_loop):
    """Connections to a Janus, closed at teardown."""
    opened: list[JanusConnection] = []

    async def make(url: str, **kwargs) -> JanusConnection:
        connection = await JanusConnection.connect(url, **kwargs)
        opened.append(connection)
        return connection

    yield make
    for connection in opened:
        io_loop.run_sync(connection.close)


async def _room(janus_server: JanusServer, connect, name: str, **extra):
    connection = await connect(janus_server.url)
    session = await connection.create_session(keepalive_interval=KEEPALIVE)
    admin = await VideoRoomAdmin.attach(session)
    await admin.create_room(name, publishers=50, admin_key=janus_server.admin_key, **extra)
    return session, admin


async def test_a_room_is_created_found_and_destroyed(janus_server, connect):
    session, admin = await _room(janus_server, connect, "room-lifecycle")
    assert await admin.room_exists("room-lifecycle") is True
    with pytest.raises(JanusPluginError) as twice:
        await admin.create_room("room-lifecycle", publishers=50, admin_key=janus_server.admin_key)
    assert twice.value.code == VideoRoomErrorCode.ROOM_EXISTS
    await admin.destroy_room("room-lifecycle")
    assert await admin.room_exists("room-lifecycle") is False
    with pytest.raises(JanusPluginError) as gone:
        await admin.destroy_room("room-lifecycle")
    assert gone.value.code == VideoRoomErrorCode.NO_SUCH_ROOM


async def test_only_a_caller_with_the_admin_key_creates_rooms(janus_server, connect):
    connection = await connect(janus_server.url)
    admin = await VideoRoomAdmin.attach(await connection.create_session(keepalive_interval=KEEPALIVE))
    with pytest.raises(JanusPluginError) as missing:
        await admin.create_room("room-without-key", publishers=50)
    assert missing.value.code == VideoRoomErrorCode.MISSING_ELEMENT and "admin_key" in str(missing.value)
    with pytest.raises(JanusPluginError) as wrong:
        await admin.create_room("room-without-key", publishers=50, admin_key="guessed")
    assert wrong.value.code == VideoRoomErrorCode.UNAUTHORIZED
    assert await admin.room_exists("room-without-key") is False


async def test_a_publisher_s_chromium_offer_is_answered_for_vp8_with_simulcast(janus_server, connect):
    session, admin = await _room(janus_server, connect, "room-publish")
    others: list[dict] = []
    first = await VideoRoomPublisher.attach(session, on_event=others.append)
    await first.join("room-publish", id="bob", display="Bob")
    publisher = await VideoRoomPublisher.attach(session)
    joined = await publisher.join("room-publish", id="alice", display="Alice")
    assert (joined.id, joined.publishers) == ("alice", ())  # Bob joined but publishes nothing
    assert [(a.id, a.display) for a in joined.attendees] == [("bob", "Bob")]

    answer = await publisher.publish(OFFER, bitrate=1_000_000, descriptions=[("1", "camera")])
    assert answer.type == "answer"
    video = answer.sdp.split("m=video")[1]
    assert "a=recvonly" in video and "VP8/90000" in video and "H264" not in video
    assert "a=mid:1" in video and "a=simulcast:recv q;h;f" in video  # Janus takes the three layers
    assert await publisher.configure(bitrate=300_000) is None
    # notify_joining: Bob's handle heard Alice arrive.
    joining = [e["plugindata"]["data"]["joining"] for e in others if "joining" in e.get("plugindata", {}).get("data", {})]
    assert joining == [{"id": "alice", "display": "Alice"}]
    await publisher.leave()
    await admin.destroy_room("room-publish")


async def test_a_subscriber_is_offered_the_streams_it_asked_for(janus_server, connect):
    # Janus offers a publisher's feed only once its PeerConnection is up, which needs ICE and media:
    # a dummy publisher (one m-line per room codec) stands in for it in this signaling-only test.
    session, admin = await _room(janus_server, connect, "room-subscribe", extra={"dummy_publisher": True})
    publisher = await VideoRoomPublisher.attach(session)
    joined = await publisher.join("room-subscribe", id="alice")
    await publisher.publish(OFFER)
    [dummy] = joined.publishers
    subscriber = await VideoRoomSubscriber.attach(session)
    with pytest.raises(JanusPluginError) as not_up:
        await subscriber.join("room-subscribe", [StreamRequest("alice")])
    assert not_up.value.code == VideoRoomErrorCode.NO_SUCH_FEED

    video_mid = next(s.mid for s in dummy.streams if s.type == "video")
    subscription = await subscriber.join("room-subscribe", [StreamRequest(dummy.id, video_mid, substream=0)])
    assert [(s.type, s.feed_id, s.feed_mid) for s in subscription.streams] == [("video", dummy.id, video_mid)]
    assert subscription.offer.type == "offer"
    assert subscription.offer.sdp.count("m=video") == 1 and "a=sendonly" in subscription.offer.sdp
    await subscriber.leave()
    await admin.destroy_room("room-subscribe")


async def test_keepalives_hold_a_session_past_janus_s_session_timeout(janus_server, connect):
    connection = await connect(janus_server.url)
    held = await connection.create_session(keepalive_interval=KEEPALIVE)
    left = await connection.create_session(keepalive_interval=3600)  # the control: nobody keeps it alive
    created = time.monotonic()
    reason = await asyncio.wait_for(left.wait_lost(), DEADLINE)  # Janus's own clock tells when the timeout passed
    assert isinstance(reason, JanusSessionLost) and time.monotonic() - created >= SESSION_TIMEOUT
    assert not held.is_lost
    admin = await VideoRoomAdmin.attach(held)  # Janus still knows the held session
    assert await admin.room_exists("no-room") is False


async def test_a_killed_janus_is_reported_at_once_to_every_caller(own_janus, connect):
    connection = await connect(own_janus.url)
    session = await connection.create_session(keepalive_interval=KEEPALIVE)
    admin = await VideoRoomAdmin.attach(session)
    heard: list[Exception] = []
    session.on_lost(heard.append)
    own_janus.signal(signal.SIGSTOP)  # frozen: the next request stays pending...
    pending = asyncio.ensure_future(admin.room_exists("any"))
    killed = time.monotonic()
    own_janus.signal(signal.SIGKILL)  # ...until Janus dies under it
    with pytest.raises(JanusConnectionLost):
        await asyncio.wait_for(pending, DEADLINE)
    assert time.monotonic() - killed < 5.0  # the socket closed: no 10 s request timeout ran out
    assert connection.is_lost and session.is_lost and len(heard) == 1
    with pytest.raises(JanusConnectionLost):
        await admin.room_exists("any")


async def test_a_hung_janus_is_reported_when_a_keepalive_goes_unanswered(own_janus, connect):
    connection = await connect(own_janus.url, request_timeout=2.0)
    session = await connection.create_session(keepalive_interval=KEEPALIVE)
    own_janus.signal(signal.SIGSTOP)
    reason = await asyncio.wait_for(session.wait_lost(), DEADLINE)
    assert isinstance(reason, JanusConnectionLost) and "keepalive" in str(reason)
    assert connection.is_lost
