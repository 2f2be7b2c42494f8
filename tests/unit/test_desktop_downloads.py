"""desktop/downloads.py: a received file lands in Downloads under a safe, unique name, in pieces."""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

import pytest

from desktop.downloads import MAX_PIECE_BYTES, Downloads, SaveError, downloads_folder, safe_name


def save(downloads: Downloads, name: str, data: bytes, piece: int = 1024 * 1024) -> Path:
    token, _ = downloads.begin(name)
    for start in range(0, len(data), piece):
        downloads.write(token, base64.b64encode(data[start:start + piece]).decode())
    return downloads.finish(token)


def test_a_file_saved_in_pieces_is_whole_in_downloads(tmp_path: Path) -> None:
    downloads = Downloads(downloads_folder(tmp_path))
    data = os.urandom(3 * 1024 * 1024 + 17)
    path = save(downloads, "report.pdf", data)
    assert path == tmp_path / "Downloads" / "report.pdf"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == hashlib.sha256(data).hexdigest()


def test_an_existing_name_gets_a_number_and_nothing_is_replaced(tmp_path: Path) -> None:
    downloads = Downloads(downloads_folder(tmp_path))
    (tmp_path / "Downloads" / "notes.txt").write_bytes(b"mine")
    assert save(downloads, "notes.txt", b"a").name == "notes (1).txt"
    assert save(downloads, "notes.txt", b"b").name == "notes (2).txt"
    assert (tmp_path / "Downloads" / "notes.txt").read_bytes() == b"mine"


@pytest.mark.parametrize(("name", "expected"), [
    ("../../.bashrc", "_.._.bashrc"),
    ("/etc/passwd", "_etc_passwd"),
    ("..\\..\\boot.ini", "_.._boot.ini"),
    (".hidden", "hidden"),
    ("", "file"),
    ("...", "file"),
    ("a\x00b\nc.txt", "a_b_c.txt"),
    ("C:evil.exe", "C_evil.exe"),
])
def test_the_senders_name_never_leaves_downloads_nor_hides(tmp_path: Path, name: str, expected: str) -> None:
    assert safe_name(name) == expected
    path = save(Downloads(downloads_folder(tmp_path)), name, b"x")
    assert path.parent == tmp_path / "Downloads"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Downloads"]


def test_a_long_name_is_cut_but_keeps_its_extension() -> None:
    name = safe_name("é" * 300 + ".tar.gz")
    assert len(name.encode()) <= 200
    assert name.endswith(".gz")


def test_bad_pieces_and_aborts_leave_no_file(tmp_path: Path) -> None:
    downloads = Downloads(downloads_folder(tmp_path))
    token, path = downloads.begin("half.bin")
    downloads.write(token, base64.b64encode(b"abc").decode())
    with pytest.raises(SaveError, match="base64"):
        downloads.write(token, "not base64!!")
    assert not path.exists()
    token, path = downloads.begin("big.bin")
    with pytest.raises(SaveError, match="200 MB"):
        downloads.write(token, base64.b64encode(b"\0" * (MAX_PIECE_BYTES + 1)).decode())
    assert not path.exists()
    token, path = downloads.begin("given-up.bin")
    downloads.abort(token)
    assert not path.exists()
    with pytest.raises(SaveError, match="no such save"):
        downloads.write(token, "")


def test_a_recording_goes_into_videos_in_pieces_with_room_for_hours(tmp_path: Path) -> None:
    from desktop.downloads import MAX_RECORDING_BYTES, videos_folder

    recordings = Downloads(videos_folder(tmp_path, platform="linux"), max_file_bytes=MAX_RECORDING_BYTES)
    token, path = recordings.begin("parley-abc-2026-12-05-1412.webm")
    data = os.urandom(3 * 1024 * 1024 + 5)
    for start in range(0, len(data), 1024 * 1024):
        recordings.write(token, base64.b64encode(data[start:start + 1024 * 1024]).decode())
    assert recordings.finish(token) == tmp_path / "Videos" / "parley-abc-2026-12-05-1412.webm"
    assert path.read_bytes() == data
    # An hour at the client's 2.5 Mbit/s (about 1.2 GB) fits; a received file's 200 MB would not.
    assert recordings.max_file_bytes > 4 * 2_628_000 // 8 * 3600
    assert videos_folder(tmp_path, platform="darwin") == tmp_path / "Movies"


def test_a_recording_over_its_limit_is_removed_with_a_message(tmp_path: Path) -> None:
    from desktop.downloads import videos_folder

    recordings = Downloads(videos_folder(tmp_path, platform="linux"), max_file_bytes=1024 * 1024)
    token, path = recordings.begin("../../x.webm")
    assert path.parent == tmp_path / "Videos"
    with pytest.raises(SaveError, match="larger than 1 MB"):
        recordings.write(token, base64.b64encode(b"\0" * (1024 * 1024 + 1)).decode())
    assert not path.exists()
