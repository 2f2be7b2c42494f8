"""A real publisher through a real Janus: Chromium publishes, Janus forwards, Chromium receives.

Janus and Chromium run in a network namespace of their own (support.janus.MediaNamespace): Janus
gathers no candidate on loopback, so they meet on an interface of that namespace that no packet leaves. The Janus
client in this test process drives Janus over its Unix socket; the page only does what a browser in
an SFU room will do: one sending PeerConnection and one receiving one, with SDP passed by hand.
"""

from __future__ import annotations

import asyncio
import os

import pytest
from playwright.async_api import async_playwright
from support.chromium import CHROMIUM, flags
from support.janus import JanusServer, MediaNamespace

from tornado_app.janus import JanusConnection, Jsep
from tornado_app.janus.videoroom import (Attendee, StreamRequest, VideoRoomAdmin, VideoRoomPublisher,
                                         VideoRoomSubscriber)
from tornado_app.janus.videoroom_events import (Joining, Left, PublishersAdded, SubscriptionUpdated, Unpublished,
                                                WebRtcUp, parse_event)

DEADLINE = 30.0  # ICE + DTLS on a loaded 2-core machine, generously

# The page: a 960x540 canvas camera in three simulcast layers and an oscillator microphone, sent on one
# PeerConnection; a second one receives what Janus offers. Candidates go in the SDP (no trickle).
PAGE_JS = """
window.gathered = (pc) => new Promise((resolve) => {
  if (pc.iceGatheringState === 'complete') return resolve();
  pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
});
window.publish = async () => {
  const canvas = Object.assign(document.createElement('canvas'), {width: 960, height: 540});
  const ctx = canvas.getContext('2d');
  let n = 0;
  setInterval(() => { ctx.fillStyle = `hsl(${(n += 7) % 360} 80% 50%)`; ctx.fillRect(0, 0, 960, 540); }, 50);
  const audio = new AudioContext();
  const tone = audio.createOscillator();
  const sink = audio.createMediaStreamDestination();
  tone.connect(sink); tone.start();
  const pc = window.sender = new RTCPeerConnection();
  pc.addTransceiver(sink.stream.getAudioTracks()[0], {direction: 'sendonly'});
  pc.addTransceiver(canvas.captureStream(20).getVideoTracks()[0], {direction: 'sendonly', sendEncodings: [
    {rid: 'q', scaleResolutionDownBy: 4}, {rid: 'h', scaleResolutionDownBy: 2}, {rid: 'f'}]});
  await pc.setLocalDescription();
  await gathered(pc);
  return pc.localDescription.sdp;
};
window.receive = async (offer) => {
  const pc = window.receiver = new RTCPeerConnection();
  window.frames = 0;
  pc.ontrack = (e) => {
    if (e.track.kind !== 'video') return;
    const video = Object.assign(document.createElement('video'), {muted: true, autoplay: true});
    video.srcObject = new MediaStream([e.track]);
    document.body.append(video);
    const count = () => { window.frames += 1; video.requestVideoFrameCallback(count); };
    video.requestVideoFrameCallback(count);
  };
  await pc.setRemoteDescription({type: 'offer', sdp: offer});
  await pc.setLocalDescription();
  await gathered(pc);
  return pc.localDescription.sdp;
};
"""


@pytest.fixture
def namespace():
    with MediaNamespace(f"janus-{os.getpid()}") as ns:
        yield ns


@pytest.fixture
def janus_in_namespace(tmp_path, namespace):
    server = JanusServer(tmp_path / "janus", netns=namespace)
    server.folder.mkdir()
    server.start()
    yield server
    server.stop()


async def _next(events: asyncio.Queue, kind: type):
    """The next typed event of class `kind` on a handle (others are passed over, and shown on a timeout)."""
    seen = []
    while True:
        try:
            event = await asyncio.wait_for(events.get(), DEADLINE)
        except asyncio.TimeoutError:
            raise AssertionError(f"no {kind.__name__} within {DEADLINE} s; saw {seen}") from None
        if isinstance(event, kind):
            return event
        seen.append(event)


