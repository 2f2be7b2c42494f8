"""Issue 15, noise suppression: RNNoise in an AudioWorklet on the microphone, on by default.

Two people in real Chromium with fake devices. With noise suppression on, the microphone track
Alice sends is the output of a MediaStreamAudioDestinationNode fed by the RNNoise worklet (the test
build's `window.__parley.microphone()` names the graph), her microphone is opened without the
browser's own suppression, and Bob hears sound from her. Switched off in the Devices panel, the raw
microphone (reopened with the browser's suppression) goes out on the same sender, with no
renegotiation, and Bob still hears her. The choice is remembered across a reload.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from e2e_harness import Call, Participant, ServerProcess

pytestmark = pytest.mark.e2e

# What Alice's page sends: her local and sent microphone tracks, the sender's track on each link,
# the graph the sent track comes out of, and the SDP of each link (to see it is not renegotiated).
MICROPHONE = """() => {
  const m = window.__parley.microphone();
  const links = [...window.__parley.peers.values()].map((pc) => {
    const sender = pc.getSenders().find((s) => s.track && s.track.kind === 'audio');
    return {
      sendsSent: Boolean(sender && sender.track === m.sent),
      sendsLocal: Boolean(sender && sender.track === m.local),
      sdp: pc.currentLocalDescription && pc.currentLocalDescription.sdp,
      remoteSdp: pc.currentRemoteDescription && pc.currentRemoteDescription.sdp,
      signalingState: pc.signalingState,
    };
  });
  return {
    status: m.status,
    processed: m.sent !== m.local,
    sentLive: Boolean(m.sent && m.sent.readyState === 'live'),
    graph: m.graph,
    localId: m.local && m.local.id,
    browserSuppression: m.local && m.local.getSettings().noiseSuppression,
    links,
  };
}"""

# The energy of the sound Bob received from `id`, and of the sound Alice's sent track carries.
RECEIVED_ENERGY = """async (id) => {
  const pc = window.__parley.peers.get(id);
  let energy = 0;
  (await pc.getStats()).forEach((r) => {
    if (r.type === 'inbound-rtp' && r.kind === 'audio') energy += r.totalAudioEnergy || 0;
  });
  return energy;
}"""


def microphone(person: Participant) -> dict:
    """What `person` sends as their microphone (MICROPHONE)."""
    return person.page.evaluate(MICROPHONE)


def wait_status(person: Participant, status: str) -> None:
    """Wait until `person`'s noise suppression reads `status`, with the sender following it."""
    person.wait_js(
        f"""() => {{ const m = ({MICROPHONE})();
            return m.status === {status!r} && m.links.length > 0
                && m.links.every((l) => {'l.sendsSent' if status == 'on' else 'l.sendsLocal'}); }}""",
        describe=lambda: microphone(person), message=f"noise suppression {status}, its track sent")


def wait_energy_grows(bob: Participant, alice: Participant) -> None:
    """Wait until the sound Bob receives from Alice carries energy, and more of it than now."""
    start = bob.page.evaluate(RECEIVED_ENERGY, alice.user_id)
    bob.wait_js(f"async (id) => ({RECEIVED_ENERGY})(id).then((e) => e > {start} + 0.01)", alice.user_id,
                lambda: bob.page.evaluate(RECEIVED_ENERGY, alice.user_id), "audio energy received from Alice")


def test_noise_suppression_processes_the_sent_microphone_and_switches_off_without_renegotiation(
        make_call: Callable[..., Call], shared_server: ServerProcess) -> None:
    call = make_call(shared_server)
    alice, bob = call.join_all("Alice", "Bob")
    bob.wait_media_from([alice])

    # On by default: the sent microphone comes out of the RNNoise worklet.
    wait_status(alice, "on")
    on = microphone(alice)
    assert on["processed"] and on["sentLive"], on
    assert on["graph"] == {"processor": "RnnoiseWorkletNode", "destination": "MediaStreamAudioDestinationNode",
                           "inputTrackId": on["localId"]}, on
    # The browser's own suppression is off while RNNoise runs.
    assert on["browserSuppression"] is False, on
    wait_energy_grows(bob, alice)

    # Switched off in the Devices panel: the raw microphone, with the browser's suppression.
    alice.button("Devices").click()
    switch = alice.page.get_by_role("switch", name="Noise suppression")
    assert switch.is_checked()
    switch.uncheck()
    wait_status(alice, "off")
    alice.wait_js(f"() => ({MICROPHONE})().browserSuppression === true",
                  describe=lambda: microphone(alice), message="the microphone reopened with the browser's suppression")
    off = microphone(alice)
    assert not off["processed"] and off["graph"] is None, off
    # Same negotiation as before: replaceTrack, no new offer or answer.
    assert [(link["sdp"], link["remoteSdp"]) for link in off["links"]] == \
        [(link["sdp"], link["remoteSdp"]) for link in on["links"]]
    assert all(link["signalingState"] == "stable" for link in off["links"]), off
    wait_energy_grows(bob, alice)

    # Remembered: after a reload Alice joins with it off, and can switch it on again.
    alice.page.reload()
    alice.join()
    bob.wait_media_from([alice])
    wait_status(alice, "off")
    assert microphone(alice)["browserSuppression"] is True
    alice.button("Devices").click()
    switch = alice.page.get_by_role("switch", name="Noise suppression")
    assert not switch.is_checked()
    switch.check()
    wait_status(alice, "on")
    again = microphone(alice)
    assert again["processed"] and again["browserSuppression"] is False, again
    wait_energy_grows(bob, alice)
