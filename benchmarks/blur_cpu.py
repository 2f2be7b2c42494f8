"""Background blur's cost (issue 15): the extra CPU of one page sending its camera at 640x360 and
15 frames/s with blur (or a background image) against without, and the frame rate it sends.

Alice in one headless Chromium (her fake camera a 640x360, 15 frames/s clip made with ffmpeg)
sends to Bob in another, both against a Parley server subprocess on 127.0.0.1. For each setting
(Off, Blur, Sunset, in `--rounds` rounds so that a change in the machine's load hits them alike),
the CPU time of every process of Alice's browser (renderer, GPU, video capture, network: read from
/proc) over `--seconds` is divided by the wall time, and Alice's sent frames/s and size are read from
`getStats()` (outbound-rtp). Extra CPU = cores with the effect minus cores with it off. The figures
go to the "Background blur (issue 15)" section of docs/benchmarks.md unless `--no-doc`.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # tests/support: server process, browser, DOM contract
sys.path.insert(0, str(REPO / "benchmarks"))

from call_setup import load_average, machine  # noqa: E402
from doc_sections import DOC, write_section  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from support import chromium  # noqa: E402
from support.meeting import CALL_FLAGS, Call, ui_missing_message  # noqa: E402
from support.processes import ParleyServer  # noqa: E402

START, END = "<!-- blur_cpu:start -->", "<!-- blur_cpu:end -->"
MARK = "--parley-blur-bench-sender"  # found in the sender browser's command line (Chromium ignores it)
TICKS = os.sysconf("SC_CLK_TCK")
SETTLE_S = 6.0

SENT = """async () => {
  for (const [, pc] of window.__parley.peers) {
    let out = null;
    (await pc.getStats()).forEach((r) => {
      if (r.type === 'outbound-rtp' && r.kind === 'video' && (!out || (r.framesSent || 0) > out.frames))
        out = { frames: r.framesSent || 0, width: r.frameWidth || 0, height: r.frameHeight || 0 };
    });
    if (out) return { ...out, at: performance.now() };
  }
  return null;
}"""
STATUS = "() => window.__parley.camera().status"


def camera_file(folder: Path) -> Path:
    """A 640x360, 15 frames/s Y4M clip (ffmpeg's testsrc2) for Alice's fake camera: the only size it
    offers, so the app's own constraints (it raises a call of two to 720p when the machine allows)
    cannot change what is measured."""
    path = folder / "camera-640x360-15.y4m"
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=15",
                    "-t", "4", "-pix_fmt", "yuv420p", str(path)], check=True, timeout=120)
    return path


def sender_flags(clip: Path | None) -> list[str]:
    """The call's flags, with Alice's camera at 15 frames/s: the clip, or the synthetic one at fps=15."""
    base = [f for f in CALL_FLAGS if not f.startswith("--use-fake-device-for-media-stream")]
    if clip is None:
        return [*base, "--use-fake-device-for-media-stream=fps=15"]
    return [*base, "--use-fake-device-for-media-stream", f"--use-file-for-fake-video-capture={clip}"]


def processes() -> dict[int, tuple[int, str]]:
    """Every process: pid -> (parent pid, command line)."""
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        out[int(entry)] = (int(stat.rsplit(")", 1)[1].split()[1]), cmdline)
    return out


def sender_tree() -> list[int]:
    """The sender browser's process and all its descendants."""
    table = processes()
    roots = [pid for pid, (_, cmd) in table.items() if MARK in cmd and "--type=" not in cmd]
    tree, frontier = set(roots), list(roots)
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, _) in table.items():
            if ppid == parent and pid not in tree:
                tree.add(pid)
                frontier.append(pid)
    return sorted(tree)


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds of `pids` so far (processes gone since count as 0)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def measure(alice, seconds: float) -> dict[str, float]:
    """Cores used by the sender browser and its sent frames/s over `seconds`."""
    pids = sender_tree()
    first, cpu0, t0 = alice.page.evaluate(SENT), cpu_seconds(pids), time.monotonic()
    alice.page.wait_for_timeout(seconds * 1000)  # the measuring window itself, not a synchronisation
    second, cpu1, t1 = alice.page.evaluate(SENT), cpu_seconds(pids), time.monotonic()
    fps = (second["frames"] - first["frames"]) / ((second["at"] - first["at"]) / 1000)
    return {"cores": (cpu1 - cpu0) / (t1 - t0), "fps": fps, "width": second["width"], "height": second["height"]}


def choose(alice, label: str, status: str) -> None:
    """Pick `label` in the Devices panel and wait until the background reads `status`."""
    alice.page.get_by_role("radio", name=label, exact=True).click()
    alice.page.wait_for_function(f"() => ({STATUS})() === {status!r}", timeout=60_000, polling=200)


