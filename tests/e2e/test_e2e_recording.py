"""Local recording in real Chromium (issue 15), on a real server, with Chromium's fake camera and microphone.

Ann presses **Record**; Bob sees the red "Ann is recording" line (consent) while she records and it
goes when she stops. After about 5 s of recording (measured in Ann's page, by her recorder's own
clock, while its chunks are written one by one to the browser's private file system) she presses
**Stop recording**; the browser downloads `parley-<room>-<date>.webm`, which `ffprobe` (Debian's
ffmpeg, installed by .ci/system-deps) reads as WebM with one video stream (VP8 or VP9) and one audio
stream (Opus) lasting 4 to 6 s.

Chromium's MediaRecorder writes WebM without a duration in its header (it streams), so the
duration is read from the packets: the end of the last one (`pts_time + duration_time`) over all
streams, which is what a player shows after reading the file.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from e2e_harness import Call
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

# Stop is clicked at 4.5 s by the recorder's clock: the file goes on until the recorder has handed
# over its last chunk, about half a second later (5.2 s clicked made 5.76 s of file here), so the
# file lasts about 5 s, the middle of the 4-6 s the issue asks for.
RECORD_MS = 4500

# Clicks the button (Stop recording) once Ann's recorder has run `ms`; what it had written by then.
STOP_AT = """(button, ms) => new Promise((resolve) => {
    const recording = window.__parley.recording;
    const timer = setInterval(() => {
        if (recording.elapsedMs() < ms) return;
        clearInterval(timer);
        const seen = { ms: recording.elapsedMs(), chunks: recording.writtenChunks(), frames: recording.framesDrawn(), drawMs: Math.round(recording.drawMs()),
                       offThread: recording.composedOffThread() };
        button.click();
        resolve(seen);
    }, 20);
})"""


def ffprobe(path: Path, *args: str) -> dict:
    """ffprobe's JSON about `path`."""
    tool = shutil.which("ffprobe")
    assert tool, "ffprobe is missing: run .ci/system-deps (Debian's ffmpeg)"
    out = subprocess.run([tool, "-v", "error", "-of", "json", *args, str(path)],
                         capture_output=True, text=True, timeout=120, check=True)
    return json.loads(out.stdout)


def media_duration(path: Path) -> float:
    """Seconds from the first packet's start to the last one's end, over every stream."""
    packets = ffprobe(path, "-show_entries", "packet=pts_time,duration_time")["packets"]
    times = [(float(p["pts_time"]), float(p.get("duration_time") or 0)) for p in packets if p.get("pts_time") not in (None, "N/A")]
    assert times, "no timed packets in the recording"
    return max(t + d for t, d in times) - min(t for t, _ in times)


def test_a_5_second_recording_downloads_as_webm_and_everyone_sees_who_records(call: Call, tmp_path: Path) -> None:
    ann, bob = call.join_all("Ann", "Bob")
    ann.wait_media_from([bob])
    bob.wait_media_from([ann])
    ann_indicator = ann.page.get_by_test_id("recording-indicator")
    bob_indicator = bob.page.get_by_test_id("recording-indicator")
    expect(bob_indicator).to_have_text("")

    ann.button("Record").click()
    ann.wait_js("() => window.__parley.recording.state.phase === 'recording'",
                describe=lambda: ann.page.evaluate("() => window.__parley.recording.state"),
                message="the recording starts", timeout=60_000)
    expect(ann.button("Stop recording")).to_be_visible()
    expect(bob_indicator).to_have_text("Ann is recording", timeout=30_000)
    expect(bob.page.get_by_role("status").filter(has_text="Ann is recording")).to_have_count(1)
    expect(ann_indicator).to_contain_text("You are recording")

    # Stop is clicked in the page the moment the recorder's clock reads RECORD_MS (a click sent from
    # here could come a second late on a loaded machine); by then chunks went to the file one by one.
    downloads: list = []
    ann.page.on("download", lambda d: downloads.append(d))
    stopped = ann.button("Stop recording").evaluate(STOP_AT, RECORD_MS)
    assert stopped["chunks"] >= 1, f"nothing was written while recording: {stopped}"
    # Chromium draws the recording's frames in a worker (recording/offThreadCompositor.ts), not on the
    # main thread that runs the call.
    assert stopped["offThread"] is True and stopped["frames"] >= 1, stopped
    ann.wait_js("() => window.__parley.recording.state.phase === 'idle'",
                describe=lambda: ann.page.evaluate("() => window.__parley.recording.state"),
                message="the recording is saved", timeout=120_000)
    deadline = time.monotonic() + 30
    while not downloads and time.monotonic() < deadline:  # Playwright delivers the event between calls
        ann.page.evaluate("() => new Promise((resolve) => setTimeout(resolve, 100))")
    assert len(downloads) == 1, f"{len(downloads)} downloads"
    (download,) = downloads
    assert re.fullmatch(rf"parley-{re.escape(call.room_id)}-\d{{4}}-\d\d-\d\d-\d{{4}}\.webm", download.suggested_filename), \
        download.suggested_filename
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    expect(bob_indicator).to_have_text("", timeout=30_000)
    expect(ann_indicator).to_have_text("")
    expect(ann.button("Record")).to_be_enabled()
    expect(ann.page.get_by_test_id("recording-notice")).to_contain_text(f"Recording downloaded as {download.suggested_filename}")

    info_json = ffprobe(saved, "-show_entries", "format=format_name:stream=codec_type,codec_name")
    assert "webm" in info_json["format"]["format_name"].split(","), info_json
    streams = sorted((s["codec_type"], s["codec_name"]) for s in info_json["streams"])
    assert [kind for kind, _ in streams] == ["audio", "video"], streams
    assert dict(streams)["video"] in ("vp8", "vp9") and dict(streams)["audio"] == "opus", streams
    duration = media_duration(saved)
    assert 4.0 <= duration <= 6.0, f"the recording lasts {duration:.2f} s; at the click the page had {stopped}"
