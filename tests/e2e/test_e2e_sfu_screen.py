"""Issue 16 end to end: screen sharing in an SFU room (three people, --mesh-max 2, a real Janus).
The screen goes out as a third m-line of the sharer's publishing connection and its sound (the
fake tab sound of headless Chromium) as a fourth; every stage shows it and the others hear it.
Parley's arbitration is unchanged: a takeover moves every stage to the new sharer and stops the
old capture, and two simultaneous starts end with exactly the one the server names.

Janus and Chromium run in a network namespace (tests/support/sfu.py tells why).
"""

from __future__ import annotations

import time
from pathlib import Path

from e2e_harness import eventually
from playwright.sync_api import Playwright, expect
from support.sfu import LIVE_PCS, janus_options, join_counted, sfu_call
from test_e2e_screen_share import start_sharing, take_over, wait_screen_ended

DEADLINE_MS = 60_000  # ICE, DTLS and Janus's renegotiations on a loaded 2-core machine

# What this page hears of the stage: the energy of the stage <video>'s sound track as received.
STAGE_SOUND = """async () => {
  const video = document.querySelector('[data-testid="stage"] video');
  const track = video && video.srcObject ? video.srcObject.getAudioTracks()[0] : null;
  if (!track) return { track: null };
  let energy = 0;
  for (const pc of window.__pcs.filter((pc) => pc.connectionState !== 'closed')) {
    for (const receiver of pc.getReceivers()) {
      if (receiver.track !== track) continue;
      (await receiver.getStats()).forEach((r) => { if (r.type === 'inbound-rtp') energy = r.totalAudioEnergy || 0; });
    }
  }
  return { track: track.id, muted: video.muted, energy };
}"""


def test_screen_share_in_an_sfu_room_with_sound_takeover_and_simultaneous_starts(
        tmp_path: Path, playwright: Playwright, ui_built, namespace, janus):
    with sfu_call(playwright, namespace, tmp_path, janus_options(janus)) as [call]:
        people = join_counted(call, "Ann", "Ben", "Cat")
        ann, ben, cat = people
        for person in people:
            person.wait_js(f"() => ({LIVE_PCS})() === 2", describe=lambda p=person: p.page.evaluate(LIVE_PCS),
                           message="exactly two live peer connections (publish, subscribe)",
                           timeout=DEADLINE_MS)

        # Ann shares: everyone's stage shows her screen, and the others hear its sound.
        start_sharing(ann)
        for person in people:
            person.wait_stage_shows(ann)
        for person in (ben, cat):
            person.wait_js(f"async () => {{ const s = await ({STAGE_SOUND})(); "
                           "return s.track !== null && !s.muted && s.energy > 0; }",
                           describe=lambda p=person: p.page.evaluate(STAGE_SOUND),
                           message="Ann's screen sound on the stage", timeout=DEADLINE_MS)

        # Ben takes over: Ann's capture stops, every stage shows Ben's screen.
        take_over(ben, ann)
        expect(ann.button("Share screen")).to_be_visible()
        wait_screen_ended(ann)
        for person in people:
            expect(person.stage).to_have_attribute("data-sharer-id", ben.user_id)
            person.wait_stage_shows(ben)

        # Ann and Cat press Share screen at the same instant: one share survives everywhere.
        ben.button("Stop sharing").click()
        for person in people:
            expect(person.stage).to_have_attribute("data-sharer-id", "")
        sharers = (ann, cat)
        at = time.time() * 1000 + 300
        for person in sharers:
            person.click_at("Share screen", at)

        def settled() -> tuple[bool, object]:
            for person in sharers:  # a click after the other's share reached the page asks first
                answer = person.page.get_by_role("alertdialog").get_by_role(
                    "button", name="Share instead", exact=True)
                if answer.count():
                    answer.click()
            named = call.users()["screenSharer"]
            screens = {p.name: p.screen() for p in sharers}
            stages = {p.name: p.stage.get_attribute("data-sharer-id") for p in people}
            live = [p for p in sharers if (screens[p.name] or {}).get("readyState") == "live"]
            ok = len(live) == 1 and live[0].user_id == named and all(s == named for s in stages.values())
            return ok, {"server": named, "screens": screens, "stages": stages}

        eventually(settled, timeout=DEADLINE_MS / 1000, message="exactly one of the simultaneous shares survives")
        winner = next(p for p in sharers if p.user_id == call.users()["screenSharer"])
        for person in people:
            person.wait_stage_shows(winner)
