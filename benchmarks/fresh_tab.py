"""Fresh-tab join benchmark (issue 12): a first visit, as fast as a minimal client?

Four people open the meeting link each in a fresh browser tab (a new browser context and a new page
per person per run: nothing of an earlier visit is cached or warm), pick their own fake camera on
the pre-join page and press Join at the same instant, 2 s after the last of them was ready (people look
at their preview before they join; see CLICK_LEAD_MS). For each person: the time from their Join
click (the click event's time stamp) to the first decoded remote video frame, found by polling
`getStats` every 50 ms from the click on (`fresh_tab.js`, the same init script for every client).

In the same runs, interleaved, the same four people do the same with a minimal plain-JavaScript
mesh client (`benchmarks/minimal_client/`, served by this benchmark on a port of its own and
allowed by the Parley server with `--allowed-origin`) that speaks the same protocol to the same
Parley server: the yardstick. With `--baseline DIR` (a checkout with its own built web client, e.g.
`git worktree add /tmp/parley-main main` and `npm run build` there) a third server from that folder
is measured too, to compare a change with the build before it on a busy machine.

Where the time goes: `fresh_tab.js` also stamps, in each page, the join's phases (socket open,
`joined`, the first-decoding connection's descriptions, candidates, ICE and connection states) and
the main thread's long tasks; the report gives each phase's median per client, side by side, and
then each link's way from the offer to both sides' first frames, step by step, from the stamps of
both of its pages (`fresh_tab_report.py` renders it all).

The target figure is the **slowest person of each run** (the run is as fast as its slowest
joiner): its median over the counted runs at most 800 ms, and its maximum under 1.2 s. The
per-person figures (every person of every run) are reported too, without a target.

`call_setup.py` runs this as its `fresh4` scenario and writes it in its own section of
docs/benchmarks.md (`<!-- fresh_tab:start -->` ... `<!-- fresh_tab:end -->`); run alone:
`.venv/bin/python benchmarks/fresh_tab.py [--runs N] [--no-doc] [--baseline DIR]`.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import os
import shlex
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # tests/support: server process, browser, DOM contract

from cpu_profile import PageProfiler, render_top, save, self_times  # noqa: E402
from doc_sections import DOC, write_section  # noqa: E402
from fresh_tab_report import CLICK_LEAD_MS, meets, render  # noqa: E402
from support.meeting import (DEFAULT_TIMEOUT_MS, FAKE_CAMERAS, SCREEN, Participant,  # noqa: E402
                             launch_chromium, ui_missing_message)
from support.processes import ParleyServer as ServerProcess  # noqa: E402
from playwright.sync_api import Browser, sync_playwright  # noqa: E402

START = "<!-- fresh_tab:start -->"
END = "<!-- fresh_tab:end -->"
FRAME_TIMEOUT_MS = 10_000  # a person with no remote frame within this fails the run
PROBE_JS = (Path(__file__).resolve().parent / "fresh_tab.js").read_text(encoding="utf-8")
MINIMAL_DIR = Path(__file__).resolve().parent / "minimal_client"
NAMES = ("Alice", "Bob", "Carol", "Dave")


class Client:
    """One client under test: how to open a person's page and pick their camera."""

    def __init__(self, label: str, server: ServerProcess, minimal_url: str | None = None) -> None:
        self.label = label
        self.server = server
        self.minimal_url = minimal_url  # the minimal client's page; None: Parley's own client
        self.runs: list[list[float]] = []  # per counted run: each person's click -> first remote frame
        self.phases: list[dict[str, float]] = []  # per person of every counted run: fresh_tab.js's phases()
        self.last_phases: list[dict[str, float]] = []
        self.links: list[list[dict[str, Any]]] = []  # per counted run: each page's fresh_tab.js links()
        self.last_links: list[dict[str, Any]] = []
        self.failed = 0
        self.profile_dir: Path | None = None  # with --profile: each page's CPU profile, click to first frame
        self.profile: Counter[tuple[str, str, int]] = Counter()  # self ms per function, over counted runs
        self.last_profile: Counter[tuple[str, str, int]] = Counter()
        self.profiled = 0  # pages in self.profile

    def open(self, browser: Browser, room_id: str, name: str, camera: str) -> Participant:
        """A fresh context and page on this client's pre-join page, camera picked, Join enabled."""
        context = browser.new_context(viewport=SCREEN, screen=SCREEN)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.add_init_script(script=PROBE_JS)
        page = context.new_page()
        if self.minimal_url is None:
            url = f"{self.server.base_url}/r/{room_id}?{urllib.parse.urlencode({'name': name})}"
        else:
            query = {"room": room_id, "name": name, "camera": camera, "server": self.server.base_url}
            url = f"{self.minimal_url}?{urllib.parse.urlencode(query)}"
        person = Participant(name, context, page, url)
        person.open()
        if self.minimal_url is None:
            person.choose_camera(camera)
        person.button("Join").and_(page.locator(":enabled")).wait_for()
        return person

    def run(self, browser: Browser) -> list[float]:
        """One run: four fresh tabs, Join at one instant; each person's click -> first remote frame (ms)."""
        room_id = self.server.create_room()
        people: list[Participant] = []
        try:
            for name, camera in zip(NAMES, FAKE_CAMERAS, strict=False):
                people.append(self.open(browser, room_id, name, camera))
            profilers = [PageProfiler(person.page) for person in people] if self.profile_dir else []
            for profiler in profilers:
                profiler.start()
            at = time.time() * 1000 + CLICK_LEAD_MS
            for person in people:
                person.click_at("Join", at)
            times, windows = [], []
            for person in people:
                clicked, firsts = person.page.evaluate(
                    "([n, t]) => window.__freshTab.result(n, t)", [len(people) - 1, FRAME_TIMEOUT_MS + CLICK_LEAD_MS])
                if clicked is None or not firsts:
                    raise TimeoutError(f"{self.label}: {person.name} saw no remote frame")
                times.append(min(firsts) - clicked)
                windows.append((clicked, min(firsts)))
            self.last_phases = [person.page.evaluate("() => window.__freshTab.phases()") for person in people]
            self.last_links = [person.page.evaluate("() => window.__freshTab.links()") for person in people]
            self.last_profile = Counter()
            for profiler, person, window in zip(profilers, people, windows, strict=False):  # none without --profile
                profile = {**profiler.stop(), "freshTabWindow": window}  # the click and the first frame
                self.last_profile.update(self_times(profile, *window))
                assert self.profile_dir is not None
                save(profile, self.profile_dir / f"{self.label.split(' (')[0].replace(',', '').replace(' ', '-')}-{room_id}-{person.name}.cpuprofile")
            return times
        finally:
            for person in people:
                with contextlib.suppress(Exception):
                    person.context.close()


