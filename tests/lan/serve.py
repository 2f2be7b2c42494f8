"""Run a real Parley server with the flags given (as `parley-server` takes them), plus the test page.

Used by the LAN and TURN tests, inside a network namespace or on loopback. It prints one JSON line
(urls, port, certificate details) once serving, and shuts down gracefully on SIGTERM.
"""

from __future__ import annotations

import asyncio
import json
import signal
import sys
from pathlib import Path

import tornado.web

from tornado_app.config import load_settings
from tornado_app.server import ParleyServer

HERE = Path(__file__).parent
KINDS = {"html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8"}


class PeerPageHandler(tornado.web.RequestHandler):
    """GET /test/peer.html and its script /test/peer.js: the bare WebRTC peer the tests drive."""

    def get(self, kind: str) -> None:
        self.set_header("Content-Type", KINDS[kind])
        self.finish((HERE / f"peer.{kind}").read_bytes())


async def main(argv: list[str]) -> None:
    server = ParleyServer(load_settings(argv))
    server.app.add_handlers(r".*", [(r"/test/peer\.(html|js)", PeerPageHandler)])
    await server.start()
    info = {"urls": server.urls, "port": server.port}
    if server.lan is not None:
        cert = server.lan.certificate
        info.update(name=server.lan.name, fingerprint=cert.fingerprint, spki=cert.spki_sha256,
                    ca=str(cert.ca_cert))
    print(json.dumps(info), flush=True)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    await server.stop()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
