"""Token buckets: a per-connection message limit and a per-address limit keyed by client address.

Pure: the caller passes the clock reading.
"""

from __future__ import annotations


class TokenBucket:
    """`rate` tokens a second up to `burst`; each allowed event takes one."""

    __slots__ = ("rate", "burst", "tokens", "stamp")

    def __init__(self, rate: float, burst: float, now: float) -> None:
        self.rate = rate
        self.burst = burst
        self.tokens = float(burst)
        self.stamp = now

    def allow(self, now: float) -> bool:
        """Take a token if there is one."""
        tokens = self.tokens + (now - self.stamp) * self.rate
        self.tokens = tokens if tokens < self.burst else self.burst
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False

    def full(self, now: float) -> bool:
        """Whether the bucket has refilled (its key can be forgotten)."""
        return self.tokens + (now - self.stamp) * self.rate >= self.burst


class KeyedLimiter:
    """One bucket per key (a client address), forgetting idle keys so memory stays bounded."""

    def __init__(self, rate: float, burst: float, max_keys: int = 10_000) -> None:
        self.rate, self.burst, self.max_keys = rate, burst, max_keys
        self._buckets: dict[str, TokenBucket] = {}

    def allow(self, key: str, now: float) -> bool:
        """Whether `key` may act now."""
        if self.rate <= 0:
            return True
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self.max_keys:
                self._forget_idle(now)
            bucket = self._buckets[key] = TokenBucket(self.rate, self.burst, now)
        return bucket.allow(now)

    def _forget_idle(self, now: float) -> None:
        self._buckets = {k: b for k, b in self._buckets.items() if not b.full(now)}
        if len(self._buckets) >= self.max_keys:  # all busy: drop the oldest half
            keep = sorted(self._buckets.items(), key=lambda kv: kv[1].stamp)[self.max_keys // 2:]
            self._buckets = dict(keep)
