"""Finding 15: display names lose bidi overrides and zero-width characters, and are NFC.

A name with U+202E (right-to-left override) and U+200B (zero-width space) could pass for
someone else's; through a real WebSocket join the other participant receives it cleaned.
"""

from __future__ import annotations

import unicodedata


async def test_a_spoofing_name_reaches_the_others_cleaned(meeting, joined_client, fetch_json):
    (alice,) = await meeting("alice")
    # U+202E shows "ecila" as "alice"; zero-width characters hide; "o" + U+0301 is a decomposed ó
    spoof = "\u202eecila\u200b\u200d Bo\u0301b\ufeff"
    mallory = await joined_client(alice.room_id, "mallory", displayName=spoof)
    seen = await alice.recv("userJoined")
    assert seen["userId"] == "mallory"
    assert seen["displayName"] == "ecila B\u00f3b"
    assert all(unicodedata.category(ch) != "Cf" for ch in seen["displayName"])
    listed = (await fetch_json("GET", f"/room/{alice.room_id}/users")).json()["users"]
    assert {u["userId"]: u["displayName"] for u in listed}["mallory"] == "ecila B\u00f3b"
    mallory.close()


async def test_a_name_of_only_invisible_characters_becomes_guest(meeting, joined_client):
    (alice,) = await meeting("alice")
    await joined_client(alice.room_id, "ghost", displayName="\u200b\u202e\u2066 \u200f")
    assert (await alice.recv("userJoined"))["displayName"] == "Guest"
