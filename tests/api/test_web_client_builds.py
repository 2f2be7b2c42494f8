"""The web client a server serves: the production build users download has no `window.__parley`;
`--ui-dir` (PARLEY_UI_DIR) serves another build, as the browser and desktop tests do with the test
build (`npm run build:test` into react-ui/dist-test), which has it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PRODUCTION_UI = REPO / "tornado_app" / "ui"
TEST_UI = REPO / "react-ui" / "dist-test"


def scripts_of(page: bytes) -> list[str]:
    """The script URLs an index.html loads."""
    return re.findall(r'<script[^>]* src="([^"]+)"', page.decode())


async def test_the_production_client_has_no_test_handle(fetch_json):
    page = await fetch_json("GET", "/")
    assert page.status == 200, "the production build is missing: run `make install`"
    scripts = scripts_of(page.body)
    assert scripts
    for src in scripts:
        script = await fetch_json("GET", src)
        assert script.status == 200
        assert b"__parley" not in script.body, src
    # Nor anywhere else in what the package ships.
    for path in PRODUCTION_UI.rglob("*"):
        if path.is_file():
            assert b"__parley" not in path.read_bytes(), path


@pytest.mark.parley_settings(ui_dir=TEST_UI)
async def test_ui_dir_serves_the_test_build_which_has_the_handle(fetch_json):
    page = await fetch_json("GET", "/r/someRoom")
    assert page.status == 200, "the test build is missing: run `make test` or `npm run build:test`"
    assert page.body == (TEST_UI / "index.html").read_bytes()
    bodies = [(await fetch_json("GET", src)).body for src in scripts_of(page.body)]
    assert any(b"window.__parley" in body or b".__parley=" in body for body in bodies)
