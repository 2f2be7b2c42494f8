"""Server settings: one frozen `Settings`, from flags over environment variables over a config file.

Every option has a flag (`--max-room-size`), an environment variable (`PARLEY_MAX_ROOM_SIZE`) and a
key in the TOML config file (`max-room-size = 8`, the flag without its dashes). The precedence is
flags > environment > file > defaults. A bad value, wherever it comes from, stops the server with a
one-line error naming the option (argparse's exit status 2).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import tomllib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs

ENV_PREFIX = "PARLEY_"
LOG_LEVELS = ("debug", "info", "warning", "error")
LOG_FORMATS = ("text", "json")


def default_data_dir() -> Path:
    """The per-user folder where rooms persist (e.g. ~/.local/share/parley on Linux)."""
    return Path(platformdirs.user_data_dir("parley", appauthor=False))


# A mesh room's people each send their camera to every other: beyond 8 no uplink copes. Through
# Janus (issue 16) each sends once.
MAX_MESH_ROOM_SIZE, MAX_SFU_ROOM_SIZE = 8, 50


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
    # LAN mode: HTTPS with a generated certificate on the LAN addresses, QR code, mDNS.
    lan: bool = False
    server_name: str | None = None
    # Hosted mode: TLS, reverse proxy, public links.
    certfile: Path | None = None
    keyfile: Path | None = None
    behind_proxy: bool = False
    public_url: str | None = None
    # ICE: STUN, and TURN with short-lived credentials (TURN REST API, coturn's use-auth-secret).
    stun_uris: tuple[str, ...] = ()
    turn_uris: tuple[str, ...] = ()
    turn_secret: str | None = None
    turn_ttl: int = 3600
    # Operations.
    metrics_token: str | None = None
    metrics_port: int | None = None
    metrics_host: str = "127.0.0.1"
    log_format: str = "text"
    # Rooms unused (not created, joined or left) for this many days are deleted; 0 keeps them.
    room_ttl_days: float = 30.0
    # HTTP policy: Host names answered besides the bound/public/LAN ones (DNS rebinding).
    allowed_hosts: tuple[str, ...] = ()
    # Resource bounds (issue 11).
    join_timeout: float = 10.0  # seconds a WebSocket may stay open without joining a room
    max_connections_per_address: int = 256  # 0: no cap
    # The built web client served at /; None: the one inside the package (tornado_app/ui).
    ui_dir: Path | None = None
    create_room_token: str | None = None  # set: POST /createRoom needs "Authorization: Bearer <it>"
    # SFU rooms (issue 16): the Janus instances Parley drives; none keeps every room a mesh.
    janus_urls: tuple[str, ...] = ()
    mesh_max: int = 4  # people a room holds as a mesh; person mesh_max+1 moves it to Janus
    janus_admin_key: str | None = None  # the VideoRoom plugin's admin_key, needed to create rooms


class ConfigError(ValueError):
    """A setting has a value the server cannot use; the message names the setting."""


def _number(kind: type, low: float, high: float | None = None, unit: str = "",
            what: str = "") -> Callable[[str], Any]:
    """A parser for an int or float in [low, high] whose error names the range."""

    def parse(text: str) -> Any:
        value = kind(text)
        if value < low or (high is not None and value > high):
            limit = f"{low}-{high}" if high is not None else f"at least {low}"
            raise argparse.ArgumentTypeError(f"must be {what}{limit}{unit}, got {value}")
        return value

    return parse


_positive_int = _number(int, 1)
_port = _number(int, 0, 65535, what="a port number ")
_non_negative_int = _number(int, 0)
_non_negative_float = _number(float, 0)
_ttl = _number(int, 60, unit=" seconds")


def _origin(text: str) -> str:
    origin = text.strip().rstrip("/").lower()
    if not origin.startswith(("http://", "https://")):
        raise argparse.ArgumentTypeError(f"an origin looks like https://host[:port], got {text!r}")
    return origin


def _host_name(text: str) -> str:
    value = text.strip().lower().rstrip(".")
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    if not value or any(c in value for c in "/@ []") or (":" in value and value.count(":") < 2):
        raise argparse.ArgumentTypeError(f"a host name or address without port, got {text!r}")
    return value


def _choice(*choices: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        value = text.strip().lower()
        if value not in choices:
            raise argparse.ArgumentTypeError(f"must be one of {', '.join(choices)}, got {text!r}")
        return value

    return parse


def _existing_file(text: str) -> Path:
    path = Path(text).expanduser()
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"no such file: {text}")
    return path


def _ui_folder(text: str) -> Path:
    path = Path(text).expanduser()
    if not (path / "index.html").is_file():
        raise argparse.ArgumentTypeError(
            f"no built web client (index.html) in {text}; the test build is made by "
            "`cd react-ui && npm run build:test` (into react-ui/dist-test)")
    return path


def _uri(*schemes: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        value = text.strip()
        scheme, _, rest = value.partition(":")
        if scheme not in schemes or not rest.strip("/"):
            raise argparse.ArgumentTypeError(
                f"must look like {schemes[0]}:host[:port], got {text!r}")
        return value

    return parse


def _janus_url(text: str) -> str:
    value = text.strip()
    scheme, _, rest = value.partition("://")
    if scheme in ("ws", "wss") and rest.strip("/"):
        return value
    if scheme == "ws+unix" and rest.startswith("/") and len(rest) > 1:
        return value  # Janus's ws_unix socket file: no TCP port at all (docs/janus.md)
    raise argparse.ArgumentTypeError(
        f"must look like ws://127.0.0.1:8188 or ws+unix:///run/janus/ws.sock, got {text!r}")


def _public_url(text: str) -> str:
    value = text.strip().rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(f"must look like https://meet.example.org, got {text!r}")
    return value


def _secret(text: str) -> str:
    if not text:
        raise argparse.ArgumentTypeError("must not be empty")
    return text


def _switch(text: str) -> bool:
    value = text.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise argparse.ArgumentTypeError(f"must be true or false, got {text!r}")


@dataclasses.dataclass(frozen=True)
class Option:
    """One option: its flag, environment suffix, Settings field, parser and help."""

    flag: str
    env: str
    field: str
    parse: Callable[[str], Any]
    help: str
    many: bool = False    # repeatable flag, comma-separated variable, list in the file
    switch: bool = False  # an on/off flag that takes no value on the command line

    @property
    def key(self) -> str:
        """The option's key in the config file."""
        return self.flag[2:]


