"""One embedded server per user: the first app instance owns it, later ones reuse it.

Two servers on one data folder would share one SQLite file and fight over the port, so the owner
holds an OS file lock for its lifetime and writes its URL beside it; a second instance that cannot
take the lock opens that URL instead of starting its own server.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request
from pathlib import Path


class InstanceLock:
    """A non-blocking exclusive lock on `<data dir>/desktop.lock`, released when the process ends."""

    def __init__(self, data_dir: Path) -> None:
        self.lock_path = data_dir / "desktop.lock"
        self.info_path = data_dir / "desktop-server.json"
        self._file = None

    def acquire(self) -> bool:
        """Take the lock; False if another live instance holds it."""
        self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.lock_path, "a+b")  # noqa: SIM115 - held open for the process lifetime
        try:
            _lock(handle)
        except OSError:
            handle.close()
            return False
        self._file = handle
        return True

    def publish(self, url: str) -> None:
        """Tell later instances where the embedded server is."""
        tmp = self.info_path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"url": url, "pid": os.getpid()}), encoding="utf-8")
        os.replace(tmp, self.info_path)

    def owner_url(self) -> str | None:
        """The URL the owning instance published, if it answers `/healthz`."""
        try:
            url = json.loads(self.info_path.read_text(encoding="utf-8"))["url"]
            with urllib.request.urlopen(url.rstrip("/") + "/healthz", timeout=2) as response:
                return url if response.status == 200 else None
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def release(self) -> None:
        """Drop the lock and the published URL."""
        if self._file is None:
            return
        try:
            self.info_path.unlink(missing_ok=True)
        finally:
            self._file.close()  # closing the descriptor releases the OS lock
            self._file = None


def _lock(handle) -> None:
    if sys.platform == "win32":
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
