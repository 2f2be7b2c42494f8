"""The desktop window speaks the system's language: QtWebEngine gives the page `navigator.language`
from the locale (LANG), and the web client shows that language unless the user chose another."""

from __future__ import annotations

from support.polling import wait_for

from desktop_harness import fill_in, press

# The start screen, in German: the buttons and labels a German user sees.
_GERMAN_START = """
const label = [...document.querySelectorAll('label')].find(l => l.textContent.trim() === 'Ihr Name');
const host = [...document.querySelectorAll('button')].find(b => b.textContent.trim() === 'Meeting veranstalten');
return !!(label && host && !host.disabled);
"""


def test_the_window_follows_a_german_system(start_app, app_env):
    env = dict(app_env, LANG="de_DE.UTF-8")
    app = start_app(env=env)
    wait_for(lambda: app.js_async(_GERMAN_START)["value"], 30, "the start screen in German",
             on_timeout=lambda: app.js("document.body.innerText"))
    assert app.js("navigator.language") == "de"
    assert app.js("document.documentElement.lang") == "de"
    assert "Host a meeting" not in app.js("document.body.innerText")

    # Hosting works in German too, and the meeting's page speaks it.
    fill_in(app, "Ihr Name", "Ada")
    press(app, "Meeting veranstalten")
    wait_for(lambda: "/r/" in (app.call("url") or ""), 20, "the meeting page")
    wait_for(lambda: app.js("!!document.querySelector('h1') && document.querySelector('h1').textContent")
             == "Bereit zum Beitreten?", 30, "the pre-join page in German",
             on_timeout=lambda: app.js("document.body.innerText"))
    assert app.js("document.documentElement.lang") == "de"
