"""Finding 13: start-up failures of the data folder stop the server with one line, not a traceback.

The README promises "a bad value stops the server with a one-line error naming the option". The
tests run as root, which ignores file modes, so the unwritable data folder is a path under a
regular file: no user can make a folder there.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _serve(data_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env = {k: v for k, v in env.items() if not k.startswith("PARLEY_")}
    return subprocess.run([sys.executable, "-m", "tornado_app", "--port", "0", "--data-dir",
                           str(data_dir)], capture_output=True, text=True, timeout=60, env=env,
                          cwd=ROOT, stdin=subprocess.DEVNULL)


def test_a_corrupt_room_database_is_one_line_and_exit_1(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "rooms.sqlite3").write_bytes(b"this is not a database\n" * 200)
    result = _serve(data)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("parley-server: --data-dir: ") and "rooms.sqlite3" in lines[0]
    assert "not a usable room database" in lines[0]
    assert "Parley is serving" not in result.stdout


def test_a_data_dir_that_cannot_be_made_is_one_line_and_exit_1(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = _serve(blocker / "data")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("parley-server: --data-dir: ") and str(blocker) in lines[0]
    assert "Not a directory" in lines[0]
