"""CPU profiles of benchmark pages through the Chrome DevTools Protocol's `Profiler` (fresh_tab.py --profile).

`PageProfiler` samples one page's main thread from before its Join click to after its first remote frame,
and keeps the page's clock beside the profiler's (`Performance.getMetrics`' `Timestamp` is the same
monotonic clock as the samples' times), so that `self_times` can count only the samples between two
moments of the page (`performance.timeOrigin + performance.now()` ms): the click and the first frame.
`top` sums the self times of many pages per function (name, file, line) and orders them.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

SAMPLING_INTERVAL_US = 200


class PageProfiler:
    """A `Profiler` session on one page: `start()`, then `stop()` for the profile and the clock pair."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.session = page.context.new_cdp_session(page)

    def start(self) -> None:
        self.session.send("Profiler.enable")
        self.session.send("Profiler.setSamplingInterval", {"interval": SAMPLING_INTERVAL_US})
        self.session.send("Profiler.start")

    def stop(self) -> dict[str, Any]:
        """The profile, with `pageClockOffsetMs`: the page's epoch ms minus the profiler's clock in ms."""
        profile = self.session.send("Profiler.stop")["profile"]
        self.session.send("Performance.enable")
        before = self.page.evaluate("() => performance.timeOrigin + performance.now()")
        metrics = self.session.send("Performance.getMetrics")["metrics"]
        after = self.page.evaluate("() => performance.timeOrigin + performance.now()")
        ticks_ms = next(m["value"] for m in metrics if m["name"] == "Timestamp") * 1000
        profile["pageClockOffsetMs"] = (before + after) / 2 - ticks_ms
        self.session.detach()
        return profile


def self_times(profile: dict[str, Any], start_ms: float, end_ms: float) -> Counter[tuple[str, str, int]]:
    """Per function (name, url, line): the ms of samples in it (not in its callees) between two page times."""
    nodes = {node["id"]: node["callFrame"] for node in profile["nodes"]}
    offset = profile["pageClockOffsetMs"]
    out: Counter[tuple[str, str, int]] = Counter()
    at = profile["startTime"]
    previous_ms = at / 1000 + offset
    for node_id, delta in zip(profile["samples"], profile["timeDeltas"], strict=True):
        at += delta
        sample_ms = at / 1000 + offset
        if start_ms <= sample_ms <= end_ms:
            frame = nodes[node_id]
            key = (frame["functionName"] or "(anonymous)", frame["url"].rsplit("/", 1)[-1], frame["lineNumber"] + 1)
            out[key] += sample_ms - previous_ms
        previous_ms = sample_ms
    return out


def render_top(total: Counter[tuple[str, str, int]], pages: int, count: int = 30) -> str:
    """The `count` functions with the most self time, per page on average, as a Markdown table."""
    busy = sum(ms for (name, _, _), ms in total.items() if name not in ("(idle)", "(program)"))
    lines = [f"CPU profile, {pages} pages, Join click to first remote frame: {busy / max(pages, 1):.0f} ms a page "
             "in JavaScript, GC and the engine's own work (neither idle nor `(program)`), "
             f"{total[('(program)', '', 0)] / max(pages, 1):.0f} ms `(program)`",
             "", "| self ms a page | function | file:line |", "| ---: | --- | --- |"]
    for (name, url, line), ms in total.most_common(count):
        lines.append(f"| {ms / max(pages, 1):.1f} | `{name}` | {url}:{line} |")
    return "\n".join(lines)


def save(profile: dict[str, Any], path: Path) -> None:
    """The profile as a `.cpuprofile` file (DevTools' Performance panel opens it)."""
    path.write_text(json.dumps(profile), encoding="utf-8")
