"""Fixtures for the desktop app's tests: a virtual display, the real app process, a Chromium peer.

The app runs for real: a Qt WebEngine window under Xvfb with the embedded Tornado server. The only
test-only setting is in the environment: Chromium's fake camera for QtWebEngine (run as root, the
app itself turns Chromium's sandbox off, as it does for a user).
"""

from __future__ import annotations

import pytest
from support import chromium as debian_chromium
from support.xvfb import Xvfb

from desktop_harness import DesktopApp, desktop_env


@pytest.fixture(scope="session")
def xvfb():
    """A virtual display shared by the session's desktop tests."""
    display = Xvfb()
    yield display
    display.stop()


@pytest.fixture
def app_env(xvfb):
    """The environment the desktop app runs in."""
    return desktop_env(xvfb.display)


@pytest.fixture
def start_app(app_env, tmp_path):
    """`app = start_app("--embedded")`: the desktop app, running, closed at teardown."""
    apps: list[DesktopApp] = []

    def start(*args: str, data_dir=None, env=None, prefix=()) -> DesktopApp:
        data = data_dir or tmp_path / "data"
        app = DesktopApp([*args, "--data-dir", str(data)], env or app_env,
                         tmp_path / f"desktop-{len(apps)}.log", prefix)
        apps.append(app)
        return app

    yield start
    for app in apps:
        try:
            app.close()
        except Exception:  # noqa: BLE001 - the test already failed; make sure nothing is left
            pass
        app.kill()


# Module scope, not session: Playwright's sync API keeps an event loop running while it is open,
# which would break every later test that runs its own loop (pytest-tornasync) in the same session.
@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium under Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = debian_chromium.launch(playwright)
        yield browser
        browser.close()


@pytest.fixture
def chromium_page(chromium):
    """A fresh Chromium tab (a second meeting participant)."""
    context = chromium.new_context()
    page = context.new_page()
    yield page
    context.close()
