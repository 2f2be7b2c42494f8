"""Limits on `/ws`: message size (1009), the per-connection token bucket (rateLimited, 1008)."""

from __future__ import annotations

import asyncio
import json

import pytest

OFFER = {"type": "offer", "sdp": "v=0\r\n"}
MAX_MESSAGE = 64 * 1024


def offer_of_size(size: int, target: str) -> str:
    """An `offer` frame of exactly `size` bytes (a big SDP, as with many codecs and candidates)."""
    shell = json.dumps({"type": "offer", "payload": {"sdp": {"type": "offer", "sdp": ""}, "targetId": target}})
    frame = shell.replace('"sdp": ""', '"sdp": "' + "a" * (size - len(shell)) + '"')
    assert len(frame.encode()) == size
    return frame


def candidate(i: int) -> dict:
    return {"candidate": f"candidate:{i} 1 udp 2122260223 10.0.0.1 {1000 + i} typ host",
            "sdpMid": "0", "sdpMLineIndex": 0, "usernameFragment": "uf"}


async def test_a_message_of_exactly_64_kib_is_relayed(meeting):
    alice, bob = await meeting("alice", "bob")
    alice.send_raw(offer_of_size(MAX_MESSAGE, "bob"))
    relayed = await bob.recv("offer")
    assert relayed["senderId"] == "alice"
    assert len(relayed["sdp"]["sdp"]) > MAX_MESSAGE - 100


async def test_a_message_over_64_kib_closes_the_connection_with_1009(meeting):
    alice, bob, carol = await meeting("alice", "bob", "carol")
    alice.send_raw(offer_of_size(MAX_MESSAGE + 1, "bob"))
    assert await alice.wait_closed() == []
    assert alice.close_code == 1009
    # Nothing was relayed to Bob. (Whether he hears of Alice leaving at once or after the
    # reconnect grace is not specified: 1009 tells the client to reconnect.)
    carol.send("offer", {"sdp": OFFER, "targetId": "bob"})
    while (message := await bob.recv_any())["type"] != "offer" or message["payload"]["senderId"] != "carol":
        assert message["type"] != "offer", message


async def test_an_oversized_message_before_join_closes_with_1009(ws_connect):
    client = await ws_connect()
    client.send_raw(offer_of_size(MAX_MESSAGE + 1000, "bob"))
    await client.wait_closed()
    assert client.close_code == 1009


async def test_a_burst_of_200_messages_fits_in_the_rate_limit(meeting):
    # An ICE burst: 200 candidates sent at once all arrive, and no error comes back.
    alice, bob = await meeting("alice", "bob")
    await asyncio.sleep(0.05)  # the token Alice's join took comes back (50 a second)
    for i in range(200):
        alice.send("iceCandidate", {"candidate": candidate(i), "targetId": "bob"})
    received = [(await bob.recv("iceCandidate"))["candidate"] for _ in range(200)]
    assert received == [candidate(i) for i in range(200)]
    bob.send("offer", {"sdp": OFFER, "targetId": "alice"})
    assert (await alice.recv("offer"))["senderId"] == "bob"


async def test_messages_beyond_the_burst_are_dropped_with_one_rate_limited_error(meeting):
    alice, bob = await meeting("alice", "bob")
    await asyncio.sleep(0.05)  # the token Alice's join took comes back (50 a second)
    for i in range(260):
        alice.send("iceCandidate", {"candidate": candidate(i), "targetId": "bob"})
    await alice.recv_error("rateLimited")
    # Tokens come back at 50 a second; after a tenth of a second Alice can send again.
    await asyncio.sleep(0.1)
    alice.send("offer", {"sdp": OFFER, "targetId": "bob"})
    delivered = []
    while (message := await bob.recv_any())["type"] == "iceCandidate":
        delivered.append(message["payload"]["candidate"])
    assert message["type"] == "offer" and message["payload"]["senderId"] == "alice"
    assert delivered[:200] == [candidate(i) for i in range(200)]
    assert len(delivered) < 260, "messages over the limit must be dropped"
    # At most one rateLimited a second: Alice's next message is Bob's reply, not another error.
    bob.send("answer", {"sdp": {"type": "answer", "sdp": "v=0\r\n"}, "targetId": "alice"})
    assert (await alice.recv("answer"))["senderId"] == "bob"


@pytest.mark.parley_settings(rate_per_second=2.0, rate_burst=20)
async def test_the_rate_limit_applies_before_join(create_room, ws_connect):
    client = await ws_connect()
    for _ in range(60):
        client.send("mediaState", {"audioMuted": True, "videoMuted": True})
    passed = 0
    while (code := (await client.recv("error"))["code"]) == "notJoined":
        passed += 1
    # The burst of 20 passes (each refused as not joined), plus what refilled at 2 a second while
    # the flood was read (even a slow, busy server reads 60 messages in well under 5 s); the rest
    # is dropped with one rateLimited.
    assert code == "rateLimited"
    assert 20 <= passed <= 30
    await asyncio.sleep(0.6)  # the bucket is empty: one token is back after half a second
    await client.join(await create_room(), "alice")


async def test_a_client_that_keeps_flooding_is_closed_with_1008(meeting):
    alice, bob = await meeting("alice", "bob")
    # 200 pass, then more than 1,000 are dropped. stopScreenShare from a non-sharer is a no-op,
    # so the only answers are errors.
    for _ in range(1400):
        alice.send("stopScreenShare", {"userId": "alice", "roomId": alice.room_id})
    before_close = await alice.wait_closed(timeout=5)
    assert alice.close_code == 1008
    assert [m["payload"]["code"] for m in before_close] == ["rateLimited"]
    # The flooder is gone from the room.
    assert await bob.recv("userLeft") == {"userId": "alice"}


@pytest.mark.parley_settings(rate_per_second=5.0, rate_burst=10)
async def test_the_rate_limit_is_configurable(meeting):
    alice, bob = await meeting("alice", "bob")
    for i in range(15):
        alice.send("iceCandidate", {"candidate": candidate(i), "targetId": "bob"})
    await alice.recv_error("rateLimited")
    await asyncio.sleep(0.4)  # two tokens back at 5 a second
    alice.send("offer", {"sdp": OFFER, "targetId": "bob"})
    delivered = []
    while (message := await bob.recv_any())["type"] == "iceCandidate":
        delivered.append(message["payload"]["candidate"])
    assert message["type"] == "offer"
    # Alice's join took a token from the burst of 10.
    assert 9 <= len(delivered) <= 10
    assert delivered == [candidate(i) for i in range(len(delivered))]


async def test_permessage_deflate_is_not_negotiated(create_room, ws_connect):
    client = await ws_connect(compression_options={})
    assert "Sec-WebSocket-Extensions" not in client.conn.headers
    await client.join(await create_room(), "alice")
