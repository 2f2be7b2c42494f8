"""Local recording benchmark (issue 15): does the recorder's page grow while it records, and does its
call keep its frame rate?

Two people in one headless Chromium (a browser context and a fake camera each) against a Parley
server subprocess on 127.0.0.1. Ann presses **Record** and records for `--minutes` (10 by default);
every 30 s her page's JavaScript heap is read through the DevTools protocol (`Performance.getMetrics`,
after a forced garbage collection) with the bytes her recorder has written so far. Her received
camera frames/s (`getStats()`) are read over a window before the recording and over the recording.

Target: the page grows by less than 50 MB over 10 minutes; the call keeps its frame rate.
The figures go to the "Local recording (issue 15)" section of docs/benchmarks.md (`--no-doc` to only
print them). Caveat: Playwright's browser contexts are off the record, where Chromium keeps the
origin private file system (OPFS) in the browser process's memory rather than on disk; the JS heap
measured here is the page's own, which a recording kept in the page (not written out) would grow.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # tests/support: server process, browser, DOM contract

from call_setup import load_average, machine, server_and_browser  # noqa: E402
from doc_sections import DOC, write_section  # noqa: E402
from file_transfer import CAMERA_FRAMES, fps_between  # noqa: E402
from support.meeting import Call, ui_missing_message  # noqa: E402

START = "<!-- recording_memory:start -->"
END = "<!-- recording_memory:end -->"
WINDOW_S = 10.0
SETTLE_S = 4.0
SAMPLE_S = 30.0
TARGET_MB = 50.0

WRITTEN = "() => ({ chunks: window.__parley.recording.writtenChunks(), frames: window.__parley.recording.framesDrawn(), ms: window.__parley.recording.elapsedMs() })"


def renderers_mb() -> float:
    """Memory (proportional set size) of this run's Chromium renderer processes (the pages and their workers), MB.

    The recording's frames are drawn in a worker (react-ui/src/recording/offThreadCompositor.ts),
    whose heap and video frames are not in the page's JavaScript heap; a leak there shows here.
    Linux only (/proc); the processes are found as descendants of this one.
    """
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    total_kb = 0
    todo = [os.getpid()]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            if b"--type=renderer" not in Path(f"/proc/{pid}/cmdline").read_bytes():
                continue
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        # Proportional set size: memory shared between the renderers (the zygote's) counts once.
        total_kb += next(int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:"))
    return total_kb / 1024


def heap_mb(cdp) -> float:
    """The page's JavaScript heap in use after a garbage collection, MB."""
    cdp.send("HeapProfiler.collectGarbage")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return metrics["JSHeapUsedSize"] / 1e6


def run(minutes: float) -> dict:
    """One recording of `minutes` in a call of two; the figures."""
    with server_and_browser("parley-recording-") as (server, browser):
        call = Call(browser, server, server.create_room())
        try:
            ann, bob = call.join_all("Ann", "Bob", own_cameras=True)
            ann.wait_media_from([bob])
            bob.wait_media_from([ann])
            cdp = ann.context.new_cdp_session(ann.page)
            cdp.send("Performance.enable")
            time.sleep(SETTLE_S)  # not a synchronisation: the call runs a while before measuring
            first = ann.page.evaluate(CAMERA_FRAMES)
            time.sleep(WINDOW_S)  # the window being measured
            before = fps_between(first, ann.page.evaluate(CAMERA_FRAMES))
            heap_before = heap_mb(cdp)
            renderers_before = renderers_mb()
            ann.button("Record").click()
            ann.wait_js("() => window.__parley.recording.state.phase === 'recording'", message="recording", timeout=60_000)
            start = ann.page.evaluate(CAMERA_FRAMES)
            samples = []
            end = time.monotonic() + minutes * 60
            while time.monotonic() < end:
                time.sleep(min(SAMPLE_S, max(0.0, end - time.monotonic())))  # the sampling period
                samples.append((ann.page.evaluate(WRITTEN), heap_mb(cdp), renderers_mb()))
                print(f"{samples[-1][0]['ms'] / 1000:.0f} s: heap {samples[-1][1]:.1f} MB, renderers {samples[-1][2]:.0f} MB, "
                      f"{samples[-1][0]['chunks']} chunks, {samples[-1][0]['frames']} frames drawn", flush=True)
            during = fps_between(start, ann.page.evaluate(CAMERA_FRAMES))
            last = samples[-1][0]
            ann.button("Stop recording").click()
            ann.wait_js("() => window.__parley.recording.state.phase === 'idle'", message="saved", timeout=300_000)
            return {"minutes": last["ms"] / 60000, "heap_before": heap_before, "heap_max": max(h for _, h, _ in samples),
                    "renderers_before": renderers_before, "renderers_max": max(r for _, _, r in samples),
                    "renderers_end": samples[-1][2],
                    "heap_end": samples[-1][1], "chunks": last["chunks"], "drawn_fps": last["frames"] / (last["ms"] / 1000),
                    "fps_before": before, "fps_during": during}
        finally:
            call.close()


