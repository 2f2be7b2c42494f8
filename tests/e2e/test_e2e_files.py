"""Files in a call of three in real Chromium: a 20 MB file shared by A reaches B and C over the peers'
data channels, whole (the same SHA-256 as the bytes A picked), with a card, a progress bar and Save."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest
from e2e_harness import Call
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

SIZE = 20 * 1024 * 1024
# Reading the received Blob back and hashing it in the page (the app's card only says "Done").
RECEIVED_SHA256 = """async (name) => {
    const item = window.__parley.files.list.find((i) => i.name === name && !i.own);
    if (!item || !item.blob) return null;
    const digest = await crypto.subtle.digest('SHA-256', await item.blob.arrayBuffer());
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}"""


def test_a_20_mb_file_reaches_everyone_whole(call: Call, tmp_path: Path) -> None:
    alice, bob, carol = call.join_all("Alice", "Bob", "Carol")
    for person in (alice, bob, carol):
        person.wait_media_from([other for other in (alice, bob, carol) if other is not person])
    data = random.Random(13).randbytes(SIZE)
    picked = tmp_path / "holiday photos.bin"
    picked.write_bytes(data)

    alice.button("Chat").click()  # "Share a file" is in the chat panel
    alice.page.get_by_test_id("share-file-input").set_input_files(picked)

    for receiver in (bob, carol):
        # The card waits in the closed chat, which counts it as unread.
        expect(receiver.page.get_by_test_id("chat-unread")).to_have_text("1")
        receiver.button("Chat").click()
        card = receiver.page.get_by_role("article", name="File holiday photos.bin")
        expect(card).to_contain_text("From Alice")
        expect(card).to_contain_text("21 MB")  # 20 MiB in the units people read (Intl, en)
        expect(card).to_contain_text("People who join later do not get this file.")
        expect(card.get_by_role("button", name="Save")).to_be_visible(timeout=120_000)
        expect(card.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
        assert receiver.page.evaluate(RECEIVED_SHA256, picked.name) == hashlib.sha256(data).hexdigest()
    sent = alice.page.get_by_role("article", name="File holiday photos.bin")
    for receiver in (bob, carol):
        bar = sent.get_by_role("progressbar", name=f"Progress to {receiver.name}")
        expect(bar).to_have_attribute("aria-valuenow", "100")
        expect(bar).to_have_attribute("aria-valuetext", "Done")
    expect(sent.get_by_role("button", name="Save")).to_have_count(0)


def test_a_file_over_200_mb_is_refused_with_a_message(call: Call, tmp_path: Path) -> None:
    alice, bob = call.join_all("Alice", "Bob")
    alice.wait_media_from([bob])
    big = tmp_path / "too big.iso"
    with big.open("wb") as file:  # sparse: 200 MiB and one byte, no disk written
        file.truncate(200 * 1024 * 1024 + 1)

    alice.button("Chat").click()
    alice.page.get_by_test_id("share-file-input").set_input_files(big)

    expect(alice.page.get_by_role("alert")).to_contain_text("larger than 200 MB")
    expect(bob.page.get_by_role("article")).to_have_count(0)
