"""Screenshots of the call's states at a laptop's and a phone's size, saved by the e2e tests.

They go to `test-artifacts/screenshots/` (git-ignored; CI keeps the folder as an artifact) so that a
person can look at what the assertions measured.
"""

from __future__ import annotations

from playwright.sync_api import Page

from support import REPO

SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
SIZES = {"laptop": {"width": 1440, "height": 700},
         "phone": {"width": 390, "height": 844},
         "phone-landscape": {"width": 844, "height": 390}}

# Resolves once the page has painted twice at its present size (a resize lays out before a frame).
_PAINTED = "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"


def save(page: Page, name: str) -> None:
    """Save `page` as it is now under `name`.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png")


def save_at_both_sizes(page: Page, state: str) -> None:
    """Save `page` at the laptop's and the phone's size (`<state>-laptop.png`, `<state>-phone.png`)."""
    before = page.viewport_size
    for size in ("laptop", "phone"):
        page.set_viewport_size(SIZES[size])
        page.evaluate(_PAINTED)
        save(page, f"{state}-{size}")
    if before is not None:
        page.set_viewport_size(before)
        page.evaluate(_PAINTED)
