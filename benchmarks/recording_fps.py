"""Local recording frame rate (issue 15): how many frames per second end up in the recording file, in a
call of three, on an idle machine and with the CPU loaded, and does the recorder's own call keep its
frame rate?

Three people in one headless Chromium (a fake camera each, 1280x720 at 20 frames/s) against a Parley
server subprocess on 127.0.0.1. Ann presses **Record**, records for `--seconds`, presses **Stop
recording** and the download is read with `ffprobe`: video frames in the file divided by the video's
duration (its first to its last frame's end). Ann's received camera frames/s (`getStats()`) are read
over a window before and during the recording, and the main thread's time on the recording's picture
(drawing, or telling the worker what to draw) per second recorded. "Loaded": `--load` busy processes (one per core by
default) spin for the whole run besides the call. The figures go to the "Local recording frame rate
(issue 15)" section of docs/benchmarks.md with `--write`, labelled `--label` (e.g. the build measured).
"""

from __future__ import annotations

import argparse
import datetime
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # tests/support: server process, browser, DOM contract

from call_setup import load_average, machine, server_and_browser  # noqa: E402
from file_transfer import CAMERA_FRAMES, fps_between  # noqa: E402
from support.meeting import Call, ui_missing_message  # noqa: E402

WINDOW_S = 10.0
SETTLE_S = 4.0
RESULTS = Path(tempfile.gettempdir()) / "parley-recording-fps.json"


def spin() -> None:
    """Keeps one core busy until killed (the "loaded" machine)."""
    while True:
        pass


def video_frames(path: Path) -> tuple[int, float]:
    """The video frames in `path` and the seconds from the first frame to the last one's end."""
    tool = shutil.which("ffprobe")
    if not tool:
        raise SystemExit("ffprobe is missing: run .ci/system-deps (Debian's ffmpeg)")
    out = subprocess.run([tool, "-v", "error", "-of", "json", "-select_streams", "v:0", "-show_entries",
                          "packet=pts_time,duration_time", str(path)], capture_output=True, text=True, timeout=300, check=True)
    packets = json.loads(out.stdout)["packets"]
    times = sorted(float(p["pts_time"]) for p in packets if p.get("pts_time") not in (None, "N/A"))
    if len(times) < 2:
        return len(times), 0.0
    # The last frame lasts as long as the frames before it did, on average.
    step = (times[-1] - times[0]) / (len(times) - 1)
    return len(times), times[-1] - times[0] + step


def run(seconds: float, load: int) -> dict:
    """One recording of `seconds` in a call of three, with `load` busy processes; the figures."""
    spinners = [multiprocessing.Process(target=spin, daemon=True) for _ in range(load)]
    for p in spinners:
        p.start()
    try:
        with server_and_browser("parley-recording-fps-") as (server, browser), tempfile.TemporaryDirectory() as folder:
            call = Call(browser, server, server.create_room())
            try:
                ann, bob, cid = call.join_all("Ann", "Bob", "Cid", own_cameras=True)
                ann.wait_media_from([bob, cid])
                time.sleep(SETTLE_S)  # not a synchronisation: the call runs a while before measuring
                first = ann.page.evaluate(CAMERA_FRAMES)
                time.sleep(WINDOW_S)  # the window being measured
                before = fps_between(first, ann.page.evaluate(CAMERA_FRAMES))
                downloads: list = []
                ann.page.on("download", lambda d: downloads.append(d))
                ann.button("Record").click(timeout=60_000)
                ann.wait_js("() => window.__parley.recording.state.phase === 'recording'", message="recording", timeout=60_000)
                start = ann.page.evaluate(CAMERA_FRAMES)
                time.sleep(seconds)  # the recording being measured
                during = fps_between(start, ann.page.evaluate(CAMERA_FRAMES))
                drawn = ann.page.evaluate("() => ({ frames: window.__parley.recording.framesDrawn(), ms: window.__parley.recording.elapsedMs(), "
                                          "main: window.__parley.recording.drawMs() })")
                ann.button("Stop recording").click(timeout=60_000)
                deadline = time.monotonic() + 120
                while not downloads and time.monotonic() < deadline:
                    ann.page.wait_for_timeout(200)  # Playwright delivers the event between calls
                if not downloads:
                    raise SystemExit("no download came")
                saved = Path(folder) / "recording.webm"
                downloads[0].save_as(saved)
                frames, duration = video_frames(saved)
                return {"load": load, "seconds": seconds, "frames": frames, "duration": duration,
                        "file_fps": frames / duration if duration else 0.0,
                        "drawn_fps": drawn["frames"] / (drawn["ms"] / 1000) if drawn["ms"] else 0.0,
                        # The page's main thread's time on the picture, ms per second recorded.
                        "main_ms_per_s": drawn["main"] / (drawn["ms"] / 1000) if drawn["ms"] else 0.0,
                        "fps_before": before, "fps_during": during}
            finally:
                call.close()
    finally:
        for p in spinners:
            p.kill()
            p.join()


def main(argv: Sequence[str] | None = None) -> int:
    """Record, measure, print (and keep with `--label`)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="how long to record")
    parser.add_argument("--load", type=int, default=None, help="busy processes beside the call (default: one per core)")
    parser.add_argument("--idle", action="store_true", help="no busy processes")
    parser.add_argument("--label", default="", help="a name for this build; the result is kept in parley-recording-fps.json in the temporary folder")
    args = parser.parse_args(argv)
    if message := ui_missing_message():
        print(f"recording_fps: {message}", file=sys.stderr)
        return 2
    load = 0 if args.idle else (args.load if args.load is not None else (os.cpu_count() or 1))
    load_start = load_average()
    figures = run(args.seconds, load)
    figures.update(label=args.label, date=datetime.date.today().isoformat(), machine=machine(),
                   load_average=[load_start, load_average()])
    print(json.dumps(figures, indent=1))
    if args.label:
        kept = json.loads(RESULTS.read_text()) if RESULTS.exists() else []
        kept.append(figures)
        RESULTS.write_text(json.dumps(kept, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
