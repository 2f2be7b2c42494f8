"""A browser participant on the other machine of the simulated LAN: joins a room, reports what it sees.

Runs as its own process so it can run inside a network namespace (`ip netns exec`):
    lan_participant.py ROOM_URL --spki BASE64 [--timeout 60]
Chromium trusts exactly the server's generated key (`--ignore-certificate-errors-spki-list`, as a
person who compared the fingerprint would), joins as "Browser", waits until its peer connection to
the desktop user is connected and decodes their video, and prints one JSON line. It then stays in
the meeting until its stdin closes: the test closes it once the desktop app has decoded this
browser's video too (leaving at once would end the call before the other side saw anything).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the package `support`
from support import chromium  # noqa: E402

REPORT = """async () => {
  const p = window.__parley;
  const pc = p && [...p.peers.values()][0];
  if (!pc) return {peers: p ? p.peers.size : 0};
  const stats = [...(await pc.getStats()).values()];
  const video = stats.filter(s => s.type === 'inbound-rtp' && s.kind === 'video');
  return {peers: p.peers.size, state: pc.connectionState, userId: p.userId,
          frames: Math.max(0, ...video.map(s => s.framesDecoded || 0)),
          width: Math.max(0, ...video.map(s => s.frameWidth || 0))};
}"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("room_url")
    parser.add_argument("--spki", required=True)
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    requests: list[str] = []
    result: dict = {"requests": requests}
    with sync_playwright() as pw:
        browser = chromium.launch(pw, [f"--ignore-certificate-errors-spki-list={args.spki}"])
        try:
            page = browser.new_page()
            page.on("request", lambda request: requests.append(request.url))
            page.goto(args.room_url + "?name=Browser")
            result["secure"] = page.evaluate("window.isSecureContext")
            page.get_by_role("button", name="Join").click(timeout=30_000)
            deadline = time.monotonic() + args.timeout
            report: dict = {}
            while time.monotonic() < deadline:
                report = page.evaluate(REPORT)
                if report.get("state") == "connected" and report["frames"] > 5 and report["width"]:
                    break
                page.wait_for_timeout(200)  # poll the page's state, bounded by the deadline
            result["report"] = report
            print(json.dumps(result), flush=True)
            sys.stdin.read()  # in the meeting until the test is done with both sides (EOF)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
