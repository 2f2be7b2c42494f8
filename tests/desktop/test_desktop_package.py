"""`make package` builds the Linux bundle, and the built binary serves, shows its window and stops."""

from __future__ import annotations

import os
import signal
import subprocess
import urllib.request

import pytest

from support.polling import wait_for
from support.processes import free_port

from desktop_harness import ROOT, healthz

pytestmark = pytest.mark.timeout(1200)

BINARY = ROOT / "dist" / "parley-desktop" / "parley-desktop"


def test_make_package_builds_a_bundle_that_hosts_and_shows_its_window(xvfb, app_env, tmp_path):
    # The heaviest test: a full PyInstaller build (a few minutes on 2 cores). No tarball here.
    build = subprocess.run(["make", "package"], cwd=ROOT, capture_output=True, text=True,
                           timeout=1100, env={**os.environ, "PARLEY_TARBALL": "0"})
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    assert BINARY.is_file() and os.access(BINARY, os.X_OK)
    for beside in ("parley.desktop", "parley.png", "install.sh"):
        assert (BINARY.parent / beside).is_file(), beside

    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    # The bundle's own web client (the production build), not the test build the harness serves.
    env = {name: value for name, value in app_env.items() if name != "PARLEY_UI_DIR"}
    with open(tmp_path / "bundle.log", "wb") as log:
        app = subprocess.Popen([str(BINARY), "--embedded", "--port", str(port), "--data-dir",
                                str(tmp_path / "data")], env=env, stdout=log, stderr=log)
        try:
            health = wait_for(lambda: healthz(url), 60, "the bundled server's /healthz")
            assert health["status"] == "ok"
            with urllib.request.urlopen(url, timeout=5) as response:  # the bundled web client
                assert response.status == 200
                assert response.headers["Content-Type"].startswith("text/html")
            wait_for(lambda: '"Parley"' in xvfb.windows(), 60, "the Parley window on the display")
            assert (tmp_path / "data" / "logs" / "desktop.log").is_file()
        finally:
            app.send_signal(signal.SIGTERM)  # what logging out does: closes the window
            status = app.wait(30)
    assert status == 0, (tmp_path / "bundle.log").read_text(errors="replace")[-3000:]
    assert healthz(url) is None
