"""The built client runs under the server's Content-Security-Policy with nothing refused.

The landing page, the pre-join page and a two-person call (camera, microphone, WebRTC, the signaling
WebSocket) are driven in real Chromium; every `securitypolicyviolation` event and every console
message about the policy is collected and must be none. Leaving the page sends `POST /leaveRoom`
with `navigator.sendBeacon`, which the server only accepts as `application/json`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from e2e_harness import Call, ServerProcess, eventually, new_tab
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.e2e

# Runs in every page before its own scripts: remember each violation the browser reports.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.effectiveDirective} refused ${e.blockedURI || '(inline)'}`);
});
"""


def violations(page: Page, console: list[str]) -> list[str]:
    """What the page's policy refused: its events and its console messages."""
    return [*page.evaluate("() => window.__cspViolations"), *console]


def watch(page: Page) -> list[str]:
    """Collect console messages about the Content-Security-Policy of `page`."""
    found: list[str] = []
    page.on("console", lambda msg: found.append(msg.text)
            if "Content Security Policy" in msg.text else None)
    page.context.add_init_script(script=WATCH_VIOLATIONS)
    return found


def test_landing_page_runs_under_the_policy(start_server: Callable[..., ServerProcess],
                                            browser: Browser) -> None:
    server = start_server()
    page = new_tab(browser)
    try:
        console = watch(page)
        response = page.goto(server.base_url + "/")
        assert response is not None
        policy = response.headers["content-security-policy"]
        # WebAssembly may be compiled (RNNoise's worklet), nothing evaluated or inlined.
        assert "script-src 'self' 'wasm-unsafe-eval';" in policy, policy
        assert "'unsafe-eval'" not in policy and "'unsafe-inline'" not in policy, policy
        expect(page.get_by_role("button").first).to_be_visible()
        page.wait_for_load_state("networkidle")
        assert violations(page, console) == []
    finally:
        page.context.close()


def test_prejoin_and_call_pages_run_under_the_policy_and_the_leave_beacon_is_json(
        start_server: Callable[..., ServerProcess], make_call: Callable[..., Call]) -> None:
    server = start_server("--log-level", "debug")  # debug: the access log shows the beacon
    call = make_call(server)
    alice = call.open("Alice")
    bob = call.open("Bob")
    consoles = {}
    for person in (alice, bob):
        consoles[person.name] = watch(person.page)
        person.open()  # load the pre-join page again, now watched
        expect(person.button("Join")).to_be_enabled()
        assert violations(person.page, consoles[person.name]) == [], person
    alice.join()
    bob.join()
    alice.wait_media_from([bob])
    bob.wait_media_from([alice])
    for person in (alice, bob):
        assert violations(person.page, consoles[person.name]) == [], person

    bob.page.goto("about:blank")  # pagehide: the client says goodbye with sendBeacon

    def beacon_answered() -> tuple[bool, object]:
        lines = re.findall(r"\b(\d{3}) POST /leaveRoom", server.log_path.read_text(errors="replace"))
        return bool(lines), lines

    # Accepted as JSON: 200, or 404 userNotFound when the closing socket removed Bob first; a
    # text/plain beacon would get 415 unsupportedMediaType.
    (status,) = eventually(beacon_answered, timeout=15.0)
    assert status in ("200", "404"), status
    expect(alice.tile(bob.user_id)).to_have_count(0)
