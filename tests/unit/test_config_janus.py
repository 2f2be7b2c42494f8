"""Issue 16's options: --janus-url (repeatable) and --mesh-max, and the room size they allow."""

from __future__ import annotations

import pytest

from tornado_app.config import load_settings


def test_without_janus_rooms_stay_a_mesh_of_at_most_eight():
    settings = load_settings([], {})
    assert (settings.janus_urls, settings.mesh_max, settings.max_room_size) == ((), 4, 8)


def test_janus_urls_come_from_flags_the_environment_and_the_file(tmp_path):
    flags = load_settings(["--janus-url", "ws://127.0.0.1:8188", "--janus-url", "ws://127.0.0.1:8189",
                           "--mesh-max", "2", "--max-room-size", "50"], {})
    assert flags.janus_urls == ("ws://127.0.0.1:8188", "ws://127.0.0.1:8189")
    assert (flags.mesh_max, flags.max_room_size) == (2, 50)
    env = load_settings([], {"PARLEY_JANUS_URLS": "ws://127.0.0.1:8188, ws://[::1]:8188",
                             "PARLEY_MESH_MAX": "3"})
    assert (env.janus_urls, env.mesh_max) == (("ws://127.0.0.1:8188", "ws://[::1]:8188"), 3)
    unix = load_settings(["--janus-url", "ws+unix:///run/janus/ws.sock"], {})
    assert unix.janus_urls == ("ws+unix:///run/janus/ws.sock",)
    path = tmp_path / "parley.toml"
    path.write_text('janus-url = ["ws://127.0.0.1:8188"]\nmesh-max = 5\nmax-room-size = 20\n')
    file = load_settings(["--config", str(path)], {})
    assert (file.janus_urls, file.mesh_max, file.max_room_size) == (("ws://127.0.0.1:8188",), 5, 20)


@pytest.mark.parametrize("argv, named", [
    (["--max-room-size", "9"], "--max-room-size: at most 8 in a mesh"),
    (["--max-room-size", "51", "--janus-url", "ws://127.0.0.1:8188"], "--max-room-size: at most 50"),
    (["--janus-url", "http://127.0.0.1:8188"], "--janus-url"),
    (["--janus-url", "ws+unix://relative.sock"], "--janus-url"),
    (["--mesh-max", "0"], "--mesh-max"),
])
def test_an_impossible_size_or_url_stops_the_server_with_one_line(capsys, argv, named):
    with pytest.raises(SystemExit) as exit_:
        load_settings(argv, {})
    assert exit_.value.code == 2
    assert named in capsys.readouterr().err
