"""Token buckets: bursts pass, floods are cut, tokens come back with time."""

from __future__ import annotations

from tornado_app.ratelimit import KeyedLimiter, TokenBucket


def test_a_burst_fits_then_the_rate_applies():
    bucket = TokenBucket(rate=50, burst=200, now=0.0)
    assert all(bucket.allow(0.0) for _ in range(200))
    assert not bucket.allow(0.0)
    assert bucket.allow(0.02)  # one token back after 1/50 s
    assert not bucket.allow(0.02)


def test_tokens_never_exceed_the_burst():
    bucket = TokenBucket(rate=50, burst=10, now=0.0)
    allowed = sum(bucket.allow(1000.0) for _ in range(50))
    assert allowed == 10


def test_keys_are_limited_separately_and_zero_rate_means_unlimited():
    limiter = KeyedLimiter(rate=1 / 60, burst=2)
    assert limiter.allow("a", 0) and limiter.allow("a", 0) and not limiter.allow("a", 0)
    assert limiter.allow("b", 0)
    unlimited = KeyedLimiter(rate=0, burst=1)
    assert all(unlimited.allow("a", 0) for _ in range(100))


def test_many_addresses_do_not_grow_memory_without_bound():
    limiter = KeyedLimiter(rate=1, burst=1, max_keys=100)
    for i in range(1000):
        limiter.allow(f"10.0.{i // 256}.{i % 256}", float(i))
    assert len(limiter._buckets) <= 100
