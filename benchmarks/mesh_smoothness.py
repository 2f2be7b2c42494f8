"""Mesh smoothness benchmark (issue 3): do six people in one call on this machine stay smooth?

Headless Chromium (Debian's, fake cameras, microphones and screen; one browser context per person,
each with their own fake camera) against a Parley server subprocess, all on this machine: six
people means every browser encodes five copies of its camera and decodes five cameras, thirty
encoders and thirty decoders on two cores. The web client must be built.

The people join one after the other and wait until everyone shows everyone. Then, for each case,
the received video is read from `getStats()` twice, `WINDOW_S` apart, on every page:

- **3 people** (the baseline: a small call on the same machine, in the same run);
- **6 people, everyone's microphone on** (the fake microphones beep all the time: six people talking
  at once, the worst case for audio);
- **6 people, one speaking** (the other five muted, as in most of a meeting);
- **6 people, one sharing their screen** (and speaking; the others muted).

For each remote camera on each page: frames decoded per second, and freezes (Chromium's
`freezeCount`: a frame that comes more than max(3 × the mean interval, mean + 150 ms) after the
previous one). Also the height the cameras arrive at, and the CPU that all of Chromium used.

Smooth means every remote camera keeps close to the frame rate it is sent at (15 frames/s from
five people up, `bandwidth.ts`; the fake cameras make 20) and nothing freezes: the target for
"6 people, one speaking" is a median of at least 14 frames/s, no camera below 12 and no freeze.

The figures go to the "Mesh smoothness (issue 3)" section of docs/benchmarks.md (`--no-doc` to
only print them).
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # tests/support: server process, browser, DOM contract

from call_setup import load_average, machine, server_and_browser  # noqa: E402
from doc_sections import DOC, write_section  # noqa: E402
from support.meeting import FAKE_CAMERAS, Call, Participant, ui_missing_message  # noqa: E402

START = "<!-- mesh_smoothness:start -->"
END = "<!-- mesh_smoothness:end -->"
WINDOW_S = 10.0
SETTLE_S = 4.0  # after a change (someone joined, mutes, a share), before a window starts
TARGET_MEDIAN_FPS = 14.0
TARGET_MIN_FPS = 12.0

# Every received camera (not screen) of this page: who sends it, frames decoded, freezes, height.
RECEIVED = """async () => {
  const out = [];
  for (const [userId, pc] of window.__parley.peers) {
    // Each link's first video m-line is the camera, the next one the screen (docs/protocol.md).
    const videos = pc.getTransceivers().filter((t) => t.receiver.track.kind === 'video');
    const screens = new Set(videos.slice(1).map((t) => t.mid));
    (await pc.getStats()).forEach((r) => {
      if (r.type !== 'inbound-rtp' || r.kind !== 'video') return;
      out.push({ key: userId + '/' + r.mid, screen: screens.has(r.mid), frames: r.framesDecoded || 0,
                 freezes: r.freezeCount || 0, height: r.frameHeight || 0 });
    });
  }
  return out;
}"""


@dataclass
class Case:
    """What one case measured over one window."""

    label: str
    people: int
    fps: list[float]  # one per remote camera per page
    freezes: int
    heights: list[int]
    cores: float
    screen_fps: list[float]


def chromium_cpu_seconds() -> float:
    """User + system CPU time of every Chromium process alive now (Linux /proc)."""
    ticks = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                if b"chromium" not in cmdline.read():
                    continue
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def measure(label: str, people: Sequence[Participant]) -> Case:
    """Read every page's received video, wait WINDOW_S, read again; the rates in between."""
    time.sleep(SETTLE_S)  # not a synchronisation: the call has to run a while in this state
    before = [{r["key"]: r for r in person.page.evaluate(RECEIVED)} for person in people]
    cpu, started = chromium_cpu_seconds(), time.monotonic()
    time.sleep(WINDOW_S)  # the window being measured
    after = [person.page.evaluate(RECEIVED) for person in people]
    elapsed = time.monotonic() - started
    cores = (chromium_cpu_seconds() - cpu) / elapsed
    fps, screen_fps, heights, freezes = [], [], [], 0
    for old, new in zip(before, after, strict=True):
        for stream in new:
            previous = old.get(stream["key"])
            if previous is None or stream["frames"] == 0:
                continue  # a screen transceiver that carries nothing
            rate = (stream["frames"] - previous["frames"]) / elapsed
            if stream["screen"]:
                screen_fps.append(rate)
                continue
            fps.append(rate)
            heights.append(stream["height"])
            freezes += stream["freezes"] - previous["freezes"]
    case = Case(label, len(people), fps, freezes, heights, cores, screen_fps)
    print(f"{label}: {len(fps)} cameras, median {statistics.median(fps):.1f} frames/s, "
          f"min {min(fps):.1f}, {freezes} freezes, heights {sorted(set(heights))}, {cores:.2f} cores", flush=True)
    return case


