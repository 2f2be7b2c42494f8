"""The client in the browser's language: a German browser gets German pages (and `<html lang="de">`)
and can still create, join and leave a meeting; a browser with no language set stays English."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from e2e_harness import DEFAULT_TIMEOUT_MS, PROBE_JS, SCREEN, Call, ServerProcess, eventually
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def open_tab(browser: Browser) -> Iterator[Callable[..., Page]]:
    """`open_tab(locale=None)`: a page in a browser context of its own, with that language (or none set)."""
    contexts = []

    def open_(locale: str | None = None) -> Page:
        options = {"viewport": SCREEN, "screen": SCREEN}
        if locale:
            options["locale"] = locale
        context = browser.new_context(**options)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.add_init_script(script=PROBE_JS)
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


def test_a_german_browser_creates_joins_and_leaves_in_german(open_tab: Callable[..., Page],
                                                             shared_server: ServerProcess,
                                                             make_call: Callable[..., Call]) -> None:
    page = open_tab("de-DE")
    page.goto(f"{shared_server.base_url}/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_text("Videomeetings für kleine Gruppen. Kein Konto, keine Installation.")).to_be_visible()
    expect(page.get_by_role("button", name="New meeting")).to_have_count(0)
    page.get_by_role("button", name="Neues Meeting", exact=True).click()

    # The pre-join page, in German.
    page.wait_for_url(re.compile(r"/r/[^/?#]+$"))
    room_id = page.url.rsplit("/r/", 1)[1]
    expect(page.get_by_role("heading", name="Bereit zum Beitreten?")).to_be_visible()
    expect(page.get_by_text("Noch ist niemand sonst hier.")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    page.get_by_label("Ihr Name", exact=True).fill("Ada")
    join = page.get_by_role("button", name="Beitreten", exact=True)
    expect(join).to_be_enabled()
    join.click()

    # The call, in German; someone whose browser speaks English joins, and each sees their own language.
    leave = page.get_by_role("button", name="Verlassen", exact=True)
    expect(leave).to_be_visible()
    expect(page.get_by_role("button", name="Bildschirm teilen", exact=True)).to_be_visible()
    expect(page.get_by_role("navigation", name="Anrufsteuerung")).to_be_visible()
    expect(page.get_by_text("Ada (Sie)")).to_be_visible()
    bob = make_call(shared_server, room_id).join("Bob")
    expect(page.get_by_role("button", name="Teilnehmende (2)", exact=True)).to_be_visible()
    expect(bob.button("Participants (2)")).to_be_visible()
    expect(bob.page.locator("html")).to_have_attribute("lang", "en")
    assert sorted(u["displayName"] for u in shared_server.room(room_id)["users"]) == ["Ada", "Bob"]

    leave.click()
    expect(page.get_by_text("Sie haben das Meeting verlassen.", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Wieder beitreten", exact=True)).to_be_visible()
    def left() -> tuple[bool, object]:
        names = [u["displayName"] for u in shared_server.room(room_id)["users"]]
        return names == ["Bob"], names

    eventually(left, 15, message="Ada gone from the room")


def test_a_browser_with_no_language_set_stays_english(open_tab: Callable[..., Page],
                                                      shared_server: ServerProcess) -> None:
    page = open_tab()
    page.goto(f"{shared_server.base_url}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="New meeting", exact=True).click()
    page.wait_for_url(re.compile(r"/r/[^/?#]+$"))
    expect(page.get_by_role("heading", name="Ready to join?")).to_be_visible()
    expect(page.get_by_role("button", name="Join", exact=True)).to_be_enabled()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_the_language_chosen_on_the_pre_join_page_is_kept_for_the_call_and_the_next_visit(
        open_tab: Callable[..., Page], shared_server: ServerProcess) -> None:
    page = open_tab()
    page.goto(f"{shared_server.base_url}/r/{shared_server.create_room()}")
    page.get_by_label("Language", exact=True).select_option("es")
    expect(page.get_by_role("heading", name="¿Listo para unirte?")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_role("button", name="Unirse", exact=True).click()
    expect(page.get_by_role("button", name="Salir", exact=True)).to_be_visible()

    page.goto(f"{shared_server.base_url}/")  # a later visit, in the same browser
    expect(page.get_by_role("button", name="Nueva reunión", exact=True)).to_be_visible()
    expect(page.get_by_label("Idioma", exact=True)).to_have_value("es")
