"""Issue 16 end to end with six people through a real Janus (--mesh-max 2): each page has exactly
two peer connections (publish and subscribe), decodes video from all five others and hears them;
cameras go out in three simulcast layers and each page receives the layer its tiles need: in a
grid of six, a small tile gets the smallest layer, and pinning someone (their tile grows) brings
their full picture.

Janus and Chromium run in a network namespace (tests/support/sfu.py: `sfu_call`, the forwarder and
page scripts). Kept lean for a loaded 2-core machine: one browser for all six
pages, 360p cameras, and in a grid of six each page decodes the small layers only.
"""

from __future__ import annotations

from playwright.sync_api import Playwright
from support.polling import wait_for
from support.sfu import LIVE_PCS, janus_options, join_counted, sfu_call

DEADLINE_MS = 90_000  # six pages' ICE, DTLS and Janus renegotiations on a loaded 2-core machine

# For each of `ids`: what this page receives of them through its live connections, found by the
# tracks their tile plays: video frames decoded, the width of the last frame, and audio energy.
RECEIVED = """async (ids) => {
  const pcs = window.__pcs.filter((pc) => pc.connectionState !== 'closed' && pc.signalingState !== 'closed');
  const out = {};
  for (const id of ids) {
    const video = document.querySelector(`[data-testid="tile"][data-user-id="${id}"] video`);
    const tracks = video && video.srcObject ? video.srcObject.getTracks() : [];
    const seen = { frames: 0, width: 0, energy: 0 };
    for (const pc of pcs) for (const receiver of pc.getReceivers()) {
      if (!tracks.includes(receiver.track)) continue;
      (await receiver.getStats()).forEach((r) => {
        if (r.type !== 'inbound-rtp') return;
        if (r.kind === 'video') { seen.frames = r.framesDecoded || 0; seen.width = r.frameWidth || 0; }
        else seen.energy = r.totalAudioEnergy || 0;
      });
    }
    out[id] = seen;
  }
  return out;
}"""


# The width of each simulcast layer this page sends of its camera, by rid ({h, m, l}).
SENT_LAYERS = """async () => {
  const out = {};
  for (const pc of window.__pcs.filter((pc) => pc.connectionState !== 'closed')) {
    (await pc.getStats()).forEach((r) => {
      if (r.type === 'outbound-rtp' && r.kind === 'video' && r.rid) out[r.rid] = r.frameWidth || 0;
    });
  }
  return out;
}"""


def _received(person, ids):
    return person.page.evaluate(RECEIVED, ids)


def test_six_people_through_the_sfu_each_with_two_connections_and_the_layer_their_tiles_need(
        tmp_path, playwright: Playwright, ui_built, namespace, janus):
    with sfu_call(playwright, namespace, tmp_path, janus_options(janus)) as [call]:
        people = join_counted(call, "Ann", "Ben", "Cat", "Dan", "Eve", "Fay")
        for person in people:
            others = [o.user_id for o in people if o is not person]
            person.wait_js(f"() => ({LIVE_PCS})() === 2", describe=lambda p=person: p.page.evaluate(LIVE_PCS),
                           message="exactly two live peer connections (publish, subscribe)",
                           timeout=DEADLINE_MS)
            # Video decoded from all five others, and their (beeping) microphones heard.
            person.wait_js(
                f"async (ids) => Object.values(await ({RECEIVED})(ids)).every((s) => s.frames > 0 && s.energy > 0)",
                others, describe=lambda p=person, o=others: _received(p, o),
                message=f"video and sound from {others}", timeout=DEADLINE_MS)
        for person in people:
            names = person.page.evaluate(
                "() => window.__pcs.filter((pc) => pc.connectionState !== 'closed')"
                ".map((pc) => (pc.remoteDescription?.sdp ?? '').includes('WMS janus'))")
            assert names == [True, True], names  # both connections are Janus's

        # Layers. Ben mutes, so he is never the active speaker (whose tile gets the full
        # picture); in Ann's grid of six his tile is small: she receives his smallest layer.
        ann, ben = people[0], people[1]
        ben.button("Mute").click()
        # Ben sends three layers. Their sizes follow his encoder (a loaded machine scales
        # them all down), so each check compares what Ann gets with what he sends then.
        def ben_at_ann() -> tuple[dict, int]:
            return ben.page.evaluate(SENT_LAYERS), _received(ann, [ben.user_id])[ben.user_id]["width"]

        wait_for(lambda: set(ben.page.evaluate(SENT_LAYERS)) == {"h", "m", "l"}, DEADLINE_MS / 1000,
                 "Ben sending three simulcast layers", on_timeout=lambda: ben.page.evaluate(SENT_LAYERS))
        # Half his full width at most: the small tile gets a small layer (the smallest,
        # or the middle one while the smallest is not coming through).
        small = wait_for(lambda: (seen := ben_at_ann()) and 0 < seen[1] * 2 <= seen[0]["h"] and seen,
                         DEADLINE_MS / 1000, "Ben's small tile at Ann on a small layer", on_timeout=ben_at_ann)
        # Ann pins Ben: his tile grows, and his full picture arrives.
        ann.button(f"Pin {ben.name}").click()
        large = wait_for(lambda: (seen := ben_at_ann()) and 0 < seen[0]["h"] <= seen[1] and seen,
                         DEADLINE_MS / 1000, "Ben's pinned tile at Ann on the full layer", on_timeout=ben_at_ann)
        print(f"Ben's camera at Ann: {small[1]} px wide in the grid of six (he sent {small[0]}), "
              f"{large[1]} px pinned (he sent {large[0]})")
