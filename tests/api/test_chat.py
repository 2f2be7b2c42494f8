"""Chat, raised hands and reactions over real WebSockets (docs/protocol.md, "Chat, raised hands and
reactions"): who receives what, what a late joiner and a resumed client read, the chat's own rate
limit, and that no bad message costs anyone their connection."""

from __future__ import annotations

OFFER = {"type": "offer", "sdp": "v=0\r\n"}


async def test_a_public_message_reaches_everyone_including_the_sender(meeting):
    alice, bob, carol = await meeting("alice", "bob", "carol")
    alice.send("chat", {"text": "  <img src=x onerror=alert(1)>  "})
    for client in (alice, bob, carol):
        message = await client.recv("chat")
        assert message["senderId"] == "alice" and message["displayName"] == "Guest"
        assert message["text"] == "<img src=x onerror=alert(1)>"  # kept as text, trimmed
        assert "targetId" not in message and isinstance(message["sentAt"], int)


async def test_a_private_message_reaches_only_its_target_and_never_a_third_user(meeting,
                                                                                joined_client):
    alice, bob, carol = await meeting("alice", "bob", "carol")
    alice.send("chat", {"text": "only for Bob", "targetId": "bob"})
    assert (await bob.recv("chat"))["targetId"] == "bob"
    assert (await alice.recv("chat"))["text"] == "only for Bob"
    # Carol's next message is the public one that follows, not the private one.
    bob.send("chat", {"text": "hello all"})
    assert (await carol.recv("chat"))["text"] == "hello all"
    dave = await joined_client(alice.room_id, "dave")
    assert [m["text"] for m in dave.joined["chat"]] == ["hello all"]


async def test_a_late_joiner_and_a_resumed_client_read_the_conversation_in_order(meeting,
                                                                                joined_client):
    alice, bob = await meeting("alice", "bob")
    for i, (sender, target) in enumerate([(alice, None), (bob, "alice"), (bob, None),
                                          (alice, "bob"), (alice, None)]):
        sender.send("chat", {"text": f"m{i}", **({"targetId": target} if target else {})})
        await alice.recv("chat")
        await bob.recv("chat")
    carol = await joined_client(alice.room_id, "carol")
    assert [m["text"] for m in carol.joined["chat"]] == ["m0", "m2", "m4"]
    await alice.recv("userJoined")
    back = await joined_client(alice.room_id, "alice", resumeToken=alice.resume_token)
    assert [m["text"] for m in back.joined["chat"]] == ["m0", "m1", "m2", "m3", "m4"]
    ids = [int(m["messageId"]) for m in back.joined["chat"]]
    assert ids == sorted(ids) and len(set(ids)) == 5


async def test_the_conversation_is_gone_once_the_room_empties(meeting, joined_client):
    alice, bob = await meeting("alice", "bob")
    alice.send("chat", {"text": "before the end"})
    await bob.recv("chat")
    alice.close()
    await bob.recv("userLeft")
    bob.close()
    await bob.wait_closed()
    # Bob's departure is the room's last: a newcomer finds an empty conversation.
    carol = await joined_client(alice.room_id, "carol")
    assert carol.joined["chat"] == []


async def test_bad_chat_and_reactions_get_a_clear_error_and_keep_the_connection(meeting):
    alice, bob = await meeting("alice", "bob")
    for payload in ({"text": "   "}, {"text": "x" * 2001}, {"text": 5}, {}):
        alice.send("chat", payload)
        error = await alice.recv_error("invalidPayload")
        assert "chat" in error["message"]
    alice.send("chat", {"text": "hi", "targetId": "nobody"})
    await alice.recv_error("targetNotFound")
    for emoji in ("💩", "", "👍👍"):
        alice.send("reaction", {"emoji": emoji})
        await alice.recv_error("invalidPayload")
    alice.send("hand", {"raised": "yes"})
    await alice.recv_error("invalidPayload")
    # Still in the meeting, and Bob got none of it.
    alice.send("offer", {"sdp": OFFER, "targetId": "bob"})
    assert (await bob.recv("offer"))["senderId"] == "alice"


async def test_chat_has_its_own_rate_limit_and_signaling_still_flows(meeting):
    alice, bob = await meeting("alice", "bob")
    # 25 at once: the first 10 pass (a bucket of 10, refilled at 1 a second), most others not.
    for i in range(25):
        alice.send("reaction" if i % 2 else "chat", {"emoji": "👍"} if i % 2 else {"text": f"{i}"})
    alice.send("offer", {"sdp": OFFER, "targetId": "bob"})
    delivered = 0
    while (message := await bob.recv_any())["type"] != "offer":  # signaling is not held back
        assert message["type"] in ("chat", "reaction")
        delivered += 1
    assert 10 <= delivered < 25
    refused = 0
    for _ in range(25):
        message = await alice.recv_any()
        if message["type"] == "error":
            assert message["payload"]["code"] == "rateLimited"
            refused += 1
    assert refused == 25 - delivered  # each refused one was answered, none was delivered


async def test_hands_carry_the_server_time_and_everyone_sees_the_same_order(meeting, joined_client,
                                                                           fetch_json):
    alice, bob, carol = await meeting("alice", "bob", "carol")
    carol.send("hand", {"raised": True})
    first = await alice.recv("hand")
    assert first["userId"] == "carol" and first["raised"] is True
    assert await carol.recv("hand") == first and await bob.recv("hand") == first
    bob.send("hand", {"raised": True})
    second = await alice.recv("hand")
    assert second["raisedAt"] >= first["raisedAt"]
    dave = await joined_client(alice.room_id, "dave")
    raised = {u["userId"]: u["handRaisedAt"] for u in dave.joined["users"]}
    assert raised == {"alice": None, "bob": second["raisedAt"], "carol": first["raisedAt"]}
    listed = (await fetch_json("GET", f"/room/{alice.room_id}/users")).json()["users"]
    assert {u["userId"]: u["handRaisedAt"] for u in listed} == {**raised, "dave": None}
    await alice.recv("userJoined")
    carol.send("hand", {"raised": False})
    assert await alice.recv("hand") == {"userId": "carol", "raised": False, "raisedAt": None}


async def test_a_reaction_reaches_everyone_including_the_sender(meeting):
    alice, bob = await meeting("alice", "bob")
    bob.send("reaction", {"emoji": "❤️"})
    for client in (alice, bob):
        assert await client.recv("reaction") == {"userId": "bob", "emoji": "❤️"}