def render(f: dict, host: str, loads: tuple[str, str]) -> str:
    """The Markdown section."""
    growth = f["heap_max"] - f["heap_before"]
    verdict = "meets" if growth < TARGET_MB else "**misses**"
    return f"""## Local recording (issue 15)

Measured {datetime.date.today().isoformat()} with `python benchmarks/recording_memory.py --minutes {f['minutes']:.0f}`.
Machine: {host}; load average {loads[0]} at the start and {loads[1]} at the end.

Two people in one headless Chromium (a fake camera each, 1280x720 at 20 frames/s) on a Parley server
on 127.0.0.1. Ann records the call (canvas 1280x720 at up to 30 frames/s, VP8 + Opus, 1 s chunks
written to the origin private file system) for {f['minutes']:.1f} minutes; her page's JavaScript
heap after a garbage collection is read every {SAMPLE_S:.0f} s. Target: < {TARGET_MB:.0f} MB growth over
10 minutes, and the call keeps its frame rate.

| recorded | heap before | heap at most | heap at the end | growth | target | chunks written | frames drawn/s | camera frames/s before | while recording |
| ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |
| {f['minutes']:.1f} min | {f['heap_before']:.1f} MB | {f['heap_max']:.1f} MB | {f['heap_end']:.1f} MB | {growth:+.1f} MB | {verdict} | {f['chunks']} | {f['drawn_fps']:.1f} | {f['fps_before']:.1f} | {f['fps_during']:.1f} |

Both pages' renderer processes (their workers included: Ann's recording is drawn in one) held
{f['renderers_before']:.0f} MB before the recording, {f['renderers_max']:.0f} MB at most during it and {f['renderers_end']:.0f} MB at the end
({f['renderers_max'] - f['renderers_before']:+.0f} MB; proportional set size, which also follows the decoders'
and encoders' buffers).

The frames are drawn in a worker where the browser can (recording/offThreadCompositor.ts); on the
main thread (the fallback), fewer than 30 frames/s are drawn when a frame costs more than a third of
the frame time (recording/meetingRecorder.ts). "Frames drawn/s" shows what a busy machine allowed. Playwright's
contexts are off the record, so Chromium keeps OPFS in the browser process's memory there; the
page's heap is what this measures. Reproduce: `.venv/bin/python benchmarks/recording_memory.py`
(needs `cd react-ui && npm run build:test` and Debian's `chromium`).
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Record and report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to record")
    parser.add_argument("--no-doc", action="store_true", help="only print the figures")
    args = parser.parse_args(argv)
    if message := ui_missing_message():
        print(f"recording_memory: {message}", file=sys.stderr)
        return 2
    load_start = load_average()
    figures = run(args.minutes)
    section = render(figures, machine(), (load_start, load_average()))
    print(section)
    if not args.no_doc:
        write_section(DOC, section, START, END)
        print(f"written to {DOC.relative_to(REPO)}")
    return 0 if figures["heap_max"] - figures["heap_before"] < TARGET_MB else 1


if __name__ == "__main__":
    sys.exit(main())
