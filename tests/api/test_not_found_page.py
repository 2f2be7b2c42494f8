"""An unknown path: a browser gets the web client's own "page not found" page (status 404), an API
client the JSON `notFound` it always had; the API routes' own JSON errors are unchanged."""

from __future__ import annotations

import pytest
from tornado_app.handlers.ui import prefers_html
from tornado_app.rooms.errors import ErrorCode

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
PAGE = b"<!doctype html><title>Parley</title><div id=root></div>"


@pytest.fixture
def ui_dir(tmp_path):
    """A built web client of one page."""
    folder = tmp_path / "ui"
    folder.mkdir()
    (folder / "index.html").write_bytes(PAGE)
    return folder


@pytest.fixture
def settings(settings, ui_dir):
    """The server serves the client in `ui_dir`."""
    import dataclasses

    return dataclasses.replace(settings, ui_dir=ui_dir)


async def test_a_browser_gets_the_page_not_found_page_with_status_404(fetch_json):
    response = await fetch_json("GET", "/anything", headers={"Accept": BROWSER})
    assert response.status == 404
    assert response.headers["Content-Type"].startswith("text/html")
    assert response.body == PAGE
    assert "Accept" in response.headers["Vary"]
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("accept", [None, "application/json", "*/*", "application/json, text/html;q=0.5"])
async def test_an_api_client_gets_json_not_found(fetch_json, accept):
    headers = {"Accept": accept} if accept else {}
    response = await fetch_json("GET", "/anything/else", headers=headers)
    assert response.status == 404
    assert response.json()["code"] == ErrorCode.NOT_FOUND
    assert "Accept" in response.headers["Vary"]


async def test_a_post_to_an_unknown_path_stays_json_even_from_a_browser(fetch_json):
    response = await fetch_json("POST", "/anything", {}, headers={"Accept": BROWSER})
    assert response.status == 404
    assert response.json()["code"] == ErrorCode.NOT_FOUND


async def test_api_routes_keep_their_json_errors_for_a_browser(fetch_json):
    users = await fetch_json("GET", "/room/no-such-room-0123456789/users", headers={"Accept": BROWSER})
    assert users.status == 404 and users.json()["code"] == ErrorCode.ROOM_NOT_FOUND
    wrong_method = await fetch_json("GET", "/createRoom", headers={"Accept": BROWSER})
    assert wrong_method.status == 405 and wrong_method.json()["code"] == ErrorCode.METHOD_NOT_ALLOWED


async def test_without_a_built_client_a_browser_gets_the_json_404(fetch_json, ui_dir):
    (ui_dir / "index.html").unlink()
    response = await fetch_json("GET", "/anything", headers={"Accept": BROWSER})
    assert response.status == 404
    assert response.json()["code"] == ErrorCode.NOT_FOUND


def test_html_is_preferred_only_when_ranked_above_json():
    assert prefers_html(BROWSER)
    assert prefers_html("text/*")
    assert not prefers_html(None)
    assert not prefers_html("*/*")
    assert not prefers_html("application/json")
    assert not prefers_html("text/html;q=0.4, application/json")
    assert not prefers_html("text/html;q=0, */*")
