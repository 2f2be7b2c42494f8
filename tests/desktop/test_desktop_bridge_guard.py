"""Issue 11, finding 1: the desktop bridge answers only the app's own start page, and the window
shows only origins the user chose. Against the real app in a Qt WebEngine window under Xvfb."""

from __future__ import annotations

import os
import stat

import pytest
from support.polling import wait_for

from desktop_harness import start_screen_shown
from test_desktop_media import GET_USER_MEDIA, REFUSED, other_site  # noqa: F401 - a fixture

BRIDGE_CALLS = {
    "state": "state()",
    "host": "host('Mallory')",
    "host_lan": "host_lan('Mallory')",
    "discover": "discover()",
    "join": "join(location.origin + '/r/abc123', 'Mallory')",
    "connect": "connect(location.origin, 'Mallory')",
    "set_language": "set_language('de')",
}


def bridge(app, call: str) -> dict:
    """What the page gets back from `window.pywebview.api.<call>`."""
    answer = app.js_async(f"return await window.pywebview.api.{call};", timeout=20)
    assert answer["ok"], answer
    return answer["value"]


def log_text(app) -> str:
    return app.log_path.read_text(errors="replace")


@pytest.fixture
def system_browser(tmp_path, app_env):
    """An environment whose system browser (Python's `webbrowser`, through $BROWSER) only writes
    the URL it was asked to open into a file; returns (env, that file)."""
    opened = tmp_path / "opened.txt"
    script = tmp_path / "browser.sh"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{opened}"\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return {**app_env, "BROWSER": str(script)}, opened


def test_a_page_cannot_escape_to_a_blob_url_and_drive_the_app(start_app, other_site):
    app = start_app("--embedded")
    app.call("load", url=other_site)  # a page that got into the window somehow
    wait_for(lambda: app.call("url").startswith(other_site)
             and app.js("typeof window.pywebview?.api?.state === 'function'"), 20,
             "the page, with pywebview's bridge injected")
    # The audit's escalation: the page moves to a blob: URL of its own, where the old guard
    # ("not http(s)") let it call state() and join(<its origin>) and so get the camera.
    app.js("""
        const page = '<script>window.addEventListener("pywebviewready", async () => {'
          + 'await window.pywebview.api.join("' + location.origin + '/r/abc123", "M");'
          + 'location.href = "' + location.origin + '/escaped"; });<\\/script>';
        location.href = URL.createObjectURL(new Blob([page], {type: 'text/html'}));
        true;
    """)
    wait_for(lambda: "not opening blob:" in log_text(app), 20, "the blob: navigation is blocked")
    # Qt ends the refused navigation with a failed load, after which pywebview injects its bridge
    # into the page again: wait for that, so the calls below reach the bridge, not a half-made one.
    wait_for(lambda: log_text(app).count(f"page loaded: {other_site}") >= 2, 20,
             "the page's second 'loaded' event")
    wait_for(lambda: app.js("typeof window.pywebview?.api?.state === 'function'"), 20,
             "pywebview's bridge in the page again")
    assert app.call("url").startswith(other_site)
    assert "/escaped" not in app.call("url")
    for call in BRIDGE_CALLS.values():
        assert bridge(app, call)["ok"] is False, call
    assert app.js_async(GET_USER_MEDIA)["name"] in REFUSED
    assert "granting" not in log_text(app)


def test_a_meeting_server_the_user_opened_gets_no_bridge(start_app, other_site):
    app = start_app("--server", other_site)  # trusted for camera and microphone, not for the app
    assert app.call("url").startswith(other_site)
    for name, call in BRIDGE_CALLS.items():
        answer = bridge(app, call)
        assert answer == {"ok": False, "error": "this page may not control Parley"}, name
    assert app.call("url").startswith(other_site)  # nothing was hosted or opened
    assert "refused host_lan()" in log_text(app) and "refused discover()" in log_text(app)


def test_the_start_page_keeps_its_bridge(start_app):
    app = start_app()
    start_screen_shown(app)
    state = bridge(app, "state()")
    assert state["ok"] is True and "version" in state


def test_a_link_to_another_site_opens_in_the_system_browser(start_app, other_site, system_browser):
    env, opened = system_browser
    app = start_app(env=env)
    start_screen_shown(app)
    start = app.call("url")
    app.js(f"""
        const link = document.createElement('a');
        link.href = {other_site!r};
        document.body.append(link);
        link.click();
        true;
    """)
    wait_for(lambda: opened.exists() and opened.read_text().strip(), 20,
             "the system browser is asked to open the link")
    assert opened.read_text().split() == [other_site]
    assert app.call("url") == start  # the window stays on the start page
    assert bridge(app, "state()")["ok"] is True


def test_desktop_files_are_private(start_app, tmp_path):
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    (data / "desktop.json").write_text("{}")
    os.chmod(data / "desktop.json", 0o644)
    app = start_app(data_dir=data)
    start_screen_shown(app)
    bridge(app, "state()")
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    for path in data.rglob("*"):
        if path.is_symlink():
            continue
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, f"{path} is {oct(mode)}"


def test_a_new_window_opens_web_pages_in_the_system_browser_and_nothing_else(
        start_app, other_site, system_browser):
    env, opened = system_browser
    app = start_app(env=env)
    start_screen_shown(app)
    start = app.call("url")
    app.js(f"""
        for (const href of ['data:text/html,<p>x</p>', {other_site!r}]) {{
          const link = document.createElement('a');
          link.href = href;
          link.target = '_blank';
          document.body.append(link);
          link.click();
        }}
        true;
    """)
    wait_for(lambda: opened.exists() and opened.read_text().strip(), 20,
             "the system browser is asked to open the web page")
    wait_for(lambda: "not opening data:" in log_text(app), 20, "the data: window is blocked")
    assert opened.read_text().split() == [other_site]  # the data: URL never left the app
    assert app.call("url") == start


def test_the_built_in_start_page_keeps_its_bridge(start_app, tmp_path):
    # Another Parley window holds this data folder's server but does not answer: the app cannot
    # host, so it shows its built-in start page (start.html), which must still drive the app.
    from desktop.instance import InstanceLock

    data = tmp_path / "data"
    hung = InstanceLock(data)
    assert hung.acquire()
    try:
        app = start_app(data_dir=data)
        for shown in ("at start", "back to start"):
            wait_for(lambda: app.js("document.getElementById('version')?.textContent || ''")
                     .startswith("version "), 30, f"the built-in start page's version ({shown})",
                     on_timeout=lambda: app.js("document.body.innerText"))
            assert app.js("document.getElementById('error').textContent") == ""
            assert bridge(app, "state()")["ok"] is True
            assert "refused" not in log_text(app)
            if shown == "at start":
                app.call("start_page")  # what "back to start" does
    finally:
        hung.release()
