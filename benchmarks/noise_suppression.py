"""Noise suppression benchmark (issue 15): how much RNNoise takes off the noise, and what it leaves of speech.

A test file of speech is made with `espeak-ng` (sentences with 2 s pauses between them, 48 kHz
mono), and pink noise is mixed in with `sox` (about 15 dB below the speech). Headless Chromium
(Debian's) plays that file as the fake microphone (`--use-file-for-fake-audio-capture`, looped).
Alice sends it in a two-person call on a Parley server on this machine; Bob's page records what it
receives from her: the received track goes into a Web Audio graph, and the level of every 20 ms of
it is kept (a `ScriptProcessorNode` in the benchmark's own code, not the client's). Three ways:

- **raw**: no suppression at all (the switch off, and the browser's own suppression off too, forced
  by the benchmark: what the microphone gives);
- **browser**: the switch off, so the microphone has the browser's own `noiseSuppression` (what
  people get who switch RNNoise off);
- **RNNoise**: the switch on (the default): RNNoise's worklet, the browser's suppression off.

Each way is run with the browser's automatic gain control as the app asks for it (on) and forced
off, because it raises the noise in the pauses before any suppressor sees it.

Of the recording's 20 ms levels, the quietest fifth (the pauses are over a third of the file) give
the noise energy in the pauses and the loudest quarter the speech level, in dB relative to full
scale: by rank, with no alignment to the file, which a loaded machine's capture would spoil. Targets: RNNoise lowers
the noise in the pauses by at least 15 dB against raw, and the speech level stays within 3 dB.

The figures go to the "Noise suppression (issue 15)" section of docs/benchmarks.md (between
`<!-- noise_suppression:start -->` and `<!-- noise_suppression:end -->`). Needs `espeak-ng`, `sox`
and the test build (`cd react-ui && npm run build:test`).
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import subprocess
import sys
import tempfile
import wave
from array import array
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # tests/support: server process, browser, DOM contract

from doc_sections import DOC, write_section  # noqa: E402
from support import chromium  # noqa: E402
from support.chromium import CHROMIUM  # noqa: E402
from support.meeting import CALL_FLAGS, Call, ui_missing_message  # noqa: E402
from support.processes import ParleyServer as ServerProcess  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

START, END = "<!-- noise_suppression:start -->", "<!-- noise_suppression:end -->"
RATE = 48_000
FRAME = 960  # 20 ms at 48 kHz
PAUSE_S = 2.0
SENTENCES = (
    "The quick brown fox jumps over the lazy dog.",
    "Please send the quarterly report to everyone before Friday.",
    "We will meet again next week in the same room.",
    "Noise suppression should keep my voice and drop the hum.",
)
NOISE_BELOW_SPEECH_DB = 15.0

# Bob's recorder: 20 ms levels (mean square) of what he receives from `id`, for `seconds`.
RECORD = """async ([id, seconds]) => {
  const pc = window.__parley.peers.get(id);
  const receiver = pc.getReceivers().find((r) => r.track && r.track.kind === 'audio');
  const context = new AudioContext({ sampleRate: 48000 });
  await context.resume();
  const source = context.createMediaStreamSource(new MediaStream([receiver.track]));
  const node = context.createScriptProcessor(4096, 1, 1);
  const levels = [];
  let carry = new Float32Array(0);
  const frame = 960;
  const wanted = Math.round(seconds * 48000 / frame);
  return await new Promise((resolve) => {
    node.onaudioprocess = (event) => {
      const input = event.inputBuffer.getChannelData(0);
      const all = new Float32Array(carry.length + input.length);
      all.set(carry); all.set(input, carry.length);
      let at = 0;
      for (; at + frame <= all.length && levels.length < wanted; at += frame) {
        let sum = 0;
        for (let i = at; i < at + frame; i++) sum += all[i] * all[i];
        levels.push(sum / frame);
      }
      carry = all.slice(at);
      if (levels.length >= wanted) {
        node.disconnect(); source.disconnect(); void context.close();
        resolve(levels);
      }
    };
    source.connect(node);
    node.connect(context.destination);
  });
}"""

# Overrides what every getUserMedia of the page asks of the microphone (the "raw" way turns the
# browser's own suppression off; --no-agc turns its automatic gain control off in every way).
OVERRIDE_MICROPHONE = """((override) => {
  const md = navigator.mediaDevices, gum = md.getUserMedia.bind(md);
  md.getUserMedia = (c) => gum(c && c.audio ? { ...c, audio: { ...(c.audio === true ? {} : c.audio), ...override } } : c);
})(%s);"""

WAYS = {
    "raw": ("off", True),
    "browser": ("off", False),
    "RNNoise": ("on", False),
}


def run(*command: str) -> None:
    """Runs a command, failing loudly."""
    subprocess.run(command, check=True, capture_output=True)


def read_wav(path: Path) -> array:
    """The samples of a 16-bit mono wav, as floats."""
    with wave.open(str(path)) as wav:
        assert wav.getnchannels() == 1 and wav.getsampwidth() == 2 and wav.getframerate() == RATE
        raw = array("h", wav.readframes(wav.getnframes()))
    return array("f", (s / 32768 for s in raw))


def make_input(folder: Path) -> tuple[Path, float]:
    """The mixed file, and the share of it that is pauses."""
    parts, pauses, t = [], [], 0.0
    for n, sentence in enumerate(SENTENCES):
        spoken = folder / f"s{n}.wav"
        run("espeak-ng", "-s", "150", "-w", str(folder / f"e{n}.wav"), sentence)
        # 48 kHz mono, then PAUSE_S of silence after it.
        run("sox", str(folder / f"e{n}.wav"), "-r", str(RATE), "-c", "1", "-b", "16", str(spoken), "pad", "0", str(PAUSE_S))
        length = len(read_wav(spoken)) / RATE
        pauses.append((t + length - PAUSE_S, t + length))
        t += length
        parts.append(str(spoken))
    speech = folder / "speech.wav"
    run("sox", *parts, str(speech))
    clean = read_wav(speech)
    speech_rms = math.sqrt(sum(s * s for s in clean) / len(clean))
    noise_rms = speech_rms * 10 ** (-NOISE_BELOW_SPEECH_DB / 20)
    noise = folder / "noise.wav"
    # Pink noise has equal power per octave; sox's `synth` peaks at 1, its RMS is about 0.3 of that.
    run("sox", "-n", "-r", str(RATE), "-c", "1", "-b", "16", str(noise), "synth", f"{len(clean) / RATE}", "pinknoise",
        "vol", f"{noise_rms / 0.3:.5f}")
    mixed = folder / "mixed.wav"
    run("sox", "-m", "-v", "1", str(speech), "-v", "1", str(noise), "-b", "16", str(mixed))
    return mixed, sum(end - start for start, end in pauses) / (len(clean) / RATE)


def db(power: float) -> float:
    """A mean square as dB relative to full scale."""
    return 10 * math.log10(max(power, 1e-12))


def measure(received: list[float]) -> tuple[float, float]:
    """Noise energy in the pauses and the speech level, dBFS, of one recording.

    By rank, not by time: the pauses are over a third of the file and the sentences about half, so
    the quietest fifth of the 20 ms frames lie in the pauses and the loudest quarter in speech. No
    alignment with the file is needed, which a loaded machine's capture (frames late or dropped)
    would spoil.
    """
    ranked = sorted(received)
    quiet = ranked[: len(ranked) // 5]
    loud = ranked[-(len(ranked) // 4):]
    return db(sum(quiet) / len(quiet)), db(sum(loud) / len(loud))


def record(browser, server: ServerProcess, way: str, seconds: float, agc: bool) -> list[float]:
    """Alice sends the file `way`; Bob's levels of what he receives from her."""
    switch, raw = WAYS[way]
    override = {**({"noiseSuppression": False} if raw else {}), **({} if agc else {"autoGainControl": False})}
    call = Call(browser, server, server.create_room())
    try:
        alice = call.open("Alice")
        alice.page.evaluate("(v) => localStorage.setItem('parley.noiseSuppression', v)", switch)
        if override:
            alice.context.add_init_script(script=OVERRIDE_MICROPHONE % json.dumps(override))
        alice.page.reload()
        alice.join()
        bob = call.join("Bob")
        bob.wait_media_from([alice])
        status = "on" if switch == "on" else "off"
        alice.wait_js(f"() => window.__parley.microphone().status === '{status}'", message=f"noise suppression {status}")
        ns = alice.page.evaluate("() => window.__parley.microphone().local.getSettings().noiseSuppression")
        assert ns is (not raw and switch == "off"), (way, ns)
        return bob.page.evaluate(RECORD, [alice.user_id, seconds])
    finally:
        if report := call.close():
            print(report, file=sys.stderr)


