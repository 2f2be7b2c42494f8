"""/metrics: Prometheus text of rooms, participants, relayed and refused messages, share switches.

Off unless configured; on the main port only with its bearer token; or on a port of its own.
"""

from __future__ import annotations

import pytest
import tornado.httpclient
from prometheus_client.parser import text_string_to_metric_families

from tornado_app.config import Settings
from tornado_app.metrics import SAMPLE_EVERY
from tornado_app.server import ParleyServer

TOKEN = "scrape-me"
OFFER = {"type": "offer", "sdp": "v=0\r\n"}


def samples(text: str) -> dict[tuple[str, tuple], float]:
    """{(sample name, sorted labels): value} from the exposition text."""
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


async def test_metrics_are_off_unless_configured(fetch_json):
    assert (await fetch_json("GET", "/metrics")).status == 404


@pytest.mark.parley_settings(metrics_token=TOKEN)
async def test_metrics_need_the_token(fetch_json):
    assert (await fetch_json("GET", "/metrics")).status == 401
    wrong = await fetch_json("GET", "/metrics", headers={"Authorization": "Bearer nope"})
    assert wrong.status == 401


@pytest.mark.parley_settings(metrics_token=TOKEN)
async def test_metrics_count_what_happened_in_a_meeting(fetch_json, meeting):
    alice, bob = await meeting("alice", "bob")
    for _ in range(SAMPLE_EVERY):
        alice.send("offer", {"sdp": OFFER, "targetId": "bob"})
        await bob.recv("offer")
    alice.send("offer", {"sdp": OFFER, "targetId": "nobody"})
    await alice.recv_error("targetNotFound")
    bob.send("startScreenShare", {"userId": "bob", "roomId": bob.room_id})
    await bob.recv("screenShareActive")
    await alice.recv("screenShareActive")

    response = await fetch_json("GET", "/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    got = samples(response.body.decode())
    assert got[("parley_participants", ())] == 2
    assert got[("parley_rooms", ())] >= 1
    assert got[("parley_messages_relayed_total", ())] == SAMPLE_EVERY
    assert got[("parley_messages_refused_total", (("code", "targetNotFound"),))] == 1
    assert got[("parley_screen_share_switches_total", ())] == 1
    assert got[("parley_relay_latency_seconds_count", ())] == 1
    assert got[("parley_relay_latency_seconds_bucket", (("le", "+Inf"),))] == 1


async def test_metrics_port_serves_them_off_the_public_port(tmp_path):
    server = ParleyServer(Settings(host="127.0.0.1", port=0, data_dir=tmp_path, metrics_port=0))
    await server.start()
    client = tornado.httpclient.AsyncHTTPClient()
    try:
        private = await client.fetch(f"http://127.0.0.1:{server.metrics_port}/metrics")
        assert b"parley_connections 0.0" in private.body
        public = await client.fetch(f"http://127.0.0.1:{server.port}/metrics", raise_error=False)
        assert public.code == 404
    finally:
        await server.stop()
