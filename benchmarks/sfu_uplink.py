"""SFU uplink benchmark (issue 16): how much video one person sends as the room grows, mesh vs SFU.

Headless Chromium (Debian's, fake camera and microphone; one browser context per person, one
shared fake camera) against a Parley server subprocess, everything on this machine. For 2, 4 and 6
people, once as a mesh (no Janus) and once through a real Janus (`--mesh-max 1`: every room an SFU
room). In a mesh a person sends one copy of their camera per other person; through the SFU one
camera in three simulcast layers, whoever else is in the room. Janus and Chromium then run in a
network namespace (Janus gathers no ICE candidate on loopback; see tests/e2e/test_e2e_sfu_switch.py).

Each case: everyone joins, every page plays everyone else's video, the call runs SETTLE_S (the
bandwidth estimate ramps up), then a WINDOW_S window of `getStats()`: the video bytes each page
sent on all its connections (every copy, every layer), as kbit/s. The table gives the median
person and the range. Not a timed test: figures for docs/benchmarks.md, section "SFU uplink
(issue 16)" between `<!-- sfu_uplink:start -->` and `<!-- sfu_uplink:end -->`. `--no-doc` only prints.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # tests/support: server process, browser, Janus, DOM contract
sys.path.insert(0, str(REPO / "tests" / "e2e"))  # the forwarder into the media namespace

from call_setup import load_average, machine  # noqa: E402
from doc_sections import DOC, write_section  # noqa: E402
from playwright.sync_api import Browser, sync_playwright  # noqa: E402
from support.chromium import CHROMIUM, flags  # noqa: E402
from support.janus import JanusServer, MediaNamespace  # noqa: E402
from support.meeting import CALL_FLAGS, Call, new_tab, ui_missing_message  # noqa: E402
from support.processes import ParleyServer  # noqa: E402
from sfu_harness import PC_COUNTER, TILE_FRAMES, Forwarder  # noqa: E402

START = "<!-- sfu_uplink:start -->"
END = "<!-- sfu_uplink:end -->"
SIZES = (2, 4, 6)
SETTLE_S = 15.0
WINDOW_S = 10.0
# Six pages joining a mesh in one browser on a busy 2-core machine: the Join button may take a while.
JOIN_TIMEOUT_MS = 60_000
NAMES = ("Ann", "Ben", "Cat", "Dan", "Eve", "Fay")

# The video bytes this page has sent on its live connections, and the widths of what it sends.
SENT = """async () => {
  let bytes = 0; const widths = [];
  for (const pc of window.__pcs.filter((pc) => pc.connectionState !== 'closed')) {
    (await pc.getStats()).forEach((r) => {
      if (r.type !== 'outbound-rtp' || r.kind !== 'video') return;
      bytes += r.bytesSent || 0;
      if (r.frameWidth) widths.push((r.rid || '') + r.frameWidth);
    });
  }
  return { bytes, widths };
}"""


@contextlib.contextmanager
def sfu_setup(folder: Path, mesh_max: int = 1) -> Iterator[tuple[ParleyServer, Browser]]:
    """Janus and Chromium in a media namespace, Parley here with `--mesh-max` (1: every room an SFU room)."""
    with MediaNamespace(f"sfu-bench-{os.getpid()}") as namespace:
        janus = JanusServer(folder / "janus", netns=namespace)
        janus.folder.mkdir()
        janus.start()
        server = ParleyServer(folder / "data", folder / "server.log", (
            "--log-level", "warning", "--janus-url", f"ws+unix://{janus.unix_socket}",
            "--janus-admin-key", janus.admin_key, "--mesh-max", str(mesh_max)))
        server.start()
        try:
            with Forwarder(namespace, server.port), sync_playwright() as driver:
                browser = driver.chromium.launch(
                    executable_path=str(namespace.chromium_wrapper(folder, CHROMIUM)),
                    args=flags([*CALL_FLAGS, "--disable-features=WebRtcHideLocalIpsWithMdns"]))
                try:
                    yield server, browser
                finally:
                    browser.close()
        finally:
            server.stop()
            janus.stop()


@contextlib.contextmanager
def mesh_setup(folder: Path) -> Iterator[tuple[ParleyServer, Browser]]:
    """Parley without Janus and Chromium, both on this machine's loopback."""
    server = ParleyServer(folder / "data", folder / "server.log", ("--log-level", "warning"))
    server.start()
    try:
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=CHROMIUM, args=flags(CALL_FLAGS))
            try:
                yield server, browser
            finally:
                browser.close()
    finally:
        server.stop()


