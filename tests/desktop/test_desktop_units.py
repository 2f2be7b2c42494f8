"""The desktop shell's pure parts: origins, flags, prefs, the instance lock, the command line."""

from __future__ import annotations

import pytest

from desktop.backends import TrustedOrigins, default_gui, origin_of
from desktop.backends.qt import FAKE_UI_FLAG, strip_flag
from desktop.environment import EnvironmentError_, check_display
from desktop.instance import InstanceLock
from desktop.prefs import MAX_RECENT, Prefs, PrefsFile


@pytest.mark.parametrize(("url", "origin"), [
    ("http://127.0.0.1:8080/r/abc?name=x", "http://127.0.0.1:8080"),
    ("HTTPS://Meet.Example.org/", "https://meet.example.org:443"),
    ("http://example.org", "http://example.org:80"),
    ("http://[::1]:9000/", "http://[::1]:9000"),
    ("file:///etc/passwd", None),
    ("about:blank", None),
    ("http://bad:port/", None),
])
def test_origin_of(url, origin):
    assert origin_of(url) == origin


def test_trusted_origins_allow_only_what_the_app_opened():
    trusted = TrustedOrigins()
    trusted.trust("http://127.0.0.1:5000/")
    assert trusted.allows("http://127.0.0.1:5000/r/room")
    assert not trusted.allows("http://localhost:5000/")
    assert not trusted.allows("http://127.0.0.1:5001/")
    assert not trusted.allows("https://127.0.0.1:5000/")
    assert not trusted.allows("data:text/html,hi")
    with pytest.raises(ValueError):
        trusted.trust("file:///tmp/x.html")


def test_fake_ui_flag_is_stripped_and_others_kept():
    flags = f"--use-fake-device-for-media-stream {FAKE_UI_FLAG} --enable-features=X {FAKE_UI_FLAG}"
    assert strip_flag(flags) == "--use-fake-device-for-media-stream --enable-features=X"


def test_gui_per_platform():
    assert (default_gui("linux"), default_gui("win32"), default_gui("darwin")) == (
        "qt", "edgechromium", "cocoa")


def test_recent_servers_most_recent_first_without_duplicates(tmp_path):
    prefs = Prefs()
    for n in range(MAX_RECENT + 2):
        prefs.remember_server(f"https://s{n}.example/")
    prefs.remember_server("https://s5.example/")
    assert prefs.recent[0] == "https://s5.example/"
    assert len(prefs.recent) == MAX_RECENT and len(set(prefs.recent)) == MAX_RECENT
    store = PrefsFile(tmp_path / "desktop.json")
    store.save(prefs)
    assert store.load() == prefs


def test_broken_prefs_file_means_defaults(tmp_path):
    path = tmp_path / "desktop.json"
    path.write_text("{not json")
    assert PrefsFile(path).load() == Prefs()


def test_instance_lock_is_exclusive_until_released(tmp_path):
    first, second = InstanceLock(tmp_path), InstanceLock(tmp_path)
    assert first.acquire()
    assert not second.acquire()
    assert second.owner_url() is None  # nothing published, nothing answering
    first.release()
    assert second.acquire()
    second.release()


def test_no_display_on_linux_is_refused_with_advice():
    with pytest.raises(EnvironmentError_, match="no display"):
        check_display({}, "linux")
    check_display({"WAYLAND_DISPLAY": "wayland-0"}, "linux")
    check_display({}, "win32")


def test_port_without_embedded_is_a_usage_error(capsys):
    from desktop.__main__ import parse_options

    with pytest.raises(SystemExit):
        parse_options(["--port", "9000"])
    assert "--port only makes sense with --embedded" in capsys.readouterr().err


def test_a_pinned_certificate_is_accepted_only_for_its_origin_and_fingerprint():
    from desktop.backends import der_fingerprint

    trusted = TrustedOrigins()
    fingerprint = der_fingerprint(b"certificate")
    assert len(fingerprint) == 95 and fingerprint.count(":") == 31
    trusted.pin("https://127.0.0.1:4443/r/room", fingerprint)
    assert trusted.certificate_pinned("https://127.0.0.1:4443/", fingerprint)
    assert trusted.certificate_pinned("https://127.0.0.1:4443/", fingerprint.lower().replace(":", ""))
    assert not trusted.certificate_pinned("https://127.0.0.1:4443/", der_fingerprint(b"other"))
    assert not trusted.certificate_pinned("https://127.0.0.1:4444/", fingerprint)
    assert not trusted.certificate_pinned("https://localhost:4443/", fingerprint)
    assert not trusted.allows("https://127.0.0.1:4443/")  # pinning grants no media by itself
    with pytest.raises(ValueError):
        trusted.pin("http://127.0.0.1:4443/", fingerprint)
    with pytest.raises(ValueError):
        trusted.pin("https://127.0.0.1:4443/", "AB:CD")


