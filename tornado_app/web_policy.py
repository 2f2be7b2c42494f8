"""HTTP policy for every response: which Host headers are served, which Origins may act, and the
security headers (CSP, nosniff, Referrer-Policy, Permissions-Policy, HSTS).

Known hosts defeat DNS rebinding: a page on `attacker.example` whose name later resolves to
127.0.0.1 still sends `Host: attacker.example`, which is refused with 421. The known hosts are
`localhost`, loopback, the `--host` address, the address the client actually connected to (so a
server bound to 0.0.0.0 or :: answers on each of the machine's addresses, by IP), the
`--public-url` host, the LAN addresses and `.local` name in LAN mode, and every `--allowed-host`.
"""

from __future__ import annotations

import functools
import ipaddress
import json
import re
from urllib.parse import urlsplit

import tornado.httputil
import tornado.web

from tornado_app.config import Settings
from tornado_app.rooms.errors import ErrorCode

HOST_NAME = re.compile(r"[a-z0-9._:-]+")
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
WILDCARDS = frozenset({"", "0.0.0.0", "::"})

# What the built client needs and nothing more: its own scripts, styles and images (the LAN QR code
# is /lan/qr.png); video elements play MediaStreams through srcObject, which media-src does not
# govern. connect-src gets the WebSocket origins added per request (see `content_security_policy`).
CSP_FIXED = ("default-src 'self'", "style-src 'self'", "img-src 'self'", "media-src 'self'",
             "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'")
# The desktop app's webview runs pywebview's bridge in the page: it builds the API functions with
# `new Function` and wraps evaluate_js in `eval`, which the page's CSP governs. Only that webview
# (Qt WebEngine, or a user agent naming ParleyDesktop) gets 'unsafe-eval'; the web client itself needs
# none (tests/e2e/test_e2e_content_security_policy.py), and nobody gets 'unsafe-inline'. A page's
# visitor chooses its own user agent, so no one can lower the policy of someone else's browser.
EVAL_EMBEDDERS = ("QtWebEngine/", "ParleyDesktop/")
PERMISSIONS_POLICY = ("camera=(self), microphone=(self), display-capture=(self), "
                      "geolocation=(), payment=(), usb=()")
HSTS = "max-age=31536000"


def split_host(host: str) -> tuple[str, str]:
    """A Host header (or URL netloc) as (lower-case name without brackets or final dot, port)."""
    host = host.strip().lower()
    if host.startswith("["):
        name, _, rest = host[1:].partition("]")
        return name, rest[1:] if rest.startswith(":") else ""
    if host.count(":") == 1:
        name, _, port = host.partition(":")
        return name.rstrip("."), port
    return host.rstrip("."), ""


