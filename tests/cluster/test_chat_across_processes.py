"""Chat, hands and reactions when a room spans two server processes on one Redis."""

from __future__ import annotations

import asyncio

from support.polling import wait_for


async def test_chat_crosses_processes_and_a_joiner_on_either_reads_it(nodes, connect, ann_and_bob):
    room, ann, bob = await ann_and_bob()  # Ann on the first process, Bob on the second
    # Ann's message reaches both before Bob writes: sent at once from two processes, either could
    # be first, and both would see the same order (that is all the protocol promises).
    await ann.send("chat", {"text": "hello from one"})
    for client in (ann, bob):
        assert (await client.recv("chat"))["text"] == "hello from one"
    await bob.send("chat", {"text": "just for Ann", "targetId": "ann"})
    await bob.send("chat", {"text": "hello from two"})
    for client in (ann, bob):
        texts = [(await client.recv("chat"))["text"] for _ in range(2)]
        assert texts == ["just for Ann", "hello from two"]
    cat = await connect(nodes[0], "cat")
    joined = await cat.join(room)
    assert [m["text"] for m in joined["chat"]] == ["hello from one", "hello from two"]
    dan = await connect(nodes[1], "dan")
    assert [m["text"] for m in (await dan.join(room))["chat"]] == ["hello from one",
                                                                   "hello from two"]


async def test_hands_and_reactions_reach_the_other_process(ann_and_bob, nodes):
    room, ann, bob = await ann_and_bob()
    await bob.send("hand", {"raised": True})
    hand = await ann.recv("hand")
    assert hand["userId"] == "bob" and hand["raised"] is True
    assert await bob.recv("hand") == hand
    status, body = await asyncio.to_thread(nodes[0].http, "GET", f"/room/{room}/users")
    assert status == 200
    assert {u["userId"]: u["handRaisedAt"] for u in body["users"]} == {
        "ann": None, "bob": hand["raisedAt"]}
    await ann.send("reaction", {"emoji": "👏"})
    for client in (ann, bob):
        assert await client.recv("reaction") == {"userId": "ann", "emoji": "👏"}


async def test_the_conversation_goes_when_the_last_person_leaves_either_process(
        nodes, connect, ann_and_bob):
    room, ann, bob = await ann_and_bob()
    await ann.send("chat", {"text": "the end is near"})
    await bob.recv("chat")
    await ann.ws.close()
    await bob.recv("userLeft")
    await bob.ws.close()
    # The second process removes Bob at once (a deliberate close); the room is then empty.
    await asyncio.to_thread(wait_for, lambda: not nodes[0].http("GET", f"/room/{room}/users")[1]["users"],
                            10, "the room to be empty")
    cat = await connect(nodes[0], "cat")
    assert (await cat.join(room))["chat"] == []
