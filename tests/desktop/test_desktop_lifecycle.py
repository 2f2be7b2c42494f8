"""Starting, hosting and closing the desktop app as a user does it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.request

from support.polling import wait_for

from desktop_harness import ROOT, field_value, fill_in, healthz, press, start_screen_shown


def run_cli(*args: str, env: dict, timeout: float = 60) -> subprocess.CompletedProcess:
    """`python -m desktop ARGS` to completion."""
    return subprocess.run([sys.executable, "-m", "desktop", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def test_closing_the_window_stops_the_embedded_server(start_app, tmp_path):
    app = start_app("--embedded")
    assert healthz(app.server)["status"] == "ok"
    assert app.call("window")["visible"]

    exited = app.close()

    assert exited == {"event": "exited", "status": 0, "server_stopped": True}
    assert app.process.returncode == 0
    assert healthz(app.server) is None
    log = (tmp_path / "data" / "logs" / "desktop.log").read_text()
    assert "embedded server stopped" in log


def test_second_window_shares_the_first_ones_server(start_app, tmp_path):
    first = start_app("--embedded")
    second = start_app("--embedded", data_dir=tmp_path / "data")

    assert second.server == first.server  # no second server fighting over the port and the rooms
    second.close()
    assert healthz(first.server)["status"] == "ok"  # closing the guest leaves the host serving
    first.close()
    assert healthz(first.server) is None


def test_a_port_in_use_is_a_clear_error(app_env, tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_cli("--embedded", "--port", str(port), "--data-dir", str(tmp_path), env=app_env)
    assert result.returncode == 1
    assert f"cannot host on port {port}" in result.stderr
    assert "--port" in result.stderr


def test_no_display_is_a_clear_error(app_env, tmp_path):
    env = {key: value for key, value in app_env.items() if key not in ("DISPLAY", "WAYLAND_DISPLAY")}
    result = run_cli("--embedded", "--data-dir", str(tmp_path), env=env)
    assert result.returncode == 2
    assert "no display" in result.stderr and "parley-server" in result.stderr


def test_version(app_env):
    from tornado_app import __version__

    result = run_cli("--version", env=app_env)
    assert result.returncode == 0
    assert result.stdout.strip() == f"parley-desktop {__version__}"


def test_start_screen_hosts_a_meeting_and_remembers_the_name(start_app, tmp_path):
    app = start_app()
    # The web client's start screen, from the app's own server on this computer only.
    assert app.server.startswith("http://127.0.0.1:")
    assert app.ready["url"].startswith(app.server)
    start_screen_shown(app)
    assert app.js("document.querySelector('h1').textContent") == "Parley"
    assert healthz(app.server)["rooms"] == 0  # no meeting exists until the user hosts one

    fill_in(app, "Your name", "Ada")
    press(app, "Host a meeting")
    url = wait_for(lambda: (u := app.call("url")) and "/r/" in u and u, 20, "the meeting page")

    server, room = url.split("/r/")
    room_id = room.split("?")[0]
    assert server + "/" == app.server  # hosted on the embedded server
    assert room.endswith("?name=Ada")
    with urllib.request.urlopen(f"{server}/room/{room_id}/users", timeout=5) as response:
        assert json.load(response)["roomId"] == room_id  # a real room on the embedded server
    assert healthz(app.server)["rooms"] == 1
    media = app.js_async("return (await navigator.mediaDevices.getUserMedia({video: true}))"
                         ".getVideoTracks()[0].readyState")
    assert media == {"ok": True, "value": "live"}

    # "Back to start" shows the same start screen, from the same server.
    assert app.call("start_page").startswith(app.server)
    start_screen_shown(app)
    app.close()

    again = start_app(data_dir=tmp_path / "data")
    assert wait_for(lambda: field_value(again, "Your name"), 30, "the remembered name") == "Ada"


def test_server_option_opens_that_server_and_lists_it_as_recent(start_app, tmp_path):
    host = start_app("--embedded", data_dir=tmp_path / "host")
    # Its own data folder: this window is only a client of `host`'s server.
    client = start_app("--server", host.server, data_dir=tmp_path / "client")
    assert client.call("url") == host.server
    media = client.js_async("return (await navigator.mediaDevices.getUserMedia({audio: true}))"
                            ".getAudioTracks()[0].readyState")
    assert media == {"ok": True, "value": "live"}
    prefs = json.loads((tmp_path / "client" / "desktop.json").read_text())
    assert prefs["recent"] == [host.server]


def test_started_as_a_new_user_would_the_start_screen_shows(start_app, xvfb):
    # Nothing test-only: no Chromium flags, no sandbox switch; just a display. Run as root (as
    # here), QtWebEngine's sandbox used to stop the window with "Running as root without
    # --no-sandbox is not supported" and the app said nothing.
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("QTWEBENGINE_") and key != "WAYLAND_DISPLAY"}
    env["DISPLAY"] = xvfb.display
    app = start_app(env=env)
    start_screen_shown(app)
    assert app.js("document.querySelector('h1').textContent") == "Parley"
    warnings = [line for line in app.log_tail(400).splitlines() if "running as root" in line]
    if os.geteuid() == 0:
        assert len(warnings) == 1 and "without its sandbox" in warnings[0], warnings
    else:
        assert warnings == []


def test_an_unusable_data_folder_is_one_clear_error_and_can_be_fixed_and_retried(start_app,
                                                                                 tmp_path):
    from desktop.instance import InstanceLock

    data = tmp_path / "data"
    data.mkdir()
    (data / "rooms.sqlite3").write_text("not a database")
    app = start_app(data_dir=data)  # cannot host: the built-in start page
    wait_for(lambda: app.js("document.getElementById('version')?.textContent || ''"), 30,
             "the built-in start page", on_timeout=lambda: app.js("document.body.innerText"))
    tried = app.js_async("return await window.pywebview.api.host('Ada');", timeout=30)
    assert tried["ok"] and tried["value"]["ok"] is False, tried
    assert "is not a usable room database" in tried["value"]["error"]
    assert "move it away" in tried["value"]["error"]
    other = InstanceLock(data)  # nothing half-started holds the folder
    assert other.acquire()
    other.release()

    (data / "rooms.sqlite3").rename(data / "rooms.broken")  # what the message says to do
    press(app, "Host a meeting")
    url = wait_for(lambda: (u := app.call("url")) and "/r/" in u and u, 30, "the meeting page")
    assert url.startswith("http://127.0.0.1:")
    log = (data / "logs" / "desktop.log").read_text()
    assert log.count("cannot host: ") == 1 and "Traceback" not in log
