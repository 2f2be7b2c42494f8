"""TURN: clients reach each other only through a real coturn, with the credentials Parley issued.

coturn runs on loopback with `use-auth-secret` (the TURN REST API scheme). Two Chromium peers forced
to `iceTransportPolicy: 'relay'` connect through it and decode each other's video; credentials that
are expired or signed with another secret are refused by coturn itself.
"""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator

import pytest
from support.polling import wait_for
from support.processes import free_port
from lan_harness import HERE, PYTHON, PageServer, run_call
from turn_client import allocate, stun_binding_ok

from tornado_app.turn import turn_credential, turn_username

SECRET = "test-static-auth-secret"


@pytest.fixture(scope="module")
def coturn(tmp_path_factory) -> Iterator[tuple[str, int]]:
    """A real coturn on 127.0.0.1 checking TURN REST API credentials under SECRET."""
    port = free_port(socket.SOCK_DGRAM)
    log = tmp_path_factory.mktemp("coturn") / "turn.log"
    proc = subprocess.Popen([
        "turnserver", "-n", "--listening-ip", "127.0.0.1", "--relay-ip", "127.0.0.1",
        "--listening-port", str(port), "--use-auth-secret", "--static-auth-secret", SECRET,
        "--realm", "parley.test", "--no-tls", "--no-dtls", "--no-cli", "--no-tcp-relay",
        "--allow-loopback-peers",  # both peers are on this machine's loopback in the test
        "--no-multicast-peers", "--min-port", "41000", "--max-port", "41999",
        "--log-file", str(log), "--simple-log",
    ], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: proc.poll() is not None or stun_binding_ok(("127.0.0.1", port)), 10,
                   "coturn to answer STUN")
        assert proc.poll() is None, log.read_text() if log.exists() else "coturn exited"
        yield "127.0.0.1", port
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture(scope="module")
def turn_server(coturn, tmp_path_factory) -> Iterator[PageServer]:
    """A Parley server on loopback configured with the coturn above."""
    host, port = coturn
    server = PageServer([
        PYTHON, str(HERE / "serve.py"), "--port", "0",
        "--data-dir", str(tmp_path_factory.mktemp("turn-data")),
        "--turn-uri", f"turn:{host}:{port}?transport=udp", "--turn-secret", SECRET,
        "--turn-ttl", "600"])
    yield server
    server.stop()


@pytest.mark.timeout(150)
def test_peers_forced_to_relay_connect_through_coturn_with_issued_credentials(turn_server):
    result = run_call([PYTHON, str(HERE / "call_driver.py"), turn_server.info["urls"][0].rstrip("/"),
                       "--policy", "relay", "--timeout", "40"])
    for report, user in zip(result["reports"], ("a", "b")):
        assert report["pcState"] == "connected", report
        assert (report["local"], report["remote"]) == ("relay", "relay"), report
        assert report["width"] > 0 and report["frames"] > 5, report  # the other's video decodes
        assert all(" typ relay " in c for c in report["localCandidates"]), report
        (turn,) = report["iceServers"]
        expiry, named = turn["username"].split(":")
        assert named == user and 0 < int(expiry) - time.time() <= 600
        assert turn["credential"] == turn_credential(SECRET, turn["username"])


def test_coturn_accepts_issued_credentials_and_refuses_forged_or_expired_ones(coturn):
    now = time.time()
    good = turn_username("alice", 600, now)
    assert allocate(coturn, good, turn_credential(SECRET, good)) == 0
    assert allocate(coturn, good, turn_credential("another secret", good)) == 401
    expired = turn_username("alice", -60, now)
    assert allocate(coturn, expired, turn_credential(SECRET, expired)) == 401
    later = turn_username("mallory", 600, now)  # a name changed after signing
    assert allocate(coturn, later, turn_credential(SECRET, good)) == 401
