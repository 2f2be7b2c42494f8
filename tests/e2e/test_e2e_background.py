"""Issue 15, background blur and replacement: the camera goes through a worker that finds the person
(MediaPipe's ImageSegmenter, served by Parley) and draws the room blurred or an image behind them.

Two people in real Chromium with fake devices. Chromium's fake camera shows no person, so with an
effect on, the whole picture Bob receives from Alice is background: blurred, it loses the sharp
edges of the fake camera's pattern; with the Sunset image, it shows the image's colours. The
processed track goes out on the same sender (`replaceTrack`, SDP unchanged), Bob's frame rate from
Alice stays close to what it was, Off sends the raw camera again, and the choice survives a reload.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from e2e_harness import Call, Participant, ServerProcess
from playwright.sync_api import expect
from support import TEST_UI_DIR
from support.polling import wait_for

pytestmark = pytest.mark.e2e

# What Alice's page sends as her camera: local and sent tracks, each link's video sender and SDP.
CAMERA = """() => {
  const c = window.__parley.camera();
  const links = [...window.__parley.peers.values()].map((pc) => {
    const sender = pc.getSenders().find((s) => s.track && s.track.kind === 'video'
      && (s.track === c.sent || s.track === c.local));
    return {
      sendsSent: Boolean(sender && sender.track === c.sent),
      sendsLocal: Boolean(sender && sender.track === c.local),
      sdp: pc.currentLocalDescription && pc.currentLocalDescription.sdp,
      remoteSdp: pc.currentRemoteDescription && pc.currentRemoteDescription.sdp,
      signalingState: pc.signalingState,
    };
  });
  return { status: c.status, choice: c.choice, processed: c.sent !== c.local,
           sentLive: Boolean(c.sent && c.sent.readyState === 'live'), stats: c.stats, links };
}"""

# Bob's view of Alice's tile, scaled to 160x90: its sharpness (mean difference of neighbouring
# pixels) and, given an image URL, the share of pixels within 40 (per channel mean) of that image.
RECEIVED = """async ([id, imageUrl]) => {
  const video = document.querySelector(`[data-testid="tile"][data-user-id="${id}"] video`);
  if (!video || video.videoWidth === 0) return null;
  const pixels = (source) => {
    const canvas = document.createElement('canvas');
    canvas.width = 160; canvas.height = 90;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(source, 0, 0, 160, 90);
    return ctx.getImageData(0, 0, 160, 90).data;
  };
  const frame = pixels(video);
  let edges = 0;
  for (let y = 0; y < 90; y++) for (let x = 0; x < 159; x++) {
    const i = (y * 160 + x) * 4;
    for (let k = 0; k < 3; k++) edges += Math.abs(frame[i + k] - frame[i + 4 + k]);
  }
  const out = { sharpness: edges / (90 * 159 * 3), matching: null };
  if (imageUrl) {
    const image = new Image();
    image.src = imageUrl;
    await image.decode();
    const want = pixels(image);
    let close = 0;
    for (let i = 0; i < frame.length; i += 4) {
      const d = (Math.abs(frame[i] - want[i]) + Math.abs(frame[i + 1] - want[i + 1]) + Math.abs(frame[i + 2] - want[i + 2])) / 3;
      if (d < 40) close += 1;
    }
    out.matching = close / (frame.length / 4);
  }
  return out;
}"""

# Frames per second Bob decodes from Alice, over `ms` milliseconds.
FRAME_RATE = """async ([id, ms]) => {
  const frames = async () => {
    let n = 0;
    (await window.__parley.peers.get(id).getStats()).forEach((r) => {
      if (r.type === 'inbound-rtp' && r.kind === 'video') n += r.framesDecoded || 0;
    });
    return [n, performance.now()];
  };
  const [n0, t0] = await frames();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const [n1, t1] = await frames();
  return ((n1 - n0) * 1000) / (t1 - t0);
}"""


PREVIEW = """() => { const v = document.querySelector('video.preview__video');
  const t = v && v.srcObject && v.srcObject.getVideoTracks()[0];
  return t && { label: t.label, state: t.readyState, kind: t.constructor.name,
                status: document.querySelector('.background-choice__status')?.textContent ?? null }; }"""


def camera(person: Participant) -> dict:
    """What `person` sends as their camera (CAMERA)."""
    return person.page.evaluate(CAMERA)


def received(bob: Participant, alice: Participant, image_url: str | None = None) -> dict | None:
    """Bob's view of Alice's video (RECEIVED)."""
    return bob.page.evaluate(RECEIVED, [alice.user_id, image_url])


def frame_rate(bob: Participant, alice: Participant) -> float:
    """Frames per second Bob decodes from Alice, over 4 s."""
    return bob.page.evaluate(FRAME_RATE, [alice.user_id, 4000])


def wait_status(person: Participant, status: str) -> None:
    """Wait until `person`'s background reads `status`, with every link's sender following it."""
    person.wait_js(
        f"""() => {{ const c = ({CAMERA})();
            return c.status === {status!r} && c.links.length > 0
                && c.links.every((l) => {'l.sendsSent' if status == 'on' else 'l.sendsLocal'}); }}""",
        describe=lambda: camera(person), message=f"background {status}, its track sent", timeout=30_000)


def choose(person: Participant, label: str) -> None:
    """Pick `label` among the background choices (pre-join page or an open Devices panel)."""
    radio = person.page.get_by_role("radio", name=label, exact=True)
    radio.click()
    # The call's snapshot, which the radios show, may render a moment after the click.
    expect(radio).to_be_checked()


def image_url(name: str) -> str:
    """The test build's URL of the bundled background image `name`."""
    [path] = (TEST_UI_DIR / "assets").glob(f"{name}-*.jpg")
    return f"/assets/{path.name}"


