"""Camera, microphone and screen inside the desktop window: granted to the app's server, nobody else."""

from __future__ import annotations

import http.server
import threading

import pytest

GET_USER_MEDIA = """
const stream = await navigator.mediaDevices.getUserMedia({video: true, audio: true});
return stream.getTracks().map(t => ({kind: t.kind, state: t.readyState}));
"""
# A refused request rejects with NotAllowedError in Chromium; QtWebEngine reports its embedder's
# denial as AbortError("Invalid state"). Either way the page gets no track.
REFUSED = ("NotAllowedError", "AbortError")
GET_DISPLAY_MEDIA = """
const stream = await navigator.mediaDevices.getDisplayMedia({video: true});
const settings = stream.getVideoTracks()[0].getSettings();
return {state: stream.getVideoTracks()[0].readyState, surface: settings.displaySurface,
        width: settings.width, height: settings.height};
"""


@pytest.fixture
def other_site():
    """A plain web page on another origin (another port on this machine)."""

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            body = b"<!doctype html><title>Elsewhere</title><p>another site</p>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_own_server_gets_live_camera_microphone_and_real_screen(start_app):
    app = start_app("--embedded")

    media = app.js_async(GET_USER_MEDIA)
    assert media["ok"], media
    assert sorted((t["kind"], t["state"]) for t in media["value"]) == [("audio", "live"), ("video", "live")]

    pending = app.send("async", js=GET_DISPLAY_MEDIA, timeout=30)
    picked = app.call("pick_screen")  # the native picker, as the user sees it
    assert picked["screens"] >= 1
    screen = app.answer(pending, 30)
    assert screen["ok"], screen
    # The Xvfb screen itself (1280x800), not a fake source.
    assert screen["value"] == {"state": "live", "surface": "monitor", "width": 1280, "height": 800}


@pytest.mark.parametrize("where", ["other port", "same server as localhost"])
def test_other_origin_is_refused_camera_microphone_and_screen(start_app, other_site, where):
    app = start_app("--embedded")
    url = other_site if where == "other port" else app.server.replace("127.0.0.1", "localhost")
    app.call("load", url=url)
    assert app.call("url").startswith(url)

    media = app.js_async(GET_USER_MEDIA)
    assert media["ok"] is False and media["name"] in REFUSED, media
    screen = app.js_async(GET_DISPLAY_MEDIA)
    assert screen["ok"] is False and screen["name"] in REFUSED, screen
    window = app.call("window")
    assert window["visible"], window  # refused without a picker or a crash


def test_other_origin_cannot_drive_the_app(start_app, other_site):
    app = start_app("--embedded")
    app.call("load", url=other_site)
    # pywebview exposes the JS bridge to every page; a foreign page must not make the app trust it.
    answer = app.js_async(f"return await window.pywebview.api.connect({other_site!r}, 'Mallory');")
    assert answer["ok"] and answer["value"]["ok"] is False, answer
    assert app.call("url").startswith(other_site)
    assert app.js_async(GET_USER_MEDIA)["name"] in REFUSED


# What Share screen asks for (react-ui/src/rtc/displayCapture.ts): the screen and its sound.
GET_DISPLAY_MEDIA_WITH_SOUND = """
const stream = await navigator.mediaDevices.getDisplayMedia(
  {video: {frameRate: {ideal: 30, max: 30}}, audio: {restrictOwnAudio: true}, systemAudio: 'include'});
const video = stream.getVideoTracks()[0];
const result = {state: video.readyState, surface: video.getSettings().displaySurface,
                audio: stream.getAudioTracks().map(t => t.readyState)};
stream.getTracks().forEach(t => t.stop());
return result;
"""


def test_share_screen_asking_for_sound_still_shares_the_real_screen(start_app):
    app = start_app("--embedded")

    pending = app.send("async", js=GET_DISPLAY_MEDIA_WITH_SOUND, timeout=30)
    picked = app.call("pick_screen")
    assert picked["screens"] >= 1
    screen = app.answer(pending, 30)
    assert screen["ok"], screen
    # Asking for sound does not cost the share: the real screen comes. Qt WebEngine's picker on Linux
    # (X) hands no sound with it (audio is [] here), so the others get the screen alone.
    value = screen["value"]
    assert value["state"] == "live" and value["surface"] == "monitor", value
    assert all(state == "live" for state in value["audio"]), value
