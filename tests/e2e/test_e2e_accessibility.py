"""axe-core (react-ui's devDependency) on the pages people see: no critical or serious violation.

The landing page, the pre-join page (camera preview in, Join enabled) and the call page of a
two-person call (tiles with video; then muted, sharing the screen, with the participant list open)
are checked in real Chromium with the WCAG 2.x A/AA rules and axe's best practices. Each finding is
printed with its rule, impact, help text and the elements it names, so a failure says what to fix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from support import REPO

from e2e_harness import Call, Participant, ServerProcess, new_tab
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.e2e

AXE_JS = REPO / "react-ui" / "node_modules" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ("critical", "serious")


@pytest.fixture(scope="module")
def axe_js() -> Path:
    """The axe-core script, failing clearly when react-ui's dev dependencies are not installed."""
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS.relative_to(REPO)} is missing: run `cd react-ui && npm ci` first", pytrace=False)
    return AXE_JS


@pytest.fixture
def axe_tab(browser: Browser, axe_js: Path) -> Iterator[Callable[[], Page]]:
    """`axe_tab()`: a new tab (own browser context) with axe-core in each page it loads; closed afterwards."""
    pages: list[Page] = []

    def make() -> Page:
        page = new_tab(browser)
        # An init script is installed through the DevTools protocol, like Playwright's own probe, so
        # the server's Content-Security-Policy (script-src 'self', tornado_app/web_policy.py) does not
        # apply to it: the pages are checked under the very policy users get, no bypass_csp needed.
        page.context.add_init_script(path=axe_js)
        pages.append(page)
        return page

    yield make
    for page in pages:
        page.context.close()


def axe_run(page: Page) -> dict[str, list[dict[str, Any]]]:
    """Run axe-core on the page as it is now: its `violations` and `incomplete` (needs a person's review)
    findings, each with rule id, impact, help and the elements it names."""
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, { resultTypes: ['violations', 'incomplete'] });
            const brief = (findings) => findings.map((v) => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
            }));
            return { violations: brief(result.violations), incomplete: brief(result.incomplete) };
        }""")


def describe(violations: list[dict[str, Any]]) -> str:
    """The violations as readable lines: rule, impact, help, then each element and why."""
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {node['target']}: {summary}")
    return "\n".join(lines)


def assert_accessible(page: Page, where: str) -> list[dict[str, Any]]:
    """Fail on any critical or serious axe violation on `page`; print every finding; return them all."""
    result = axe_run(page)
    violations = result["violations"]
    if violations:
        print(f"--- axe on {where}:\n{describe(violations)}")
    if result["incomplete"]:  # e.g. text over a <video>, whose colours axe cannot know
        print(f"--- axe on {where}, for a person to review:\n{describe(result['incomplete'])}")
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    assert not failing, f"axe-core found {len(failing)} critical/serious violation(s) on {where}:\n{describe(failing)}"
    return violations


def test_landing_page_has_no_serious_violation(axe_tab: Callable[[], Page], shared_server: ServerProcess) -> None:
    page = axe_tab()
    page.goto(shared_server.base_url + "/")
    expect(page.get_by_role("button", name="New meeting", exact=True)).to_be_enabled()

    assert_accessible(page, "the landing page")


def test_pre_join_page_has_no_serious_violation(axe_tab: Callable[[], Page], make_call: Callable[..., Call],
                                                shared_server: ServerProcess) -> None:
    call = make_call(shared_server)
    alice = call.open("Alice", tab=axe_tab())
    expect(alice.button("Join")).to_be_enabled()
    alice.page.locator("video").wait_for()  # the camera preview is in

    assert_accessible(alice.page, "the pre-join page")


def test_call_page_has_no_serious_violation_and_a_level_one_heading(
        axe_tab: Callable[[], Page], make_call: Callable[..., Call], shared_server: ServerProcess) -> None:
    call = make_call(shared_server)
    alice: Participant = call.join("Alice", tab=axe_tab())
    bob = call.join("Bob")
    alice.wait_media_from([bob])
    expect(alice.page.locator('[data-testid="tile"]')).to_have_count(2)

    found = assert_accessible(alice.page, "the call page (two people)")
    assert "page-has-heading-one" not in [v["id"] for v in found], "the call page has no level-one heading"
    expect(alice.page.get_by_role("heading", level=1)).to_have_count(1)

    # The states whose colours differ: muted (the red "off" control), sharing (the stage and its
    # note), the participant list open.
    alice.button("Mute").click()
    alice.button("Share screen").click()
    alice.wait_stage_shows(alice)
    alice.button("Participants (2)").click()
    expect(alice.page.get_by_role("button", name="Unmute", exact=True)).to_be_visible()

    assert_accessible(alice.page, "the call page (muted, sharing, participant list open)")
