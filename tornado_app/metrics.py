"""Prometheus metrics: plain-int counters on the hot path, turned into metrics only at scrape time.

The relay path is benchmarked against a bare relay, so it never calls prometheus_client: handlers
bump attributes of `Counters`, and `ParleyCollector` reads them when /metrics is scraped. The relay
latency histogram is sampled (one relayed message in `SAMPLE_EVERY`).

/metrics is off unless configured: `--metrics-token` serves it on the main port to requests with
`Authorization: Bearer <token>`; `--metrics-port` serves it on a port of its own (loopback by
default, see `--metrics-host`), where it needs the token only if one is set.
"""

from __future__ import annotations

import bisect
import hmac
import time

import tornado.httpserver
import tornado.web
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import (CounterMetricFamily, GaugeMetricFamily,
                                    HistogramMetricFamily)
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from tornado_app.netbind import bind_sockets

SAMPLE_EVERY = 16  # a power of two: the check is a bit mask
LATENCY_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                   float("inf"))


class Counters:
    """What the signaling handler counts, as plain numbers."""

    __slots__ = ("relayed", "refused", "share_switches", "_buckets", "_sum", "_samples")

    def __init__(self) -> None:
        self.relayed = 0
        self.refused: dict[str, int] = {}
        self.share_switches = 0
        self._buckets = [0] * len(LATENCY_BUCKETS)
        self._sum = 0.0
        self._samples = 0

    def relay_done(self, started: float) -> None:
        """One message relayed; `started` is the time.monotonic() at which it arrived."""
        self.relayed += 1
        if not self.relayed & (SAMPLE_EVERY - 1):
            self.observe_latency(time.monotonic() - started)

    def observe_latency(self, seconds: float) -> None:
        """Add one sample to the relay latency histogram."""
        self._buckets[bisect.bisect_left(LATENCY_BUCKETS, seconds)] += 1
        self._sum += seconds
        self._samples += 1

    def refuse(self, code: str) -> None:
        """A message was answered with error{code} (or dropped by the rate limit)."""
        self.refused[code] = self.refused.get(code, 0) + 1

    def latency(self) -> tuple[list[tuple[str, int]], float]:
        """Cumulative histogram buckets (le, count) and the sum of the samples."""
        total, out = 0, []
        for bound, count in zip(LATENCY_BUCKETS, self._buckets):
            total += count
            out.append(("+Inf" if bound == float("inf") else repr(bound), total))
        return out, self._sum


class ParleyCollector:
    """Reads `Counters` and a snapshot of the server's state when Prometheus scrapes."""

    def __init__(self, counters: Counters) -> None:
        self.counters = counters
        self.state = {"rooms": 0, "participants": 0, "connections": 0}

    def collect(self):
        """The metric families (prometheus_client's custom collector protocol)."""
        c, s = self.counters, self.state
        yield GaugeMetricFamily("parley_rooms", "Rooms the server knows", value=s["rooms"])
        yield GaugeMetricFamily("parley_participants", "Users in a meeting on this process",
                                value=s["participants"])
        yield GaugeMetricFamily("parley_connections", "Open signaling WebSockets",
                                value=s["connections"])
        yield CounterMetricFamily("parley_messages_relayed", "Offers, answers and ICE candidates "
                                  "relayed", value=c.relayed)
        refused = CounterMetricFamily("parley_messages_refused", "Messages refused, by error code",
                                      labels=["code"])
        for code, count in sorted(c.refused.items()):
            refused.add_metric([code], count)
        yield refused
        yield CounterMetricFamily("parley_screen_share_switches", "Screen shares granted",
                                  value=c.share_switches)
        buckets, total = c.latency()
        yield HistogramMetricFamily(
            "parley_relay_latency_seconds", f"Time from receiving a relayed message to handing it "
            f"to the recipient's socket (1 in {SAMPLE_EVERY} sampled)",
            buckets=buckets, sum_value=total)


class Metrics:
    """One server's counters and its own registry (not the process-global one: tests run several)."""

    def __init__(self) -> None:
        self.counters = Counters()
        self.collector = ParleyCollector(self.counters)
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(self.collector)

    async def exposition(self, parley) -> bytes:
        """The Prometheus text for this server, with its current rooms and connections."""
        self.collector.state = {"rooms": await parley.store.room_count(),
                                "participants": parley.hub.member_count,
                                "connections": parley.hub.connection_count}
        return generate_latest(self.registry)


class MetricsHandler(tornado.web.RequestHandler):
    """GET /metrics in the Prometheus text format; 404 when not enabled here, 401 without the token."""

    def initialize(self, parley, token: str | None, enabled: bool) -> None:
        self.parley = parley
        self.token = token
        self.enabled = enabled

    async def get(self) -> None:
        if not self.enabled:
            raise tornado.web.HTTPError(404)
        if self.token is not None:
            given = self.request.headers.get("Authorization", "")
            if not hmac.compare_digest(given.encode(), f"Bearer {self.token}".encode()):
                self.set_header("WWW-Authenticate", 'Bearer realm="parley metrics"')
                raise tornado.web.HTTPError(401)
        body = await self.parley.metrics.exposition(self.parley)
        self.set_header("Content-Type", CONTENT_TYPE_LATEST)
        self.finish(body)


def routes(parley, settings) -> list[tuple]:
    """The main port's /metrics route: enabled by --metrics-token (unless --metrics-port is set)."""
    enabled = settings.metrics_token is not None and settings.metrics_port is None
    return [(r"/metrics", MetricsHandler, {"parley": parley, "token": settings.metrics_token,
                                           "enabled": enabled})]


def start_metrics_server(parley, settings) -> tuple[tornado.httpserver.HTTPServer, int] | None:
    """With --metrics-port: serve /metrics alone on that port; returns the server and its port."""
    if settings.metrics_port is None:
        return None
    app = tornado.web.Application([(r"/metrics", MetricsHandler, {
        "parley": parley, "token": settings.metrics_token, "enabled": True})])
    server = tornado.httpserver.HTTPServer(app)
    sockets = bind_sockets(settings.metrics_port, settings.metrics_host)
    server.add_sockets(sockets)
    return server, sockets[0].getsockname()[1]
