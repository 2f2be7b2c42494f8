"""Connection quality as people see it, over a real network link that the test makes lossy.

Two machines in network namespaces (`support.netns.TwoMachines`): the server and Ann's browser on
one, Bob's browser on the other, so their call's media crosses the link between them. Playwright
drives both browsers from here: each Chromium is started inside its namespace (`ip netns exec`) and
talks to Playwright over its pipes, which namespaces do not cut. The pages are served from the
host machine's LAN address, which Chromium is told to treat as a secure origin (camera access).

Then Bob's uplink is throttled to 32 kbit/s, less than his sound and the smallest video need, so
that a large share of what he sends is dropped for as long as the throttle lasts: Ann's tile of
Bob must read "poor" with packet loss as the reason, Bob's own tile (what he sends) too, and after
more than 10 s Ann lowers the video she sends Bob (per-connection `setParameters`). Without the
throttle, everything reads "good", and the Connection details panel shows a codec and the
candidate type in use.

The throttle is `tc`'s token bucket (sch_tbf) on Bob's end of the link. `tc netem loss 15%` would
say it more directly, but kernels without sch_netem (this machine's has neither it nor tc's
classifiers and actions) refuse it, while every kernel with traffic control has tbf.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e_harness import PROBE_JS, Participant
from lan.lan_harness import PageServer  # the LAN tests' server runner (prints its port once serving)
from playwright.sync_api import Browser, Playwright, expect
from support import REPO, TEST_UI_DIR, chromium
from support.meeting import CALL_FLAGS, SCREEN
from support.netns import TwoMachines

pytestmark = pytest.mark.e2e

# Long enough for a loaded 2-core machine: a verdict comes every 2 s, a lowering after 10 s of poor.
VERDICT_MS = 45_000
LOWERED_MS = 60_000

# Reads our camera sender's limits towards `userId` (the camera's sender has a track; the screen's
# has none while nobody shares).
CAMERA_LIMITS = """(userId) => {
  const pc = window.__parley.peers.get(userId);
  const sender = pc && pc.getSenders().find((s) => s.track && s.track.kind === 'video');
  const e = sender && sender.getParameters().encodings[0];
  return e ? {scale: e.scaleResolutionDownBy ?? 1, maxBitrate: e.maxBitrate ?? null} : null;
}"""


@pytest.fixture(scope="module")
def lan() -> Iterator[TwoMachines]:
    """Two machines joined by one link (needs root, as CI has)."""
    with TwoMachines(f"q{os.getpid()}", "10.215.0") as net:
        yield net


@pytest.fixture(scope="module")
def lan_server(lan: TwoMachines, tmp_path_factory: pytest.TempPathFactory, ui_built: None) -> Iterator[str]:
    """The server (test build of the client) on the host machine's LAN address; yields its base URL."""
    data = tmp_path_factory.mktemp("quality-data")
    server = PageServer(lan.command(
        lan.host_ns, "env", f"PARLEY_UI_DIR={TEST_UI_DIR}", "PARLEY_CREATE_ROOM_RATE=0",
        sys.executable, str(REPO / "tests" / "lan" / "serve.py"), "--host", lan.host_ip, "--port", "0",
        "--data-dir", str(data),
        # No WebSocket pings: the throttle below also slows Bob's signaling, and a missed pong
        # would make him rejoin mid-test; this test is about the media path.
        "--ping-interval", "0"))
    yield f"http://{lan.host_ip}:{server.info['port']}"
    server.stop()


def browser_in(playwright: Playwright, ns: str, origin: str, folder: Path) -> Browser:
    """Debian's Chromium started inside namespace `ns` (a wrapper as its executable)."""
    wrapper = folder / f"chromium-{ns}"
    wrapper.write_text(f'#!/bin/sh\nexec ip netns exec {ns} {chromium.CHROMIUM} "$@"\n')
    wrapper.chmod(0o755)
    return playwright.chromium.launch(
        executable_path=str(wrapper), headless=True,
        args=chromium.flags([*CALL_FLAGS, f"--unsafely-treat-insecure-origin-as-secure={origin}"]))


def person(browser: Browser, base: str, room: str, name: str) -> Participant:
    """`name` on the room's pre-join page in `browser`."""
    context = browser.new_context(viewport=SCREEN, screen=SCREEN)
    context.set_default_timeout(30_000)
    context.add_init_script(script=PROBE_JS)
    url = f"{base}/r/{room}?{urllib.parse.urlencode({'name': name})}"
    who = Participant(name, context, context.new_page(), url)
    who.open()
    return who


