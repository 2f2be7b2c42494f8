"""Call setup benchmark (issue 3): how fast a call comes up and a screen share switches, in real browsers.

Headless Chromium (Debian's, fake camera, microphone and screen; one browser context per participant)
against a Parley server subprocess, everything on this machine. The web client must be built.

Everyone has their own fake camera, as people on their own machines do (see FAKE_CAMERAS in the e2e
harness), and their own browser tab, kept open from run to run: a person's browser is running
before they open the meeting link. (A new browser context opens a new window, and Chromium then
preloads a "top chrome" WebUI page for it in a renderer of its own: in the first 300 ms after the
click that took a quarter of a core, and it added about 100 ms to the 2-person join.)

- **join, 2 people**: Alice waits in the call; Bob presses Join. Time from Bob's click to the first
  remote video frame on Bob's screen (and, for reference, until both show each other).
- **join, 4 at once**: four people press Join at the same instant. For each, the time from their
  click to the first remote video frame on their screen; a run counts its slowest person (and, for
  reference, the time until everyone shows all three others). For reference the same is measured
  with one camera shared by the four browser contexts (which Chromium's capture used to stall for all
  four at once, about 2.7 s with no frames, when they all started sending 720p).
- **share switch**: of three people, one shares; another presses Share screen and answers the question
  ("... is presenting. Share instead?") with Share instead. Time from that click until the previous sharer's capture is stopped and both other people's stages show a frame of the
  new screen. The sharer alternates, so each run is one switch.

"First frame" is the `loadeddata` event of the `<video>` showing that remote track (the tile for a
camera, the stage for a screen); clicks are the DOM click events. Both times are the events' own
stamps, `performance.timeOrigin + event.timeStamp`, comparable across contexts of one browser
(`tests/e2e/probe.js`). While a run is timed nothing polls its pages: the probe resolves a promise
when what the run waits for has happened. Each scenario has one warm-up run that is not counted.

The figures go to the "Call setup (issue 3)" section of docs/benchmarks.md, between
`<!-- call_setup:start -->` and `<!-- call_setup:end -->`; nothing else in that file is touched.
`--quick` (3 runs, no document unless `--doc`) is a smoke run. The fresh-tab case (four fresh tabs
joining at once, against a minimal client) is `fresh_tab.py`, run here as the `fresh4` scenario.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # tests/support: server process, browser, DOM contract

import fresh_tab  # noqa: E402
from doc_sections import DOC, write_section  # noqa: E402
from support.chromium import CHROMIUM  # noqa: E402
from support.meeting import FAKE_CAMERAS, Call, Participant, launch_chromium, new_tab, ui_missing_message  # noqa: E402
from support.processes import ParleyServer as ServerProcess  # noqa: E402
from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402
from playwright.sync_api import Error as PlaywrightError  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError  # noqa: E402

START = "<!-- call_setup:start -->"
END = "<!-- call_setup:end -->"

TARGET_JOIN2_MS = 350.0
TARGET_JOIN4_MS = 1000.0
TARGET_SWITCH_MS = 150.0
CLICK_LEAD_MS = 400  # a simultaneous click is scheduled this far ahead, so every page has it in time
FRAME_TIMEOUT_MS = 10_000  # a run whose frames do not all show within this counts as failed


# ------------------------------------------------------------------------------------------ page reads


class FrameTimeout(Exception):
    """A wait in a page did not come true within FRAME_TIMEOUT_MS."""


def page_wait(person: Participant, condition: str, result: str, arg: object) -> Any:
    """Wait until the JS expression `condition` (over `arg` and `e2e`) is true, then return `result`.

    The wait runs in the page without polling (the probe checks it whenever it records a click, a
    first frame or a stopped capture): polling would take CPU from the very page being timed.
    """
    script = f"""async (arg) => {{
        const e2e = window.__e2e;
        await e2e.when(() => {condition}, {FRAME_TIMEOUT_MS});
        return {result};
    }}"""
    try:
        return person.page.evaluate(script, arg)
    except PlaywrightError as error:
        if "probe wait" in str(error):
            raise FrameTimeout(f"{person.name}: {condition}") from None
        raise


def click_time(person: Participant, button: str) -> float:
    """When `button` was last clicked on this page (ms, timeOrigin-aligned)."""
    return page_wait(person, "e2e.clicks.some((c) => c.name.includes(arg))",
                     "e2e.clicks.filter((c) => c.name.includes(arg)).at(-1).t", button)


def first_frames_from_any(person: Participant, count: int) -> list[float]:
    """Wait until this page shows camera frames of `count` different people; the first frame time of each."""
    cameras = "e2e.firstFrames.filter((f) => f.from && !f.stage)"
    return page_wait(
        person,
        f"new Set({cameras}.map((f) => f.from)).size >= arg",
        f"[...new Map({cameras}.reverse().map((f) => [f.from, f.t])).values()]",
        count)


def first_screen_frame(person: Participant, sharer: Participant, after: float) -> float:
    """Wait for the stage of this page to show a frame of `sharer`'s screen after `after`; its time."""
    found = "e2e.firstFrames.find((f) => f.stage && f.from === arg[0] && f.t >= arg[1])"
    return page_wait(person, f"Boolean({found})", f"{found}.t", [sharer.user_id, after])