def test_lan_option_hosts_on_the_network_and_takes_a_port(tmp_path):
    from desktop.__main__ import parse_options

    options, _ = parse_options(["--lan", "--port", "8443", "--data-dir", str(tmp_path)])
    assert options.lan and options.port == 8443
    with pytest.raises(SystemExit):
        parse_options(["--lan", "--server", "https://meet.example.org"])


def test_the_invite_shows_the_rooms_lan_links_and_a_qr_code_of_the_first(tmp_path):
    from desktop.lan import LanDetails, make_invite
    from tornado_app.lan import qr_png

    details = LanDetails("Room 4", 8443, ("https://192.168.1.20:8443/", "https://10.0.0.5:8443/"),
                         "AA:BB", "CC:DD", tmp_path / "ca.pem")
    invite = make_invite(details, "/r/abc")
    assert invite.urls == ("https://192.168.1.20:8443/r/abc", "https://10.0.0.5:8443/r/abc")
    assert invite.qr_png == qr_png("https://192.168.1.20:8443/r/abc", 6)
    assert invite.ca_url == "https://192.168.1.20:8443/lan/ca.crt"
    assert details.local_url == "https://127.0.0.1:8443/"


def _desktop_imports() -> dict[str, set[str]]:
    """Every `desktop.*` module and the `desktop.*` modules it imports anywhere in its source
    (also under TYPE_CHECKING or inside functions: a cycle there is still one to untangle)."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    modules = {}
    for path in (root / "desktop").rglob("*.py"):
        parts = path.relative_to(root).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph = {}
    for name, path in modules.items():
        named = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                named |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                named |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
        graph[name] = {other for other in named if other in modules and other != name}
    return graph


def test_desktop_modules_import_one_another_without_cycles():
    graph = _desktop_imports()
    assert "desktop.app" not in graph["desktop.bridge"]  # the bridge knows only `BridgeHost`

    def cycle_from(start: str, path: tuple[str, ...], done: set[str]) -> tuple[str, ...] | None:
        for other in sorted(graph[start]):
            if other in path:
                return path[path.index(other):] + (other,)
            if other not in done:
                found = cycle_from(other, path + (other,), done)
                if found:
                    return found
        done.add(start)
        return None

    done: set[str] = set()
    for module in sorted(graph):
        cycle = cycle_from(module, (module,), done)
        assert cycle is None, f"{module} imports itself through others: {cycle}"


def test_the_sandbox_is_turned_off_only_for_root_on_linux():
    from desktop.environment import NO_SANDBOX_ENV, sandbox_off_for_root

    flags = {"QTWEBENGINE_CHROMIUM_FLAGS": "--use-fake-device-for-media-stream"}
    for platform, euid in (("linux", 1000), ("win32", 0), ("darwin", 0)):
        env = dict(flags)
        assert sandbox_off_for_root(env, platform, euid) is False
        assert env == flags
    env = dict(flags)
    assert sandbox_off_for_root(env, "linux", 0) is True
    assert env == {**flags, NO_SANDBOX_ENV: "1"}  # the user's own flags are kept as they were


def test_the_built_in_start_page_is_known_by_its_exact_content():
    import urllib.parse

    from desktop import resources
    from desktop.app import BUILTIN_PREFIX, is_start_page

    html = resources.start_page()
    shown = BUILTIN_PREFIX + urllib.parse.quote(html)  # how QtWebEngine names it
    assert is_start_page(shown, None, None)
    assert is_start_page(shown, "http://127.0.0.1:5000/", None)
    for other in (BUILTIN_PREFIX + urllib.parse.quote(html + "<script>evil()</script>"),
                  BUILTIN_PREFIX + "<p>start</p>", "data:text/html," + urllib.parse.quote(html),
                  "about:blank", "blob:http://127.0.0.1:5000/x", ""):
        assert not is_start_page(other, "http://127.0.0.1:5000/", None), other
