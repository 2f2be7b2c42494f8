"""`parley-desktop` / `python -m desktop`: parse the command line, check the machine, open the window."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from tornado_app.config import default_data_dir

log = logging.getLogger("parley.desktop")


def build_parser() -> argparse.ArgumentParser:
    """The `parley-desktop` command line."""
    parser = argparse.ArgumentParser(
        prog="parley-desktop",
        description="Parley meetings in a desktop window. With no option, a start screen lets you "
        "host a meeting on this computer, join one by link, or connect to a Parley server.")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--embedded", action="store_true",
                      help="host right away: start the meeting server inside the app (127.0.0.1)")
    mode.add_argument("--server", metavar="URL", help="open a hosted Parley server, e.g. https://meet.example.org")
    parser.add_argument("--lan", action="store_true",
                        help="host right away for this network: HTTPS on the LAN addresses with a "
                        "certificate from a local CA, a QR code to join, found by other Parley apps")
    parser.add_argument("--port", type=int, default=0,
                        help="port for --embedded or --lan (default: a free one)")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="folder for rooms, settings and logs (default: the per-user data folder)")
    parser.add_argument("--gui", choices=("qt", "edgechromium", "cocoa"), default=None,
                        help=argparse.SUPPRESS)
    parser.add_argument("--log-level", choices=("debug", "info", "warning", "error"), default="info")
    parser.add_argument("--debug", action="store_true", help="enable the web inspector")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    return parser


def parse_options(argv: Sequence[str] | None = None):
    """Options from the command line; exits with a one-line error on bad input."""
    from desktop.app import Options

    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        from tornado_app import __version__

        print(f"parley-desktop {__version__}")
        raise SystemExit(0)
    if args.lan and args.server:
        parser.error("--lan hosts a meeting here; it cannot be combined with --server")
    if not 0 <= args.port <= 65535:
        parser.error(f"--port: must be 0-65535, got {args.port}")
    if args.port and not (args.embedded or args.lan):
        parser.error("--port only makes sense with --embedded or --lan")
    if args.server and not args.server.startswith(("http://", "https://")):
        parser.error(f"--server: a URL like https://meet.example.org, got {args.server!r}")
    # The server's PARLEY_UI_DIR (--ui-dir) for the embedded server: tests serve their test build.
    ui_dir = os.environ.get("PARLEY_UI_DIR")
    options = Options(data_dir=args.data_dir or default_data_dir(), embedded=args.embedded,
                      lan=args.lan, port=args.port, server=args.server, debug=args.debug,
                      ui_dir=Path(ui_dir).expanduser() if ui_dir else None)
    return options, args


def build_app(argv: Sequence[str] | None = None):
    """Parse, set up logging, check display and libraries; the ready-to-run `DesktopApp`."""
    from desktop.backends import TrustedOrigins, create_backend, default_gui
    from desktop.environment import (EnvironmentError_, check_display, check_qt,
                                     sandbox_off_for_root)
    from desktop.logs import configure_logging

    options, args = parse_options(argv)
    log_file = configure_logging(options.data_dir, args.log_level)
    gui = args.gui or default_gui()
    try:
        check_display()
        if gui == "qt":
            check_qt()
    except EnvironmentError_ as exc:
        log.error("%s", exc)
        raise SystemExit(2) from None
    if gui == "qt" and sandbox_off_for_root():
        log.warning("running as root: the web view runs without its sandbox, so a page that "
                    "breaks out of the renderer gets root; start Parley as your own user instead")
    from desktop.app import DesktopApp

    log.info("parley-desktop starting (gui %s, log %s)", gui, log_file)
    return DesktopApp(options, create_backend(gui, TrustedOrigins()))


def main(argv: Sequence[str] | None = None) -> None:
    """The console script."""
    from desktop.app import HostError

    app = build_app(argv)
    try:
        status = app.run()
    except HostError as exc:
        log.error("%s", exc)
        status = 1
    exit_now(status)


def exit_now(status: int) -> None:
    """Exit once the window and the server are gone, skipping interpreter teardown.

    PySide6 6.12 with pywebview can crash while the interpreter finalizes ("bool_dealloc" during
    garbage collection), turning a clean close into exit status 134; nothing is left to clean up.
    """
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    main()
