"""Hosting on the network from the desktop app, on a simulated two-machine LAN (support/netns.py).

What people notice: the desktop app hosts over HTTPS and its own window still gets camera and
microphone (it accepts exactly its server's certificate); a panel beside the meeting shows the join
link, its QR code and the certificate fingerprint; a browser on the other machine opens that link and the two
see each other. The start page finds a meeting hosted on the other machine and opens it, while the
window refuses that server's certificate when it was not the one advertised. The start page is the
web client's start screen, served by the app's own server on 127.0.0.1.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
import threading
import urllib.parse
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from support.netns import TwoMachines
from support.polling import wait_for

from desktop_harness import ROOT, TEST_UI_DIR, press, start_screen_shown
from tornado_app.lan import qr_png

pytestmark = pytest.mark.timeout(300)

PARTICIPANT = Path(__file__).resolve().parent / "lan_participant.py"

CLICK_JOIN = """
const button = [...document.querySelectorAll('button')]
  .find(b => (b.getAttribute('aria-label') || b.textContent).trim() === 'Join');
if (!button || button.disabled) return false;
button.click();
return true;
"""
FOUND = """
const heading = [...document.querySelectorAll('h2')].find(h => h.textContent.trim() === 'On this network');
const list = heading && heading.parentElement.querySelector('ul');
if (!list) return null;
return [...list.querySelectorAll('li')].map(li => ({
  button: li.querySelector('button').textContent.trim(), text: li.innerText}));
"""
DECODING = """
const pc = [...window.__parley.peers.values()][0];
if (!pc || pc.connectionState !== 'connected') return 0;
const stats = [...(await pc.getStats()).values()];
return Math.max(0, ...stats.filter(s => s.type === 'inbound-rtp' && s.kind === 'video')
  .map(s => s.framesDecoded || 0));
"""


@pytest.fixture(scope="module")
def machines():
    """The two machines; removed with everything still running inside."""
    with TwoMachines(f"desk{os.getpid()}", "10.214.0") as net:
        yield net


@pytest.fixture(scope="module", autouse=True)
def _web_client_built():
    assert (TEST_UI_DIR / "index.html").is_file(), (
        "the test build of the web client is missing: run `make test` or "
        "`cd react-ui && npm run build:test` (the desktop app serves it, with window.__parley)")


def leaf_certificate(data: Path) -> x509.Certificate:
    """The LAN certificate the embedded server generated in the app's data folder."""
    return x509.load_pem_x509_certificate((data / "lan-tls" / "parley-lan.pem").read_bytes())


