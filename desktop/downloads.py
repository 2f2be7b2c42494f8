"""Saving a received file into the user's Downloads folder (the meeting page's **Save**, issue 13).

A file comes over the bridge in pieces (base64 strings of at most `MAX_PIECE_BYTES`), not as one
200 MB string: `begin` reserves a file name in Downloads, `write` appends a piece, `finish` closes
it, `abort` removes it. The name is the sender's, sanitised (no folders, no control characters, no
leading dots, at most 200 bytes), and made unique (`name (1).ext`) when it exists; the file is
created with O_EXCL inside Downloads only, so it never replaces a file and never lands elsewhere.
The same pieces write a meeting recording (issue 15) into the user's Videos folder as it is made
(`Downloads(videos_folder(), max_file_bytes=MAX_RECORDING_BYTES)`). No webview in here.
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
import sys
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

MAX_FILE_BYTES = 200 * 1024 * 1024
# A recording at the client's 2.5 Mbit/s is about 1.2 GB an hour: 16 GB is a long day, and a bound.
MAX_RECORDING_BYTES = 16 * 1024 * 1024 * 1024
MAX_PIECE_BYTES = 4 * 1024 * 1024
MAX_NAME_BYTES = 200
MAX_OPEN = 8  # saves under way at once


class SaveError(Exception):
    """A save that cannot go on; the message is shown to the user."""


def downloads_folder(home: Path | None = None) -> Path:
    """The user's Downloads folder (created if it does not exist)."""
    folder = (home or Path.home()) / "Downloads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def videos_folder(home: Path | None = None, platform: str = sys.platform) -> Path:
    """The user's Videos folder (Movies on macOS; created if it does not exist)."""
    folder = (home or Path.home()) / ("Movies" if platform == "darwin" else "Videos")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def safe_name(name: str) -> str:
    """The sender's file name as a plain name for this folder: never a path, never hidden, never empty."""
    text = unicodedata.normalize("NFC", str(name))
    # Separators of every OS and anything that is not printable become "_".
    text = "".join("_" if ch in '/\\:*?"<>|' or unicodedata.category(ch)[0] == "C" else ch for ch in text)
    text = text.strip().lstrip(".").strip()
    if not text:
        text = "file"
    stem, dot, ext = text.rpartition(".")
    if not dot:
        stem, ext = text, ""
    while len((stem + dot + ext).encode()) > MAX_NAME_BYTES:
        if len(stem) > 1:
            stem = stem[:-1]
        else:
            ext = ext[:-1]
    return stem + dot + ext


def _candidates(name: str):
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        stem, dot, ext = name, "", ""
    yield name
    for n in range(1, 10_000):
        yield f"{stem} ({n}){dot}{ext}"


@dataclass
class _Save:
    path: Path
    fd: int
    written: int = 0


class Downloads:
    """The saves under way, each a file being written in one folder (Downloads, or Videos)."""

    def __init__(self, folder: Path, max_file_bytes: int = MAX_FILE_BYTES) -> None:
        self.folder = folder
        self.max_file_bytes = max_file_bytes
        self._saves: dict[str, _Save] = {}
        self._lock = threading.Lock()

    def begin(self, name: str) -> tuple[str, Path]:
        """Reserve a unique name in Downloads for `name`; a token for `write`/`finish` and the path."""
        with self._lock:
            if len(self._saves) >= MAX_OPEN:
                raise SaveError("too many files being saved at once")
        self.folder.mkdir(parents=True, exist_ok=True)
        for candidate in _candidates(safe_name(name)):
            path = self.folder / candidate
            if path.resolve().parent != self.folder.resolve():
                raise SaveError("not a file name")
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
            except FileExistsError:
                continue
            token = secrets.token_urlsafe(16)
            with self._lock:
                self._saves[token] = _Save(path, fd)
            return token, path
        raise SaveError("no free file name")

    def write(self, token: str, piece: str) -> int:
        """Append one base64 piece; the bytes written so far."""
        save = self._get(token)
        try:
            data = base64.b64decode(piece, validate=True)
        except (binascii.Error, ValueError, TypeError):
            self.abort(token)
            raise SaveError("not base64") from None
        if len(data) > MAX_PIECE_BYTES or save.written + len(data) > self.max_file_bytes:
            self.abort(token)
            raise SaveError(f"the file is larger than {self.max_file_bytes // (1024 * 1024)} MB")
        view = memoryview(data)
        while view:
            view = view[os.write(save.fd, view):]
        save.written += len(data)
        return save.written

    def finish(self, token: str) -> Path:
        """Close the file; where it is."""
        with self._lock:
            save = self._saves.pop(token, None)
        if save is None:
            raise SaveError("no such save")
        os.close(save.fd)
        return save.path

    def abort(self, token: str) -> None:
        """Give up a save: its partial file is removed."""
        with self._lock:
            save = self._saves.pop(token, None)
        if save is None:
            return
        os.close(save.fd)
        save.path.unlink(missing_ok=True)

    def close(self) -> None:
        """Abort every save under way (the app is closing)."""
        for token in list(self._saves):
            self.abort(token)

    def _get(self, token: str) -> _Save:
        with self._lock:
            save = self._saves.get(str(token))
        if save is None:
            raise SaveError("no such save")
        return save
