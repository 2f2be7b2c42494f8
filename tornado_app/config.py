"""Server settings: one frozen `Settings`, read from command-line flags over environment variables."""

from __future__ import annotations

import argparse
import dataclasses
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import platformdirs

ENV_PREFIX = "PARLEY_"
LOG_LEVELS = ("debug", "info", "warning", "error")


def default_data_dir() -> Path:
    """The per-user folder where rooms persist (e.g. ~/.local/share/parley on Linux)."""
    return Path(platformdirs.user_data_dir("parley", appauthor=False))


@dataclasses.dataclass(frozen=True)
class Settings:
    """Everything the server can be told; no module globals."""

    host: str = "127.0.0.1"
    port: int = 8080
    max_room_size: int = 8
    allowed_origins: tuple[str, ...] = ()
    data_dir: Path = dataclasses.field(default_factory=default_data_dir)
    log_level: str = "info"
    reconnect_grace: float = 10.0
    ping_interval: float = 15.0
    rate_per_second: float = 50.0
    rate_burst: int = 200
    ice_servers: tuple[Mapping[str, object], ...] = ()
    create_room_rate: int = 30
    redis_url: str | None = None


class ConfigError(ValueError):
    """A setting has a value the server cannot use; the message names the setting."""


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port number 0-65535, got {value}")
    return value


def _non_negative_int(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, got {value}")
    return value


def _non_negative_float(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, got {value}")
    return value


def _origin(text: str) -> str:
    origin = text.strip().rstrip("/").lower()
    if not origin.startswith(("http://", "https://")):
        raise argparse.ArgumentTypeError(f"an origin looks like https://host[:port], got {text!r}")
    return origin


# (flag, env suffix, settings field, type, help). The environment variable is PARLEY_<suffix>.
_OPTIONS: tuple[tuple[str, str, str, object, str], ...] = (
    ("--host", "HOST", "host", str, "address to listen on (default 127.0.0.1)"),
    ("--port", "PORT", "port", _port, "TCP port (default 8080; 0 picks a free one)"),
    ("--max-room-size", "MAX_ROOM_SIZE", "max_room_size", _positive_int,
     "most people in one room (default 8)"),
    ("--data-dir", "DATA_DIR", "data_dir", Path,
     "folder where rooms persist (default: the per-user data folder)"),
    ("--log-level", "LOG_LEVEL", "log_level", str.lower, "debug, info, warning or error (default info)"),
    ("--reconnect-grace", "RECONNECT_GRACE", "reconnect_grace", _non_negative_float,
     "seconds a dropped user is kept for a resume (default 10)"),
    ("--create-room-rate", "CREATE_ROOM_RATE", "create_room_rate", _non_negative_int,
     "new rooms a minute from one address; 0 for no limit (default 30)"),
    ("--redis-url", "REDIS_URL", "redis_url", str,
     "redis://host:port/db to share rooms between several server processes (default: none)"),
    ("--ping-interval", "PING_INTERVAL", "ping_interval", _non_negative_float,
     "seconds between WebSocket pings; a dead peer is dropped within twice this (default 15)"),
)


def build_parser() -> argparse.ArgumentParser:
    """The `parley-server` command line."""
    parser = argparse.ArgumentParser(
        prog="parley-server",
        description="Parley's signaling server and web client. Every option can also be set "
        "with an environment variable PARLEY_<OPTION> (e.g. PARLEY_PORT=9000); flags win.",
    )
    for flag, env, _field, kind, text in _OPTIONS:
        parser.add_argument(flag, type=kind, default=None, help=f"{text} [env {ENV_PREFIX}{env}]")
    parser.add_argument(
        "--allowed-origin", action="append", type=_origin, default=None, dest="allowed_origins",
        help="another origin allowed to open the WebSocket, e.g. https://meet.example.org; "
        f"repeatable [env {ENV_PREFIX}ALLOWED_ORIGINS, comma-separated]",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    return parser


def load_settings(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Settings from flags, then PARLEY_* environment variables, then defaults.

    A bad value exits with argparse's one-line error naming the option.
    """
    env = os.environ if env is None else env
    parser = build_parser()
    args = parser.parse_args(argv)
    values: dict[str, object] = {}
    for flag, suffix, field, kind, _text in _OPTIONS:
        value = getattr(args, field)
        if value is None and (raw := env.get(ENV_PREFIX + suffix)) not in (None, ""):
            try:
                value = kind(raw)  # type: ignore[operator]
            except (ValueError, argparse.ArgumentTypeError) as exc:
                parser.error(f"{ENV_PREFIX}{suffix} ({flag}): {exc}")
        if value is not None:
            values[field] = value
    origins = args.allowed_origins
    if origins is None and (raw := env.get(ENV_PREFIX + "ALLOWED_ORIGINS")):
        try:
            origins = [_origin(part) for part in raw.split(",") if part.strip()]
        except argparse.ArgumentTypeError as exc:
            parser.error(f"{ENV_PREFIX}ALLOWED_ORIGINS (--allowed-origin): {exc}")
    if origins:
        values["allowed_origins"] = tuple(origins)
    level = values.get("log_level", "info")
    if level not in LOG_LEVELS:
        parser.error(f"--log-level: must be one of {', '.join(LOG_LEVELS)}, got {level!r}")
    if args.version:
        from tornado_app import __version__

        print(f"parley-server {__version__}")
        raise SystemExit(0)
    return Settings(**values)  # type: ignore[arg-type]