OPTIONS: tuple[Option, ...] = (
    Option("--host", "HOST", "host", str, "address to listen on (default 127.0.0.1)"),
    Option("--port", "PORT", "port", _port, "TCP port (default 8080; 0 picks a free one)"),
    Option("--max-room-size", "MAX_ROOM_SIZE", "max_room_size", _positive_int,
           "most people in one room (default 8)"),
    Option("--allowed-origin", "ALLOWED_ORIGINS", "allowed_origins", _origin,
           "another origin allowed to open the WebSocket, e.g. https://meet.example.org; "
           "repeatable", many=True),
    Option("--data-dir", "DATA_DIR", "data_dir", lambda text: Path(text).expanduser(),
           "folder where rooms (and LAN certificates) persist (default: the per-user data folder)"),
    Option("--log-level", "LOG_LEVEL", "log_level", _choice(*LOG_LEVELS),
           "debug, info, warning or error (default info)"),
    Option("--log-format", "LOG_FORMAT", "log_format", _choice(*LOG_FORMATS),
           "text, or json: one JSON object a line for log collectors (default text)"),
    Option("--reconnect-grace", "RECONNECT_GRACE", "reconnect_grace", _non_negative_float,
           "seconds a dropped user is kept for a resume (default 10)"),
    Option("--ping-interval", "PING_INTERVAL", "ping_interval", _non_negative_float,
           "seconds between WebSocket pings; a dead peer is dropped within twice this (default 15)"),
    Option("--create-room-rate", "CREATE_ROOM_RATE", "create_room_rate", _non_negative_int,
           "new rooms a minute from one address; 0 for no limit (default 30)"),
    Option("--redis-url", "REDIS_URL", "redis_url", str,
           "redis://host:port/db to share rooms between several server processes (default: none)"),
    Option("--lan", "LAN", "lan", _switch,
           "LAN mode: serve HTTPS on this machine's LAN addresses with a generated certificate, "
           "print the join URL and a QR code, advertise over mDNS", switch=True),
    Option("--name", "NAME", "server_name", _secret,
           "the server's name on the network, shown by --discover (default: the host name)"),
    Option("--certfile", "CERTFILE", "certfile", _existing_file,
           "PEM certificate (chain) to serve HTTPS with"),
    Option("--keyfile", "KEYFILE", "keyfile", _existing_file,
           "PEM private key of --certfile (if not inside it)"),
    Option("--behind-proxy", "BEHIND_PROXY", "behind_proxy", _switch,
           "trust X-Forwarded-For/-Proto (X-Real-IP, X-Scheme) from a reverse proxy", switch=True),
    Option("--public-url", "PUBLIC_URL", "public_url", _public_url,
           "the URL people use, e.g. https://meet.example.org, for the links the server hands out"),
    Option("--stun-uri", "STUN_URIS", "stun_uris", _uri("stun", "stuns"),
           "a STUN server for clients, e.g. stun:stun.example.org:3478; repeatable", many=True),
    Option("--turn-uri", "TURN_URIS", "turn_uris", _uri("turn", "turns"),
           "a TURN server, e.g. turn:turn.example.org:3478?transport=udp; repeatable; "
           "needs --turn-secret", many=True),
    Option("--turn-secret", "TURN_SECRET", "turn_secret", _secret,
           "the TURN server's static-auth-secret: clients get short-lived credentials from it"),
    Option("--turn-ttl", "TURN_TTL", "turn_ttl", _ttl,
           "seconds TURN credentials stay valid; clients renew them at half life "
           "(default 3600, 1 h)"),
    Option("--metrics-token", "METRICS_TOKEN", "metrics_token", _secret,
           "serve /metrics on the main port to requests with 'Authorization: Bearer <token>'"),
    Option("--metrics-port", "METRICS_PORT", "metrics_port", _port,
           "serve /metrics on its own port (on --metrics-host) instead of the main one"),
    Option("--metrics-host", "METRICS_HOST", "metrics_host", str,
           "address of the --metrics-port listener (default 127.0.0.1)"),
    Option("--room-ttl-days", "ROOM_TTL_DAYS", "room_ttl_days", _non_negative_float,
           "delete rooms nobody created, joined or left for this many days (default 30; 0 never)"),
    Option("--allowed-host", "ALLOWED_HOSTS", "allowed_hosts", _host_name,
           "another host name the server answers to, e.g. meet.internal; others get 421 "
           "(DNS rebinding); repeatable", many=True),
    Option("--max-connections-per-address", "MAX_CONNECTIONS_PER_ADDRESS",
           "max_connections_per_address", _number(int, 0),
           "open connections one client address may hold (with --behind-proxy: WebSockets per "
           "forwarded address); 0 turns the cap off"),
    Option("--ui-dir", "UI_DIR", "ui_dir", _ui_folder,
           "serve the web client built in this folder instead of the one inside the package, "
           "e.g. the test build react-ui/dist-test, which has window.__parley for the tests"),
    Option("--create-room-token", "CREATE_ROOM_TOKEN", "create_room_token", str,
           "POST /createRoom then needs 'Authorization: Bearer TOKEN' (else 401 unauthorized): "
           "the operator of a public server decides who may open meetings"),
    Option("--janus-url", "JANUS_URLS", "janus_urls", _janus_url,
           "a Janus WebSocket API, e.g. ws://127.0.0.1:8188 (or its ws_unix socket, "
           "ws+unix:///run/janus/ws.sock): turns on SFU rooms (rooms past "
           "--mesh-max people go through Janus; --max-room-size may then be up to "
           f"{MAX_SFU_ROOM_SIZE}); repeatable", many=True),
    Option("--mesh-max", "MESH_MAX", "mesh_max", _positive_int,
           "people a room holds as a mesh; the next one moves it to Janus for the rest of the "
           "meeting (default 4; needs --janus-url to matter)"),
    Option("--janus-admin-key", "JANUS_ADMIN_KEY", "janus_admin_key", _secret,
           "the admin_key of Janus's VideoRoom plugin (janus.plugin.videoroom.jcfg), so that only "
           "Parley creates rooms"),
)
_BY_KEY = {option.key: option for option in OPTIONS}


