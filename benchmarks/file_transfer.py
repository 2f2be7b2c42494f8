"""File transfer benchmark (issue 13): how fast does a file go from one Chromium page to another on
loopback, and does the call's video keep its frame rate meanwhile?

Two people in one headless Chromium (one browser context and one fake camera each) against a Parley
server subprocess on 127.0.0.1. Alice shares a generated file of `--megabytes` MiB (random bytes,
200 by default: the largest allowed) through the app (`window.__parley.files.share`, the same call
as the **Share a file** button), and Bob's page records when the offer arrived and when the file
was whole and its SHA-256 checked. Throughput is the file's size over that time; "with hashing"
also counts Alice hashing the file before she offers it. Bob's received camera frames/s are read
from `getStats()` over a `WINDOW_S` window before the transfer and over the transfer itself.

Target: at least 20 MB/s, and the frame rate during the transfer close to the one before.
The figures go to the "File transfer (issue 13)" section of docs/benchmarks.md (`--no-doc` to only
print them).
"""

from __future__ import annotations

import argparse
import datetime
import sys
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # tests/support: server process, browser, DOM contract

from call_setup import load_average, machine, server_and_browser  # noqa: E402
from doc_sections import DOC, write_section  # noqa: E402
from support.meeting import Call, ui_missing_message  # noqa: E402

START = "<!-- file_transfer:start -->"
END = "<!-- file_transfer:end -->"
WINDOW_S = 10.0
SETTLE_S = 4.0  # after everyone sees everyone, before the first window
TARGET_MB_S = 20.0

# Frames decoded of the camera Bob receives, with the time they were read.
CAMERA_FRAMES = """async () => {
  for (const [, pc] of window.__parley.peers) {
    const camera = pc.getTransceivers().filter((t) => t.receiver.track.kind === 'video')[0];
    let frames = 0;
    (await pc.getStats()).forEach((r) => {
      if (r.type === 'inbound-rtp' && r.kind === 'video' && r.mid === camera.mid) frames = r.framesDecoded || 0;
    });
    return { frames, at: performance.now() };
  }
  return null;
}"""

# On Bob's page: remember when a file offer arrived and when it was whole (or refused).
WATCH = """() => {
  window.__bench = {};
  window.__parley.files.onChange((items) => {
    const item = items.find((i) => !i.own);
    if (!item) return;
    window.__bench.offeredAt ??= performance.timeOrigin + performance.now();
    if (item.state !== 'transferring' && window.__bench.doneAt === undefined) {
      window.__bench.doneAt = performance.timeOrigin + performance.now();
      window.__bench.state = item.state;
    }
  });
}"""

# On Alice's page: a file of random bytes, then share it; returns when she started (ms, epoch).
SHARE = """async (size) => {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 65536) crypto.getRandomValues(bytes.subarray(i, Math.min(size, i + 65536)));
  const file = new File([bytes], 'benchmark.bin', { type: 'application/octet-stream' });
  const startedAt = performance.timeOrigin + performance.now();
  const refusal = await window.__parley.files.share(file);
  if (refusal) throw new Error('refused: ' + refusal);
  return startedAt;
}"""


# The ceiling without Parley: two bare RTCPeerConnections in one page, one negotiated channel, the
# same chunks and back-pressure as the app, nothing hashed or assembled; MB/s.
BARE = """async ([size, chunk, high]) => {
  const a = new RTCPeerConnection(), b = new RTCPeerConnection();
  a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate);
  b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate);
  const da = a.createDataChannel('bare', { negotiated: true, id: 0 });
  const db = b.createDataChannel('bare', { negotiated: true, id: 0 });
  db.binaryType = 'arraybuffer';
  await a.setLocalDescription(); await b.setRemoteDescription(a.localDescription);
  await b.setLocalDescription(); await a.setRemoteDescription(b.localDescription);
  if (da.readyState !== 'open') await new Promise((resolve) => (da.onopen = resolve));
  let got = 0;
  const done = new Promise((resolve) => (db.onmessage = (e) => { got += e.data.byteLength; if (got >= size) resolve(); }));
  const piece = new Uint8Array(chunk);
  da.bufferedAmountLowThreshold = high / 4;
  const t0 = performance.now();
  for (let sent = 0; sent < size; sent += chunk) {
    if (da.bufferedAmount > high) await new Promise((resolve) => (da.onbufferedamountlow = resolve));
    da.send(piece);
  }
  await done;
  const mbs = size / 1e6 / ((performance.now() - t0) / 1000);
  a.close(); b.close();
  return mbs;
}"""


def fps_between(first: dict, second: dict) -> float:
    """Frames per second between two CAMERA_FRAMES readings."""
    return (second["frames"] - first["frames"]) / ((second["at"] - first["at"]) / 1000)


