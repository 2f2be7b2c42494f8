"""The HTTP API of docs/protocol.md: creating rooms, listing who is in one, health, the web client."""

from __future__ import annotations

import re

import pytest

import tornado_app

ROOM_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def assert_error(response, status: int, code: str) -> None:
    """An HTTP error as the protocol describes it: the status and a JSON `{code, message}`."""
    assert response.status == status, response
    body = response.json()
    assert body["code"] == code, body
    assert isinstance(body["message"], str) and body["message"], body


# --- POST /createRoom --------------------------------------------------------------------------


async def test_create_room_returns_201_and_an_unguessable_room_id(fetch_json):
    response = await fetch_json("POST", "/createRoom", {})
    assert response.status == 201
    room_id = response.json()["roomId"]
    assert ROOM_ID.match(room_id), room_id
    # secrets.token_urlsafe(16): 128 random bits are 22 base64url characters.
    assert len(room_id) >= 22


async def test_created_room_ids_are_unique(create_room):
    ids = [await create_room() for _ in range(20)]
    assert len(set(ids)) == len(ids)


async def test_creating_more_than_30_rooms_a_minute_from_one_address_is_rate_limited(fetch_json):
    for _ in range(30):
        assert (await fetch_json("POST", "/createRoom", {})).status == 201
    assert_error(await fetch_json("POST", "/createRoom", {}), 429, "rateLimited")


@pytest.mark.parley_settings(create_room_rate=3)
async def test_create_room_rate_is_configurable(fetch_json):
    for _ in range(3):
        assert (await fetch_json("POST", "/createRoom", {})).status == 201
    assert_error(await fetch_json("POST", "/createRoom", {}), 429, "rateLimited")


@pytest.mark.parley_settings(create_room_rate=3)
async def test_the_create_room_limit_is_per_client_address(fetch_json):
    for _ in range(3):
        assert (await fetch_json("POST", "/createRoom", {})).status == 201
    assert_error(await fetch_json("POST", "/createRoom", {}), 429, "rateLimited")
    # Another machine (another loopback address) is not held back by the first one.
    response = await fetch_json("POST", "/createRoom", {}, network_interface="127.0.0.2")
    assert response.status == 201


@pytest.mark.parley_settings(create_room_rate=0)
async def test_create_room_rate_zero_means_unlimited(fetch_json):
    for _ in range(40):
        assert (await fetch_json("POST", "/createRoom", {})).status == 201


# --- GET /room/<roomId>/users ------------------------------------------------------------------


async def test_a_new_room_lists_no_users(fetch_json, create_room):
    room_id = await create_room()
    response = await fetch_json("GET", f"/room/{room_id}/users")
    assert response.status == 200
    assert response.json() == {"roomId": room_id, "users": [], "screenSharer": None}


async def test_users_of_an_unknown_room_is_404_room_not_found(fetch_json):
    assert_error(await fetch_json("GET", "/room/doesNotExist123/users"), 404, "roomNotFound")


async def test_users_of_a_malformed_room_id_is_a_json_404(fetch_json):
    assert_error(await fetch_json("GET", f"/room/{'x' * 65}/users"), 404, "roomNotFound")


async def test_users_lists_everyone_in_the_room_with_their_mute_state(fetch_json, create_room,
                                                                      joined_client):
    room_id = await create_room()
    await joined_client(room_id, "alice", displayName="Alice", audioMuted=True)
    await joined_client(room_id, "bob", displayName="Bob", videoMuted=True)
    body = (await fetch_json("GET", f"/room/{room_id}/users")).json()
    assert body["roomId"] == room_id
    assert body["screenSharer"] is None
    assert sorted(body["users"], key=lambda u: u["userId"]) == [
        {"userId": "alice", "displayName": "Alice", "audioMuted": True,
         "videoMuted": False, "handRaisedAt": None, "role": "guest", "recording": False},
        {"userId": "bob", "displayName": "Bob", "audioMuted": False,
         "videoMuted": True, "handRaisedAt": None, "role": "guest", "recording": False},
    ]


async def test_users_shows_the_current_screen_sharer(fetch_json, meeting):
    alice, bob = await meeting("alice", "bob")
    alice.send("startScreenShare", {"userId": "alice", "roomId": alice.room_id})
    await alice.recv("screenShareActive")
    body = (await fetch_json("GET", f"/room/{alice.room_id}/users")).json()
    assert body["screenSharer"] == "alice"


async def test_a_user_who_closed_their_connection_is_no_longer_listed(fetch_json, meeting):
    alice, bob = await meeting("alice", "bob")
    bob.close()
    await alice.recv("userLeft")
    body = (await fetch_json("GET", f"/room/{alice.room_id}/users")).json()
    assert [u["userId"] for u in body["users"]] == ["alice"]


