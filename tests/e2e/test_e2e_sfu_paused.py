"""Issue 16 end to end: the paused layer. In an SFU room (three people through a real Janus,
--mesh-max 2), a page that is hidden stops receiving everyone's camera: its layer policy sends
`sfuLayer{layer: "paused"}` for each, the server configures Janus not to relay those m-lines, and
no more video bytes arrive while the sound goes on; shown again, the video comes back.

Headless Chromium keeps every page visible (there is no tab to switch away from), so Ann's page
gets a switch for what `document.visibilityState` says, with the `visibilitychange` event a
browser fires; everything after it (the policy, the message, the server, Janus, the received
RTP) is the real thing. The assertion is on the received RTP bytes, which only Janus's not
sending can stop: a layer that were not applied would keep them growing and fail the test.
"""

from __future__ import annotations

import time

import pytest
from e2e_harness import new_tab
from playwright.sync_api import Playwright
from support.polling import wait_for
from support.sfu import DEADLINE_MS, PC_COUNTER, janus_options, sfu_call, wait_sfu_media

STILL_S = 3.0  # no video byte over this long counts as paused (a relayed camera sends many a second)

# document.visibilityState and document.hidden as this page's switch says (`__setHidden(true)`).
VISIBILITY_SWITCH = """
(() => {
  let hidden = false;
  Object.defineProperty(Document.prototype, 'visibilityState', { get: () => (hidden ? 'hidden' : 'visible'), configurable: true });
  Object.defineProperty(Document.prototype, 'hidden', { get: () => hidden, configurable: true });
  window.__setHidden = (value) => { hidden = value; document.dispatchEvent(new Event('visibilitychange')); };
})();
"""

# For each of `ids`: the ids of the tracks their tile plays (found once, while they play: a
# paused camera's tile may stop showing its track).
TILE_TRACKS = """(ids) => Object.fromEntries(ids.map((id) => {
  const video = document.querySelector(`[data-testid="tile"][data-user-id="${id}"] video`);
  return [id, video && video.srcObject ? video.srcObject.getTracks().map((t) => t.id) : []];
}))"""

# For each person: the video and audio bytes this page has received on the receivers of their
# tracks (`tracks`: person -> track ids), over all its live connections.
RECEIVED_BYTES = """async (tracks) => {
  const pcs = window.__pcs.filter((pc) => pc.connectionState !== 'closed' && pc.signalingState !== 'closed');
  const out = {};
  for (const [id, ids] of Object.entries(tracks)) {
    const seen = { video: 0, audio: 0 };
    for (const pc of pcs) for (const receiver of pc.getReceivers()) {
      if (!receiver.track || !ids.includes(receiver.track.id)) continue;
      (await receiver.getStats()).forEach((r) => {
        if (r.type === 'inbound-rtp') seen[r.kind] = r.bytesReceived || 0;
      });
    }
    out[id] = seen;
  }
  return out;
}"""


class Flow:
    """Samples of what a page receives of some people, to tell whether their video still flows."""

    def __init__(self, person, ids: list[str]) -> None:
        self.person, self.ids = person, ids
        self.tracks = person.page.evaluate(TILE_TRACKS, ids)
        assert all(len(t) == 2 for t in self.tracks.values()), self.tracks  # a camera and a microphone each
        self.samples: list[tuple[float, dict]] = []

    def sample(self) -> dict:
        seen = self.person.page.evaluate(RECEIVED_BYTES, self.tracks)
        self.samples.append((time.monotonic(), seen))
        return seen

    def video_still(self) -> bool:
        """No video byte from any of them for STILL_S, while their sound kept coming."""
        now, latest = time.monotonic(), self.sample()
        old = [seen for at, seen in self.samples if now - at >= STILL_S]
        return bool(old) and all(
            latest[i]["video"] == old[-1][i]["video"] and latest[i]["audio"] > old[-1][i]["audio"] for i in self.ids)

    def video_grows_past(self, before: dict) -> bool:
        latest = self.sample()
        return all(latest[i]["video"] > before[i]["video"] for i in self.ids)


@pytest.mark.timeout(360)  # three pages through Janus, then a pause and a resume, on a loaded 2-core machine
def test_a_hidden_page_receives_no_video_until_it_shows_again(tmp_path, playwright: Playwright, ui_built,
                                                                namespace, janus):
    with sfu_call(playwright, namespace, tmp_path, janus_options(janus)) as [call]:
        people = []
        for name in ("Ann", "Ben", "Cat"):
            tab = new_tab(call.browser)
            tab.context.set_default_timeout(DEADLINE_MS)  # loading the page on a loaded machine too
            tab.context.add_init_script(script=PC_COUNTER)
            if name == "Ann":
                tab.context.add_init_script(script=VISIBILITY_SWITCH)
            people.append(call.join(name, tab=tab))
        wait_sfu_media(people)
        ann, others = people[0], [p.user_id for p in people[1:]]
        flow = Flow(ann, others)
        playing = flow.sample()
        wait_for(lambda: flow.video_grows_past(playing), DEADLINE_MS / 1000,
                 "Ben's and Cat's video flowing to Ann", on_timeout=flow.sample)

        ann.page.evaluate("() => window.__setHidden(true)")
        wait_for(flow.video_still, DEADLINE_MS / 1000,
                 f"no video bytes at the hidden page for {STILL_S} s, sound still coming",
                 on_timeout=lambda: flow.samples[-3:])
        paused = flow.sample()

        ann.page.evaluate("() => window.__setHidden(false)")
        wait_for(lambda: flow.video_grows_past(paused), DEADLINE_MS / 1000,
                 "Ben's and Cat's video at Ann again once her page shows", on_timeout=flow.sample)
