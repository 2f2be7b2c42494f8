"""Files shipped beside the code, found the same way from a checkout and from a PyInstaller build."""

from __future__ import annotations

from functools import cache
from pathlib import Path

ASSETS = Path(__file__).resolve().parent / "assets"


@cache
def start_page() -> str:
    """The host / join / connect page shown when no server was given."""
    return (ASSETS / "start.html").read_text(encoding="utf-8")


def icon_path() -> Path:
    """The window and launcher icon."""
    return ASSETS / "parley.png"


@cache
def no_screen_capture_shim() -> str:
    """JS run in meeting pages where the webview cannot capture the screen (older macOS)."""
    return (ASSETS / "no-screen-capture.js").read_text(encoding="utf-8")