# --- POST /joinRoom (the pre-flight) -----------------------------------------------------------


async def test_join_room_preflight_says_where_to_connect_and_who_is_there(fetch_json, base_url,
                                                                          create_room, joined_client):
    room_id = await create_room()
    await joined_client(room_id, "alice", displayName="Alice")
    response = await fetch_json("POST", "/joinRoom", {"roomId": room_id})
    assert response.status == 200
    body = response.json()
    assert body["roomId"] == room_id
    assert body["wsUrl"] == base_url.replace("http://", "ws://") + "/ws"
    assert "iceServers" not in body  # TURN credentials only on a WebSocket join (#11)
    assert body["users"] == [
        {"userId": "alice", "displayName": "Alice", "audioMuted": False,
         "videoMuted": False, "handRaisedAt": None, "role": "guest", "recording": False}
    ]
    assert body["screenSharer"] is None
    assert body["maxRoomSize"] == 8


@pytest.mark.parley_settings(allowed_hosts=("meet.example.org",))
async def test_join_room_preflight_builds_the_ws_url_from_the_request_host(fetch_json, create_room):
    room_id = await create_room()
    response = await fetch_json("POST", "/joinRoom", {"roomId": room_id},
                                headers={"Host": "meet.example.org:8443"})
    assert response.json()["wsUrl"] == "ws://meet.example.org:8443/ws"


@pytest.mark.parley_settings(ice_servers=({"urls": "stun:stun.example.org:3478"},), max_room_size=3)
async def test_join_room_preflight_returns_the_size_but_no_ice_servers(fetch_json, create_room):
    room_id = await create_room()
    body = (await fetch_json("POST", "/joinRoom", {"roomId": room_id})).json()
    assert "iceServers" not in body  # they come with `joined` on the WebSocket (#11)
    assert body["maxRoomSize"] == 3


async def test_join_room_preflight_of_an_unknown_room_is_404(fetch_json):
    assert_error(await fetch_json("POST", "/joinRoom", {"roomId": "noSuchRoom"}), 404, "roomNotFound")


@pytest.mark.parley_settings(max_room_size=2)
async def test_join_room_preflight_of_a_full_room_is_409(fetch_json, meeting):
    alice, _bob = await meeting("alice", "bob")
    assert_error(await fetch_json("POST", "/joinRoom", {"roomId": alice.room_id}), 409, "roomFull")


@pytest.mark.parametrize("body", [
    pytest.param("{}", id="no-roomId"),
    pytest.param('{"roomId": 42}', id="roomId-not-a-string"),
    pytest.param('{"roomId": "bad room!"}', id="roomId-malformed"),
    pytest.param("not json", id="not-json"),
    pytest.param("[]", id="not-an-object"),
])
async def test_join_room_preflight_with_a_bad_body_is_400(fetch_json, body):
    response = await fetch_json("POST", "/joinRoom", raw_body=body,
                                headers={"Content-Type": "application/json"})
    assert_error(response, 400, "invalidPayload")


async def test_join_room_preflight_reserves_nothing(fetch_json, create_room):
    room_id = await create_room()
    await fetch_json("POST", "/joinRoom", {"roomId": room_id})
    assert (await fetch_json("GET", f"/room/{room_id}/users")).json()["users"] == []


# --- POST /leaveRoom ---------------------------------------------------------------------------


async def test_leave_room_with_the_resume_token_removes_the_user_at_once(fetch_json, meeting,
                                                                        raw_ws_connect):
    # reconnect_grace is 10 s: userLeft within RECV_TIMEOUT can only come from /leaveRoom.
    (alice,) = await meeting("alice")
    raw = await raw_ws_connect()
    joined = await raw.join(alice.room_id, "bob")
    await alice.recv("userJoined")
    raw.drop()
    response = await fetch_json("POST", "/leaveRoom", {
        "roomId": alice.room_id, "userId": "bob", "resumeToken": joined["resumeToken"]})
    assert response.status == 200
    assert response.json() == {"left": True}
    assert await alice.recv("userLeft") == {"userId": "bob"}
    users = (await fetch_json("GET", f"/room/{alice.room_id}/users")).json()["users"]
    assert [u["userId"] for u in users] == ["alice"]