def measure(browser: Browser, clients: Sequence[Client], runs: int) -> None:
    """One warm-up round, then `runs` rounds; each round runs every client once, in turn (rotated)."""
    for index in range(runs + 1):
        name = "warm-up" if index == 0 else f"run {index}/{runs}"
        order = list(clients[index % len(clients):]) + list(clients[:index % len(clients)])
        for client in order:
            try:
                times = client.run(browser)
            except Exception as error:  # noqa: BLE001 - a failed run is counted and reported, not fatal
                print(f"fresh tab, {client.label} {name}: FAILED: {error}", flush=True)
                client.failed += bool(index)
                continue
            print(f"fresh tab, {client.label} {name}: slowest {max(times):.0f} ms; "
                  + ", ".join(f"{t:.0f}" for t in times), flush=True)
            if index:
                client.runs.append(times)
                client.phases.extend(client.last_phases)
                client.links.append(client.last_links)
                if client.profile_dir:
                    client.profile.update(client.last_profile)
                    client.profiled += len(times)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        """No access log on the benchmark's output."""


@contextlib.contextmanager
def minimal_site() -> Iterator[str]:
    """The minimal client's folder served on a free loopback port; yields the page's URL."""
    handler = functools.partial(_Quiet, directory=str(MINIMAL_DIR))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/index.html"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@contextlib.contextmanager
