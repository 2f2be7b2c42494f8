"""Screen sharing with sound in real Chromium: the screen's audio reaches the others beside its video.

Headless Chromium with fake devices answers `getDisplayMedia({audio: true})` with a screen and a
beeping "Fake audio" track: the stand-in for a shared tab's sound.
"""

from __future__ import annotations

import time

import pytest
from e2e_harness import Call, Participant, eventually
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

# What a receiver hears of the stage: the stage <video>'s sound track, whether the element plays it,
# and that track's inbound-rtp figures on the connection from the sharer.
STAGE_SOUND = """async (sharerId) => {
  const video = document.querySelector('[data-testid="stage"] video');
  const stream = video && video.srcObject;
  const track = stream ? stream.getAudioTracks()[0] : null;
  if (!track) return {track: null, stageVideo: Boolean(video)};
  const pc = window.__parley.peers.get(sharerId);
  let inbound = null;
  if (pc) (await pc.getStats()).forEach((r) => {
    if (r.type === 'inbound-rtp' && r.kind === 'audio' && r.trackIdentifier === track.id) inbound = r;
  });
  const cameraTracks = [...document.querySelectorAll(`[data-testid="tile"][data-user-id="${sharerId}"] video`)]
    .flatMap((v) => (v.srcObject ? v.srcObject.getAudioTracks().map((t) => t.id) : []));
  return {track: track.id, state: track.readyState, muted: video.muted, paused: video.paused,
          inCameraTile: cameraTracks.includes(track.id), cameraSound: cameraTracks.length,
          energy: inbound ? inbound.totalAudioEnergy || 0 : 0, packets: inbound ? inbound.packetsReceived : 0};
}"""

# Every media element of the sharer's own page that would play their captured screen sound.
OWN_SOUND_PLAYED = """() => {
  const screen = window.__e2e.displayStreams[window.__e2e.displayStreams.length - 1];
  const ids = new Set(screen ? screen.getAudioTracks().map((t) => t.id) : []);
  return [...document.querySelectorAll('video, audio')]
    .filter((m) => !m.muted && m.srcObject && m.srcObject.getAudioTracks().some((t) => ids.has(t.id))).length;
}"""

CAPTURED_SOUND = """() => {
  const screen = window.__e2e.displayStreams[window.__e2e.displayStreams.length - 1];
  return screen ? screen.getAudioTracks().map((t) => t.readyState) : null;
}"""


def wait_hears_screen(person: Participant, sharer: Participant) -> dict:
    """Wait until `person`'s stage plays `sharer`'s screen sound, carrying sound; what was seen."""
    seen: dict = {}

    def hears() -> tuple[bool, object]:
        nonlocal seen
        seen = person.page.evaluate(STAGE_SOUND, sharer.user_id)
        ok = (seen.get("track") is not None and seen["state"] == "live" and not seen["muted"]
              and not seen["paused"] and seen["energy"] > 0 and seen["packets"] > 0)
        return ok, seen

    eventually(hears, message=f"{person.name} hears {sharer.name}'s screen sound on the stage")
    return seen


def wait_no_more_arrives(person: Participant, sharer: Participant, track_id: str) -> None:
    """Wait until no packet of the screen sound `track_id` arrived for a second (the sharer stopped sending)."""
    last: dict = {}

    def quiet() -> tuple[bool, object]:
        packets = person.page.evaluate(
            """async ([sharerId, trackId]) => { const pc = window.__parley.peers.get(sharerId); let n = null;
                 (await pc.getStats()).forEach((r) => { if (r.type === 'inbound-rtp' && r.trackIdentifier === trackId)
                   n = r.packetsReceived; }); return n; }""", [sharer.user_id, track_id])
        now = time.monotonic()
        if last.get("packets") != packets:
            last.update(packets=packets, since=now)
        return now - last["since"] >= 1.0, packets

    eventually(quiet, message=f"{person.name} receives no more of {sharer.name}'s screen sound")


def test_screen_sound_reaches_everyone_even_muted_and_stops_with_the_share(call: Call) -> None:
    alice, bob = call.join_all("Alice", "Bob")
    # Mute is the microphone: the screen's sound goes out all the same.
    alice.button("Mute").click()
    expect(alice.button("Unmute")).to_be_visible()

    alice.button("Share screen").click()
    expect(alice.button("Stop sharing")).to_be_visible()
    assert alice.page.evaluate(CAPTURED_SOUND) == ["live"]

    bob.wait_stage_shows(alice)
    heard = wait_hears_screen(bob, alice)
    # Its own track beside the camera's sound, not mixed up with the tile of Alice's camera.
    assert heard["inCameraTile"] is False and heard["cameraSound"] == 1, heard
    first = heard["energy"]
    eventually(lambda: (bob.page.evaluate(STAGE_SOUND, alice.user_id)["energy"] > first, first),
               message="the screen sound keeps coming")

    # Someone who joins during the share hears it too.
    carol = call.join("Carol")
    carol.wait_stage_shows(alice)
    heard_by = {"Bob": heard["track"], "Carol": wait_hears_screen(carol, alice)["track"]}

    # No echo: the sharer's page plays none of their own captured sound.
    assert alice.page.evaluate(OWN_SOUND_PLAYED) == 0

    alice.button("Stop sharing").click()
    expect(alice.button("Share screen")).to_be_visible()
    alice.wait_js(f"() => JSON.stringify(({CAPTURED_SOUND})()) === '[\"ended\"]'",
                  message="the captured screen sound is stopped")
    for person in (bob, carol):
        expect(person.stage).to_have_attribute("data-sharer-id", "")
        # The stage no longer plays it, and no more of it arrives.
        person.wait_js("""() => [...document.querySelectorAll('[data-testid="stage"] video')]
                                 .every((v) => !v.srcObject || v.srcObject.getAudioTracks().length === 0)""",
                       message="the stage plays no screen sound")
        wait_no_more_arrives(person, alice, heard_by[person.name])
