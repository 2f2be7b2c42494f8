"""The desktop window speaks the system's language: QtWebEngine gives the page `navigator.language`
from the locale (LANG), and the web client shows that language unless the user chose another."""

from __future__ import annotations

import json

from support.polling import wait_for

from desktop.bridge import Bridge
from desktop.prefs import Prefs, PrefsFile
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


def test_a_language_chosen_in_the_window_is_remembered_over_the_systems(start_app, app_env, tmp_path):
    app = start_app(env=dict(app_env, LANG="en_GB.UTF-8"), data_dir=tmp_path / "data")
    wait_for(lambda: app.js("document.documentElement.lang") == "en"
             and "Host a meeting" in app.js("document.body.innerText"), 30, "the start screen in English",
             on_timeout=lambda: app.js("document.body.innerText"))
    # The Language select, as a user changes it (React hears the change event).
    chosen = app.js("""(() => {
      const label = [...document.querySelectorAll('label')].find(l => l.textContent.trim() === 'Language');
      const select = label && document.getElementById(label.htmlFor);
      if (!select) return false;
      Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value').set.call(select, 'fr');
      select.dispatchEvent(new Event('change', {bubbles: true}));
      return true;
    })()""")
    assert chosen is True
    wait_for(lambda: "Organiser une réunion" in app.js("document.body.innerText"), 10, "the start screen in French")
    assert app.js("document.documentElement.lang") == "fr"
    app.close()

    # The next start, on the same English system: still French (the window keeps its storage).
    again = start_app(env=dict(app_env, LANG="en_GB.UTF-8"), data_dir=tmp_path / "data")
    wait_for(lambda: "Organiser une réunion" in again.js("document.body.innerText"), 30,
             "the start screen in French again", on_timeout=lambda: again.js("document.body.innerText"))
    assert again.js("document.documentElement.lang") == "fr"


def test_the_built_in_start_page_follows_the_system_language_too(start_app, app_env, tmp_path):
    # Another window holds this data folder's server and does not answer: the app cannot host and
    # shows its built-in start page (start.html), as in test_desktop_bridge_guard.
    from desktop.instance import InstanceLock

    data = tmp_path / "data"
    hung = InstanceLock(data)
    assert hung.acquire()
    try:
        app = start_app(data_dir=data, env=dict(app_env, LANG="de_DE.UTF-8"))
        wait_for(lambda: app.js("document.getElementById('version')?.textContent || ''").startswith("Version "),
                 30, "the built-in start page, in German", on_timeout=lambda: app.js("document.body.innerText"))
        assert app.js("document.documentElement.lang") == "de"
        assert app.js("document.getElementById('host').textContent") == "Meeting veranstalten"
        assert app.js("document.querySelector('label[for=link]').textContent") == "Meeting-Link"
        app.js("document.getElementById('join').click()")  # no link: the app's refusal, in German
        wait_for(lambda: app.js("document.getElementById('error').textContent").startswith(
            "Fügen Sie den ganzen Meeting-Link ein"), 20, "the refusal in German")
    finally:
        hung.release()


def test_the_remembered_language_is_a_two_letter_code_or_nothing(tmp_path):
    store = PrefsFile(tmp_path / "desktop.json")
    store.save(Prefs(name="Ada", language="fr"))
    assert store.load().language == "fr"
    for stored in ("<script>", 42, "de-DE", None):
        (tmp_path / "desktop.json").write_text(f'{{"name": "Ada", "language": {json.dumps(stored)}}}')
        assert store.load() == Prefs(name="Ada")  # the system's language, the rest kept


class _StartPage:
    """The app as the bridge sees it, asked by its own start page (the guard is tested elsewhere)."""

    def __init__(self) -> None:
        self.prefs = Prefs()
        self.lan = None
        self.chosen: list[str] = []

    def caller_allowed(self) -> bool:
        return True

    def remember_language(self, language: str) -> None:
        self.chosen.append(language)


def test_the_bridge_remembers_a_language_and_gives_codes_the_page_can_translate():
    app = _StartPage()
    bridge = Bridge(app)
    assert bridge.set_language("de") == {"ok": True}
    assert bridge.set_language("") == {"ok": True}  # back to the system's
    assert bridge.set_language("de-DE</script>")["ok"] is False
    assert app.chosen == ["de", ""]
    assert bridge.join("nope")["code"] == "badLink"
    assert bridge.connect("https://")["code"] == "badAddress"
