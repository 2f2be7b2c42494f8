"""LAN mode on a simulated two-machine LAN with no route anywhere else (see conftest.py).

What a person in a room with no internet notices: the other machine finds the server on the
network, opens it over HTTPS with the certificate the server printed, gets camera access (a secure
context) and sees the other person's video, and nothing is fetched from outside the LAN.
"""

from __future__ import annotations

import hashlib
import json
import subprocess

import pytest
from lan_harness import HERE, PYTHON, ROOT, read_line, run_call
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

# Run on the client machine: fetch over HTTPS and join over WSS, verifying against the local CA.
CLIENT_CHECK = """
import json, ssl, sys, urllib.request
from websockets.sync.client import connect
base, ca = sys.argv[1], sys.argv[2]
ctx = ssl.create_default_context(cafile=ca)
def get(path):
    try:
        r = urllib.request.urlopen(base + path, context=ctx, timeout=10)
    except urllib.error.HTTPError as e:
        r = e
    return r.status, r.headers.get("Content-Type", ""), r.read()
out = {}
status, kind, body = get("/")
out["index"] = [status, kind, body[:200].decode(errors="replace")]
status, kind, body = get("/lan/qr.png")
out["qr"] = [status, kind, body[:8].hex(), len(body)]
out["ca_download"] = get("/lan/ca.crt")[2].decode()
req = urllib.request.Request(base + "/createRoom", method="POST", data=b"{}",
                             headers={"Content-Type": "application/json"})
room = json.loads(urllib.request.urlopen(req, context=ctx, timeout=10).read())["roomId"]
with connect(base.replace("https", "wss") + "/ws", ssl=ctx, open_timeout=10) as ws:
    ws.send(json.dumps({"type": "join", "payload": {"roomId": room, "userId": "carol"}}))
    out["joined"] = json.loads(ws.recv(timeout=10))
with ctx.wrap_socket(__import__("socket").create_connection((base.split("//")[1].split(":")[0],
        int(base.rsplit(":", 1)[1])), 10), server_hostname=base.split("//")[1].split(":")[0]) as s:
    out["peer_cert_sha256"] = __import__("hashlib").sha256(s.getpeercert(True)).hexdigest()
print(json.dumps(out))
"""


def test_the_other_machine_discovers_the_server_by_name_port_and_fingerprint(lan, lan_server):
    done = lan.run(lan.other_ns, PYTHON, "-m", "tornado_app", "--discover", "2", timeout=30)
    assert done.returncode == 0, done.stderr
    info = lan_server.info
    expected = f"Room 4\thttps://{lan.host_ip}:{info['port']}/\tSHA-256 {info['fingerprint']}"
    assert expected in done.stdout.splitlines(), done.stdout


def test_https_and_wss_verify_against_the_generated_ca(lan, lan_server):
    base = f"https://{lan.host_ip}:{lan_server.info['port']}"
    done = lan.run(lan.other_ns, PYTHON, "-c", CLIENT_CHECK, base, lan_server.info["ca"])
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout)
    status, kind, body = out["index"]  # the web client, or the hint that it is not built yet
    assert (status, kind.split(";")[0]) in ((200, "text/html"), (503, "application/json")), out
    assert out["qr"][:3] == [200, "image/png", "89504e470d0a1a0a"] and out["qr"][3] > 200
    with open(lan_server.info["ca"]) as ca:
        assert out["ca_download"] == ca.read()
    assert out["joined"]["type"] == "joined" and out["joined"]["payload"]["iceServers"] == []
    printed = lan_server.info["fingerprint"].replace(":", "").lower()
    assert out["peer_cert_sha256"] == printed


@pytest.mark.timeout(150)
def test_a_call_works_over_https_with_nothing_but_the_lan(lan, lan_server):
    base = f"https://{lan.host_ip}:{lan_server.info['port']}"
    result = run_call(lan.command(lan.other_ns, PYTHON, str(HERE / "call_driver.py"), base,
                                  "--spki", lan_server.info["spki"], "--timeout", "40"))
    assert result["secure"] is True  # so the browser allows the camera
    for report in result["reports"]:
        assert report["pcState"] == "connected", report
        assert report["width"] > 0 and report["frames"] > 5, report  # the other's video decodes
        assert (report["local"], report["remote"]) == ("host", "host"), report
        assert report["iceServers"] == [], report  # no public STUN
        assert all(" typ host " in c and lan.other_ip in c for c in report["localCandidates"]), report
    assert result["requests"] and all(url.startswith(base + "/") for url in result["requests"]), \
        result["requests"]


def test_the_command_prints_url_qr_code_and_the_served_fingerprint(lan, tmp_path):
    data = tmp_path / "data"
    with subprocess.Popen(lan.command(lan.host_ns, PYTHON, "-m", "tornado_app", "--lan",
                                      "--port", "0", "--data-dir", str(data)),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT) as proc:
        try:
            lines = [read_line(proc, 20)]
            while not lines[-1].startswith("Local CA SHA-256"):
                lines.append(read_line(proc, 20))
        finally:
            proc.terminate()
            code = proc.wait(10)  # leaving the `with` closes both pipes
    assert code == 0
    assert lines[0].startswith(f"Parley is serving on https://{lan.host_ip}:")
    assert sum("\u2584" in line or "\u2580" in line for line in lines) >= 10  # the QR code
    leaf = x509.load_pem_x509_certificate((data / "lan-tls" / "parley-lan.pem").read_bytes())
    served = hashlib.sha256(leaf.public_bytes(Encoding.DER)).hexdigest().upper()
    printed = next(line for line in lines if line.startswith("Certificate SHA-256:"))
    assert printed.split(":", 1)[1].strip().replace(":", "") == served


def test_lan_mode_on_a_machine_with_no_network_says_so(lan, tmp_path):
    bare = lan.host_ns + "-x"
    subprocess.run(["ip", "netns", "add", bare], check=True)
    try:
        done = subprocess.run(["ip", "netns", "exec", bare, PYTHON, "-m", "tornado_app", "--lan",
                               "--data-dir", str(tmp_path)], capture_output=True, text=True,
                              timeout=30, cwd=ROOT)
    finally:
        subprocess.run(["ip", "netns", "del", bare], check=True)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].startswith(
        "parley-server: cannot start: no LAN address found"), done.stderr

