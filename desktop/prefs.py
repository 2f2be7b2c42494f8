"""What the app remembers between runs: your name and the servers you used, in a small JSON file."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from pathlib import Path

log = logging.getLogger("parley.desktop")

MAX_RECENT = 8


@dataclasses.dataclass
class Prefs:
    """The remembered name and recent server URLs (most recent first)."""

    name: str = ""
    recent: list[str] = dataclasses.field(default_factory=list)
    checked_permissions: bool = False

    def remember_server(self, url: str) -> None:
        """Put a server first in the recent list, without duplicates."""
        self.recent = [url] + [other for other in self.recent if other != url]
        del self.recent[MAX_RECENT:]


class PrefsFile:
    """Loads and saves `Prefs` at one path; a missing or broken file means defaults."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> Prefs:
        """The saved prefs, or defaults."""
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            return Prefs(
                name=str(raw.get("name", ""))[:128],
                recent=[str(url) for url in raw.get("recent", []) if isinstance(url, str)][:MAX_RECENT],
                checked_permissions=bool(raw.get("checked_permissions", False)),
            )
        except FileNotFoundError:
            return Prefs()
        except (OSError, ValueError, AttributeError) as exc:
            log.warning("ignoring unreadable %s: %s", self.path, exc)
            return Prefs()

    def save(self, prefs: Prefs) -> None:
        """Write atomically (a crash never leaves half a file)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(dataclasses.asdict(prefs), indent=2), encoding="utf-8")
        os.replace(tmp, self.path)
