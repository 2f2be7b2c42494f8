"""Debian's Chromium under Playwright (never a downloaded build), with fake camera and microphone.

Used by the end-to-end tests, the desktop and LAN tests' browser participants and the benchmarks.
`CHROMIUM` in the environment names another binary.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from playwright.sync_api import Browser, Playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

FLAGS = (
    "--no-sandbox",  # we run as root
    "--use-fake-ui-for-media-stream",  # grant camera, microphone and screen without a prompt
    "--use-fake-device-for-media-stream",  # a synthetic camera and a beeping microphone
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-gpu",
)


def flags(extra: Iterable[str] = ()) -> list[str]:
    """FLAGS with `extra`; an extra flag of the same name replaces the default one."""
    extra = list(extra)
    names = {flag.split("=", 1)[0] for flag in extra}
    return [flag for flag in FLAGS if flag.split("=", 1)[0] not in names] + extra


def launch(playwright: Playwright, extra: Iterable[str] = (), headless: bool = True) -> Browser:
    """Debian's Chromium with fake media devices and `extra` flags."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=headless, args=flags(extra))