def server(folder: Path, name: str, origin: str, repo: Path = REPO, ui_dir: Path | None = None) -> Iterator[ServerProcess]:
    """A Parley server subprocess run from `repo` (its own code and built client, or `ui_dir`) that lets `origin` connect."""
    # `python -m tornado_app` in `repo` runs that checkout's code; a baseline serves its own client.
    ui_dir = ui_dir or (None if repo == REPO else repo / "tornado_app" / "ui")
    env = {} if ui_dir is None else {"PARLEY_UI_DIR": str(ui_dir)}
    process = ServerProcess(folder / name, folder / f"{name}.log",
                            ("--log-level", "warning", "--allowed-origin", origin), env=env, cwd=repo)
    process.start()
    try:
        yield process
    finally:
        process.stop()


def run_all(browser: Browser, runs: int, baseline: Path | None = None, ui_dir: Path | None = None,
            profile_dir: Path | None = None) -> list[Client]:
    """Start the servers and the minimal client's site, measure every client in the same rounds."""
    with contextlib.ExitStack() as stack:
        minimal_url = stack.enter_context(minimal_site())
        origin = urllib.parse.urlsplit(minimal_url)._replace(path="", query="").geturl()
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="parley-fresh-tab-")))
        parley = stack.enter_context(server(folder, "parley", origin, ui_dir=ui_dir))
        clients = [Client("Parley", parley), Client("minimal client", parley, minimal_url)]
        if baseline is not None:
            clients.append(Client(f"Parley, baseline ({baseline})", stack.enter_context(server(folder, "baseline", origin, baseline))))
        for client in clients:
            client.profile_dir = profile_dir
        measure(browser, clients, runs)
        return clients


def load_average() -> str:
    """The 1, 5 and 15 minute load averages."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def report(clients: Sequence[Client], command: str, host: str, loads: tuple[str, str], write_doc: bool) -> bool:
    """Print (and with `write_doc` write) the section; whether Parley meets the target."""
    section = render(clients, command, host, loads)
    print(section)
    if write_doc:
        write_section(DOC, section, START, END)
        print(f"written to {DOC.relative_to(REPO)}")
    return meets(clients[0])


def main(argv: Sequence[str] | None = None) -> int:
    """Run the fresh-tab rounds and report them."""
    from call_setup import machine  # the one description of this machine

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=8, help="counted rounds (default 8)")
    parser.add_argument("--no-doc", action="store_true", help="only print the figures")
    parser.add_argument("--baseline", type=Path, help="also measure the server and built client of this checkout")
    parser.add_argument("--ui-dir", type=Path, help="Parley's built client to serve (default: react-ui/dist-test), "
                        "e.g. an unminified build for --profile: `npx vite build --mode test --minify false --outDir DIR`")
    parser.add_argument("--profile", type=Path, metavar="DIR",
                        help="take a CPU profile of every page (into DIR) and print each client's top self times "
                             "from the click to the first frame (the profiler slows the pages: no target figures)")
    args = parser.parse_args(argv)
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    if message := ui_missing_message():
        print(f"fresh_tab: {message}", file=sys.stderr)
        return 2
    loads = load_average()
    with sync_playwright() as driver:
        browser = launch_chromium(driver)
        try:
            clients = run_all(browser, args.runs, args.baseline, args.ui_dir, args.profile)
        finally:
            browser.close()
    for client in clients if args.profile else ():
        print(f"\n### {client.label}\n\n{render_top(client.profile, client.profiled)}")
    command = shlex.join(["python", "benchmarks/fresh_tab.py", *(sys.argv[1:] if argv is None else argv)])
    return 0 if report(clients, command, machine(), (loads, load_average()), not args.no_doc) else 1


if __name__ == "__main__":
    sys.exit(main())
