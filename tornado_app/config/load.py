"""Settings from flags over environment variables over the config file; rules across options.

A bad value, wherever it comes from, becomes a `ConfigError` naming the option, and then
argparse's one-line error (exit status 2).
"""

from __future__ import annotations

import argparse
import os
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tornado_app.config import parsers
from tornado_app.config.options import ENV_PREFIX, OPTIONS, Option, build_parser
from tornado_app.config.settings import MAX_MESH_ROOM_SIZE, MAX_SFU_ROOM_SIZE, Settings


class ConfigError(ValueError):
    """A setting has a value the server cannot use; the message names the setting."""


_BY_KEY = {option.key: option for option in OPTIONS}


def _parse_one(option: Option, raw: str, where: str) -> Any:
    try:
        return option.parse(raw)
    except (ValueError, argparse.ArgumentTypeError) as exc:
        raise ConfigError(f"{where} ({option.flag}): {exc}") from None


def _from_text(option: Option, raw: str, where: str) -> Any:
    """A value from an environment variable or the file, parsed like the flag's."""
    if option.many:
        return tuple(_parse_one(option, part.strip(), where) for part in raw.split(",")
                     if part.strip())
    return _parse_one(option, raw, where)


def read_config_file(path: Path) -> dict[str, Any]:
    """The settings a TOML config file sets, by Settings field; ConfigError names a bad key."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"--config: cannot read {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"--config: {path} is not valid TOML: {exc}") from None
    values: dict[str, Any] = {}
    for key, value in data.items():
        option = _BY_KEY.get(key.replace("_", "-"))
        where = f"{path}: {key}"
        if option is None:
            raise ConfigError(f"{where}: unknown option (see parley-server --help)")
        if option.switch and not isinstance(value, bool):
            raise ConfigError(f"{where} ({option.flag}): must be true or false, got {value!r}")
        if option.many:
            items = value if isinstance(value, list) else [value]
            if not all(isinstance(item, (str, int, float)) for item in items):
                raise ConfigError(f"{where} ({option.flag}): must be a list of strings")
            values[option.field] = tuple(_parse_one(option, str(item), where) for item in items)
        elif isinstance(value, (dict, list)):
            raise ConfigError(f"{where} ({option.flag}): must be a single value, got {value!r}")
        else:
            text = str(value).lower() if isinstance(value, bool) else str(value)
            values[option.field] = _from_text(option, text, where)
    return values


def _check(values: dict[str, Any]) -> None:
    """Rules that involve several options."""
    size = values.get("max_room_size", Settings.max_room_size)
    if values.get("janus_urls"):
        if size > MAX_SFU_ROOM_SIZE:
            raise ConfigError(f"--max-room-size: at most {MAX_SFU_ROOM_SIZE} with --janus-url, got {size}")
    elif size > MAX_MESH_ROOM_SIZE:
        raise ConfigError(f"--max-room-size: at most {MAX_MESH_ROOM_SIZE} in a mesh (every person "
                          f"sends to every other); larger rooms need an SFU: --janus-url")
    if values.get("turn_uris") and not values.get("turn_secret"):
        raise ConfigError("--turn-uri: needs --turn-secret (the TURN server's static-auth-secret)")
    if values.get("keyfile") and not values.get("certfile"):
        raise ConfigError("--keyfile: needs --certfile")
    if values.get("lan") and values.get("certfile"):
        raise ConfigError("--certfile: LAN mode makes its own certificate; drop one of them")
    metrics_port = values.get("metrics_port")
    if metrics_port and metrics_port == values.get("port", Settings.port):
        raise ConfigError("--metrics-port: must differ from --port")


def resolve(args: argparse.Namespace, env: Mapping[str, str]) -> dict[str, Any]:
    """Settings fields from parsed flags, the environment and the config file, in that order."""
    config = args.config
    if config is None and (raw := env.get(ENV_PREFIX + "CONFIG")):
        config = Path(raw)
    values = read_config_file(config.expanduser()) if config is not None else {}
    for option in OPTIONS:
        raw = env.get(ENV_PREFIX + option.env)
        if raw not in (None, ""):
            values[option.field] = _from_text(option, raw, ENV_PREFIX + option.env)
        flag_value = getattr(args, option.field)
        if flag_value is not None:
            values[option.field] = tuple(flag_value) if option.many else flag_value
    public = values.get("public_url")
    if public:  # the public URL's origin is the server's own origin behind a proxy
        parts = urlsplit(public)
        origin = parsers.origin(f"{parts.scheme}://{parts.netloc}")
        if origin not in values.get("allowed_origins", ()):
            values["allowed_origins"] = (*values.get("allowed_origins", ()), origin)
    _check(values)
    return values


def parse_command(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None
                  ) -> tuple[Settings, argparse.Namespace]:
    """Settings and the parsed command line (for --discover and --version)."""
    env = os.environ if env is None else env
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        from tornado_app import __version__

        print(f"parley-server {__version__}")
        raise SystemExit(0)
    try:
        values = resolve(args, env)
    except ConfigError as exc:
        parser.error(str(exc))
    return Settings(**values), args


def load_settings(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Settings from flags, then PARLEY_* environment variables, then the config file, then defaults.

    A bad value exits with argparse's one-line error naming the option.
    """
    return parse_command(argv, env)[0]
