"""Polling a condition until a deadline: how tests wait for what has no event to await."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def wait_for(condition: Callable[[], Any], timeout: float, what: str, interval: float = 0.05,
             on_timeout: Callable[[], Any] | None = None) -> Any:
    """Poll `condition` until it returns something truthy (returned); fail with `what` at the deadline.

    An exception from `condition` counts as not yet (reported at the deadline); `on_timeout()` adds
    what the user would see then (e.g. the page's text) to the failure.
    """
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            value = condition()
            if value:
                return value
        except Exception as exc:  # noqa: BLE001 - keep polling; reported at the deadline
            last_error = exc
        time.sleep(interval)  # polling interval of a deadline-bound poll, not a synchronisation sleep
    seen = ""
    if on_timeout is not None:
        try:
            seen = f"; showing: {on_timeout()!r}"
        except Exception as exc:  # noqa: BLE001 - diagnostics only
            seen = f"; (could not look: {exc!r})"
    raise AssertionError(f"timed out after {timeout}s waiting for {what}"
                         + (f" (last error: {last_error!r})" if last_error else "") + seen)


def eventually(check: Callable[[], tuple[bool, object]], timeout: float = 15.0,
               interval: float = 0.1, message: str = "condition") -> object:
    """Poll `check` (returns `(ok, what_was_seen)`) until ok or the deadline; returns what was seen."""
    deadline = time.monotonic() + timeout
    while True:
        ok, seen = check()
        if ok:
            return seen
        if time.monotonic() > deadline:
            raise AssertionError(f"{message}: not true after {timeout:.0f} s; last seen: {seen!r}")
        time.sleep(interval)  # polling interval of a deadline-bound poll, not a synchronisation sleep
