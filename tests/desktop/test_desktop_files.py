"""Issue 13: a file a browser participant shares lands, on Save, in the desktop user's Downloads
folder, whole (the same SHA-256), under a unique name. The real app in a Qt window under Xvfb, a
Chromium participant, the app's HOME a temporary folder."""

from __future__ import annotations

import hashlib
import random

import pytest

from support.polling import wait_for

from desktop_harness import desktop_env
from test_desktop_call import _web_client_built, click, new_room  # noqa: F401 - a fixture

pytestmark = pytest.mark.timeout(240)

SIZE = 12 * 1024 * 1024

CARD_TEXT = "return [...document.querySelectorAll('article')].map((a) => a.innerText).join('\\n');"


def test_a_shared_file_is_saved_into_downloads_whole(start_app, xvfb, chromium_page, tmp_path):
    home = tmp_path / "home"
    (home / "Downloads").mkdir(parents=True)
    (home / "Downloads" / "slides.pdf").write_bytes(b"the user's own file")
    desk = start_app("--embedded", env={**desktop_env(xvfb.display), "HOME": str(home)})
    room_url = f"{desk.server}r/{new_room(desk.server)}"
    desk.call("load", url=f"{room_url}?name=Desk")
    wait_for(lambda: click(desk, "Join"), 30, "the desktop pre-join page to offer Join")
    wait_for(lambda: desk.js("window.__parley ? window.__parley.userId : null"), 30, "the desktop app to join")

    page = chromium_page
    page.goto(f"{room_url}?name=Chrome")
    page.get_by_role("button", name="Join").click()
    page.wait_for_function("() => window.__parley && window.__parley.peers.size === 1", timeout=30_000)
    wait_for(lambda: desk.js("window.__parley.peers.size === 1"), 30, "the desktop app to see Chrome")
    data = random.Random(11).randbytes(SIZE)
    picked = tmp_path / "slides.pdf"
    picked.write_bytes(data)

    page.get_by_role("button", name="Chat").click()  # "Share a file" is in the chat panel
    page.get_by_test_id("share-file-input").set_input_files(picked)
    wait_for(lambda: click(desk, "Chat"), 30, "the desktop app to open its chat")
    wait_for(lambda: click(desk, "Save"), 90, "the desktop app to offer Save for the file",
             on_timeout=lambda: desk.js_async(CARD_TEXT))

    saved = home / "Downloads" / "slides (1).pdf"
    wait_for(lambda: "Saved to Downloads as slides (1).pdf" in desk.js_async(CARD_TEXT)["value"], 60,
             "the card to say where the file went", on_timeout=lambda: desk.js_async(CARD_TEXT))
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == hashlib.sha256(data).hexdigest()
    assert (home / "Downloads" / "slides.pdf").read_bytes() == b"the user's own file"
    assert sorted(p.name for p in (home / "Downloads").iterdir()) == ["slides (1).pdf", "slides.pdf"]
    # The meeting page still may not drive the app, and the start page may not save files.
    assert desk.js_async("return await window.pywebview.api.state();")["value"]["ok"] is False
    desk.call("load", url=desk.server)
    wait_for(lambda: desk.js("typeof window.pywebview?.api?.save_begin === 'function'"), 30,
             "the start page, with the bridge")
    answer = desk.js_async("return await window.pywebview.api.save_begin('x.txt');")["value"]
    assert answer == {"ok": False, "error": "this page may not save files"}
    assert not (home / "Downloads" / "x.txt").exists()