async def _event(events: asyncio.Queue, kind: str) -> dict:
    """The next notification of `kind` on a handle (others are passed over)."""
    while True:
        event = await asyncio.wait_for(events.get(), DEADLINE)
        if event.get("janus") == kind:
            return event


async def test_a_chromium_publisher_is_forwarded_to_a_chromium_subscriber(janus_in_namespace, namespace, tmp_path):
    janus = janus_in_namespace
    connection = await JanusConnection.connect("ws://janus/", unix_socket=str(janus.unix_socket))
    try:
        session = await connection.create_session()
        admin = await VideoRoomAdmin.attach(session)
        await admin.create_room("media-room", publishers=50, admin_key=janus.admin_key)
        bob_events: asyncio.Queue = asyncio.Queue()  # a participant already in the room, not publishing
        bob = await VideoRoomPublisher.attach(session, on_event=lambda m: bob_events.put_nowait(parse_event(m)))
        await bob.join("media-room", id="bob", display="Bob")
        publisher_events: asyncio.Queue = asyncio.Queue()
        publisher = await VideoRoomPublisher.attach(session, on_event=publisher_events.put_nowait)
        await publisher.join("media-room", id="alice", display="Alice")
        assert await _next(bob_events, Joining) == Joining("media-room", Attendee("alice", "Alice"))

        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=str(namespace.chromium_wrapper(tmp_path, CHROMIUM)),
                                              args=flags(["--autoplay-policy=no-user-gesture-required",
                                                          # host candidates with their address, not an mDNS
                                                          # name (the generated config drops .local ones)
                                                          "--disable-features=WebRtcHideLocalIpsWithMdns"]))
            try:
                page = await browser.new_page()
                await page.evaluate(f"() => {{ {PAGE_JS} }}")  # a function: Playwright runs it once
                offer = await page.evaluate("publish()")
                assert f" {namespace.address} " in offer  # a host candidate on the namespace's interface
                answer = await publisher.publish(Jsep("offer", offer))
                await page.evaluate("(sdp) => sender.setRemoteDescription({type: 'answer', sdp})", answer.sdp)
                await _event(publisher_events, "webrtcup")  # ICE and DTLS up: Janus now lists Alice's feed
                [feed] = (await _next(bob_events, PublishersAdded)).feeds
                assert feed.id == "alice" and [(s.type, s.simulcast) for s in feed.streams] == [
                    ("audio", False), ("video", True)]

                subscriber_events: asyncio.Queue = asyncio.Queue()
                subscriber = await VideoRoomSubscriber.attach(
                    session, on_event=lambda m: subscriber_events.put_nowait(parse_event(m)))
                subscription = await subscriber.join("media-room", [StreamRequest("alice")])
                assert sorted((s.type, s.feed_id) for s in subscription.streams) == [
                    ("audio", "alice"), ("video", "alice")]
                answer_sdp = await page.evaluate("(sdp) => receive(sdp)", subscription.offer.sdp)
                await subscriber.start(Jsep("answer", answer_sdp))
                await _next(subscriber_events, WebRtcUp)
                await page.wait_for_function("window.frames >= 10", timeout=DEADLINE * 1000)

                await publisher.unpublish()
                assert await _next(bob_events, Unpublished) == Unpublished("media-room", "alice")
                # Janus renegotiates the subscription by itself (autoupdate): Alice's m-lines go inactive.
                updated = await _next(subscriber_events, SubscriptionUpdated)
                assert updated.subscription.offer is not None
                assert [s.active for s in updated.subscription.streams] == [False, False]
                await publisher.leave()  # (leaving while publishing tells the others only `leaving`)
                assert await _next(bob_events, Left) == Left("media-room", "alice")
            finally:
                await browser.close()
        await admin.destroy_room("media-room")
        await session.destroy()
    finally:
        await connection.close()