def tc_qdisc(lan: TwoMachines, ns: str, *args: str) -> None:
    """`tc qdisc ... dev lan0 root ...` inside `ns` (the link's end on that machine)."""
    done = subprocess.run(lan.command(ns, "tc", "qdisc", *args), capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr


@pytest.mark.timeout(360)
def test_a_lossy_link_reads_poor_on_both_ends_and_lowers_the_video_sent_over_it(
        lan: TwoMachines, lan_server: str, playwright: Playwright, tmp_path: Path) -> None:
    browsers = [browser_in(playwright, lan.host_ns, lan_server, tmp_path),
                browser_in(playwright, lan.other_ns, lan_server, tmp_path)]
    people: list[Participant] = []
    try:
        first = browsers[0].new_page()
        first.goto(lan_server + "/healthz")
        room = first.evaluate("fetch('/createRoom', {method: 'POST', headers: {'Content-Type': "
                              "'application/json'}, body: '{}'}).then(r => r.json())")["roomId"]
        first.close()
        ann = person(browsers[0], lan_server, room, "Ann")
        ann.join()
        bob = person(browsers[1], lan_server, room, "Bob")
        bob.join()
        people += [ann, bob]
        ann.wait_media_from([bob])
        bob.wait_media_from([ann])

        def badge(who: Participant, of: Participant):
            return who.tile(of.user_id).get_by_test_id("quality-indicator")

        # No loss: every badge reads good (a verdict comes every 2 s; waits, never a fixed pause).
        for who, of in ((ann, bob), (bob, ann), (ann, ann), (bob, bob)):
            expect(badge(who, of)).to_have_attribute("data-quality", "good", timeout=VERDICT_MS)
        expect(badge(ann, bob)).to_have_accessible_name("Connection good")
        expect(badge(ann, bob)).to_have_accessible_description("Bob: good connection")

        # The panel: a codec and the candidate type in use (both on one LAN: host candidates).
        ann.button("Connection details").click()
        table = ann.page.get_by_role("table", name="Bob")
        expect(table.locator('[data-row="codec"] td').first).to_have_text(re.compile(r"^(VP8|VP9|H264|AV1)\b"), timeout=VERDICT_MS)
        expect(table.locator('[data-row="candidate"] td')).to_have_text(
            re.compile(r"^(host|srflx|prflx|relay) \(yours\) / (host|srflx|prflx|relay) \(theirs\)$"))
        expect(table.locator('[data-row="candidate"] td')).to_have_text("host (yours) / host (theirs)")
        before = ann.page.evaluate(CAMERA_LIMITS, bob.user_id)
        assert before is not None and before["scale"] < 2, before

        # Bob's uplink throttled: 32 kbit/s, a 4 kB bucket, at most 200 ms of queue; the rest is dropped.
        tc_qdisc(lan, lan.other_ns, "add", "dev", "lan0", "root", "tbf", "rate", "32kbit", "burst", "4kb",
                 "latency", "200ms")
        expect(badge(ann, bob)).to_have_attribute("data-quality", "poor", timeout=VERDICT_MS)
        expect(badge(ann, bob)).to_have_accessible_name("Connection poor")
        expect(badge(ann, bob)).to_have_accessible_description(re.compile(r"^Bob: \d+% packet loss$"))
        expect(badge(bob, bob)).to_have_attribute("data-quality", "poor", timeout=VERDICT_MS)
        expect(badge(bob, bob)).to_have_attribute("title", re.compile(r"^Your video to Ann: \d+% packet loss$"))

        # Poor for more than 10 s: the video Ann sends Bob, on that connection, is lowered.
        ann.wait_js("([id, before]) => { const read = (" + CAMERA_LIMITS + ")(id); "
                    "return read && read.scale >= 2 * before.scale; }",
                    [bob.user_id, before], lambda: ann.page.evaluate(CAMERA_LIMITS, bob.user_id),
                    "Ann's camera to Bob lowered", timeout=LOWERED_MS)
        expect(ann.page.locator('[data-row="lowered"]')).to_be_visible(timeout=VERDICT_MS)

        # The throttle gone, the badges read good again.
        tc_qdisc(lan, lan.other_ns, "del", "dev", "lan0", "root")
        expect(badge(ann, bob)).to_have_attribute("data-quality", "good", timeout=VERDICT_MS)
        expect(badge(bob, bob)).to_have_attribute("data-quality", "good", timeout=VERDICT_MS)
    finally:
        for who in people:
            if who.log:
                print(f"--- {who.name}:\n" + "\n".join(who.log[-40:]))
        for browser in browsers:
            browser.close()
