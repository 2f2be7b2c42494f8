"""`parley-server` / `python -m tornado_app`: parse settings, build the app, serve until a signal."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections.abc import Sequence

from tornado_app.config import Settings, load_settings
from tornado_app.server import ParleyServer

log = logging.getLogger("parley")


def configure_logging(level: str) -> None:
    """Plain lines on stderr; Tornado's access log only at debug."""
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if level != "debug":
        logging.getLogger("tornado.access").setLevel(logging.WARNING)


async def serve(settings: Settings) -> int:
    """Serve until SIGTERM or SIGINT, then shut down gracefully; returns the exit status."""
    server = ParleyServer(settings)
    try:
        await server.start()
    except OSError as exc:
        print(f"parley-server: cannot listen on {settings.host}:{settings.port}: {exc.strerror}",
              file=sys.stderr)
        await server.parley.store.close()
        return 1
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    log.info("data in %s", settings.data_dir)
    print(f"Parley is serving on {server.url}", flush=True)
    await stop.wait()
    log.info("shutting down")
    await server.stop()
    return 0


def main(argv: Sequence[str] | None = None) -> None:
    """The console script."""
    settings = load_settings(argv)
    configure_logging(settings.log_level)
    sys.exit(asyncio.run(serve(settings)))


if __name__ == "__main__":
    main()
