"""`parley-server` / `python -m tornado_app`: parse settings, build the app, serve until a signal."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections.abc import Sequence

from tornado_app.config import Settings, parse_command
from tornado_app.datadir import DataDirError
from tornado_app.lan import LanError, discover, qr_text
from tornado_app.logs import configure_logging
from tornado_app.server import ParleyServer

log = logging.getLogger("parley")

__all__ = ["configure_logging", "serve", "main"]


def announce(server: ParleyServer) -> None:
    """Tell the person at the terminal where to connect (and, in LAN mode, how to check the cert)."""
    print(f"Parley is serving on {server.url}", flush=True)
    lan = server.lan
    if lan is None:
        return
    for url in server.urls[1:]:
        print(f"  also on {url}")
    cert = lan.certificate
    print(f"\nOn this network as {lan.name!r} ({lan.hostname}). Scan to join:\n")
    print(qr_text(server.url))
    print(f"\nCertificate SHA-256: {cert.fingerprint}\n"
          f"Local CA SHA-256:    {cert.ca_fingerprint}\n"
          f"Browsers warn until they trust the local CA: check the fingerprint, or install\n"
          f"{server.url}lan/ca.crt (file: {cert.ca_cert}) as a trusted authority.", flush=True)


async def serve(settings: Settings) -> int:
    """Serve until SIGTERM or SIGINT, then shut down gracefully; returns the exit status."""
    try:
        server = ParleyServer(settings)
    except DataDirError as exc:  # the README promises one line naming the option, not a traceback
        print(f"parley-server: --data-dir: {exc}", file=sys.stderr)
        return 1
    try:
        await server.start()
    except (OSError, LanError, ValueError, DataDirError) as exc:
        where = f"{settings.host}:{settings.port}"
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        what = "cannot listen on " + where if isinstance(exc, OSError) else "cannot start"
        if isinstance(exc, DataDirError):  # e.g. the LAN certificate folder
            what = "--data-dir"
        print(f"parley-server: {what}: {reason}", file=sys.stderr)
        return 1  # the failed start has undone itself
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    log.info("data in %s", settings.data_dir)
    announce(server)
    await stop.wait()
    log.info("shutting down")
    await server.stop()
    return 0


def print_discovered(timeout: float) -> int:
    """`parley-server --discover`: list the Parley servers that answer on this network."""
    found = discover(timeout)
    if not found:
        print(f"no Parley server answered on this network within {timeout:g} s")
        return 1
    for server in found:
        print(f"{server.name}\t{server.url}\tSHA-256 {server.fingerprint or '?'}")
    return 0


def main(argv: Sequence[str] | None = None) -> None:
    """The console script."""
    settings, args = parse_command(argv)
    configure_logging(settings.log_level, settings.log_format)
    if args.discover is not None:
        sys.exit(print_discovered(args.discover))
    sys.exit(asyncio.run(serve(settings)))


if __name__ == "__main__":
    main()