def build_parser() -> argparse.ArgumentParser:
    """The `parley-server` command line."""
    parser = argparse.ArgumentParser(
        prog="parley-server",
        description="Parley's signaling server and web client. Every option can also be set with "
        "an environment variable PARLEY_<OPTION> (e.g. PARLEY_PORT=9000) or in a TOML file given "
        "with --config (e.g. port = 9000); flags win over variables, variables over the file.",
    )
    parser.add_argument("--config", type=Path, default=None, metavar="FILE",
                        help=f"TOML file of options (keys are the flags without --) "
                        f"[env {ENV_PREFIX}CONFIG]")
    for o in OPTIONS:
        env = f"{ENV_PREFIX}{o.env}" + (", comma-separated" if o.many else "")
        if o.switch:
            parser.add_argument(o.flag, action="store_const", const=True, default=None,
                                dest=o.field, help=f"{o.help} [env {env}]")
        else:
            parser.add_argument(o.flag, type=o.parse, default=None, dest=o.field, metavar=o.env,
                                action="append" if o.many else "store", help=f"{o.help} [env {env}]")
    parser.add_argument("--discover", type=float, nargs="?", const=3.0, default=None,
                        metavar="SECONDS", help="list the Parley servers on this network "
                        "(looking for 3 s, or SECONDS) and exit")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    return parser


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
        origin = _origin(f"{parts.scheme}://{parts.netloc}")
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
