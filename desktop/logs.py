"""Logging for the desktop app: a rotating file in the user's data folder, and stderr."""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from tornado_app.datadir import DIR_MODE, private_dir

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def make_private(data_dir: Path) -> None:
    """Everything the app (and its webview) writes from now on is its user's alone, and what an
    older version left readable by others is corrected: names of recent servers, logs, cookies
    and the embedded server's rooms are the user's business (issue 11)."""
    os.umask(0o077)
    private_dir(data_dir)
    for path in data_dir.rglob("*"):
        if not path.is_symlink():
            os.chmod(path, DIR_MODE if path.is_dir() else path.stat().st_mode & 0o700)


def configure_logging(data_dir: Path, level: str = "info") -> Path:
    """Log to `<data dir>/logs/desktop.log` (1 MB x 3) and stderr; returns the file's path."""
    make_private(data_dir)
    path = data_dir / "logs" / "desktop.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    root.setLevel(level.upper())
    file_handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3,
                                                        encoding="utf-8")
    stderr_handler = logging.StreamHandler()
    for handler in (file_handler, stderr_handler):
        handler.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(handler)
    if level != "debug":
        logging.getLogger("tornado.access").setLevel(logging.WARNING)
    return path
