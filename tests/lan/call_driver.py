"""Drive a two-person call in Chromium on the test page of a running Parley server; print JSON.

Runs as its own process so that it can run inside a network namespace (`ip netns exec`).
    call_driver.py BASE_URL [--policy relay] [--spki BASE64] [--timeout 30]
It creates a room through the REST API, opens two pages as `a` and `b`, waits until each page's
RTCPeerConnection is connected and decodes the other's video, and prints both pages' reports and
every URL the browser requested.
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("--policy", default="all")
    parser.add_argument("--spki", default=None)
    parser.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args()
    extra = []
    if args.spki:  # trust exactly the server's generated key, as a person who checked it would
        extra.append(f"--ignore-certificate-errors-spki-list={args.spki}")
    requests: list[str] = []
    result: dict = {"requests": requests}
    with sync_playwright() as pw:
        browser = chromium.launch(pw, extra)
        try:
            context = browser.new_context()
            context.on("request", lambda request: requests.append(request.url))
            first = context.new_page()
            first.goto(args.base + "/")  # the web client and everything it loads
            first.wait_for_load_state("networkidle")
            room = first.evaluate("fetch('/createRoom', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: '{}'}).then(r => r.json())")
            result["secure"] = first.evaluate("window.isSecureContext")
            second = context.new_page()
            page_url = f"{args.base}/test/peer.html?room={room['roomId']}&policy={args.policy}"
            first.goto(page_url + "&user=a")
            first.wait_for_function("() => window.report !== undefined")  # a function: CSP forbids eval
            second.goto(page_url + "&user=b")
            deadline = time.monotonic() + args.timeout
            reports: list[dict] = []
            while time.monotonic() < deadline:
                reports = [page.evaluate("window.report()") for page in (first, second)]
                if all(r["pcState"] == "connected" and r["width"] > 0 and r["frames"] > 5
                       and r["local"] for r in reports):
                    break
                if any(r["pcState"] == "failed" for r in reports):
                    break
                first.wait_for_timeout(200)  # poll the pages' state, bounded by the deadline
            result["reports"] = reports
        finally:
            browser.close()
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
