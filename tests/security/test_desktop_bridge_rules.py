"""Issue 11, findings 1 and 12: the desktop app's pure trust decisions (who may use the bridge,
where the window may go, which mDNS answers become links and pins)."""

from __future__ import annotations

import pytest
from zeroconf import ServiceInfo

from desktop.app import is_start_page
from desktop.backends.base import TrustedOrigins, navigation_decision
from desktop.bridge import _is_ip_origin
from tornado_app.lan.mdns import SERVICE_TYPE, _found

SERVER = "http://127.0.0.1:4242/"
FALLBACK = "file:///opt/parley/"


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:4242/?desktop",
    "http://127.0.0.1:4242/?desktop=&name=Ann",
    "http://127.0.0.1:4242/",                    # --embedded opens the start screen there
    FALLBACK,
])
def test_the_start_pages_may_use_the_bridge(url):
    assert is_start_page(url, SERVER, FALLBACK)


@pytest.mark.parametrize("url", [
    "blob:http://127.0.0.1:4242/3f1c",          # the audit's escalation, even on the app's origin
    "blob:http://127.0.0.1:18090/3f1c",
    "data:text/html,<script>1</script>",
    "file:///tmp/evil.html",
    "about:blank",
    "http://127.0.0.1:4242/r/abc123",            # a meeting on the app's own server
    "http://localhost:4242/?desktop",            # another origin for the same server
    "http://127.0.0.1:18090/?desktop",           # a server the user opened
    "https://meet.example.org/?desktop",
    "",
])
def test_no_other_page_may_use_the_bridge(url):
    assert not is_start_page(url, SERVER, FALLBACK)


def test_without_a_known_fallback_no_file_page_is_the_start_page():
    assert not is_start_page(FALLBACK, SERVER, None)
    assert not is_start_page("blob:null/1", None, None)


def test_the_window_goes_only_where_the_user_chose():
    trusted = TrustedOrigins()
    trusted.trust("https://meet.example.org/r/abc")
    assert navigation_decision("https://meet.example.org/r/def", False, trusted) == "load"
    assert navigation_decision("https://evil.example/", True, trusted) == "load"  # the app's own
    assert navigation_decision("https://evil.example/", False, trusted) == "external"
    assert navigation_decision("http://meet.example.org/", False, trusted) == "external"
    for url in ("blob:https://meet.example.org/1", "data:text/html,x", "file:///etc/passwd",
                "javascript:alert(1)"):
        assert navigation_decision(url, False, trusted) == "block", url


def _service(path: str | None) -> ServiceInfo:
    properties = {"fp": "AA:" * 31 + "AA", "version": "1"}
    if path is not None:
        properties["path"] = path
    return ServiceInfo(SERVICE_TYPE, f"Office.{SERVICE_TYPE}", port=8443,
                       addresses=[bytes([10, 0, 0, 7])], properties=properties)


@pytest.mark.parametrize("path", ["@meet.example.org/", "//meet.example.org/", "x", "/a b",
                                  "/@x?y"])
def test_an_mdns_answer_cannot_point_at_another_host(path):
    assert _found(_service(path)) is None


def test_an_mdns_answer_with_a_plain_path_is_listed():
    assert _found(_service("/")).url == "https://10.0.0.7:8443/"
    assert _found(_service(None)).url == "https://10.0.0.7:8443/"
    assert _found(_service("/parley/")).url == "https://10.0.0.7:8443/parley/"


def test_only_address_origins_get_an_advertised_certificate_pinned():
    assert _is_ip_origin("https://10.0.0.7:8443/")
    assert _is_ip_origin("https://[fe80::1]:8443/")
    assert not _is_ip_origin("https://meet.example.org/")
