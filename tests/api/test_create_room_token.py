"""--create-room-token (issue 14): only who holds the operator's token may create rooms."""

from __future__ import annotations

import pytest

from tornado_app.config import load_settings

TOKEN = "operator-secret-7f3a"


def assert_unauthorized(response) -> None:
    assert response.status == 401, response
    body = response.json()
    assert body["code"] == "unauthorized", body
    assert TOKEN not in response.body.decode(), "the answer must not reveal the token"


@pytest.mark.parley_settings(create_room_token=TOKEN)
async def test_create_room_without_the_operator_token_is_401_unauthorized(fetch_json):
    assert_unauthorized(await fetch_json("POST", "/createRoom", {}))
    assert_unauthorized(await fetch_json("POST", "/createRoom", {}, headers={"Authorization": "Bearer wrong"}))
    assert_unauthorized(await fetch_json("POST", "/createRoom", {}, headers={"Authorization": TOKEN}))
    assert_unauthorized(await fetch_json("POST", "/createRoom", {},
                                         headers={"Authorization": f"Basic {TOKEN}"}))


@pytest.mark.parley_settings(create_room_token=TOKEN)
async def test_create_room_with_the_operator_token_makes_a_room_people_can_preflight(fetch_json):
    response = await fetch_json("POST", "/createRoom", {}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status == 201, response
    room_id = response.json()["roomId"]
    # Joining needs no token: the operator decides who opens meetings, not who attends them.
    assert (await fetch_json("POST", "/joinRoom", {"roomId": room_id})).status == 200


async def test_without_the_option_anyone_may_create_rooms(fetch_json):
    assert (await fetch_json("POST", "/createRoom", {})).status == 201


def test_the_option_works_as_flag_env_var_and_config_file_key(tmp_path):
    assert load_settings(["--create-room-token", TOKEN], {}).create_room_token == TOKEN
    assert load_settings([], {"PARLEY_CREATE_ROOM_TOKEN": TOKEN}).create_room_token == TOKEN
    config = tmp_path / "parley.toml"
    config.write_text(f'create_room_token = "{TOKEN}"\n')
    assert load_settings(["--config", str(config)], {}).create_room_token == TOKEN
    assert load_settings([], {}).create_room_token is None
