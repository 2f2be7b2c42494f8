"""Finding 10 (first half): a page on another site could `POST /createRoom` with a text/plain body
(a "simple" request, no CORS pre-flight) and get 201. POSTs now need `Content-Type:
application/json` (415 `unsupportedMediaType` otherwise) and, when the browser names an Origin, an
allowed one (403 `originNotAllowed`)."""

from __future__ import annotations

import pytest
from http_policy_support import assert_error


async def test_a_text_plain_create_room_is_refused_and_makes_no_room(fetch_json):
    before = (await fetch_json("GET", "/healthz")).json()["rooms"]
    response = await fetch_json("POST", "/createRoom", raw_body="{}",
                                headers={"Content-Type": "text/plain;charset=UTF-8"})
    assert_error(response, 415, "unsupportedMediaType")
    assert (await fetch_json("GET", "/healthz")).json()["rooms"] == before


@pytest.mark.parametrize("content_type", [None, "application/x-www-form-urlencoded",
                                          "text/html", "text/json"])
async def test_every_post_endpoint_needs_json(fetch_json, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    for path in ("/createRoom", "/joinRoom", "/leaveRoom"):
        response = await fetch_json("POST", path, raw_body='{"roomId": "r"}', headers=headers)
        assert_error(response, 415, "unsupportedMediaType")


async def test_a_text_plain_leave_room_removes_nobody(fetch_json, meeting):
    alice, bob = await meeting("alice", "bob")
    body = (f'{{"roomId": "{alice.room_id}", "userId": "bob", '
            f'"resumeToken": "{bob.resume_token}"}}')
    response = await fetch_json("POST", "/leaveRoom", raw_body=body,
                                headers={"Content-Type": "text/plain"})
    assert_error(response, 415, "unsupportedMediaType")
    users = (await fetch_json("GET", f"/room/{alice.room_id}/users")).json()["users"]
    assert [user["userId"] for user in users] == ["alice", "bob"]


async def test_a_cross_site_json_post_is_403(fetch_json):
    response = await fetch_json("POST", "/createRoom", {},
                                headers={"Origin": "https://attacker.example"})
    assert_error(response, 403, "originNotAllowed")


async def test_the_servers_own_origin_may_post(fetch_json, base_url):
    response = await fetch_json("POST", "/createRoom", {}, headers={"Origin": base_url})
    assert response.status == 201


@pytest.mark.parley_settings(allowed_origins=("https://portal.example.org",))
async def test_an_allowed_origin_may_post(fetch_json):
    response = await fetch_json("POST", "/createRoom", {},
                                headers={"Origin": "https://portal.example.org"})
    assert response.status == 201


async def test_json_with_a_charset_is_json(fetch_json):
    response = await fetch_json("POST", "/createRoom", raw_body="{}",
                                headers={"Content-Type": "application/json; charset=utf-8"})
    assert response.status == 201
