"""Issue 15: in the desktop app, Record writes the meeting into the user's Videos folder as it is
made (through the bridge's record_* calls) and, on Stop recording, the page says where the file is;
ffprobe reads it as WebM with a video and an audio stream. The real app in a Qt window under Xvfb,
its HOME a temporary folder."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from support.polling import wait_for

from desktop_harness import desktop_env
from test_desktop_call import _web_client_built, click, new_room  # noqa: F401 - a fixture

pytestmark = pytest.mark.timeout(240)

NOTICE = "return document.querySelector('[data-testid=recording-notice]')?.innerText ?? '';"
RECORDED = "return window.__parley.recording.elapsedMs();"


def test_a_recording_is_written_into_videos_and_the_app_says_where(start_app, xvfb, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    desk = start_app("--embedded", env={**desktop_env(xvfb.display), "HOME": str(home)})
    room = new_room(desk.server)
    desk.call("load", url=f"{desk.server}r/{room}?name=Desk")
    wait_for(lambda: click(desk, "Join"), 30, "the desktop pre-join page to offer Join")
    wait_for(lambda: desk.js("window.__parley ? window.__parley.userId : null"), 30, "the desktop app to join")

    wait_for(lambda: click(desk, "Record"), 30, "the desktop app to offer Record")
    wait_for(lambda: desk.js_async(RECORDED)["value"] >= 3000, 60, "three seconds recorded",
             on_timeout=lambda: desk.js("JSON.stringify(window.__parley.recording.state)"))
    # Qt WebEngine (Chromium 140) draws the recording's frames in a worker too (offThreadCompositor.ts).
    drawn = desk.js_async("const r = window.__parley.recording;"
                          " return {offThread: r.composedOffThread(), frames: r.framesDrawn()};")["value"]
    assert drawn["offThread"] is True and drawn["frames"] > 0, drawn
    videos = home / "Videos"
    # Written as it is made: the file is there, with bytes, before the recording stops.
    (partial,) = videos.iterdir()
    wait_for(lambda: partial.stat().st_size > 0, 30, "the recording's first chunks in Videos")
    assert click(desk, "Stop recording")

    wait_for(lambda: f"Recording saved to {partial}" in desk.js_async(NOTICE)["value"], 60,
             "the page to say where the recording is", on_timeout=lambda: desk.js_async(NOTICE))
    assert partial.name.startswith(f"parley-{room}-") and partial.suffix == ".webm"
    assert sorted(p.name for p in videos.iterdir()) == [partial.name]
    tool = shutil.which("ffprobe")
    assert tool, "ffprobe is missing: run .ci/system-deps (Debian's ffmpeg)"
    probe = json.loads(subprocess.run(
        [tool, "-v", "error", "-of", "json", "-show_entries", "format=format_name:stream=codec_type",
         str(partial)], capture_output=True, text=True, timeout=120, check=True).stdout)
    assert "webm" in probe["format"]["format_name"].split(",")
    assert sorted(s["codec_type"] for s in probe["streams"]) == ["audio", "video"]
    frames = json.loads(subprocess.run(
        [tool, "-v", "error", "-of", "json", "-select_streams", "v:0", "-count_packets", "-show_entries",
         "stream=nb_read_packets", str(partial)], capture_output=True, text=True, timeout=120, check=True).stdout)
    assert int(frames["streams"][0]["nb_read_packets"]) > 0, frames  # the worker's frames reached the file

    # The start page may not write recordings (nor may any page that is not a meeting page).
    desk.call("load", url=desk.server)
    wait_for(lambda: desk.js("typeof window.pywebview?.api?.record_begin === 'function'"), 30,
             "the start page, with the bridge")
    answer = desk.js_async("return await window.pywebview.api.record_begin('x.webm');")["value"]
    assert answer == {"ok": False, "error": "this page may not save files"}
    assert sorted(p.name for p in videos.iterdir()) == [partial.name]