def screen_stop_time(person: Participant, after: float) -> float:
    """Wait until this page's app stopped its screen capture after `after`; the time."""
    found = "e2e.screenStops.find((s) => s.t >= arg)"
    return page_wait(person, f"Boolean({found})", f"{found}.t", after)


# ------------------------------------------------------------------------------------------- scenarios


def run_join2(browser: Browser, server: ServerProcess, tabs: Sequence[Page]) -> dict[str, float]:
    """One run: Alice waits in the call, Bob joins."""
    call = Call(browser, server, server.create_room())
    try:
        alice = call.join("Alice", FAKE_CAMERAS[0], tabs[0])
        bob = call.open("Bob", FAKE_CAMERAS[1], tabs[1])
        bob.button("Join").click()
        bob_sees = first_frames_from_any(bob, 1)[0]
        alice_sees = first_frames_from_any(alice, 1)[0]
        clicked = click_time(bob, "Join")
        return {"first": bob_sees - clicked, "mesh": max(bob_sees, alice_sees) - clicked}
    finally:
        call.close()


def run_join4(browser: Browser, server: ServerProcess, tabs: Sequence[Page], own_cameras: bool = True) -> dict[str, float]:
    """One run: four people press Join at the same instant, each with their own camera or all with one."""
    call = Call(browser, server, server.create_room())
    try:
        names = ("Alice", "Bob", "Carol", "Dave")
        cameras = FAKE_CAMERAS[: len(names)] if own_cameras else (FAKE_CAMERAS[0],) * len(names)
        people = [call.open(name, camera, tab) for name, camera, tab in zip(names, cameras, tabs, strict=True)]
        for person in people:
            person.button("Join").wait_for()
        at = time.time() * 1000 + CLICK_LEAD_MS
        for person in people:
            person.click_at("Join", at)
        # Nothing is read from the pages until everyone shows all three others.
        firsts, meshes = [], []
        for person in people:
            seen = first_frames_from_any(person, len(people) - 1)
            clicked = click_time(person, "Join")
            firsts.append(min(seen) - clicked)
            meshes.append(max(seen) - clicked)
        return {"first": max(firsts), "mesh": max(meshes)}
    finally:
        call.close()


class ShareSwitch:
    """Three people in one call; each run, a new sharer takes over from the current one."""

    def __init__(self, browser: Browser, server: ServerProcess) -> None:
        self.call = Call(browser, server, server.create_room())
        self.people = self.call.join_all("Alice", "Bob", "Carol", own_cameras=True)
        self.sharer = self.people[0]
        self.sharer.button("Share screen").click()
        self.sharer.button("Stop sharing").wait_for()
        for person in self.people[1:]:
            first_screen_frame(person, self.sharer, 0.0)

    def run(self) -> dict[str, float]:
        """The next person presses Share screen while the current one shares."""
        old = self.sharer
        new = self.people[(self.people.index(old) + 1) % len(self.people)]
        new.button("Share screen").click()  # the current sharer presents: the page asks first
        new.page.get_by_role("alertdialog").get_by_role("button", name="Share instead", exact=True).click()
        clicked = click_time(new, "Share instead")
        stopped = screen_stop_time(old, clicked)
        shown = [first_screen_frame(p, new, clicked) for p in self.people if p is not new]
        new.button("Stop sharing").wait_for()
        old.button("Share screen").wait_for()
        self.sharer = new
        return {"switch": max([stopped, *shown]) - clicked, "stopped": stopped - clicked}

    def close(self) -> None:
        """Close every context."""
        self.call.close()


def measure_switch(browser: Browser, server: ServerProcess, runs: int) -> Results:
    """The share-switch runs, on one call of three."""
    try:
        switcher = ShareSwitch(browser, server)
    except (PlaywrightTimeoutError, FrameTimeout):  # the first share never showed: every run fails
        print("share switch: FAILED: the first share did not show", flush=True)
        failed = Results()
        failed.failed = runs
        return failed
    try:
        return measure("share switch", runs, switcher.run)
    finally:
        switcher.close()


