"""Issue 16 end to end: three people in Chromium with --mesh-max 2 through a real Janus. The third
join moves the room to the SFU; every page ends with exactly two live RTCPeerConnections (publish
and subscribe, both to Janus) and decodes video from both others on their tiles. A fourth person
then joins the SFU room directly, and everyone plays all the others; then one shares their screen
and everyone's stage plays it.

Janus gathers no ICE candidate on loopback (docs/janus.md), so Janus and Chromium run in a network
namespace of their own (support.janus.MediaNamespace, the `namespace` and `janus` fixtures of
conftest.py) and meet on its interface. Parley runs here,
as in the other e2e tests, and reaches Janus over Janus's Unix socket (`ws+unix://`); the pages
reach Parley through a small forwarder listening on the namespace's 127.0.0.1 at Parley's port, so
the pages' origin is Parley's own.
"""

from __future__ import annotations

import time

from playwright.sync_api import Playwright
from support.sfu import LIVE_SDP_NAMES, janus_options, join_counted, sfu_call, wait_sfu_media


def test_the_third_join_moves_everyone_to_the_sfu(tmp_path, playwright: Playwright, ui_built, namespace, janus):
    with sfu_call(playwright, namespace, tmp_path, janus_options(janus)) as [call]:
        people = join_counted(call, "Ann", "Ben")
        switch_started = time.monotonic()
        people += join_counted(call, "Cat")
        wait_sfu_media(people)
        # A figure, not a timed assertion: from Cat's Join to every tile playing through Janus.
        print(f"mesh -> SFU: all video through Janus {time.monotonic() - switch_started:.1f} s after the third Join")
        for person in people:
            # Both are Janus's (a mesh of three also has two connections a page, to people).
            names = person.page.evaluate(LIVE_SDP_NAMES)
            assert len(names) == 2 and all("WMS janus" in name for name in names), names
            assert person.page.evaluate("() => window.__pcs.length") >= 2
        assert "is an SFU room from now on" in call.server.log_tail()
        # A fourth person joins the SFU room directly: everyone's subscription grows.
        people += join_counted(call, "Dan")
        wait_sfu_media(people)
        # Dan never had a mesh connection: every connection of his that negotiated is Janus's.
        negotiated = people[-1].page.evaluate(
            "() => window.__pcs.filter((pc) => pc.remoteDescription).map((pc) => pc.remoteDescription.sdp.includes('WMS janus'))")
        assert negotiated == [True, True], negotiated
        # A screen share goes out as a third m-line of the sharer's publishing connection.
        ann = people[0]
        ann.button("Share screen").click()
        ann.button("Stop sharing").wait_for()
        for person in people[1:]:
            person.wait_stage_shows(ann)
