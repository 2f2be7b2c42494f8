"""People in the web client, as the end-to-end tests and `benchmarks/call_setup.py` drive them.

- `launch_chromium`: Debian's Chromium (`support.chromium`) with eight fake cameras and a fake screen.
- `Call` / `Participant`: one browser context per participant, on `/r/<roomId>?name=...`, with the
  page-side probe (`tests/e2e/probe.js`) that reads `getStats()` through `window.__parley.peers`.

Nothing here sleeps to synchronise: waits are Playwright waits, which poll until a deadline.
"""

from __future__ import annotations

import contextlib
import urllib.parse
from collections.abc import Callable, Iterable
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Locator, Page, Playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from support import REPO, TEST_UI_DIR, chromium
from support.processes import ParleyServer

UI_INDEX = TEST_UI_DIR / "index.html"
PROBE_JS = (REPO / "tests" / "e2e" / "probe.js").read_text(encoding="utf-8")

# What a call needs on top of support.chromium.FLAGS.
CALL_FLAGS = (
    # Synthetic cameras (1280x720 at 20 frames/s, up to 4K on request) and a beeping microphone.
    # Eight cameras so that people in one browser need not share one (see FAKE_CAMERAS).
    "--use-fake-device-for-media-stream=device-count=8",
    # Headless Chromium with the two flags above already hands getDisplayMedia a fake screen
    # ("screen:-3:0", the size of the emulated screen); this one makes a headed run pick it too.
    "--auto-select-desktop-capture-source=Entire screen",
    "--autoplay-policy=no-user-gesture-required",  # remote <video>/<audio> play without a click
    "--disable-quic",
)

# The fake cameras a participant can pick, one per person (`Call.open(..., camera=...)`), as people
# on different machines have their own. Chromium's second fake camera ("fake_device_1") is a Y16
# depth camera that no encoder takes, and its third ("fake_device_2") delivers MJPEG, whose decoding
# costs its capture about four times the CPU of the others, so both are left out; the others are
# I420. By default everyone gets fake_device_0, one capture device shared by every context.
FAKE_CAMERAS = ("fake_device_0", "fake_device_3", "fake_device_4", "fake_device_5", "fake_device_6", "fake_device_7")

DEFAULT_TIMEOUT_MS = 15_000
# Headless Chromium's fake screen capture has the size of the page's (emulated) screen: 1280x720
# here, Playwright's default, set explicitly because the screen-share tests rely on it.
SCREEN = {"width": 1280, "height": 720}


def ui_missing_message() -> str | None:
    """Why the tests cannot run, if the web client has not been built; else None."""
    if UI_INDEX.exists():
        return None
    return (f"the test build of the web client is missing ({UI_INDEX.relative_to(REPO)}): run "
            "`make test` or `cd react-ui && npm ci && npm run build:test` first")


def launch_chromium(playwright: Playwright, headless: bool = True) -> Browser:
    """Debian's Chromium with fake media devices: eight cameras, a microphone, a screen."""
    return chromium.launch(playwright, CALL_FLAGS, headless)


def new_tab(browser: Browser) -> Page:
    """A page in a new browser context of its own, with the test probe and the screen size."""
    context = browser.new_context(viewport=SCREEN, screen=SCREEN)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.add_init_script(script=PROBE_JS)
    return context.new_page()


