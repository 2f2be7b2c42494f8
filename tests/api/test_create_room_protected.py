"""POST /createRoom with {lobby?, password?} (issue 14): a host token back, only digests kept."""

from __future__ import annotations

import json

import pytest

from tornado_app import admission

PASSWORD = "correct horse battery"


def parley_of(app):
    """The Parley object the app's handlers share (its store holds the room's settings record)."""
    return app.settings["parley"]


async def test_create_room_answers_a_host_token_of_at_least_128_bits(fetch_json):
    first = await fetch_json("POST", "/createRoom", {})
    second = await fetch_json("POST", "/createRoom", {})
    assert first.status == second.status == 201
    tokens = [first.json()["hostToken"], second.json()["hostToken"]]
    assert all(isinstance(t, str) and len(t) >= 22 for t in tokens)  # 128 bits are 22 base64url chars
    assert tokens[0] != tokens[1]


async def test_create_room_with_no_body_still_works(fetch_json):
    response = await fetch_json("POST", "/createRoom", raw_body=b"",
                                headers={"Content-Type": "application/json"})
    assert response.status == 201, response
    assert response.json()["hostToken"]


async def test_the_store_keeps_only_digests_of_the_token_and_the_password(fetch_json, app):
    response = await fetch_json("POST", "/createRoom", {"lobby": True, "password": PASSWORD})
    assert response.status == 201, response
    body = response.json()
    assert PASSWORD not in response.body.decode()
    stored = await parley_of(app).meetings.store.room_settings(body["roomId"])
    assert stored is not None and PASSWORD not in stored and body["hostToken"] not in stored
    record = json.loads(stored)
    assert record["lobby"] is True and record["locked"] is False
    assert admission.host_token_matches(record["hostTokenSha256"], body["hostToken"])
    assert admission.check_password(record["passwordHash"], PASSWORD)
    assert not admission.check_password(record["passwordHash"], PASSWORD + "!")


@pytest.mark.parametrize("bad", [{"password": ""}, {"password": "x" * 129}, {"password": 5}, {"lobby": "yes"}])
async def test_a_bad_password_or_lobby_is_400_invalid_payload_and_creates_nothing(fetch_json, app, bad):
    parley = parley_of(app)
    before = await parley.meetings.store.room_count()
    response = await fetch_json("POST", "/createRoom", bad)
    assert response.status == 400, response
    assert response.json()["code"] == "invalidPayload"
    assert "x" * 129 not in response.body.decode()
    assert await parley.meetings.store.room_count() == before