def run(rounds: int, seconds: float, size: list[int] | None) -> tuple[dict[str, list[dict[str, float]]], str]:
    """The figures per setting, and the segmenter's mean cost seen."""
    results: dict[str, list[dict[str, float]]] = {"Off": [], "Blur": [], "Sunset": []}
    with tempfile.TemporaryDirectory(prefix="parley-blur-") as folder:
        server = ParleyServer(Path(folder) / "data", Path(folder) / "server.log", ("--log-level", "warning"))
        server.start()
        try:
            with sync_playwright() as driver:
                clip = None if size is None else camera_file(Path(folder))
                sender = chromium.launch(driver, [*sender_flags(clip), MARK])
                receiver = chromium.launch(driver, CALL_FLAGS)
                try:
                    room = server.create_room()
                    alice = Call(sender, server, room).join("Alice")
                    bob_call = Call(receiver, server, room)
                    bob = bob_call.join("Bob")
                    bob.wait_media_from([alice])
                    alice.button("Devices").click()
                    segment = ""
                    for _ in range(rounds):
                        for label, status in (("Off", "off"), ("Blur", "on"), ("Sunset", "on")):
                            choose(alice, label, status)
                            alice.page.wait_for_timeout(SETTLE_S * 1000)  # let the worker warm up
                            figures = measure(alice, seconds)
                            results[label].append(figures)
                            print(f"{label}: {figures['cores']:.3f} cores, {figures['fps']:.1f} frames/s sent at "
                                  f"{figures['width']}x{figures['height']}", flush=True)
                            stats = alice.page.evaluate("() => window.__parley.camera().stats")
                            if stats:
                                segment = f"{stats['segmentMs']:.1f} ms per segmentation, {stats['segmented']} of {stats['frames']} frames"
                finally:
                    sender.close()
                    receiver.close()
        finally:
            server.stop()
    return results, segment


def render(results: dict[str, list[dict[str, float]]], segment: str, command: str, loads: tuple[str, str]) -> str:
    """The Markdown section."""
    base = statistics.median(r["cores"] for r in results["Off"])
    rows = []
    verdicts = []
    for label, runs in results.items():
        cores = statistics.median(r["cores"] for r in runs)
        fps = statistics.median(r["fps"] for r in runs)
        size = f"{int(runs[-1]['width'])}x{int(runs[-1]['height'])}"
        extra = cores - base
        rows.append(f"| {label} | {cores:.3f} | {extra:+.3f} | {fps:.1f} | {size} |")
        if label != "Off":
            met = extra <= 0.25 and fps >= 14
            verdicts.append(f"{label}: extra {extra:.3f} cores (target ≤ 0.25), {fps:.1f} frames/s sent "
                            f"(target ≥ 14): {'**met**' if met else '**missed**'}")
    today = datetime.date.today().isoformat()
    return f"""## Background blur (issue 15)

Measured {today} with `{command}`.
Machine: {machine()}; load average {loads[0]} at the start and {loads[1]} at the end.

Alice's headless Chromium sends its fake camera (a 640x360, 15 frames/s clip of ffmpeg's testsrc2, the only size it
offers, since the app raises a call of two to 720p when it can; with `--as-opened`, Chromium's synthetic camera) to Bob's, on a
Parley server on 127.0.0.1. Per setting, the CPU of all of Alice's browser processes (/proc) over the window, in
cores, and the frames/s she sends (outbound-rtp); median of {len(results['Off'])} rounds (Off, Blur, Sunset in turn).
Segmenter (last reading): {segment or 'n/a'}.

| background | cores (Alice's browser) | extra vs Off | frames/s sent | sent size |
| --- | ---: | ---: | ---: | --- |
{chr(10).join(rows)}

{chr(10).join('- ' + v for v in verdicts)}

Reproduce: `.venv/bin/python benchmarks/blur_cpu.py` (needs Debian's `chromium` and the test build,
`cd react-ui && npm run build:test`).
"""


def main() -> int:
    """Measure and report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=2, help="rounds of Off, Blur, Sunset (default 2)")
    parser.add_argument("--seconds", type=float, default=15.0, help="measuring window per setting (default 15)")
    parser.add_argument("--as-opened", action="store_true",
                        help="Chromium's synthetic camera at 15 frames/s, at the size the app chooses (720p in a call of two), instead of a 640x360 clip")
    parser.add_argument("--no-doc", action="store_true", help="only print the figures")
    args = parser.parse_args()
    if message := ui_missing_message():
        raise SystemExit(message)
    start = load_average()
    results, segment = run(args.rounds, args.seconds, None if args.as_opened else [640, 360])
    body = render(results, segment, "python benchmarks/blur_cpu.py " + " ".join(sys.argv[1:]), (start, load_average()))
    print(body)
    if not args.no_doc:
        write_section(DOC, body, START, END)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