class Participant:
    """One person: a browser context and page on the room's link, following the DOM contract."""

    def __init__(self, name: str, context: BrowserContext, page: Page, url: str) -> None:
        self.name = name
        self.context = context
        self.page = page
        self.url = url
        self.user_id = ""
        self.log: list[str] = []
        self.kept = False  # a tab kept open from call to call (Call.open's `tab`)
        self._listeners: list[tuple[str, Callable[[Any], None]]] = [
            ("console", lambda msg: self.log.append(f"console.{msg.type}: {msg.text}")),
            ("pageerror", lambda err: self.log.append(f"pageerror: {err}")),
        ]
        for event, listener in self._listeners:
            page.on(event, listener)

    def detach(self) -> None:
        """Stop collecting this page's log (its tab goes on to another call)."""
        for event, listener in self._listeners:
            self.page.remove_listener(event, listener)

    def __repr__(self) -> str:
        return f"<Participant {self.name} {self.user_id or '(not joined)'}>"

    # --- what a person sees and presses

    def button(self, name: str) -> Locator:
        """The button whose accessible name is exactly `name`."""
        return self.page.get_by_role("button", name=name, exact=True)

    def tile(self, user_id: str) -> Locator:
        """The participant tile of `user_id`."""
        return self.page.locator(f'[data-testid="tile"][data-user-id="{user_id}"]')

    @property
    def stage(self) -> Locator:
        """The stage, where a shared screen shows."""
        return self.page.get_by_test_id("stage")

    @property
    def alert(self) -> Locator:
        """role="alert" (a missing or full room)."""
        return self.page.get_by_role("alert")

    def open(self) -> None:
        """Load the pre-join page."""
        self.page.goto(self.url)

    def choose_camera(self, label: str) -> None:
        """Pick the camera `label` on the pre-join page; return once its preview is in and Join is enabled."""
        self.page.get_by_label("Camera", exact=True).select_option(label=label)
        self.page.wait_for_function(
            """(label) => { const v = document.querySelector('video');
                const t = v && v.srcObject && v.srcObject.getVideoTracks()[0];
                return Boolean(t && t.label === label); }""", arg=label)
        self.button("Join").and_(self.page.locator(":enabled")).wait_for()

    def join(self) -> None:
        """Press Join and wait until in the call (Leave shows and `window.__parley.userId` is set)."""
        self.button("Join").click()
        self.wait_in_call()

    def wait_in_call(self) -> None:
        """Wait until the call UI shows and the app has a user id."""
        self.button("Leave").wait_for()
        self.page.wait_for_function("() => window.__parley && window.__parley.userId")
        self.user_id = self.page.evaluate("() => window.__parley.userId")

    def click_at(self, button: str, at_ms: float) -> None:
        """Click `button` at wall-clock time `at_ms` (Date.now()), to press on several pages at once."""
        self.button(button).evaluate("(b, at) => setTimeout(() => b.click(), at - Date.now())", at_ms)

    # --- what the page-side probe reads

    def peer_stats(self) -> dict[str, dict[str, Any]]:
        """Per remote user id: connectionState, framesDecoded, audioPackets, audioSamples."""
        return self.page.evaluate("() => window.__e2e.peerStats()")

    def stage_state(self) -> dict[str, Any] | None:
        """data-sharer-id and the stage video's size, source (user id or 'self') and frames decoded."""
        return self.page.evaluate("() => window.__e2e.stage()")

    def screen(self) -> dict[str, Any] | None:
        """The latest screen capture the app got (readyState, width, height), or None."""
        return self.page.evaluate("() => window.__e2e.screen()")

    def wait_js(self, predicate: str, arg: object = None, describe: Callable[[], object] | None = None,
                message: str = "condition", timeout: float = DEFAULT_TIMEOUT_MS) -> None:
        """`page.wait_for_function`, failing with `describe()` (what was seen) instead of a bare timeout."""
        try:
            self.page.wait_for_function(predicate, arg=arg, polling=100, timeout=timeout)
        except PlaywrightTimeoutError:
            seen = describe() if describe else None
            raise AssertionError(f"{self.name}: {message}: not true after {timeout / 1000:.0f} s; "
                                 f"last seen: {seen!r}") from None

    def wait_media_from(self, others: Iterable[Participant]) -> None:
        """Wait until each of `others` sends decoded video and played audio to this page."""
        ids = [o.user_id for o in others]
        self.wait_js(
            """async (ids) => { const s = await window.__e2e.peerStats();
                return ids.every((id) => s[id] && s[id].framesDecoded > 0 && s[id].audioPackets > 0
                                         && s[id].audioSamples > 0); }""",
            ids, self.peer_stats, f"video frames decoded and audio received from {ids}")

    def wait_stage_shows(self, sharer: Participant) -> None:
        """Wait until the stage names `sharer` and its <video> plays their screen (16:9, frames)."""
        self.wait_js(
            """async ([sharerId, own]) => { const s = await window.__e2e.stage();
                if (!s || s.sharerId !== sharerId || !s.video) return false;
                const v = s.video;
                const screenShaped = v.width > 0 && Math.abs(v.width / v.height - 16 / 9) < 0.02;
                return screenShaped && (own ? v.from === 'self' : v.from === sharerId && v.framesDecoded > 0); }""",
            [sharer.user_id, sharer is self], self.stage_state,
            f"the stage shows {sharer.name}'s screen ({sharer.user_id})")


class Call:
    """Participants of one room on one server, each in their own browser context."""

    def __init__(self, browser: Browser, server: ParleyServer, room_id: str) -> None:
        self.browser = browser
        self.server = server
        self.room_id = room_id
        self.people: list[Participant] = []

    def open(self, name: str, camera: str | None = None, tab: Page | None = None) -> Participant:
        """A new participant on the room's pre-join page (not joined yet), with `camera` (a label of
        FAKE_CAMERAS) picked when given. By default in a new browser context; with `tab` (from
        `new_tab`, kept from an earlier call) in that one, as someone opens a link in the browser
        they already have open; `close` then leaves the tab open, on about:blank."""
        page = tab or new_tab(self.browser)
        url = f"{self.server.base_url}/r/{self.room_id}?{urllib.parse.urlencode({'name': name})}"
        person = Participant(name, page.context, page, url)
        person.kept = tab is not None
        self.people.append(person)
        person.open()
        if camera is not None:
            person.choose_camera(camera)
        return person

    def join(self, name: str, camera: str | None = None, tab: Page | None = None) -> Participant:
        """A new participant who has joined the call (`camera` and `tab` as in `open`)."""
        person = self.open(name, camera, tab)
        person.join()
        return person

    def join_all(self, *names: str, own_cameras: bool = False) -> list[Participant]:
        """Participants who join one after the other, each waiting to be in the call; with
        `own_cameras`, each with their own camera of FAKE_CAMERAS."""
        cameras = FAKE_CAMERAS[: len(names)] if own_cameras else (None,) * len(names)
        return [self.join(name, camera) for name, camera in zip(names, cameras, strict=True)]

    def users(self) -> dict[str, Any]:
        """The server's view: GET /room/<roomId>/users."""
        return self.server.room(self.room_id)

    def close(self) -> str:
        """Close every context; returns their console logs (for a failing test's output)."""
        report = []
        for person in self.people:
            with contextlib.suppress(Exception):  # a context may already be gone with its browser
                if person.kept:
                    person.page.goto("about:blank")  # leaves the call
                    person.detach()
                else:
                    person.context.close()
            if person.log:
                report.append(f"--- {person.name} ({person.user_id}):\n" + "\n".join(person.log[-60:]))
        self.people.clear()
        return "\n".join(report)
