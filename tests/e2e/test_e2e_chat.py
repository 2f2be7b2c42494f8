"""Chat, raised hands and reactions between three people in real Chromium (issue 13).

A writes and B and C read; a message that looks like HTML stays text and runs nothing; a late
joiner reads what was said before; a private message reaches only its target; a raised hand puts
its owner first in the participant list; a reaction floats over its sender's tile for the others
without moving any tile.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from e2e_harness import Call, Participant, ServerProcess
from playwright.sync_api import Locator, Page, expect
from test_e2e_accessibility import assert_accessible, axe_js, axe_tab  # noqa: F401 - fixtures

pytestmark = pytest.mark.e2e

XSS = "<img src=x onerror=alert(1)>"


def chat_panel(person: Participant) -> Locator:
    """The chat panel (an <aside> named by its heading)."""
    return person.page.get_by_role("complementary", name="Chat")


def open_chat(person: Participant) -> None:
    """Open the chat panel with the button Chat (if it is not open)."""
    if not chat_panel(person).is_visible():
        person.button("Chat").click()
    expect(chat_panel(person)).to_be_visible()


def write(person: Participant, text: str) -> None:
    """Type `text` in the box Message and press Enter."""
    open_chat(person)
    box = person.page.get_by_role("textbox", name="Message")
    box.fill(text)
    box.press("Enter")
    expect(box).to_have_value("")


def messages(person: Participant) -> Locator:
    """The messages shown in the chat panel."""
    return chat_panel(person).get_by_test_id("chat-message")


def texts(person: Participant) -> list[str]:
    """The text of each message shown, in order."""
    return [t.strip() for t in chat_panel(person).locator(".chat__text").all_inner_texts()]


def test_a_message_reaches_everyone_as_text_and_a_late_joiner_reads_it(call: Call) -> None:
    alice, bob = call.join_all("Alice", "Bob")
    dialogs: list[str] = []
    for person in (alice, bob):
        person.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    write(alice, "Hello, the notes are at https://example.org/notes.")
    write(alice, XSS)
    # Bob's panel is closed: the button Chat shows the count (and a live region says it).
    expect(bob.page.get_by_test_id("chat-unread")).to_have_text("2")
    expect(bob.page.get_by_role("status").filter(has_text="Unread chat messages: 2")).to_have_count(1)
    expect(bob.button("Chat")).to_be_visible()  # the count does not change the button's name
    open_chat(bob)
    expect(messages(bob)).to_have_count(2)
    assert texts(bob) == ["Hello, the notes are at https://example.org/notes.", XSS]
    expect(messages(bob).first.locator(".chat__name")).to_have_text("Alice")
    link = messages(bob).first.get_by_role("link")
    expect(link).to_have_attribute("href", "https://example.org/notes")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    expect(bob.page.get_by_test_id("chat-unread")).to_have_count(0)

    carol = call.join("Carol")
    carol.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    expect(carol.page.get_by_test_id("chat-unread")).to_have_text("2")
    open_chat(carol)
    expect(messages(carol)).to_have_count(2)
    assert texts(carol) == texts(bob)

    write(bob, "Welcome, Carol")
    for person in (alice, carol):
        expect(messages(person)).to_have_count(3)
        assert texts(person)[-1] == "Welcome, Carol"
    # The markup stayed text everywhere: no image was made, so its onerror never had a chance.
    for person in (alice, bob, carol):
        assert person.page.locator(".chat img, .chat b").count() == 0
        assert person.page.evaluate("() => document.querySelectorAll('img[src=\"x\"]').length") == 0
    assert dialogs == []


def test_a_private_message_reaches_only_its_target(call: Call) -> None:
    alice, bob, carol = call.join_all("Alice", "Bob", "Carol")
    # One click from the participant list: Bob becomes the recipient and the box has the focus.
    alice.button("Participants (3)").click()
    alice.page.get_by_role("button", name="Message Bob privately").click()
    box = alice.page.get_by_role("textbox", name="Message")
    expect(box).to_be_focused()
    expect(alice.page.get_by_label("To", exact=True)).to_have_value(bob.user_id)
    box.fill("only for Bob")
    box.press("Enter")
    expect(messages(alice)).to_have_count(1)
    expect(messages(alice).first).to_contain_text("Private, to Bob")

    bob.page.keyboard.press("c")  # the shortcut C opens the chat
    expect(chat_panel(bob)).to_be_visible()
    expect(messages(bob)).to_have_count(1)
    expect(messages(bob).first).to_contain_text("Private, to you")
    assert texts(bob) == ["only for Bob"]
    # Bob answers privately in one click from the message.
    messages(bob).first.get_by_role("button", name="Reply privately to Alice").click()
    expect(bob.page.get_by_label("To", exact=True)).to_have_value(alice.user_id)
    write(bob, "got it")
    expect(messages(alice)).to_have_count(2)
    expect(messages(alice).last).to_contain_text("Private, to you")

    # A public message after both: once Carol has it, she would have had the private ones too.
    alice.page.get_by_label("To", exact=True).select_option(label="Everyone")
    write(alice, "now for everyone")
    open_chat(carol)
    expect(messages(carol)).to_have_count(1)
    assert texts(carol) == ["now for everyone"]
    assert "only for Bob" not in carol.page.content() and "got it" not in carol.page.content()


def test_raised_hands_go_first_in_order_and_a_reaction_floats_over_its_senders_tile(call: Call) -> None:
    alice, bob, carol = call.join_all("Alice", "Bob", "Carol")
    alice.button("Participants (3)").click()
    rows = alice.page.locator(".participants__row")
    expect(rows.first).to_have_attribute("data-user-id", alice.user_id)  # nobody's hand is up

    bob.button("Raise hand").click()
    expect(bob.button("Lower hand")).to_be_visible()
    expect(rows.first).to_have_attribute("data-user-id", bob.user_id)
    expect(rows.first.get_by_role("img", name="Hand raised, number 1")).to_be_visible()
    expect(alice.tile(bob.user_id).get_by_test_id("hand-badge")).to_be_visible()
    expect(carol.tile(bob.user_id).get_by_test_id("hand-badge")).to_be_visible()

    carol.page.keyboard.press("h")  # the shortcut H does what the button does
    expect(carol.button("Lower hand")).to_be_visible()
    expect(rows.nth(1)).to_have_attribute("data-user-id", carol.user_id)
    expect(rows.nth(1).get_by_role("img", name="Hand raised, number 2")).to_be_visible()

    bob.button("Lower hand").click()
    expect(bob.button("Raise hand")).to_be_visible()
    expect(rows.first).to_have_attribute("data-user-id", carol.user_id)
    expect(rows.first.get_by_role("img", name="Hand raised, number 1")).to_be_visible()
    expect(alice.tile(bob.user_id).get_by_test_id("hand-badge")).to_have_count(0)

    # Carol reacts: the others see it over her tile, and no tile moves for it.
    boxes = {p.name: [t.bounding_box() for t in p.page.get_by_test_id("tile").all()] for p in (alice, bob)}
    carol.button("React").click()
    carol.page.get_by_role("button", name="Celebrate").click()
    for person in (alice, bob):
        reaction = person.tile(carol.user_id).get_by_test_id("reaction")
        expect(reaction).to_have_text("🎉")
        expect(reaction).to_have_attribute("aria-label", "Carol: Celebrate")
        assert [t.bounding_box() for t in person.page.get_by_test_id("tile").all()] == boxes[person.name]
        expect(person.tile(alice.user_id).get_by_test_id("reaction")).to_have_count(0)
    # It fades after a few seconds.
    expect(alice.tile(carol.user_id).get_by_test_id("reaction")).to_have_count(0, timeout=15_000)


def test_chat_hands_and_reactions_have_no_serious_accessibility_violation(
        axe_tab: Callable[[], Page], make_call: Callable[..., Call], shared_server: ServerProcess) -> None:
    call = make_call(shared_server)
    alice = call.join("Alice", tab=axe_tab())
    bob = call.join("Bob")
    write(bob, "The notes: https://example.org/notes")
    bob.button("Raise hand").click()
    expect(alice.tile(bob.user_id).get_by_test_id("hand-badge")).to_be_visible()
    expect(alice.page.get_by_test_id("chat-unread")).to_have_text("1")
    assert_accessible(alice.page, "the call page with an unread message and a raised hand")

    write(alice, "Thanks")
    expect(messages(alice)).to_have_count(2)
    alice.button("React").click()
    expect(alice.page.get_by_role("group", name="Reactions")).to_be_visible()
    assert_accessible(alice.page, "the call page with the chat open and the reactions shown")


def test_a_refused_message_is_explained_next_to_the_box(call: Call) -> None:
    alice, bob = call.join_all("Alice", "Bob")
    open_chat(alice)
    box = alice.page.get_by_role("textbox", name="Message")
    alert = chat_panel(alice).get_by_role("alert")
    # Over 2,000 characters: kept back, said why, and the draft stays to be shortened.
    box.fill("x" * 2001)
    box.press("Enter")
    expect(alert).to_have_text("A message must have 1 to 2,000 characters.Dismiss")
    expect(box).to_have_value("x" * 2001)
    alice.page.get_by_role("button", name="Dismiss").click()
    expect(alert).to_have_count(0)

    # Faster than the chat's own rate limit: the server refuses one, and Alice is told. Messages are
    # sent from the page one after another, each awaited until it is either shown in the conversation
    # or refused, and the sending stops at the first refusal. Nothing is then left in flight that the
    # limit (refilling a message a second) could let through, which would rightly clear the refusal
    # before anyone looked.
    sent = chat_panel(alice).evaluate("""async (panel) => {
      const box = panel.querySelector('textarea');
      const setValue = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value').set;
      const shown = () => panel.querySelectorAll('[data-testid="chat-message"]').length;
      const refused = () => panel.querySelector('[role="alert"]') !== null;
      for (let i = 0; i < 40; i++) {
        const before = shown();
        setValue.call(box, `quick ${i}`);
        box.dispatchEvent(new Event('input', { bubbles: true }));
        await new Promise((resolve) => setTimeout(resolve, 0));
        box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
        await new Promise((resolve) => {
          const done = () => shown() > before || refused();
          if (done()) return resolve();
          const watch = new MutationObserver(() => { if (done()) { watch.disconnect(); resolve(); } });
          watch.observe(panel, { childList: true, subtree: true });
        });
        if (refused()) return i;
      }
      return -1;
    }""")
    assert sent >= 10, f"the limit allows 10 messages in 10 s, and message {sent} was refused"
    expect(alert).to_contain_text("You are sending too fast.")
    # The first of the burst went through to Bob.
    open_chat(bob)
    expect(messages(bob).first).to_contain_text("quick 0")