def render(rows: dict[tuple[bool, str], tuple[float, float]], args: argparse.Namespace, load: tuple[str, str]) -> str:
    """The document section."""
    def verdict(agc: bool) -> tuple[float, float, bool]:
        raw_noise, raw_speech = rows[(agc, "raw")]
        rn_noise, rn_speech = rows[(agc, "RNNoise")]
        drop, change = raw_noise - rn_noise, rn_speech - raw_speech
        return drop, change, drop >= 15 and abs(change) <= 3

    version = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    lines = [
        "## Noise suppression (issue 15)",
        "",
        f"Measured {datetime.date.today()} with `python benchmarks/noise_suppression.py`.",
        f"Machine: {os.cpu_count()} cores, {version}; load average {load[0]} at the start and {load[1]} at the end.",
        "",
        f"{len(SENTENCES)} sentences spoken by `espeak-ng`, {PAUSE_S:g} s pauses between them, pink noise mixed in by `sox` "
        f"{NOISE_BELOW_SPEECH_DB:g} dB below the speech's mean level, played as Alice's fake microphone in headless Chromium; "
        f"Bob's page records {args.seconds:g} s of what it receives from her, as 20 ms levels. Noise: the mean energy of "
        "the quietest fifth of them (the pauses are over a third of the file); speech: the mean level of the loudest "
        "quarter; dBFS. \"raw\": the switch off and the browser's own "
        "suppression forced off too; \"browser's own\": the switch off (the microphone then has the browser's "
        "`noiseSuppression`); \"RNNoise\": the switch on, the default. Once with the browser's automatic gain control "
        "on (as the app opens the microphone) and once with it forced off, since it raises the noise in the pauses.",
        "",
    ]
    names = {"raw": "raw (no suppression)", "browser": "browser's own (switch off)", "RNNoise": "RNNoise (switch on, default)"}
    for agc in (True, False):
        drop, change, met = verdict(agc)
        raw_noise, raw_speech = rows[(agc, "raw")]
        lines += [
            f"**Gain control {'on (as in the app)' if agc else 'off'}.** Targets: RNNoise lowers the noise in the pauses by at "
            f"least 15 dB against raw (measured {drop:.1f} dB) and keeps the speech level within 3 dB ({change:+.1f} dB): "
            f"**{'met' if met else 'missed'}**.",
            "",
            "| microphone | noise in the pauses | speech level | noise vs raw | speech vs raw |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for way in WAYS:
            noise, speech = rows[(agc, way)]
            lines.append(f"| {names[way]} | {noise:.1f} dB | {speech:.1f} dB | {noise - raw_noise:+.1f} dB | "
                         f"{speech - raw_speech:+.1f} dB |")
        lines.append("")
    lines += ["Reproduce: `.venv/bin/python benchmarks/noise_suppression.py` (needs `espeak-ng`, `sox`, Debian's "
              "`chromium` and the test build, `cd react-ui && npm run build:test`).", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=40.0, help="how long Bob records each way")
    parser.add_argument("--doc", type=Path, default=DOC, help="the document to write the figures to")
    parser.add_argument("--no-doc", action="store_true", help="print the figures only")
    args = parser.parse_args()
    if message := ui_missing_message():
        sys.exit(message)
    load_start = " ".join(f"{x:.2f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        mixed, pause_share = make_input(folder)
        assert pause_share > 0.3, pause_share  # the quietest fifth of the frames must lie in the pauses
        server = ServerProcess(folder / "data", folder / "server.log")
        server.start()
        rows: dict[tuple[bool, str], tuple[float, float]] = {}
        try:
            with sync_playwright() as playwright:
                browser = chromium.launch(playwright, [*CALL_FLAGS, f"--use-file-for-fake-audio-capture={mixed}"])
                try:
                    for agc in (True, False):
                        for way in WAYS:
                            noise, speech = rows[(agc, way)] = measure(record(browser, server, way, args.seconds, agc))
                            print(f"gain control {'on' if agc else 'off'}, {way}: noise {noise:.1f} dBFS, "
                                  f"speech {speech:.1f} dBFS", flush=True)
                finally:
                    browser.close()
        finally:
            server.stop()
    load_end = " ".join(f"{x:.2f}" for x in os.getloadavg())
    section = render(rows, args, (load_start, load_end))
    print(section)
    if not args.no_doc:
        write_section(args.doc, section, START, END)


if __name__ == "__main__":
    main()
