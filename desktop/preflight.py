"""First-run check: does the operating system let this app use the camera, microphone and screen?

Each OS keeps its own switch outside the webview; when it is off, `getUserMedia` just fails. We read
that switch and tell the user where to turn it on.
"""

from __future__ import annotations

import dataclasses
import glob
import os
import sys


@dataclasses.dataclass(frozen=True)
class Problem:
    """One device the OS denies, and how to allow it."""

    device: str  # "camera", "microphone" or "screen"
    message: str
    fix: str


def check_permissions(platform: str = sys.platform) -> list[Problem]:
    """What the OS currently denies this app; empty when everything is allowed or unknown."""
    try:
        if platform == "darwin":
            return _macos()
        if platform == "win32":
            return _windows()
        if platform.startswith("linux"):
            return _linux()
    except Exception:  # noqa: BLE001 - a check that cannot run must never stop the app
        return []
    return []


def _macos() -> list[Problem]:
    import AVFoundation  # pyobjc-framework-AVFoundation, present in the macOS build
    import Quartz

    denied = {1, 2}  # AVAuthorizationStatusRestricted, AVAuthorizationStatusDenied
    problems = []
    for device, media in (("camera", AVFoundation.AVMediaTypeVideo),
                          ("microphone", AVFoundation.AVMediaTypeAudio)):
        if AVFoundation.AVCaptureDevice.authorizationStatusForMediaType_(media) in denied:
            pane = "Camera" if device == "camera" else "Microphone"
            problems.append(Problem(device, f"macOS does not allow Parley to use the {device}.",
                                    f"Open System Settings > Privacy & Security > {pane}, "
                                    "turn on Parley, then restart Parley."))
    if not Quartz.CGPreflightScreenCaptureAccess():
        problems.append(Problem("screen", "macOS does not allow Parley to record the screen.",
                                "Open System Settings > Privacy & Security > Screen & System Audio "
                                "Recording, turn on Parley, then restart Parley."))
    return problems


def _windows() -> list[Problem]:
    import winreg

    base = r"Software\Microsoft\Windows\CurrentVersion\CapabilityAccessManager\ConsentStore"
    problems = []
    for device, key in (("camera", "webcam"), ("microphone", "microphone")):
        for hive in (winreg.HKEY_LOCAL_MACHINE, winreg.HKEY_CURRENT_USER):
            try:
                with winreg.OpenKey(hive, f"{base}\\{key}") as handle:
                    value, _kind = winreg.QueryValueEx(handle, "Value")
            except OSError:
                continue
            if value == "Deny":
                pane = "Camera" if device == "camera" else "Microphone"
                problems.append(Problem(device, f"Windows does not allow apps to use the {device}.",
                                        f"Open Settings > Privacy & security > {pane} and turn on "
                                        f"\"{pane} access\" and \"Let desktop apps access your "
                                        f"{device}\"."))
                break
    return problems


def _linux() -> list[Problem]:
    cameras = glob.glob("/dev/video*")
    if cameras and not any(os.access(path, os.R_OK | os.W_OK) for path in cameras):
        return [Problem("camera", "Your user may not open the camera devices (/dev/video*).",
                        "Add yourself to the video group (sudo usermod -aG video $USER), "
                        "then log out and back in.")]
    return []
