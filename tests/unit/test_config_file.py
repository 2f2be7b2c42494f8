"""The config file: flags > environment > file > defaults, and one-line errors naming the option."""

from __future__ import annotations

from pathlib import Path

import pytest

from tornado_app.config import OPTIONS, Settings, load_settings


@pytest.fixture
def config(tmp_path):
    """`path = config("port = 9000")`: a TOML file with these lines."""

    def write(text: str) -> Path:
        path = tmp_path / "parley.toml"
        path.write_text(text)
        return path

    return write


def test_the_file_sets_every_kind_of_option(config, tmp_path):
    cert = tmp_path / "c.pem"
    cert.write_text("-")
    path = config(f"""
port = 9000
max-room-size = 4
allowed-origin = ["https://a.example", "https://b.example/"]
data-dir = "{tmp_path}"
behind-proxy = true
certfile = "{cert}"
stun-uri = "stun:stun.example.org:3478"
turn-uri = ["turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:5349"]
turn-secret = "s3cret"
turn-ttl = 3600
reconnect-grace = 2.5
log-format = "json"
metrics-token = "tok"
""")
    s = load_settings(["--config", str(path)], env={})
    assert (s.port, s.max_room_size, s.data_dir, s.behind_proxy) == (9000, 4, tmp_path, True)
    assert s.allowed_origins == ("https://a.example", "https://b.example")
    assert s.certfile == cert and s.stun_uris == ("stun:stun.example.org:3478",)
    assert s.turn_uris == ("turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:5349")
    assert (s.turn_secret, s.turn_ttl, s.reconnect_grace) == ("s3cret", 3600, 2.5)
    assert (s.log_format, s.metrics_token) == ("json", "tok")


def test_flags_beat_environment_beats_file_beats_defaults(config):
    path = config("port = 9000\nmax-room-size = 4\ncreate-room-rate = 5\nlan = true\n")
    env = {"PARLEY_CONFIG": str(path), "PARLEY_MAX_ROOM_SIZE": "6", "PARLEY_PORT": "9100",
           "PARLEY_LAN": "false"}
    s = load_settings(["--port", "9200"], env=env)
    assert s.port == 9200              # flag over environment and file
    assert s.max_room_size == 6        # environment over file
    assert s.create_room_rate == 5     # file over default
    assert s.lan is False              # environment over file, for a switch too
    assert s.ping_interval == 15.0     # default
    assert load_settings(["--config", str(path), "--lan"], env={"PARLEY_LAN": "0"}).lan is True


def test_repeatable_flags_replace_the_environment_list():
    env = {"PARLEY_STUN_URIS": "stun:a.example, stun:b.example"}
    assert load_settings([], env=env).stun_uris == ("stun:a.example", "stun:b.example")
    assert load_settings(["--stun-uri", "stun:c.example"], env=env).stun_uris == ("stun:c.example",)


def test_the_public_url_origin_may_open_the_websocket():
    s = load_settings(["--public-url", "https://meet.example.org/"], env={})
    assert s.public_url == "https://meet.example.org"
    assert s.allowed_origins == ("https://meet.example.org",)


def test_every_option_has_a_file_key_an_environment_variable_and_a_field():
    fields = set(Settings.__dataclass_fields__)
    for option in OPTIONS:
        assert option.field in fields and option.key == option.flag[2:]


@pytest.mark.parametrize("text, argv, env, named", [
    ("port = 70000\n", [], {}, "port (--port): must be a port number"),
    ("colour = 'blue'\n", [], {}, "colour: unknown option"),
    ("lan = 'yes'\n", [], {}, "lan (--lan): must be true or false"),
    ("port = [1]\n", [], {}, "port (--port): must be a single value"),
    ("port = \n", [], {}, "is not valid TOML"),
    ("", ["--turn-uri", "turn:t.example"], {}, "--turn-uri: needs --turn-secret"),
    ("", ["--turn-uri", "http://t.example", "--turn-secret", "x"], {}, "--turn-uri"),
    ("", ["--stun-uri", "stun:"], {}, "--stun-uri"),
    ("", [], {"PARLEY_TURN_TTL": "5"}, "PARLEY_TURN_TTL (--turn-ttl): must be at least 60"),
    ("", [], {"PARLEY_LAN": "maybe"}, "PARLEY_LAN (--lan)"),
    ("", ["--certfile", "/nonexistent/cert.pem"], {}, "no such file: /nonexistent/cert.pem"),
    ("", ["--log-format", "xml"], {}, "--log-format"),
    ("", ["--public-url", "meet.example.org"], {}, "--public-url"),
    ("", ["--metrics-port", "8080"], {}, "--metrics-port: must differ from --port"),
])
def test_a_bad_value_is_one_line_naming_the_option(config, capsys, text, argv, env, named):
    path = config(text)
    with pytest.raises(SystemExit) as exit_:
        load_settings(["--config", str(path), *argv], env=env)
    assert exit_.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert named in err[-1] and err[-1].startswith("parley-server: error:"), err


def test_a_missing_config_file_is_named(tmp_path, capsys):
    with pytest.raises(SystemExit):
        load_settings(["--config", str(tmp_path / "nope.toml")], env={})
    assert "nope.toml" in capsys.readouterr().err
