"""File transfer benchmark (issue 13): how fast does a file go from one Chromium page to another on
loopback, and does the call's video keep its frame rate meanwhile?

Two people in one headless Chromium (one browser context and one fake camera each) against a Parley
server subprocess on 127.0.0.1. Alice shares a generated file of `--megabytes` MiB (random bytes,
200 by default: the largest allowed) through the app (`window.__parley.files.share`, the same call
as the **Share a file** button), and Bob's page records when the offer arrived and when the file
was whole and its SHA-256 checked. Throughput is the file's size over that time; "with hashing"
also counts Alice hashing the file before she offers it. Bob's received camera frames/s are read
from `getStats()` over a `WINDOW_S` window before the transfers and over each transfer itself.

Two ceilings without Parley are measured right after each transfer, with the app's chunk size and
water marks (read from react-ui/src/files/framing.ts): a bare channel between two
`RTCPeerConnection`s in Alice's page (both ends in one renderer process), and a bare channel
between Alice's and Bob's pages on a connection of their own (two renderer processes, as Parley;
no media on it). `--runs` transfers (3 by default) in one call; the figures are their medians.

Target: at least 20 MB/s, and the frame rate during the transfer close to the one before.
The figures go to the "File transfer (issue 13)" section of docs/benchmarks.md (`--no-doc` to only
print them).
"""

from __future__ import annotations

import argparse
import datetime
import re
import statistics
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