def run() -> list[Case]:
    """The four cases, on one call that grows from three to six people."""
    names = ("Alice", "Bob", "Carol", "Dave", "Erin", "Frank")
    with server_and_browser("parley-mesh-") as (server, browser):
        call = Call(browser, server, server.create_room())
        try:
            people = call.join_all(*names[:3], own_cameras=True)
            everyone_sees_everyone(people)
            cases = [measure("3 people", people)]
            for name, camera in zip(names[3:], FAKE_CAMERAS[3:], strict=True):
                people.append(call.join(name, camera))
            everyone_sees_everyone(people)
            cases.append(measure("6 people, everyone's microphone on", people))
            for person in people[1:]:
                person.button("Mute").click()
            cases.append(measure("6 people, one speaking", people))
            people[0].button("Share screen").click()
            for person in people[1:]:
                person.wait_stage_shows(people[0])
            cases.append(measure("6 people, one sharing their screen", people))
            return cases
        finally:
            call.close()


def everyone_sees_everyone(people: Sequence[Participant]) -> None:
    """Wait until every page decodes video and plays audio from all the others."""
    for person in people:
        person.wait_media_from(other for other in people if other is not person)


def smooth(case: Case) -> bool:
    """The target: median and slowest camera frame rates, and no freeze."""
    return statistics.median(case.fps) >= TARGET_MEDIAN_FPS and min(case.fps) >= TARGET_MIN_FPS and case.freezes == 0


def render(cases: Sequence[Case], host: str, loads: tuple[str, str]) -> str:
    """The Markdown section."""
    rows = []
    for case in cases:
        target = ""
        if case.label == "6 people, one speaking":
            target = "meets" if smooth(case) else "**misses**"
        screen = f"{statistics.median(case.screen_fps):.1f}" if case.screen_fps else "–"
        rows.append(f"| {case.label} | {len(case.fps)} | {statistics.median(case.fps):.1f} | {min(case.fps):.1f} "
                    f"| {case.freezes} | {', '.join(str(h) for h in sorted(set(case.heights)))} | {screen} "
                    f"| {case.cores:.2f} | {target} |")
    table = "\n".join(rows)
    return f"""## Mesh smoothness (issue 3)

Measured {datetime.date.today().isoformat()} with `python benchmarks/mesh_smoothness.py`.
Machine: {host}; load average {loads[0]} at the start and {loads[1]} at the end.

Everyone in one headless Chromium on this machine, one browser context and one fake camera each
(1280x720, 20 frames/s), against a Parley server on 127.0.0.1: with six people every browser
encodes five copies of its camera and decodes five cameras. Each case is one {WINDOW_S:.0f} s window
of `getStats()` on every page; "cameras" counts each remote camera on each page. A freeze is
Chromium's `freezeCount`. Target ("smooth"), for six people with one speaking: median ≥
{TARGET_MEDIAN_FPS:.0f} frames/s (cameras are sent at 15 from five people up), none below
{TARGET_MIN_FPS:.0f}, no freeze.

| case | cameras | median frames/s | slowest camera | freezes | camera height received | screen frames/s | Chromium CPU (cores) | target |
| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |
{table}

The fake microphones beep without a pause, so "everyone's microphone on" is six people talking at
once: every browser then decodes and mixes five Opus streams and runs echo cancellation on its own,
which takes the CPU the video needs. A muted or quiet microphone sends almost nothing (Opus DTX).
The shared screen is the sharer's own headless page, videos included, so it moves more than slides
or code would. Reproduce: `.venv/bin/python benchmarks/mesh_smoothness.py` (needs the built web
client and Debian's `chromium`).
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the cases and report them."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-doc", action="store_true", help="only print the figures")
    args = parser.parse_args(argv)
    if message := ui_missing_message():
        print(f"mesh_smoothness: {message}", file=sys.stderr)
        return 2
    load_start = load_average()
    cases = run()
    section = render(cases, machine(), (load_start, load_average()))
    print(section)
    if not args.no_doc:
        write_section(DOC, section, START, END)
        print(f"written to {DOC.relative_to(REPO)}")
    speaking = next(case for case in cases if case.label == "6 people, one speaking")
    return 0 if smooth(speaking) else 1


if __name__ == "__main__":
    sys.exit(main())
