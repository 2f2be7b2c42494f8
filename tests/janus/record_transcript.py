"""Records what a real Janus (Debian's 1.1.x) says, for the client's replay tests: `python tests/janus/record_transcript.py`.

Starts a Janus with the tests' generated configuration (support.janus, session_timeout 5 s), plays
one VideoRoom conversation over a raw WebSocket and writes every message both ways, in order, to
fixtures/videoroom_transcript.json: a room made, checked and refused twice over; a publisher that joins and
publishes a Chromium offer (fixtures/chromium_publish_offer.sdp); a subscriber that joins, answers with
Chromium's answer to Janus's offer (fixtures/chromium_subscribe_answer.sdp, made here too), picks a
simulcast layer and trickles; a keepalive; errors of the core and of the plugin; leaves, destroys; and
a second session left silent until Janus times it out. Re-run it when Janus's version changes.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from websockets.sync.client import connect  # noqa: E402

from support.janus import JanusServer  # noqa: E402

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ROOM = "transcript-room"


def chromium_answer(offer_sdp: str) -> str:
    """Chromium's answer to Janus's subscriber offer (createAnswer without setLocalDescription: nothing is gathered)."""
    from playwright.sync_api import sync_playwright

    from support.chromium import launch
    with sync_playwright() as p:
        browser = launch(p)
        try:
            return browser.new_page().evaluate("""async (sdp) => {
                const pc = new RTCPeerConnection();
                await pc.setRemoteDescription({type: 'offer', sdp});
                const answer = await pc.createAnswer();
                pc.close();
                return answer.sdp;
            }""", offer_sdp)
        finally:
            browser.close()


class Recorder:
    def __init__(self, ws) -> None:
        self.ws = ws
        self.steps: list[dict] = []
        self.n = 0

    def recv(self, timeout: float = 10.0) -> dict:
        message = json.loads(self.ws.recv(timeout=timeout))
        self.steps.append({"recv": message})
        return message

    def ask(self, message: dict, until: tuple[str, ...] = ("success", "error")) -> dict:
        """Send a request; record replies until one of kind `until` carries its transaction."""
        self.n += 1
        message = {**message, "transaction": f"t{self.n}"}
        self.steps.append({"send": message})
        self.ws.send(json.dumps(message))
        while True:
            reply = self.recv()
            if reply.get("transaction") == message["transaction"] and reply["janus"] in until:
                return reply


def main() -> None:
    offer = (FIXTURES / "chromium_publish_offer.sdp").read_text()
    with tempfile.TemporaryDirectory() as folder:
        janus = JanusServer(Path(folder), session_timeout=5, admin_key="transcript-key")
        janus.start()
        try:
            with connect(janus.url, subprotocols=["janus-protocol"]) as ws:
                r = Recorder(ws)
                session = r.ask({"janus": "create"})["data"]["id"]
                s = {"session_id": session}
                admin = r.ask({"janus": "attach", "plugin": "janus.plugin.videoroom", **s})["data"]["id"]
                a = {**s, "handle_id": admin}
                create = {"request": "create", "room": ROOM, "publishers": 50, "videocodec": "vp8",
                          "audiocodec": "opus", "notify_joining": True, "permanent": False,
                          # Janus lists a publisher to subscribers only once its PeerConnection is up (webrtcup),
                          # which needs ICE: a dummy publisher stands in for one here.
                          "dummy_publisher": True}
                r.ask({"janus": "message", **a, "body": {**create, "admin_key": "wrong"}})
                r.ask({"janus": "message", **a, "body": {**create, "admin_key": "transcript-key"}})
                r.ask({"janus": "message", **a, "body": {**create, "admin_key": "transcript-key"}})
                r.ask({"janus": "message", **a, "body": {"request": "exists", "room": ROOM}})
                r.ask({"janus": "message", **a, "body": {"request": "exists", "room": "no-such-room"}})
                pub = r.ask({"janus": "attach", "plugin": "janus.plugin.videoroom", **s})["data"]["id"]
                p = {**s, "handle_id": pub}
                r.ask({"janus": "message", **p, "body": {"request": "join", "ptype": "publisher", "room": "no-such-room"}},
                      until=("event", "error"))
                joined = r.ask({"janus": "message", **p, "body": {"request": "join", "ptype": "publisher", "room": ROOM,
                                                                  "id": "alice", "display": "Alice"}},
                               until=("event", "error"))
                dummy = joined["plugindata"]["data"]["publishers"][0]["id"]
                r.ask({"janus": "message", **p, "body": {"request": "publish", "bitrate": 1000000,
                                                         "descriptions": [{"mid": "1", "description": "camera"}]},
                       "jsep": {"type": "offer", "sdp": offer}}, until=("event", "error"))
                r.ask({"janus": "message", **p, "body": {"request": "configure", "bitrate": 500000}},
                      until=("event", "error"))
                sub = r.ask({"janus": "attach", "plugin": "janus.plugin.videoroom", **s})["data"]["id"]
                b = {**s, "handle_id": sub}
                attached = r.ask({"janus": "message", **b, "body": {
                    "request": "join", "ptype": "subscriber", "room": ROOM, "streams": [{"feed": "alice"}]}},
                    until=("event", "error"))
                attached = r.ask({"janus": "message", **b, "body": {
                    "request": "join", "ptype": "subscriber", "room": ROOM, "streams": [{"feed": dummy}]}},
                    until=("event", "error"))
                if "jsep" not in attached:
                    raise SystemExit(json.dumps(r.steps[-12:], indent=1))
                answer = chromium_answer(attached["jsep"]["sdp"])
                (FIXTURES / "chromium_subscribe_answer.sdp").write_text(answer)
                r.ask({"janus": "message", **b, "body": {"request": "start"}, "jsep": {"type": "answer", "sdp": answer}},
                      until=("event", "error"))
                r.ask({"janus": "message", **b, "body": {"request": "configure",
                                                         "streams": [{"mid": "1", "substream": 0, "temporal": 0}]}},
                      until=("event", "error"))
                r.ask({"janus": "trickle", **b, "candidate": {
                    "candidate": "candidate:1 1 udp 2122260223 10.213.0.2 40000 typ host",
                    "sdpMid": "0", "sdpMLineIndex": 0}}, until=("ack", "error"))
                r.ask({"janus": "trickle", **b, "candidate": {"completed": True}}, until=("ack", "error"))
                r.ask({"janus": "keepalive", **s}, until=("ack", "error"))
                r.ask({"janus": "message", **s, "handle_id": 1, "body": {"request": "exists", "room": ROOM}})
                r.ask({"janus": "message", **b, "body": {"request": "leave"}}, until=("event", "error"))
                r.ask({"janus": "message", **p, "body": {"request": "leave"}}, until=("event", "error"))
                r.ask({"janus": "message", **a, "body": {"request": "destroy", "room": ROOM}})
                r.ask({"janus": "message", **a, "body": {"request": "destroy", "room": ROOM}})
                for handle in (sub, pub, admin):
                    r.ask({"janus": "detach", **s, "handle_id": handle})
                r.ask({"janus": "destroy", **s})
                r.ask({"janus": "keepalive", **s}, until=("ack", "error"))
                quiet = r.ask({"janus": "create"})["data"]["id"]
                started = time.monotonic()
                while r.recv(timeout=30).get("janus") != "timeout":
                    pass
                print(f"session {quiet} timed out after {time.monotonic() - started:.1f} s")
        finally:
            janus.stop()
    (FIXTURES / "videoroom_transcript.json").write_text(json.dumps(r.steps, indent=1) + "\n")
    print(f"{len(r.steps)} messages")


if __name__ == "__main__":
    main()