async def test_leave_room_accepts_a_json_blob_beacon(fetch_json, meeting, raw_ws_connect):
    # The client's sendBeacon sends a Blob typed application/json (text/plain gets 415 since #11).
    (alice,) = await meeting("alice")
    raw = await raw_ws_connect()
    joined = await raw.join(alice.room_id, "bob")
    await alice.recv("userJoined")
    raw.drop()
    body = (f'{{"roomId": "{alice.room_id}", "userId": "bob", '
            f'"resumeToken": "{joined["resumeToken"]}"}}')
    response = await fetch_json("POST", "/leaveRoom", raw_body=body,
                                headers={"Content-Type": "application/json"})
    assert response.status == 200
    assert await alice.recv("userLeft") == {"userId": "bob"}


async def test_leave_room_of_a_sharer_stops_the_share_then_removes_them(fetch_json, meeting,
                                                                        raw_ws_connect):
    (alice,) = await meeting("alice")
    raw = await raw_ws_connect()
    joined = await raw.join(alice.room_id, "bob")
    await alice.recv("userJoined")
    raw.send("startScreenShare", {"userId": "bob", "roomId": alice.room_id})
    await raw.recv("screenShareActive")
    assert (await alice.recv("screenShareActive"))["sharingUserId"] == "bob"
    raw.drop()
    await fetch_json("POST", "/leaveRoom", {
        "roomId": alice.room_id, "userId": "bob", "resumeToken": joined["resumeToken"]})
    assert await alice.recv("screenShareStopped") == {"stoppedUserId": "bob"}
    assert await alice.recv("userLeft") == {"userId": "bob"}


async def test_leave_room_with_a_wrong_token_is_403_and_removes_nobody(fetch_json, meeting):
    alice, bob = await meeting("alice", "bob")
    response = await fetch_json("POST", "/leaveRoom", {
        "roomId": alice.room_id, "userId": "bob", "resumeToken": alice.resume_token})
    assert_error(response, 403, "notAllowed")
    # Bob is still there: he can still be offered to.
    alice.send("offer", {"sdp": {"type": "offer", "sdp": "v=0"}, "targetId": "bob"})
    assert (await bob.recv("offer"))["senderId"] == "alice"


async def test_leave_room_of_an_unknown_room_is_404(fetch_json):
    response = await fetch_json("POST", "/leaveRoom", {
        "roomId": "noSuchRoom", "userId": "bob", "resumeToken": "x"})
    assert_error(response, 404, "roomNotFound")


async def test_leave_room_of_an_unknown_user_is_404(fetch_json, create_room):
    room_id = await create_room()
    response = await fetch_json("POST", "/leaveRoom", {
        "roomId": room_id, "userId": "nobody", "resumeToken": "x"})
    assert_error(response, 404, "userNotFound")


@pytest.mark.parametrize("body", [
    pytest.param('{"roomId": "r", "userId": "u"}', id="no-token"),
    pytest.param('{"userId": "u", "resumeToken": "t"}', id="no-roomId"),
    pytest.param('{"roomId": "r", "userId": 7, "resumeToken": "t"}', id="userId-not-a-string"),
    pytest.param("{", id="not-json"),
])
async def test_leave_room_with_a_bad_body_is_400(fetch_json, body):
    response = await fetch_json("POST", "/leaveRoom", raw_body=body,
                                headers={"Content-Type": "application/json"})
    assert_error(response, 400, "invalidPayload")


# --- GET /healthz ------------------------------------------------------------------------------


async def test_healthz_reports_ok_with_version_and_counts(fetch_json):
    response = await fetch_json("GET", "/healthz")
    assert response.status == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["version"] == tornado_app.__version__
    assert isinstance(body["rooms"], int) and isinstance(body["connections"], int)


async def test_healthz_counts_open_signaling_connections(fetch_json, meeting):
    before = (await fetch_json("GET", "/healthz")).json()["connections"]
    await meeting("alice", "bob")
    assert (await fetch_json("GET", "/healthz")).json()["connections"] == before + 2


async def test_an_unknown_path_is_a_json_404(fetch_json):
    response = await fetch_json("GET", "/no/such/thing")
    assert response.status == 404
    assert isinstance(response.json()["code"], str)


# --- the web client ----------------------------------------------------------------------------


async def test_root_serves_the_web_client_or_says_it_is_not_built(fetch_json):
    response = await fetch_json("GET", "/")
    if response.status == 503:
        assert_error(response, 503, "uiNotBuilt")
    else:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/html")
        assert b"<html" in response.body.lower()


async def test_a_room_link_serves_the_same_document_as_root(fetch_json, create_room):
    room_id = await create_room()
    root = await fetch_json("GET", "/")
    link = await fetch_json("GET", f"/r/{room_id}")
    assert link.status == root.status
    assert link.body == root.body
