"""What the end-to-end tests drive, under the name they import it by; it is written in `tests/support`.

- `ServerProcess`: `python -m tornado_app` on a free loopback port with its own data dir; started,
  stopped with SIGTERM and started again on the same port and data dir (`support.processes`).
- `launch_chromium`: Debian's Chromium with fake camera, microphone and screen (`support.meeting`).
- `Call` / `Participant`: one browser context per participant, following the client's DOM contract,
  with the page-side probe `probe.js` (`support.meeting`).
- `eventually`: polls a condition until a deadline (`support.polling`).
"""

from __future__ import annotations

from support.chromium import CHROMIUM
from support.meeting import (DEFAULT_TIMEOUT_MS, FAKE_CAMERAS, PROBE_JS, SCREEN, UI_INDEX, Call, Participant,
                             launch_chromium, new_tab, ui_missing_message)
from support.polling import eventually
from support.processes import ParleyServer as ServerProcess
from support.processes import free_port, http_json

__all__ = ["CHROMIUM", "DEFAULT_TIMEOUT_MS", "FAKE_CAMERAS", "PROBE_JS", "SCREEN", "UI_INDEX", "Call",
           "Participant", "ServerProcess", "eventually", "free_port", "http_json", "launch_chromium",
           "new_tab", "ui_missing_message"]
