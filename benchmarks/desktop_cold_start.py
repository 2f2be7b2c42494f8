"""Cold start of the desktop app: launch until the window shows the web client with the server ready.

`python benchmarks/desktop_cold_start.py [--runs 5] [--source]` starts `dist/parley-desktop/parley-desktop
--embedded` (or `python -m desktop` with --source) under its own Xvfb, each run with a fresh data
folder, and times launch -> the app's "page loaded" log line for its own server's page, checking that
/healthz answers and the window is mapped. Budget: 4 s. Records the result in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from desktop_report import ROOT, record  # noqa: E402

sys.path.insert(0, str(ROOT / "tests"))  # tests/support: Xvfb, free_port
from support.processes import free_port  # noqa: E402
from support.xvfb import Xvfb  # noqa: E402

BUDGET_S = 4.0


def one_run(command: list[str], env: dict[str, str]) -> float:
    """Seconds from launch to the embedded server's page loaded in the window."""
    port = free_port()
    data = tempfile.mkdtemp(prefix="parley-cold-")
    url = f"http://127.0.0.1:{port}/"
    start = time.monotonic()
    proc = subprocess.Popen([*command, "--embedded", "--port", str(port), "--data-dir", data],
                            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    try:
        assert proc.stderr is not None
        for line in proc.stderr:
            if f"page loaded: {url}" in line:
                elapsed = time.monotonic() - start
                break
        else:
            raise SystemExit(f"the app exited ({proc.wait()}) before showing its page")
        with urllib.request.urlopen(url + "healthz", timeout=5) as response:
            assert json.load(response)["status"] == "ok"
        windows = subprocess.run(["xwininfo", "-root", "-tree"], env=env, capture_output=True,
                                 text=True).stdout
        assert '"Parley"' in windows, "the window is not mapped"
        return elapsed
    finally:
        proc.terminate()  # SIGTERM closes the window, which stops the server
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stderr:
            proc.stderr.close()
        shutil.rmtree(data, ignore_errors=True)


def main() -> None:
    """Time several cold starts and record median and worst."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--source", action="store_true", help="run from the checkout, not dist/")
    args = parser.parse_args()
    binary = ROOT / "dist" / "parley-desktop" / "parley-desktop"
    if args.source:
        command, what = [sys.executable, "-m", "desktop"], "from source (`python -m desktop`)"
    elif binary.is_file():
        command, what = [str(binary)], "PyInstaller bundle (`dist/parley-desktop`)"
    else:
        raise SystemExit("no bundle: run `make package`, or pass --source")
    load_before = os.getloadavg()[0]  # the machine is shared: a busy one explains slow runs
    xvfb = Xvfb()
    env = dict(os.environ, DISPLAY=xvfb.display)
    env.pop("WAYLAND_DISPLAY", None)
    if os.geteuid() == 0:
        env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"  # Chromium refuses its sandbox as root
    try:
        times = [one_run(command, env) for _ in range(args.runs)]
    finally:
        xvfb.stop()
    median, best, worst = statistics.median(times), min(times), max(times)
    load = os.getloadavg()[0]
    verdict = "within" if worst <= BUDGET_S else "OVER"
    line = (f"| cold start, {what} | median **{median:.2f} s**, min {best:.2f} s, max "
            f"{worst:.2f} s over {args.runs} runs (budget {BUDGET_S:.0f} s: {verdict}; 1-minute "
            f"load average {load_before:.1f} before, {load:.1f} after, on {os.cpu_count()} cores) |")
    print("runs:", " ".join(f"{t:.2f}" for t in times))
    print(line)
    key = "cold-start-source" if args.source else "cold-start"
    record(key, f"### Cold start ({'source' if args.source else 'bundle'})\n\n"
                "Launch → window showing the web client from the embedded server (`page loaded`), "
                "fresh data folder each run.\n\n| what | time |\n| --- | --- |\n" + line)


if __name__ == "__main__":
    main()
