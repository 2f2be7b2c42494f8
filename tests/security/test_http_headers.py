"""Finding 7: every response (pages, API answers, errors, static files, the WebSocket upgrade)
carries the security headers: a Content-Security-Policy with no 'unsafe-*' (only
'wasm-unsafe-eval', which compiles WebAssembly and evaluates no script), nosniff,
Referrer-Policy no-referrer (room ids are in the URLs), a Permissions-Policy keeping camera,
microphone and display capture to the server's own pages, and HSTS only when served over TLS."""

from __future__ import annotations

import json
import ssl
from pathlib import Path

import pytest
import tornado.httpclient
from http_policy_support import raw_request

from tornado_app.config import Settings
from tornado_app.lan.certs import ensure_lan_certificate
from tornado_app.server import ParleyServer

UI_DIR = Path(__file__).resolve().parents[2] / "tornado_app" / "ui"


def directives(policy: str) -> dict[str, list[str]]:
    """A CSP as {directive: [sources]}."""
    found = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        found[name] = sources
    return found


def assert_security_headers(headers, port: int) -> None:
    """The headers every response must carry (over plain HTTP on 127.0.0.1:port)."""
    policy = directives(headers["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"], policy
    assert policy["script-src"] == ["'self'", "'wasm-unsafe-eval'"], policy  # RNNoise's WebAssembly
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"], policy
    assert policy["frame-ancestors"] == ["'none'"], policy
    assert "'self'" in policy["connect-src"], policy
    assert f"ws://127.0.0.1:{port}" in policy["connect-src"], policy
    assert not any("unsafe" in source for sources in policy.values() for source in sources
                   if source != "'wasm-unsafe-eval'"), policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    permissions = {item.split("=")[0].strip(): item.split("=")[1].strip()
                   for item in headers["Permissions-Policy"].split(",")}
    for feature in ("camera", "microphone", "display-capture"):
        assert permissions[feature] == "(self)", permissions
    assert "Strict-Transport-Security" not in headers  # plain HTTP: HSTS would be ignored


@pytest.mark.parametrize("method, path, body, status", [
    pytest.param("GET", "/", None, 200, id="landing-page"),
    pytest.param("GET", "/r/someRoom", None, 200, id="room-page"),
    pytest.param("GET", "/favicon.svg", None, 200, id="static-file"),
    pytest.param("GET", "/healthz", None, 200, id="api"),
    pytest.param("POST", "/createRoom", {}, 201, id="api-post"),
    pytest.param("GET", "/no/such/path", None, 404, id="not-found"),
    pytest.param("POST", "/joinRoom", {"roomId": "nope"}, 404, id="api-error"),
    pytest.param("GET", "/ws", None, 400, id="ws-without-upgrade"),
])
async def test_every_response_carries_the_security_headers(fetch_json, port, method, path, body,
                                                           status):
    response = await fetch_json(method, path, body)
    assert response.status == status, response
    assert_security_headers(response.headers, port)


async def test_hashed_assets_carry_the_security_headers(fetch_json, port):
    asset = next(name for name in (UI_DIR / "assets").iterdir() if name.suffix == ".js")
    response = await fetch_json("GET", f"/assets/{asset.name}")
    assert response.status == 200
    assert_security_headers(response.headers, port)


async def test_the_websocket_upgrade_carries_the_security_headers(ws_connect, port):
    client = await ws_connect()
    assert_security_headers(client.conn.headers, port)


async def test_a_refused_host_still_gets_the_headers(port):
    status, headers, _ = await raw_request(
        port, "GET / HTTP/1.1\r\nHost: attacker.example\r\nConnection: close")
    assert status == 421
    assert headers["x-content-type-options"] == "nosniff"
    assert "ws://attacker.example" not in headers["content-security-policy"]  # never echoed


@pytest.mark.parley_settings(public_url="https://meet.example.org", behind_proxy=True)
async def test_behind_a_proxy_the_policy_names_the_public_websocket(fetch_json):
    response = await fetch_json("GET", "/", headers={"Host": "meet.example.org"})
    assert response.status == 200
    connect = directives(response.headers["Content-Security-Policy"])["connect-src"]
    assert "wss://meet.example.org" in connect, connect


async def test_over_tls_the_server_sends_hsts(tmp_path):
    cert = ensure_lan_certificate(tmp_path / "tls", ["127.0.0.1"], ["localhost"])
    server = ParleyServer(Settings(host="127.0.0.1", port=0, data_dir=tmp_path / "data",
                                   certfile=cert.cert, keyfile=cert.key))
    await server.start()
    client = tornado.httpclient.AsyncHTTPClient()
    try:
        context = ssl.create_default_context(cafile=str(cert.ca_cert))
        for path in ("/", "/healthz", "/missing"):
            response = await client.fetch(f"https://127.0.0.1:{server.port}{path}",
                                          ssl_options=context, raise_error=False)
            assert response.code in (200, 404), path
            hsts = response.headers["Strict-Transport-Security"]
            assert int(hsts.split("max-age=")[1].split(";")[0]) >= 180 * 86400, hsts
        body = json.loads((await client.fetch(f"https://127.0.0.1:{server.port}/healthz",
                                              ssl_options=context)).body)
        assert body["status"] == "ok"
    finally:
        await server.stop()


@pytest.mark.parametrize("agent", [
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
])
async def test_browsers_get_no_unsafe_source(fetch_json, port, agent):
    response = await fetch_json("GET", "/", headers={"User-Agent": agent})
    assert_security_headers(response.headers, port)


async def test_the_desktop_webview_may_eval_for_its_bridge_but_never_inline(fetch_json):
    agent = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
             "QtWebEngine/6.8.1 Chrome/122.0 Safari/537.36")
    response = await fetch_json("GET", "/", headers={"User-Agent": agent})
    policy = directives(response.headers["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'", "'wasm-unsafe-eval'", "'unsafe-eval'"], policy  # pywebview's bridge
    assert not any("unsafe-inline" in s for sources in policy.values() for s in sources), policy
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
