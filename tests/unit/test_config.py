"""Settings: flags over environment over defaults, and one-line errors naming the option."""

from __future__ import annotations

from pathlib import Path

import pytest

from tornado_app.config import Settings, load_settings


def test_defaults_are_the_documented_ones():
    settings = load_settings([], env={})
    assert (settings.host, settings.port, settings.max_room_size) == ("127.0.0.1", 8080, 8)
    assert settings.allowed_origins == () and settings.log_level == "info"


def test_environment_sets_and_flags_override():
    env = {"PARLEY_PORT": "9000", "PARLEY_MAX_ROOM_SIZE": "4", "PARLEY_DATA_DIR": "/tmp/x",
           "PARLEY_ALLOWED_ORIGINS": "https://a.example, https://b.example:8443/"}
    settings = load_settings(["--port", "9100"], env=env)
    assert settings.port == 9100 and settings.max_room_size == 4
    assert settings.data_dir == Path("/tmp/x")
    assert settings.allowed_origins == ("https://a.example", "https://b.example:8443")


def test_repeated_allowed_origin_flags_accumulate():
    settings = load_settings(["--allowed-origin", "https://a.example",
                              "--allowed-origin", "http://b.example"], env={})
    assert settings.allowed_origins == ("https://a.example", "http://b.example")


@pytest.mark.parametrize("argv, env, named", [
    (["--port", "99999"], {}, "--port"),
    (["--max-room-size", "0"], {}, "--max-room-size"),
    ([], {"PARLEY_PORT": "eighty"}, "PARLEY_PORT"),
    (["--log-level", "loud"], {}, "--log-level"),
    (["--allowed-origin", "example.org"], {}, "--allowed-origin"),
    (["--ui-dir", "/no/such/folder"], {}, "--ui-dir"),
    ([], {"PARLEY_UI_DIR": "/tmp"}, "PARLEY_UI_DIR"),  # a folder without index.html
])
def test_bad_values_exit_with_an_error_naming_the_option(argv, env, named, capsys):
    with pytest.raises(SystemExit) as exit_:
        load_settings(argv, env=env)
    assert exit_.value.code == 2
    assert named in capsys.readouterr().err


def test_settings_are_frozen():
    with pytest.raises(AttributeError):
        Settings().port = 1  # type: ignore[misc]


def test_ui_dir_names_a_built_client_from_flag_or_environment(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    for folder in (first, second):
        folder.mkdir()
        (folder / "index.html").write_text("<!doctype html>")
    assert load_settings([], env={}).ui_dir is None  # the client inside the package
    assert load_settings([], env={"PARLEY_UI_DIR": str(first)}).ui_dir == first
    assert load_settings(["--ui-dir", str(second)], env={"PARLEY_UI_DIR": str(first)}).ui_dir == second


def test_a_secret_that_starts_with_a_dash_is_taken_in_the_equals_form():
    # secrets.token_urlsafe starts with "-" one time in 64; as a separate word argparse reads it as an
    # option ("expected one argument"), so the harness and the docs pass secrets as --option=value.
    key = "-4xQ_secret"
    assert load_settings([f"--janus-admin-key={key}"], env={}).janus_admin_key == key
    with pytest.raises(SystemExit):
        load_settings(["--janus-admin-key", key], env={})