# On Bob's page: remember when the next file offer arrived and when it was whole (or refused).
WATCH = """() => {
  window.__bench = { skip: window.__parley.files.list.filter((i) => !i.own).length };
  if (window.__watching) return;
  window.__watching = true;
  window.__parley.files.onChange((items) => {
    const item = items.filter((i) => !i.own)[window.__bench.skip];
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
BARE = """async ([size, chunk, high, low]) => {
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
  da.bufferedAmountLowThreshold = low;
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


# The same between two pages: each page makes its end (Alice offers, Bob answers, the descriptions
# carried by this script once their candidates are gathered); a negotiated channel on it.
PAIR_OPEN = """async (remote) => {
  const pc = window.__pairPc = new RTCPeerConnection();
  window.__pairChannel = pc.createDataChannel('pair', { negotiated: true, id: 0 });
  window.__pairChannel.binaryType = 'arraybuffer';
  if (remote) await pc.setRemoteDescription(remote);
  await pc.setLocalDescription();
  if (pc.iceGatheringState !== 'complete') {
    await new Promise((resolve) => (pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && resolve()));
  }
  return { type: pc.localDescription.type, sdp: pc.localDescription.sdp };
}"""
# Bob counts what arrives; the time the last byte did (ms, epoch).
PAIR_RECEIVE = """(size) => {
  window.__pairDone = null;
  let got = 0;
  window.__pairChannel.onmessage = (e) => {
    got += e.data.byteLength;
    if (got >= size && window.__pairDone === null) window.__pairDone = performance.timeOrigin + performance.now();
  };
}"""
# Alice sends as BARE does; returns when she started (ms, epoch).
PAIR_SEND = """async ([size, chunk, high, low]) => {
  const channel = window.__pairChannel;
  if (channel.readyState !== 'open') await new Promise((resolve) => (channel.onopen = resolve));
  const piece = new Uint8Array(chunk);
  channel.bufferedAmountLowThreshold = low;
  const t0 = performance.timeOrigin + performance.now();
  for (let sent = 0; sent < size; sent += chunk) {
    if (channel.bufferedAmount > high) await new Promise((resolve) => (channel.onbufferedamountlow = resolve));
    channel.send(piece);
  }
  return t0;
}"""


def app_constants() -> tuple[int, int, int]:
    """The app's chunk size and high and low water marks (bytes), from framing.ts."""
    source = (REPO / "react-ui" / "src" / "files" / "framing.ts").read_text()

    def constant(name: str) -> int:
        match = re.search(rf"export const {name} = ([0-9 *]+);", source)
        if not match:
            raise SystemExit(f"file_transfer: {name} not found in framing.ts")
        value = 1
        for factor in match.group(1).split("*"):
            value *= int(factor)
        return value

    return constant("CHUNK_BYTES"), constant("HIGH_WATER_BYTES"), constant("LOW_WATER_BYTES")


def fps_between(first: dict, second: dict) -> float:
    """Frames per second between two CAMERA_FRAMES readings."""
    return (second["frames"] - first["frames"]) / ((second["at"] - first["at"]) / 1000)


def transfer(alice, bob, size: int) -> dict[str, float]:
    """Alice shares a file of `size` bytes through the app; its times and Bob's camera frames/s meanwhile."""
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
    return {"seconds": seconds, "mb_s": size / 1e6 / seconds,
            "mb_s_with_hash": size / 1e6 / ((bench["doneAt"] - started_at) / 1000), "fps_during": during}


def two_pages(alice, bob, size: int, constants: tuple[int, int, int]) -> float:
    """A bare channel from Alice's page to Bob's, on a connection of their own; MB/s."""
    if not alice.page.evaluate("() => !!window.__pairPc"):
        offer = alice.page.evaluate(PAIR_OPEN, None)
        answer = bob.page.evaluate(PAIR_OPEN, offer)
        alice.page.evaluate("(answer) => window.__pairPc.setRemoteDescription(answer)", answer)
    bob.page.evaluate(PAIR_RECEIVE, size)
    started = alice.page.evaluate(PAIR_SEND, [size, *constants])
    bob.wait_js("() => window.__pairDone !== null", message="the bytes arrive", timeout=600_000)
    return size / 1e6 / ((bob.page.evaluate("() => window.__pairDone") - started) / 1000)


def run(megabytes: int, runs: int) -> dict[str, float]:
    """`runs` transfers in a call of two, each followed by the two bare channels; the medians."""
    size = megabytes * 1024 * 1024
    constants = app_constants()
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
            rows = []
            for number in range(1, runs + 1):
                row = transfer(alice, bob, size)
                row["bare_mb_s"] = alice.page.evaluate(BARE, [size, *constants])
                row["pages_mb_s"] = two_pages(alice, bob, size, constants)
                row["ratio"] = row["mb_s"] / row["pages_mb_s"]
                rows.append(row)
                print(f"run {number}: {megabytes} MiB in {row['seconds']:.2f} s: {row['mb_s']:.1f} MB/s "
                      f"({row['mb_s_with_hash']:.1f} with hashing); bare channel in one page {row['bare_mb_s']:.1f}, "
                      f"between the two pages {row['pages_mb_s']:.1f}; camera {before:.1f} → {row['fps_during']:.1f} frames/s "
                      f"(load {load_average()})", flush=True)
        finally:
            call.close()
    figures = {key: statistics.median(row[key] for row in rows) for key in rows[0]}
    figures.update(megabytes=megabytes, fps_before=before, runs=runs, chunk=constants[0], high=constants[1], low=constants[2])
    figures["each"] = [(row["mb_s"], row["bare_mb_s"], row["pages_mb_s"]) for row in rows]
    return figures


def render(f: dict, host: str, loads: tuple[str, str]) -> str:
    """The Markdown section."""
    verdict = "meets" if f["mb_s"] >= TARGET_MB_S else "**misses**"
    each = "; ".join(f"{p:.1f}, {o:.1f}, {t:.1f}" for p, o, t in f["each"])
    kib, high, low = f["chunk"] // 1024, f["high"] / 1048576, f["low"] / 1048576
    return f"""## File transfer (issue 13)

Measured {datetime.date.today().isoformat()} with `python benchmarks/file_transfer.py`.
Machine: {host}; load average {loads[0]} at the start and {loads[1]} at the end
(the machine is shared: other people's browsers and tests were running; compare Parley with the
bare channels of the same run, not with other runs).

Two people in one headless Chromium on this machine (a browser context and a fake camera each,
1280x720 at 20 frames/s) against a Parley server on 127.0.0.1. Alice shares a file of
{f['megabytes']:.0f} MiB of random bytes over the call's data channel ({kib} KiB messages, sending
pauses above {high:.0f} MiB buffered and resumes on `bufferedamountlow` at {low:.0f} MiB); Bob's page
times it from the offer's arrival to the file being whole with its SHA-256 checked. "With hashing"
adds Alice hashing the file before she offers it. Bob's received camera frames/s: a {WINDOW_S:.0f} s
window before, and each transfer itself. {f['runs']} transfers in one call, each followed by the two
bare channels; the table has the medians. Target: ≥ {TARGET_MB_S:.0f} MB/s, and the video keeps its frame rate.

| file | time | throughput | with hashing | target | camera frames/s before | during the transfer | bare channel, one page | bare channel, two pages | Parley / two pages |
| ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |
| {f['megabytes']:.0f} MiB | {f['seconds']:.2f} s | {f['mb_s']:.1f} MB/s | {f['mb_s_with_hash']:.1f} MB/s | {verdict} | {f['fps_before']:.1f} | {f['fps_during']:.1f} | {f['bare_mb_s']:.1f} MB/s | {f['pages_mb_s']:.1f} MB/s | {f['ratio']:.2f} |

Each transfer (Parley, bare channel in one page, bare channel between the pages, MB/s): {each}.
"Parley / two pages" is the median of each transfer's ratio.

The bare channels are the ceilings without Parley, with the app's message size and water marks,
nothing hashed or assembled: "one page" is two plain `RTCPeerConnection`s in Alice's page (both
ends in one renderer process); "two pages" is a plain connection of its own between Alice's and
Bob's pages (two renderer processes, as in a call, but no media on it).

Reproduce: `.venv/bin/python benchmarks/file_transfer.py` (needs the test build of the web client,
`cd react-ui && npm run build:test`, and Debian's `chromium`).
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the transfer and report it."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--megabytes", type=int, default=200, help="file size in MiB (at most 200)")
    parser.add_argument("--runs", type=int, default=3, help="transfers in the call (the figures are their medians)")
    parser.add_argument("--no-doc", action="store_true", help="only print the figures")
    args = parser.parse_args(argv)
    if message := ui_missing_message():
        print(f"file_transfer: {message}", file=sys.stderr)
        return 2
    load_start = load_average()
    figures = run(args.megabytes, args.runs)
    section = render(figures, machine(), (load_start, load_average()))
    print(section)
    if not args.no_doc:
        write_section(DOC, section, START, END)
        print(f"written to {DOC.relative_to(REPO)}")
    return 0 if figures["mb_s"] >= TARGET_MB_S else 1


if __name__ == "__main__":
    sys.exit(main())
