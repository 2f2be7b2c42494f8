"""Can this machine show the window at all? A display, the system libraries Qt loads on Linux,
and whether QtWebEngine may keep Chromium's sandbox.

Qt aborts the whole process (no Python exception) when its xcb platform plugin cannot load, so we
look for the usual missing pieces first and say which Debian/Ubuntu package brings each.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Mapping, MutableMapping

# soname -> Debian package. Qt's xcb plugin and QtWebEngine need these from the system.
QT_SYSTEM_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libEGL.so.1": "libegl1",
    "libnss3.so": "libnss3",
    "libxkbfile.so.1": "libxkbfile1",
    # Not bundled in the Linux build (installers/parley.spec, SYSTEM_LIBRARIES): every desktop has
    # them, but a minimal system may not.
    "libstdc++.so.6": "libstdc++6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libfontconfig.so.1": "libfontconfig1",
    "libasound.so.2": "libasound2",
    "libdbus-1.so.3": "libdbus-1-3",
    "libgssapi_krb5.so.2": "libgssapi-krb5-2",
    "libgbm.so.1": "libgbm1",
    "libXcomposite.so.1": "libxcomposite1",
    "libXdamage.so.1": "libxdamage1",
    "libXrandr.so.2": "libxrandr2",
    "libXtst.so.6": "libxtst6",
    "libxkbcommon.so.0": "libxkbcommon0",
}


class EnvironmentError_(RuntimeError):
    """The window cannot be shown here; the message says why and what to do."""


def check_display(env: Mapping[str, str] = os.environ, platform: str = sys.platform) -> None:
    """Raise when Linux has neither an X11 nor a Wayland display to open the window on."""
    if platform.startswith("linux") and not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")):
        raise EnvironmentError_(
            "no display: parley-desktop needs a graphical session (DISPLAY or WAYLAND_DISPLAY is "
            "not set). To host a meeting without a window, run `parley-server` instead.")


def missing_libraries(libraries: Mapping[str, str] = QT_SYSTEM_LIBRARIES) -> dict[str, str]:
    """The sonames in `libraries` that the dynamic loader cannot find, with their packages."""
    missing = {}
    for soname, package in libraries.items():
        try:
            ctypes.CDLL(soname)
        except OSError:
            missing[soname] = package
    return missing


def check_qt(platform: str = sys.platform) -> None:
    """Raise with an apt-get line when Qt's system libraries or PySide6 itself are missing."""
    if platform.startswith("linux"):
        missing = missing_libraries()
        if missing:
            packages = " ".join(sorted(set(missing.values())))
            raise EnvironmentError_(
                f"Qt cannot start: missing system libraries {', '.join(sorted(missing))}.\n"
                f"Install them with: sudo apt-get install {packages}")
    try:
        import PySide6.QtWebEngineWidgets  # noqa: F401
    except ImportError as exc:
        raise EnvironmentError_(
            f"Qt WebEngine is not available ({exc}). Install the desktop extra: "
            "pip install 'parley-meet[desktop]'") from exc


# Qt WebEngine's documented switch (Qt WebEngine Platform Notes, "Sandboxing Support"); it leaves
# QTWEBENGINE_CHROMIUM_FLAGS as the user set it.
NO_SANDBOX_ENV = "QTWEBENGINE_DISABLE_SANDBOX"


def sandbox_off_for_root(env: MutableMapping[str, str] = os.environ, platform: str = sys.platform,
                         euid: int | None = None) -> bool:
    """As root on Linux, turn QtWebEngine's sandbox off before Qt starts; True when it did so.

    Chromium's zygote refuses to start as root with its sandbox ("Running as root without
    --no-sandbox is not supported", https://crbug.com/638180): the window would stay black and the
    process end with nothing said. Chromium-based apps run without the sandbox then, with a warning.
    """
    if not platform.startswith("linux"):
        return False
    if (os.geteuid() if euid is None else euid) != 0:
        return False
    env[NO_SANDBOX_ENV] = "1"
    return True