def _canonical_ip(text: str) -> str | None:
    """The address in its canonical form (IPv4-mapped IPv6 as IPv4), or None if not an address."""
    try:
        address = ipaddress.ip_address(text.split("%")[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return str(address)


class HostPolicy:
    """Which Host names this server answers to and which Origins may use it."""

    def __init__(self, settings: Settings, application: tornado.web.Application) -> None:
        self.settings = settings
        self.application = application
        fixed = set(LOOPBACK_NAMES) | {h.lower() for h in settings.allowed_hosts}
        if settings.host not in WILDCARDS:
            fixed.add(_canonical_ip(settings.host) or settings.host.lower())
        if settings.public_url:
            fixed.add(split_host(urlsplit(settings.public_url).netloc)[0])
        self.fixed = frozenset(fixed)
        # Only known hosts reach it, so few keys; saves building the string on every response.
        self._policy = functools.lru_cache(maxsize=256)(self._make_policy)

    def known_names(self) -> frozenset[str]:
        """Host names served besides the connected address (LAN ones once LAN mode is up)."""
        lan = self.application.settings.get("lan")
        if lan is None:
            return self.fixed
        return self.fixed | {lan.hostname.lower(), *lan.addresses}

    def allows_host(self, request: tornado.httputil.HTTPServerRequest) -> bool:
        """True if the request's Host header names this server."""
        name, port = split_host(request.headers.get("Host", ""))
        if not HOST_NAME.fullmatch(name) or not (port == "" or port.isdigit()):
            return False  # also keeps a Host like `a:1;script-src *` out of the CSP header
        known = self.known_names()
        if name in known:
            return True
        canonical = _canonical_ip(name)
        if canonical is None:
            return False
        # an IP in another spelling, or one the client really reached us on (--host 0.0.0.0)
        return canonical in known or canonical == _local_address(request)

    def allows_origin(self, origin: str, request: tornado.httputil.HTTPServerRequest) -> bool:
        """True for an Origin listed with --allowed-origin (or the --public-url one), or the
        server's own origin as the (already checked) Host names it."""
        origin = origin.strip().lower().rstrip("/")
        if origin in self.settings.allowed_origins:
            return True
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            return False
        host = request.headers.get("Host", "").strip().lower()
        return parts.netloc == host and self.allows_host(request)

    def content_security_policy(self, request: tornado.httputil.HTTPServerRequest) -> str:
        """The CSP, with the WebSocket origins the client may connect to."""
        host = request.headers.get("Host", "").strip().lower() if self.allows_host(request) else ""
        agent = request.headers.get("User-Agent", "")
        return self._policy(host, any(embedder in agent for embedder in EVAL_EMBEDDERS))

    def _make_policy(self, host: str, allow_eval: bool) -> str:
        sockets = [f"ws://{host}", f"wss://{host}"] if host else []
        if self.settings.public_url:
            netloc = urlsplit(self.settings.public_url).netloc.lower()
            sockets += [f"ws://{netloc}", f"wss://{netloc}"]
        connect = " ".join(["connect-src 'self'", *dict.fromkeys(sockets)])
        # 'wasm-unsafe-eval' lets pages compile WebAssembly (the RNNoise noise suppression worklet,
        # react-ui/src/media/noiseSuppressor.ts) and nothing else: no eval, no new Function.
        script = "script-src 'self' 'wasm-unsafe-eval'" + (" 'unsafe-eval'" if allow_eval else "")
        return "; ".join([CSP_FIXED[0], script, *CSP_FIXED[1:], connect])


def _local_address(request: tornado.httputil.HTTPServerRequest) -> str | None:
    """The server address this request's connection arrived on."""
    stream = getattr(request.connection, "stream", None)
    sock = getattr(stream, "socket", None)
    if sock is None:
        return None
    try:
        return _canonical_ip(sock.getsockname()[0])
    except OSError:
        return None


class SecurityHeaders(tornado.web.OutputTransform):
    """Adds the security headers to every response: pages, API answers, errors, static files."""

    def __init__(self, policy: HostPolicy, request: tornado.httputil.HTTPServerRequest) -> None:
        super().__init__(request)
        self.policy = policy
        self.request = request

    def transform_first_chunk(self, status_code, headers, chunk, finishing):  # type: ignore[override]
        """Set the headers on the response's first (header-carrying) chunk."""
        headers["Content-Security-Policy"] = self.policy.content_security_policy(self.request)
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "no-referrer"
        headers["Permissions-Policy"] = PERMISSIONS_POLICY
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if self.request.protocol == "https":  # TLS here, in LAN mode, or at the proxy
            headers["Strict-Transport-Security"] = HSTS
        return status_code, headers, chunk


class MisdirectedHandler(tornado.web.RequestHandler):
    """Any request whose Host this server does not answer to: 421, or 400 without a Host."""

    def initialize(self, has_host: bool) -> None:
        self.has_host = has_host

    def prepare(self) -> None:
        if self.has_host:
            self.set_status(421)
            body = {"code": ErrorCode.MISDIRECTED_REQUEST, "message": "this server does not answer to "
                    "that host name; the operator can add it with --allowed-host"}
        else:
            self.set_status(400)
            body = {"code": ErrorCode.HOST_REQUIRED, "message": "the request has no Host header"}
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(body))


class PolicyApplication(tornado.web.Application):
    """The Tornado application, sending requests for unknown hosts to `MisdirectedHandler`."""

    def __init__(self, handlers: list, settings: Settings, **app_settings) -> None:
        self.policy = HostPolicy(settings, self)
        super().__init__(handlers, transforms=[functools.partial(SecurityHeaders, self.policy)],
                         **app_settings)

    def find_handler(self, request: tornado.httputil.HTTPServerRequest, **kwargs):
        """The route's handler when the Host is known, else the refusal."""
        if not self.policy.allows_host(request):
            has_host = bool(request.headers.get("Host", "").strip())
            return self.get_handler_delegate(request, MisdirectedHandler, {"has_host": has_host})
        return super().find_handler(request, **kwargs)
