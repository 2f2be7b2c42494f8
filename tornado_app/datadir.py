"""The data folder holds room ids (all it takes to join) and private keys: owner-only permissions.

Folders are 0700 and files 0600, and start-up corrects what an older version left readable by
others. A file written again keeps its old mode under O_CREAT, hence the explicit `fchmod`.
"""

from __future__ import annotations

import os
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


class DataDirError(Exception):
    """The data folder (or a file in it) cannot be used; the message says which and why."""


def private_dir(path: Path) -> Path:
    """Make `path` (and missing parents) if needed and leave it readable by its owner only."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    os.chmod(path, DIR_MODE)
    return path


def private_file(path: Path) -> None:
    """Make an existing file readable by its owner only (no-op if it does not exist)."""
    try:
        os.chmod(path, FILE_MODE)
    except FileNotFoundError:
        pass


def create_private(path: Path) -> None:
    """Create `path` empty if it is missing, and make it 0600 either way (before SQLite opens it,
    so that its -wal and -shm files, made with the database's mode, are private too)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)


def write_private(path: Path, data: bytes) -> None:
    """Write a file only its owner can read, even when it existed with a wider mode."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "wb") as out:
        os.fchmod(fd, FILE_MODE)
        out.write(data)