# --------------------------------------------------------------------------------------------- report


class Results(list[dict[str, float]]):
    """The figures of the runs that completed, and how many runs did not (no frame within the limit);
    `skipped`: the scenario was not run at all (`--only`)."""

    failed = 0
    skipped = False


def measure(label: str, runs: int, once: Callable[[], dict[str, float]]) -> Results:
    """One warm-up run, then `runs` counted runs, printed as they go."""
    results = Results()
    for index in range(runs + 1):
        name = "warm-up" if index == 0 else f"run {index}/{runs}"
        try:
            result = once()
        except (PlaywrightTimeoutError, FrameTimeout):
            print(f"{label} {name}: FAILED: a video did not show within {FRAME_TIMEOUT_MS} ms", flush=True)
            if index:
                results.failed += 1
            continue
        print(f"{label} {name}: " + ", ".join(f"{k} {v:.0f} ms" for k, v in result.items()), flush=True)
        if index:
            results.append(result)
    return results


def median(results: Results, key: str) -> float:
    """The median of one figure over the completed runs (infinite when none completed)."""
    return statistics.median(r[key] for r in results) if results else float("inf")


def spread(results: Results, key: str) -> str:
    """min–max of one figure over the completed runs."""
    values = [r[key] for r in results]
    return f"{min(values):.0f}–{max(values):.0f}" if values else "–"


def runs_cell(results: Results) -> str:
    """Completed runs, and failed ones if any."""
    if results.skipped:
        return "not run"
    return f"{len(results)}" + (f" (+{results.failed} failed)" if results.failed else "")


def median_cell(results: Results, key: str) -> str:
    """The median of one figure, or a dash when the scenario was not run or no run completed."""
    return f"{median(results, key):.0f}" if results else "–"


def missed(results: Results, key: str, target: float) -> bool:
    """Whether a scenario that ran missed its target (its median, or any run failed)."""
    return not results.skipped and (median(results, key) > target or results.failed > 0)


def load_average() -> str:
    """The 1, 5 and 15 minute load averages (the machine is shared: they say how busy it was)."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def machine() -> str:
    """CPU model and count, kernel and Chromium version of this machine."""
    model = "unknown CPU"
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    return f"{os.cpu_count()} × {model}, Linux {os.uname().release}, {chromium}"


def render(join2: Results, join4: Results, shared: Results, switch: Results,
           command: str, host: str, loads: tuple[str, str]) -> str:
    """The Markdown section."""
    def verdict(results: Results, key: str, target: float) -> str:
        if results.skipped:
            return ""
        return "**misses**" if missed(results, key, target) else "meets"

    today = datetime.date.today().isoformat()
    return f"""## Call setup (issue 3)

Measured {today} with `{command}`.
Machine: {host}; load average {loads[0]} at the start and {loads[1]} at the end (the machine is shared).

Headless Chromium with fake camera, microphone and screen, one browser context per person, against a
Parley server on 127.0.0.1; no STUN/TURN. Times in milliseconds, median and min–max over the counted
runs that completed; one warm-up run per scenario is not counted. A run fails when a remote video
does not show within {FRAME_TIMEOUT_MS / 1000:.0f} s; failed runs are counted in "runs" and the target is then missed.