def run(megabytes: int) -> dict[str, float]:
    """One transfer in a call of two; the figures."""
    size = megabytes * 1024 * 1024
    with server_and_browser("parley-files-") as (server, browser):
        call = Call(browser, server, server.create_room())
        try:
            alice, bob = call.join_all("Alice", "Bob", own_cameras=True)
            alice.wait_media_from([bob])
            bob.wait_media_from([alice])
            time.sleep(SETTLE_S)  # not a synchronisation: the call runs a while before measuring
            first = bob.page.evaluate(CAMERA_FRAMES)
            time.sleep(WINDOW_S)  # the window being measured
            before = fps_between(first, bob.page.evaluate(CAMERA_FRAMES))
            bob.page.evaluate(WATCH)
            alice.page.evaluate(f"() => {{ window.__shared = ({SHARE})({size}); }}")
            bob.wait_js("() => window.__bench.offeredAt !== undefined", message="the offer arrives", timeout=120_000)
            start = bob.page.evaluate(CAMERA_FRAMES)
            bob.wait_js("() => window.__bench.doneAt !== undefined", message="the file arrives", timeout=600_000)
            during = fps_between(start, bob.page.evaluate(CAMERA_FRAMES))
            bench = bob.page.evaluate("() => window.__bench")
            started_at = alice.page.evaluate("() => window.__shared")
            if bench["state"] != "done":
                raise SystemExit(f"file_transfer: the file ended as {bench['state']!r}, not done")
            seconds = (bench["doneAt"] - bench["offeredAt"]) / 1000
            with_hash = (bench["doneAt"] - started_at) / 1000
            bare = alice.page.evaluate(BARE, [size, 64 * 1024, 4 * 1024 * 1024])
            figures = {"bare_mb_s": bare, "megabytes": megabytes, "seconds": seconds, "mb_s": size / 1e6 / seconds,
                       "mb_s_with_hash": size / 1e6 / with_hash, "fps_before": before, "fps_during": during}
            print(f"{megabytes} MiB in {seconds:.2f} s: {figures['mb_s']:.1f} MB/s "
                  f"({figures['mb_s_with_hash']:.1f} with hashing; a bare channel {bare:.1f}); camera {before:.1f} → {during:.1f} frames/s",
                  flush=True)
            return figures
        finally:
            call.close()


def render(f: dict[str, float], host: str, loads: tuple[str, str]) -> str:
    """The Markdown section."""
    verdict = "meets" if f["mb_s"] >= TARGET_MB_S else "**misses**"
    return f"""## File transfer (issue 13)

Measured {datetime.date.today().isoformat()} with `python benchmarks/file_transfer.py`.
Machine: {host}; load average {loads[0]} at the start and {loads[1]} at the end
(the machine is shared: other people's browsers and tests were running; compare Parley with the
bare channel of the same run, not with other runs).

Two people in one headless Chromium on this machine (a browser context and a fake camera each,
1280x720 at 20 frames/s) against a Parley server on 127.0.0.1. Alice shares a file of
{f['megabytes']:.0f} MiB of random bytes over the call's data channel (64 KiB chunks, sending pauses
above 4 MiB buffered and resumes on `bufferedamountlow`); Bob's page times it from the offer's
arrival to the file being whole with its SHA-256 checked. "With hashing" adds Alice hashing the
file before she offers it. Bob's received camera frames/s: a {WINDOW_S:.0f} s window before, and the
transfer itself. Target: ≥ {TARGET_MB_S:.0f} MB/s, and the video keeps its frame rate.

| file | time | throughput | with hashing | target | camera frames/s before | during the transfer | a bare channel | Parley / bare |
| ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |
| {f['megabytes']:.0f} MiB | {f['seconds']:.2f} s | {f['mb_s']:.1f} MB/s | {f['mb_s_with_hash']:.1f} MB/s | {verdict} | {f['fps_before']:.1f} | {f['fps_during']:.1f} | {f['bare_mb_s']:.1f} MB/s | {f['mb_s'] / f['bare_mb_s']:.2f} |

"A bare channel" is the ceiling without Parley, measured right after in Alice's page: two plain
`RTCPeerConnection`s, one negotiated channel, the same 64 KiB chunks and back-pressure, nothing
hashed or assembled.

Reproduce: `.venv/bin/python benchmarks/file_transfer.py` (needs the test build of the web client,
`cd react-ui && npm run build:test`, and Debian's `chromium`).
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the transfer and report it."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=int, default=200, help="file size in MiB (at most 200)")
    parser.add_argument("--no-doc", action="store_true", help="only print the figures")
    args = parser.parse_args(argv)
    if message := ui_missing_message():
        print(f"file_transfer: {message}", file=sys.stderr)
        return 2
    load_start = load_average()
    figures = run(args.megabytes)
    section = render(figures, machine(), (load_start, load_average()))
    print(section)
    if not args.no_doc:
        write_section(DOC, section, START, END)
        print(f"written to {DOC.relative_to(REPO)}")
    return 0 if figures["mb_s"] >= TARGET_MB_S else 1


if __name__ == "__main__":
    sys.exit(main())
