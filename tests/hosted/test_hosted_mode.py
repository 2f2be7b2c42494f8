"""Hosted mode: HTTPS from the operator's certificate, a reverse proxy's headers, the public URL,
and JSON log lines."""

from __future__ import annotations

import json
import ssl
import subprocess
import sys

import tornado.httpclient

from tornado_app.config import Settings
from tornado_app.lan.certs import ensure_lan_certificate
from tornado_app.server import ParleyServer

JSON = {"Content-Type": "application/json"}


async def _started(tmp_path, **fields) -> ParleyServer:
    server = ParleyServer(Settings(host="127.0.0.1", port=0, data_dir=tmp_path, **fields))
    await server.start()
    return server


async def test_certfile_serves_https_that_verifies(tmp_path):
    cert = ensure_lan_certificate(tmp_path / "tls", ["127.0.0.1"], ["localhost"])
    server = await _started(tmp_path, certfile=cert.cert, keyfile=cert.key)
    try:
        assert server.url == f"https://127.0.0.1:{server.port}/"
        context = ssl.create_default_context(cafile=str(cert.ca_cert))
        client = tornado.httpclient.AsyncHTTPClient()
        response = await client.fetch(f"https://127.0.0.1:{server.port}/joinRoom", method="POST",
                                      body=json.dumps({"roomId": "nope"}), raise_error=False, headers=JSON,
                                      ssl_options=context)
        assert response.code == 404  # served over verified TLS; the room does not exist
        created = await client.fetch(f"https://127.0.0.1:{server.port}/createRoom", method="POST",
                                     body=b"{}", headers=JSON, ssl_options=context)
        room = json.loads(created.body)["roomId"]
        joined = await client.fetch(f"https://127.0.0.1:{server.port}/joinRoom", method="POST",
                                    body=json.dumps({"roomId": room}), headers=JSON,
                                    ssl_options=context)
        assert json.loads(joined.body)["wsUrl"] == f"wss://127.0.0.1:{server.port}/ws"
    finally:
        await server.stop()


async def test_behind_a_proxy_the_forwarded_scheme_and_public_url_make_the_links(tmp_path):
    # Without --public-url the proxy's Host must be listed: unknown hosts get 421 (DNS rebinding).
    server = await _started(tmp_path, behind_proxy=True, allowed_hosts=("meet.example.org",))
    public = await _started(tmp_path / "p", public_url="https://meet.example.org")
    client = tornado.httpclient.AsyncHTTPClient()
    try:
        for srv, headers, expected in (
                (server, {"X-Forwarded-Proto": "https", "Host": "meet.example.org"},
                 "wss://meet.example.org/ws"),
                (public, {}, "wss://meet.example.org/ws")):
            base = f"http://127.0.0.1:{srv.port}"
            room = json.loads((await client.fetch(base + "/createRoom", method="POST", body=b"{}",
                                                  headers={**headers, **JSON})).body)["roomId"]
            joined = await client.fetch(base + "/joinRoom", method="POST", headers={**headers, **JSON},
                                        body=json.dumps({"roomId": room}))
            assert json.loads(joined.body)["wsUrl"] == expected
        assert public.url == "https://meet.example.org/"
    finally:
        await server.stop()
        await public.stop()


def test_log_format_json_writes_one_object_a_line(tmp_path):
    done = subprocess.run([sys.executable, "-m", "tornado_app", "--log-format", "json",
                           "--port", "99999", "--data-dir", str(tmp_path)], capture_output=True,
                          text=True, timeout=30)
    assert done.returncode == 2  # a bad port: the usage error stays a plain line for people
    with subprocess.Popen([sys.executable, "-m", "tornado_app", "--log-format", "json",
                           "--port", "0", "--data-dir", str(tmp_path)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        try:
            line = proc.stderr.readline()  # type: ignore[union-attr]
        finally:
            proc.terminate()  # leaving the `with` closes both pipes and waits
    entry = json.loads(line)
    assert entry["level"] == "info" and entry["logger"] == "parley"
    assert entry["message"].startswith("data in ") and "time" in entry
