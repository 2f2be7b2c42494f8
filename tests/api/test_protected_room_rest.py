"""A protected room's pre-flight and user list (issue 14): a link alone does not reveal who is in it."""

from __future__ import annotations

import pytest


@pytest.fixture
def protected_room(fetch_json):
    """`room_id, host_token = await protected_room(lobby=..., password=...)`."""

    async def create(**body):
        response = await fetch_json("POST", "/createRoom", body)
        assert response.status == 201, response
        return response.json()["roomId"], response.json()["hostToken"]

    return create


async def test_the_preflight_says_what_the_pre_join_page_must_ask(fetch_json, protected_room):
    open_room, _ = await protected_room()
    body = (await fetch_json("POST", "/joinRoom", {"roomId": open_room})).json()
    assert (body["passwordRequired"], body["lobby"], body["locked"]) == (False, False, False)
    password_room, _ = await protected_room(password="pw")
    body = (await fetch_json("POST", "/joinRoom", {"roomId": password_room})).json()
    assert (body["passwordRequired"], body["lobby"], body["locked"]) == (True, False, False)
    assert body["users"] == [] and body["screenSharer"] is None
    lobby_room, _ = await protected_room(lobby=True)
    body = (await fetch_json("POST", "/joinRoom", {"roomId": lobby_room})).json()
    assert (body["passwordRequired"], body["lobby"], body["locked"]) == (False, True, False)
    assert "pw" not in str(body)


@pytest.mark.parametrize("protection", [{"password": "pw"}, {"lobby": True}])
async def test_the_users_of_a_protected_room_need_its_host_token(fetch_json, protected_room, protection):
    room_id, host_token = await protected_room(**protection)
    other_room, other_token = await protected_room(**protection)
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Bearer {other_token}"},
                    {"Authorization": host_token}):
        response = await fetch_json("GET", f"/room/{room_id}/users", headers=headers)
        assert response.status == 403, (headers, response)
        assert response.json()["code"] == "notAllowed"
    response = await fetch_json("GET", f"/room/{room_id}/users", headers={"Authorization": f"Bearer {host_token}"})
    assert response.status == 200, response
    assert response.json()["users"] == []


async def test_an_open_room_lists_its_users_to_anyone(fetch_json, protected_room):
    room_id, _ = await protected_room()
    response = await fetch_json("GET", f"/room/{room_id}/users")
    assert response.status == 200 and response.json()["users"] == []