| scenario | runs | median | min–max | target | |
| --- | ---: | ---: | ---: | ---: | --- |
| join → first remote video frame, 2 people (the joiner's screen) | {runs_cell(join2)} | {median_cell(join2, "first")} | {spread(join2, "first")} | ≤ {TARGET_JOIN2_MS:.0f} | {verdict(join2, "first", TARGET_JOIN2_MS)} |
| join → first remote video frame, 4 joining at once (slowest person) | {runs_cell(join4)} | {median_cell(join4, "first")} | {spread(join4, "first")} | ≤ {TARGET_JOIN4_MS:,.0f} | {verdict(join4, "first", TARGET_JOIN4_MS)} |
| Share screen click → old share stopped and every peer shows the new screen | {runs_cell(switch)} | {median_cell(switch, "switch")} | {spread(switch, "switch")} | ≤ {TARGET_SWITCH_MS:.0f} | {verdict(switch, "switch", TARGET_SWITCH_MS)} |

For reference (no target):

| figure | median | min–max |
| --- | ---: | ---: |
| 2 people: join → both show each other | {median_cell(join2, "mesh")} | {spread(join2, "mesh")} |
| 4 at once: join → everyone shows all three others | {median_cell(join4, "mesh")} | {spread(join4, "mesh")} |
| 4 at once, one camera shared by the four contexts: join → first remote frame, slowest person (runs: {runs_cell(shared)}) | {median_cell(shared, "first")} | {spread(shared, "first")} |
| share switch: click → previous sharer's capture stopped | {median_cell(switch, "stopped")} | {spread(switch, "stopped")} |

How it is measured: a first frame is the `loadeddata` event of the `<video>` that shows the remote
track (tile for a camera, stage for a screen); a click is the DOM click event; both times are the
events' own time stamps (`performance.timeOrigin + event.timeStamp`), so times from different
contexts compare, and the pages are not polled while they are timed (the probe resolves a promise
when what is awaited has happened). "4 at once" schedules the four clicks for the same `Date.now()`
instant. Everyone has their own browser tab, kept open from run to run (each run opens the new
room's link in it), and picks their own fake camera on the pre-join page (Chromium's `device-count=8`;
cameras 0, 3, 4 and 5: the second is a depth camera and the third's MJPEG costs its capture four
times the CPU of the others), as people on their own machines have their own. With one fake camera shared
by the four browser contexts (the reference row), every page's camera used to stop delivering
frames for about 2.7 s right when the twelve encoders started (a frame-callback trace showed the
local preview of all four pages stalling at the same moment; own cameras made it go away). Since
the camera is captured at what its copies need (360 lines with three peers, `cameraFit.ts`), that
stall has not been seen. The share switch ends when the previous sharer's
app has stopped its capture track and both other people's stages have a frame of the new sharer's
screen. Reproduce: `.venv/bin/python benchmarks/call_setup.py` (needs the built
web client and Debian's `chromium`).
"""


@contextlib.contextmanager
def server_and_browser(prefix: str) -> Iterator[tuple[ServerProcess, Browser]]:
    """A Parley server subprocess (its data in a temporary folder) and Debian's Chromium, both stopped after."""
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        server = ServerProcess(Path(folder) / "data", Path(folder) / "server.log", ("--log-level", "warning"))
        server.start()
        try:
            with sync_playwright() as driver:
                browser = launch_chromium(driver)
                try:
                    yield server, browser
                finally:
                    browser.close()
        finally:
            server.stop()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the three scenarios and report them."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=None, help="counted runs per scenario (default 11; 3 with --quick)")
    parser.add_argument("--quick", action="store_true", help="3 runs, and no document unless --doc")
    parser.add_argument("--doc", action="store_true", help="write docs/benchmarks.md even with --quick")
    parser.add_argument("--no-doc", action="store_true", help="only print the figures")
    parser.add_argument("--only", choices=("join2", "join4", "shared", "switch", "fresh4"), action="append",
                        help="run only these scenarios (repeatable; implies --no-doc)")
    args = parser.parse_args(argv)
    runs = args.runs or (3 if args.quick else 11)
    write_doc = not args.no_doc and not args.only and (args.doc or not args.quick)
    wanted = set(args.only or ("join2", "join4", "shared", "switch", "fresh4"))

    def scenario(name: str, label: str, once: Callable[[], Any], whole: bool = False) -> Results:
        if name in wanted:
            return once() if whole else measure(label, runs, once)
        skipped = Results()
        skipped.skipped = True
        return skipped

    if message := ui_missing_message():
        print(f"call_setup: {message}", file=sys.stderr)
        return 2

    load_start = load_average()
    with server_and_browser("parley-call-setup-") as (server, browser):
        # Four tabs kept open from run to run, as people's browsers are open before they join.
        tabs = [new_tab(browser) for _ in range(4)]
        join2 = scenario("join2", "join, 2 people", lambda: run_join2(browser, server, tabs))
        join4 = scenario("join4", "join, 4 at once", lambda: run_join4(browser, server, tabs))
        shared = scenario("shared", "join, 4 at once, one shared camera",
                          lambda: run_join4(browser, server, tabs, own_cameras=False))
        switch = scenario("switch", "share switch", lambda: measure_switch(browser, server, runs), whole=True)
        fresh = fresh_tab.run_all(browser, runs) if "fresh4" in wanted else None

    command = shlex.join(["python", "benchmarks/call_setup.py", *(sys.argv[1:] if argv is None else argv)])
    section = render(join2, join4, shared, switch, command, machine(), (load_start, load_average()))
    print(section)
    if write_doc:
        write_section(DOC, section, START, END)
        print(f"written to {DOC.relative_to(REPO)}")
    fresh_ok = fresh is None or fresh_tab.report(fresh, command, machine(), (load_start, load_average()), write_doc)
    ok = fresh_ok and not (missed(join2, "first", TARGET_JOIN2_MS) or missed(join4, "first", TARGET_JOIN4_MS)
              or missed(switch, "switch", TARGET_SWITCH_MS))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
