"""What the app remembers between runs: your name, the servers you used and the language you chose,
in a small JSON file."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
from pathlib import Path

log = logging.getLogger("parley.desktop")

MAX_RECENT = 8
# A language chosen in the window: a two-letter code (the web client knows which it speaks); "" is the system's.
LANGUAGE = re.compile(r"[a-z]{2}")


@dataclasses.dataclass
class Prefs:
    """The remembered name, recent server URLs (most recent first) and chosen language."""

    name: str = ""
    recent: list[str] = dataclasses.field(default_factory=list)
    checked_permissions: bool = False
    language: str = ""

    def remember_server(self, url: str) -> None:
        """Put a server first in the recent list, without duplicates."""
        self.recent = [url] + [other for other in self.recent if other != url]
        del self.recent[MAX_RECENT:]


def _language(stored: object) -> str:
    """A stored language if it is one (a two-letter code), else "" (the system's)."""
    return stored if isinstance(stored, str) and LANGUAGE.fullmatch(stored) else ""


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
                language=_language(raw.get("language")),
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