def test_a_browser_on_the_network_joins_the_meeting_the_desktop_app_hosts(
        start_app, machines, tmp_path):
    data = tmp_path / "data"
    desk = start_app("--lan", data_dir=data, prefix=TwoMachines.prefix(machines.host_ns))
    local = urllib.parse.urlsplit(desk.ready["url"])
    assert (local.scheme, local.hostname) == ("https", "127.0.0.1"), desk.ready
    room = local.path.split("/r/")[1]
    lan_url = f"https://{machines.host_ip}:{local.port}/r/{room}"

    # The window shows the meeting from its own server, over HTTPS it trusts (a secure context).
    assert desk.js("location.origin") == f"https://127.0.0.1:{local.port}"
    assert desk.js("window.isSecureContext") is True

    # A panel beside the meeting tells the room how to join: link, its QR code, the fingerprint.
    leaf = leaf_certificate(data)
    fingerprint = hashlib.sha256(leaf.public_bytes(Encoding.DER)).digest().hex(":").upper()
    panel = wait_for(lambda: desk.call("invite"), 30, "the invite panel")
    assert panel["visible"] and panel["title"] == "Join from a browser on this network"
    assert f"<code>{lan_url}</code>" in panel["links"]
    assert fingerprint in panel["fingerprint"]
    assert f"https://{machines.host_ip}:{local.port}/lan/ca.crt" in panel["ca"]
    assert panel["qr"] == base64.b64encode(qr_png(lan_url, 6)).decode()  # the code of that link
    assert panel["qrShown"] and panel["qrWidth"] > 150

    wait_for(lambda: desk.js_async(CLICK_JOIN)["value"], 30, "the desktop pre-join page's Join",
             on_timeout=lambda: desk.js("document.body.innerText"))
    wait_for(lambda: desk.js("window.__parley ? window.__parley.userId : null"), 30,
             "the desktop app to join the call")

    # A browser on the other machine opens the link, trusting exactly the server's key.
    spki = base64.b64encode(hashlib.sha256(leaf.public_key().public_bytes(
        Encoding.DER, PublicFormat.SubjectPublicKeyInfo)).digest()).decode()
    # It stays in the meeting until its stdin is closed (`communicate`), so it cannot leave, and
    # end the call, as soon as it has seen the desktop user, before the desktop app saw it.
    with subprocess.Popen(
            [*TwoMachines.prefix(machines.other_ns), sys.executable, str(PARTICIPANT), lan_url,
             "--spki", spki, "--timeout", "60"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            cwd=ROOT) as browser:
        try:
            # The desktop user sees the browser user's video.
            wait_for(lambda: (desk.js_async(DECODING)["value"] or 0) > 5, 90,
                     "the desktop app to decode the browser's video")
            out, err = browser.communicate(timeout=120)
        finally:
            if browser.poll() is None:
                browser.kill()
                browser.communicate()
    assert browser.returncode == 0, err[-3000:]
    result = json.loads(out.strip().splitlines()[-1])
    assert result["secure"] is True  # so the browser allowed its camera
    report = result["report"]
    assert report["state"] == "connected" and report["frames"] > 5 and report["width"] > 0, report
    base = f"https://{machines.host_ip}:{local.port}/"
    assert all(url.startswith(base) for url in result["requests"]), result["requests"]


def test_the_start_screen_hosts_on_the_network(start_app, machines, tmp_path):
    """The start screen's own server (127.0.0.1 only) gives way to one on the network."""
    desk = start_app(prefix=TwoMachines.prefix(machines.host_ns))
    assert desk.server.startswith("http://127.0.0.1:")
    start_screen_shown(desk)
    press(desk, "Host a meeting on this network")
    url = wait_for(lambda: (u := desk.call("url")) and "/r/" in u and u, 30, "the meeting page",
                   on_timeout=lambda: desk.js("document.body.innerText"))
    local = urllib.parse.urlsplit(url)
    assert (local.scheme, local.hostname) == ("https", "127.0.0.1"), url
    assert desk.js("window.isSecureContext") is True
    room = local.path.split("/r/")[1]
    panel = wait_for(lambda: desk.call("invite"), 30, "the invite panel")
    assert f"<code>https://{machines.host_ip}:{local.port}/r/{room}</code>" in panel["links"]


class LineReader:
    """Collects a process's stdout lines on a thread, so a test can wait for one with a deadline."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.lines: list[str] = []
        self._thread = threading.Thread(target=self._read, args=(proc,), daemon=True)
        self._thread.start()

    def _read(self, proc: subprocess.Popen) -> None:
        for line in proc.stdout:  # type: ignore[union-attr]
            self.lines.append(line.rstrip("\n"))

    def join(self) -> None:
        """Wait until the process's stdout reached its end."""
        self._thread.join(10)

    def starting(self, prefix: str) -> str | None:
        return next((line for line in self.lines if line.startswith(prefix)), None)


def test_the_start_page_finds_the_meeting_on_the_other_machine_and_pins_its_certificate(
        start_app, machines, tmp_path):
    with subprocess.Popen(
            [*TwoMachines.prefix(machines.other_ns), sys.executable, "-m", "tornado_app", "--lan",
             "--port", "0", "--data-dir", str(tmp_path / "other"), "--name", "Room 4"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT) as other:
        lines = LineReader(other)
        try:
            served = wait_for(lambda: lines.starting("Parley is serving on "), 30, "the other server")
            url = served.split("serving on ", 1)[1].split()[0]
            assert url.startswith(f"https://{machines.other_ip}:")
            printed = wait_for(lambda: lines.starting("Certificate SHA-256:"), 10, "its fingerprint")
            fingerprint = printed.split(":", 1)[1].strip()

            desk = start_app(prefix=TwoMachines.prefix(machines.host_ns))
            # Opened by the app without the pin (a page can no longer navigate the window to an origin
            # the user did not choose), the other server's certificate (from an unknown CA) is refused.
            desk.call("load", url=url)
            shown = wait_for(lambda: (desk.js("location.href") or "").startswith("chrome-error:")
                             and desk.js("location.href"), 30, "the window to refuse the certificate",
                             on_timeout=lambda: desk.js("location.href"))
            assert "chrome-error" in shown
            assert f"refusing the certificate of {url}" in desk.log_tail(200)

            # "Find meetings on this network" lists it with the fingerprint it printed; clicking opens it.
            assert desk.call("start_page").startswith(desk.server)  # "back to start"
            start_screen_shown(desk)
            press(desk, "Find meetings on this network")
            listed = wait_for(lambda: desk.js_async(FOUND)["value"], 30,
                              "the list of meetings on this network",
                              on_timeout=lambda: desk.js("document.body.innerText"))
            entry = next((e for e in listed if e["button"].startswith("Room 4") and url in e["button"]),
                         None)
            assert entry is not None, listed
            assert f"SHA-256 {fingerprint}" in entry["text"], entry
            press(desk, entry["button"])
            origin = url.rstrip("/")
            wait_for(lambda: desk.js("location.origin") == origin
                     and desk.js("document.readyState") == "complete", 30,
                     "the window to show the other machine's server",
                     on_timeout=lambda: desk.js("location.href"))
            assert desk.js("window.isSecureContext") is True
            assert f"accepting the pinned certificate {fingerprint} of {url}" in desk.log_tail(200)
            # The user chose this server, so its page may use the camera.
            camera = desk.js_async("const s = await navigator.mediaDevices.getUserMedia({video: true});"
                                   "const state = s.getVideoTracks()[0].readyState;"
                                   "s.getTracks().forEach(t => t.stop()); return state;")
            assert camera == {"ok": True, "value": "live"}, camera
        finally:
            other.terminate()
            other.wait(15)
            lines.join()  # the reader has seen EOF before leaving the `with` closes the pipe


@pytest.fixture
def offline_machine():
    """A machine on no network at all (loopback only): LAN mode has nowhere to host."""
    ns = f"parley-doff-{os.getpid()}"
    subprocess.run(["ip", "netns", "del", ns], capture_output=True)
    subprocess.run(["ip", "netns", "add", ns], check=True, capture_output=True)
    subprocess.run(["ip", "-n", ns, "link", "set", "lo", "up"], check=True, capture_output=True)
    yield ns
    for pid in subprocess.run(["ip", "netns", "pids", ns], capture_output=True,
                              text=True).stdout.split():
        os.kill(int(pid), 9)
    subprocess.run(["ip", "netns", "del", ns], capture_output=True)


def test_hosting_on_no_network_says_so_and_the_start_screen_can_try_again(offline_machine,
                                                                           start_app):
    # offline_machine first: fixtures end in reverse, so the app is closed before the namespace's
    # leftovers are killed (the other way round, its close waited 20 s for a process already dead).
    desk = start_app(prefix=TwoMachines.prefix(offline_machine))
    start_screen_shown(desk)
    tried = desk.js_async("return await window.pywebview.api.host_lan('Ada');", timeout=60)
    assert tried["ok"] and tried["value"]["ok"] is False, tried
    assert tried["value"]["error"].startswith("no LAN address found"), tried
    # The start screen's server is back where the page came from: the page still answers, still
    # drives the app, and hosting on this computer now works.
    health = desk.js_async("return (await (await fetch('/healthz')).json()).status;")
    assert health == {"ok": True, "value": "ok"}, health
    assert desk.js_async("return (await window.pywebview.api.state()).ok;") == {"ok": True,
                                                                                 "value": True}
    press(desk, "Host a meeting")
    url = wait_for(lambda: (u := desk.call("url")) and "/r/" in u and u, 30, "the meeting page")
    assert url.startswith(desk.server)  # on the same server, at the same address
    log = desk.log_tail(400)
    assert log.count("no LAN address found") == 1, log
