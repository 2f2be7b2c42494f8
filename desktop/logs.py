"""Logging for the desktop app: a rotating file in the user's data folder, and stderr."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(data_dir: Path, level: str = "info") -> Path:
    """Log to `<data dir>/logs/desktop.log` (1 MB x 3) and stderr; returns the file's path."""
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
