"""The built client's assets go gzip-compressed to browsers that accept it (a first visit downloads
about a third of the bytes), byte-identical once decompressed, and as they are to everyone else."""

from __future__ import annotations

import gzip

import pytest

from tornado_app.handlers.ui import UI_DIR


def built_asset(suffix: str):
    """One file of the build with `suffix`."""
    return next(path for path in (UI_DIR / "assets").iterdir() if path.suffix == suffix)


@pytest.mark.parametrize("suffix", [".js", ".css"])
async def test_a_browser_that_accepts_gzip_downloads_the_script_compressed(fetch_json, suffix):
    asset = built_asset(suffix)
    response = await fetch_json("GET", f"/assets/{asset.name}", headers={"Accept-Encoding": "gzip, deflate, br"},
                                decompress_response=False)
    assert response.status == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert gzip.decompress(response.body) == asset.read_bytes()
    assert len(response.body) < asset.stat().st_size / 2


async def test_a_client_that_does_not_accept_gzip_gets_the_file_as_it_is(fetch_json):
    asset = built_asset(".js")
    response = await fetch_json("GET", f"/assets/{asset.name}", headers={"Accept-Encoding": "identity"},
                                decompress_response=False)
    assert response.status == 200
    assert "Content-Encoding" not in response.headers
    assert response.body == asset.read_bytes()
    assert "Accept-Encoding" in response.headers["Vary"]


async def test_a_missing_asset_is_still_a_404_with_gzip_accepted(fetch_json):
    response = await fetch_json("GET", "/assets/index-nothere.js", headers={"Accept-Encoding": "gzip"},
                                decompress_response=False)
    assert response.status == 404