def test_background_blur_and_image_are_sent_in_place_of_the_camera_without_renegotiation(
        make_call: Callable[..., Call], shared_server: ServerProcess) -> None:
    call = make_call(shared_server)
    alice, bob = call.join_all("Alice", "Bob")
    bob.wait_media_from([alice])
    wait_status(alice, "off")
    raw = camera(alice)
    assert not raw["processed"], raw
    sunset = image_url("sunset")
    bob.wait_js("async ([id, url]) => Boolean(await (" + RECEIVED + ")([id, url]))", [alice.user_id, sunset],
                message="Alice's video shows on Bob's page")
    # A reading of a decoded frame (the tile's <video> can be between frames, videoWidth 0, at any
    # one instant: the fresh-clone run read null here once).
    before = wait_for(lambda: received(bob, alice, sunset), 30, "a frame of Alice's video on Bob's tile")
    rate_before = frame_rate(bob, alice)

    # Blur, from the Devices panel: the worker's track goes out on the same sender.
    alice.button("Devices").click()
    choose(alice, "Blur")
    wait_status(alice, "on")
    on = camera(alice)
    assert on["processed"] and on["sentLive"] and on["choice"] == "blur", on
    assert [(link["sdp"], link["remoteSdp"]) for link in on["links"]] == \
        [(link["sdp"], link["remoteSdp"]) for link in raw["links"]]
    assert all(link["signalingState"] == "stable" for link in on["links"]), on
    # Bob receives the blurred picture: far fewer sharp edges than the raw camera's.
    bob.wait_js(f"async ([id, url]) => {{ const r = await ({RECEIVED})([id, url]);"
                f" return r && r.sharpness < {before['sharpness']} * 0.5; }}", [alice.user_id, None],
                lambda: (before, received(bob, alice)), "Bob receives Alice's picture blurred")
    rate_blur = frame_rate(bob, alice)
    print(f"frames/s Bob decodes from Alice: raw {rate_before:.1f}, blurred {rate_blur:.1f}; "
          f"worker {camera(alice)['stats']}")
    # Close to before: the compositor draws every frame it gets (a slow segmentation only makes the mask
    # follow less often), but it is one more thread on a shared 2-core machine: at load average 55 a
    # whole-suite run saw 15.0 -> 11.2 frames/s; with the 720p camera drawn in full (before the 640x360
    # cap) it was 18.8 -> 8.3.
    assert rate_blur >= 0.6 * rate_before, (rate_before, rate_blur)

    # An image: Bob sees its colours where Alice's room was (all of the fake camera's picture).
    choose(alice, "Sunset")
    bob.wait_js(f"async ([id, url]) => {{ const r = await ({RECEIVED})([id, url]); return r && r.matching > 0.8; }}",
                [alice.user_id, sunset], lambda: (before, received(bob, alice, sunset)),
                "Bob receives Alice's picture over the Sunset image")
    assert before["matching"] < 0.3, before
    assert camera(alice)["choice"] == "sunset"

    # Off: the raw camera again, on the same negotiation.
    choose(alice, "Off")
    wait_status(alice, "off")
    off = camera(alice)
    assert [(link["sdp"], link["remoteSdp"]) for link in off["links"]] == \
        [(link["sdp"], link["remoteSdp"]) for link in raw["links"]]
    bob.wait_js(f"async ([id, url]) => {{ const r = await ({RECEIVED})([id, url]);"
                f" return r && r.matching < 0.3 && r.sharpness > {before['sharpness']} * 0.7; }}",
                [alice.user_id, sunset], lambda: (before, received(bob, alice, sunset)),
                "Bob receives Alice's raw camera again")


def test_background_choice_is_remembered_and_offered_before_joining(
        make_call: Callable[..., Call], shared_server: ServerProcess) -> None:
    call = make_call(shared_server)
    alice = call.open("Alice")
    # On the pre-join page: the choice.
    choose(alice, "Blur")
    # The preview shows what will be sent: the worker's track (a MediaStreamTrackGenerator's).
    alice.wait_js(f"() => {{ const p = ({PREVIEW})(); return Boolean(p && p.state === 'live'"
                  " && p.kind === 'MediaStreamTrackGenerator'); }",
                  describe=lambda: alice.page.evaluate(PREVIEW),
                  message="the pre-join preview shows the blurred camera", timeout=30_000)
    alice.join()
    bob = call.join("Bob")
    bob.wait_media_from([alice])
    wait_status(alice, "on")
    assert camera(alice)["choice"] == "blur"

    # Remembered: after a reload the pre-join page has it, and the call sends it.
    alice.page.reload()
    assert alice.page.get_by_role("radio", name="Blur", exact=True).is_checked()
    alice.join()
    bob.wait_media_from([alice])
    wait_status(alice, "on")
    alice.button("Devices").click()
    assert alice.page.get_by_role("radio", name="Blur", exact=True).is_checked()
    choose(alice, "Off")
    wait_status(alice, "off")
    alice.page.reload()
    assert alice.page.get_by_role("radio", name="Off", exact=True).is_checked()