def one_case(mode: str, size: int) -> dict:
    """Join `size` people, wait for everyone's video everywhere, settle, measure a window."""
    with tempfile.TemporaryDirectory(prefix=f"parley-uplink-{mode}-") as folder:
        setup = sfu_setup if mode == "sfu" else mesh_setup
        with setup(Path(folder)) as (server, browser):
            call = Call(browser, server, server.create_room())
            try:
                people = []
                for name in NAMES[:size]:
                    tab = new_tab(browser)
                    tab.context.set_default_timeout(JOIN_TIMEOUT_MS)
                    tab.context.add_init_script(script=PC_COUNTER)
                    people.append(call.join(name, tab=tab))
                for person in people:
                    others = [o.user_id for o in people if o is not person]
                    person.wait_js(f"(ids) => Object.values(({TILE_FRAMES})(ids)).every((n) => n > 0)", others,
                                   message=f"video from {others}", timeout=120_000)
                time.sleep(SETTLE_S)  # not a synchronisation: the call has to run a while first
                before = [person.page.evaluate(SENT)["bytes"] for person in people]
                started = time.monotonic()
                time.sleep(WINDOW_S)  # the window being measured
                after = [person.page.evaluate(SENT) for person in people]
                elapsed = time.monotonic() - started
            finally:
                call.close()
    kbps = [(a["bytes"] - b) * 8 / elapsed / 1000 for a, b in zip(after, before, strict=True)]
    case = {"mode": mode, "size": size, "median": statistics.median(kbps), "min": min(kbps), "max": max(kbps),
            "widths": sorted(set(after[0]["widths"]))}
    print(f"{mode} {size} people: median {case['median']:.0f} kbit/s sent a person "
          f"({case['min']:.0f}-{case['max']:.0f}); first person sends {case['widths']}", flush=True)
    return case


def document(cases: list[dict], started: str, load_start: str) -> str:
    """The section's body."""
    rows = "".join(f"| {c['mode']} | {c['size']} | {c['median']:.0f} | {c['min']:.0f}–{c['max']:.0f} | "
                   f"{' '.join(c['widths'])} |\n" for c in cases)
    sfu = {c["size"]: c["median"] for c in cases if c["mode"] == "sfu"}
    mesh = {c["size"]: c["median"] for c in cases if c["mode"] == "mesh"}
    verdict = ""
    if 2 in sfu and 6 in sfu:
        change = (sfu[6] - sfu[2]) / sfu[2] * 100
        verdict = (f"SFU from 2 to 6 people: {change:+.0f}% (target: within ±20%, "
                   f"**{'met' if abs(change) <= 20 else 'missed'}**)")
        if 2 in mesh and 6 in mesh:
            verdict += f"; mesh from 2 to 6: {(mesh[6] - mesh[2]) / mesh[2] * 100:+.0f}%."
    return f"""## SFU uplink (issue 16)

Measured {started} with `python benchmarks/sfu_uplink.py`.
Machine: {machine()}; load average {load_start} at the start and {load_average()} at the end.

A person's sent video against the room's size, mesh against SFU (a real Janus 1.1 with
`--mesh-max 1`), everyone in one headless Chromium with one shared fake camera. The bitrate is
every video byte a page sent on all its connections over a {WINDOW_S:.0f} s window after
{SETTLE_S:.0f} s of call (every mesh copy; all three simulcast layers through the SFU); the
widths are what the first person's encoders sent (`h`/`m`/`l`: the layers).

| mode | people | median kbit/s sent a person | range | widths sent |
| --- | ---: | ---: | --- | --- |
{rows}
{verdict}

Parley's mesh does not send N−1 full copies: its per-link limits (bandwidth.ts) shrink every copy
as the room grows (the widths above), so a person's mesh total falls with the room's size instead
of growing with N−1, and at six people the one browser running everyone is short of CPU (see
*Mesh smoothness*). Through the SFU a person encodes and sends one camera in three layers
whatever the room's size: more bits than the small mesh copies, for the full picture to whoever
shows them large and the small layer to the others. The bitrates are those Chromium's bandwidth
estimate reached after {SETTLE_S:.0f} s on loopback.
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the six cases and report them."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-doc", action="store_true", help="only print the figures")
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--modes", nargs="*", default=["mesh", "sfu"], choices=("mesh", "sfu"))
    args = parser.parse_args(argv)
    if (missing := ui_missing_message()) is not None:
        print(missing, file=sys.stderr)
        return 1
    started, load_start = datetime.date.today().isoformat(), load_average()
    cases = [one_case(mode, size) for size in args.sizes for mode in args.modes]
    if not args.no_doc:
        write_section(DOC, document(cases, started, load_start), START, END)
        print(f"wrote {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
