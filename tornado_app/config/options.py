"""The options: each one's flag, environment variable, config-file key, parser and help; the parser.

One table (`OPTIONS`) is the single list of what can be set; `build_parser` makes the command line
from it and `load.py` reads the environment and the config file with the same entries.
"""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tornado_app.config import parsers
from tornado_app.config.settings import MAX_SFU_ROOM_SIZE

ENV_PREFIX = "PARLEY_"
LOG_LEVELS = ("debug", "info", "warning", "error")
LOG_FORMATS = ("text", "json")


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
    Option("--port", "PORT", "port", parsers.port, "TCP port (default 8080; 0 picks a free one)"),
    Option("--max-room-size", "MAX_ROOM_SIZE", "max_room_size", parsers.positive_int,
           "most people in one room (default 8)"),
    Option("--allowed-origin", "ALLOWED_ORIGINS", "allowed_origins", parsers.origin,
           "another origin allowed to open the WebSocket, e.g. https://meet.example.org; "
           "repeatable", many=True),
    Option("--data-dir", "DATA_DIR", "data_dir", lambda text: Path(text).expanduser(),
           "folder where rooms (and LAN certificates) persist (default: the per-user data folder)"),
    Option("--log-level", "LOG_LEVEL", "log_level", parsers.choice(*LOG_LEVELS),
           "debug, info, warning or error (default info)"),
    Option("--log-format", "LOG_FORMAT", "log_format", parsers.choice(*LOG_FORMATS),
           "text, or json: one JSON object a line for log collectors (default text)"),
    Option("--reconnect-grace", "RECONNECT_GRACE", "reconnect_grace", parsers.non_negative_float,
           "seconds a dropped user is kept for a resume (default 10)"),
    Option("--ping-interval", "PING_INTERVAL", "ping_interval", parsers.non_negative_float,
           "seconds between WebSocket pings; a dead peer is dropped within twice this (default 15)"),
    Option("--create-room-rate", "CREATE_ROOM_RATE", "create_room_rate", parsers.non_negative_int,
           "new rooms a minute from one address; 0 for no limit (default 30)"),
    Option("--redis-url", "REDIS_URL", "redis_url", str,
           "redis://host:port/db to share rooms between several server processes (default: none)"),
    Option("--lan", "LAN", "lan", parsers.switch,
           "LAN mode: serve HTTPS on this machine's LAN addresses with a generated certificate, "
           "print the join URL and a QR code, advertise over mDNS", switch=True),
    Option("--name", "NAME", "server_name", parsers.secret,
           "the server's name on the network, shown by --discover (default: the host name)"),
    Option("--certfile", "CERTFILE", "certfile", parsers.existing_file,
           "PEM certificate (chain) to serve HTTPS with"),
    Option("--keyfile", "KEYFILE", "keyfile", parsers.existing_file,
           "PEM private key of --certfile (if not inside it)"),
    Option("--behind-proxy", "BEHIND_PROXY", "behind_proxy", parsers.switch,
           "trust X-Forwarded-For/-Proto (X-Real-IP, X-Scheme) from a reverse proxy", switch=True),
    Option("--public-url", "PUBLIC_URL", "public_url", parsers.public_url,
           "the URL people use, e.g. https://meet.example.org, for the links the server hands out"),
    Option("--stun-uri", "STUN_URIS", "stun_uris", parsers.uri("stun", "stuns"),
           "a STUN server for clients, e.g. stun:stun.example.org:3478; repeatable", many=True),
    Option("--turn-uri", "TURN_URIS", "turn_uris", parsers.uri("turn", "turns"),
           "a TURN server, e.g. turn:turn.example.org:3478?transport=udp; repeatable; "
           "needs --turn-secret", many=True),
    Option("--turn-secret", "TURN_SECRET", "turn_secret", parsers.secret,
           "the TURN server's static-auth-secret: clients get short-lived credentials from it"),
    Option("--turn-ttl", "TURN_TTL", "turn_ttl", parsers.ttl,
           "seconds TURN credentials stay valid; clients renew them at half life "
           "(default 3600, 1 h)"),
    Option("--metrics-token", "METRICS_TOKEN", "metrics_token", parsers.secret,
           "serve /metrics on the main port to requests with 'Authorization: Bearer <token>'"),
    Option("--metrics-port", "METRICS_PORT", "metrics_port", parsers.port,
           "serve /metrics on its own port (on --metrics-host) instead of the main one"),
    Option("--metrics-host", "METRICS_HOST", "metrics_host", str,
           "address of the --metrics-port listener (default 127.0.0.1)"),
    Option("--room-ttl-days", "ROOM_TTL_DAYS", "room_ttl_days", parsers.non_negative_float,
           "delete rooms nobody created, joined or left for this many days (default 30; 0 never)"),
    Option("--allowed-host", "ALLOWED_HOSTS", "allowed_hosts", parsers.host_name,
           "another host name the server answers to, e.g. meet.internal; others get 421 "
           "(DNS rebinding); repeatable", many=True),
    Option("--max-connections-per-address", "MAX_CONNECTIONS_PER_ADDRESS",
           "max_connections_per_address", parsers.number(int, 0),
           "open connections one client address may hold (with --behind-proxy: WebSockets per "
           "forwarded address); 0 turns the cap off"),
    Option("--ui-dir", "UI_DIR", "ui_dir", parsers.ui_folder,
           "serve the web client built in this folder instead of the one inside the package, "
           "e.g. the test build react-ui/dist-test, which has window.__parley for the tests"),
    Option("--create-room-token", "CREATE_ROOM_TOKEN", "create_room_token", str,
           "POST /createRoom then needs 'Authorization: Bearer TOKEN' (else 401 unauthorized): "
           "the operator of a public server decides who may open meetings"),
    Option("--janus-url", "JANUS_URLS", "janus_urls", parsers.janus_url,
           "a Janus WebSocket API, e.g. ws://127.0.0.1:8188 (or its ws_unix socket, "
           "ws+unix:///run/janus/ws.sock): turns on SFU rooms (rooms past "
           "--mesh-max people go through Janus; --max-room-size may then be up to "
           f"{MAX_SFU_ROOM_SIZE}); repeatable", many=True),
    Option("--mesh-max", "MESH_MAX", "mesh_max", parsers.positive_int,
           "people a room holds as a mesh; the next one moves it to Janus for the rest of the "
           "meeting (default 4; needs --janus-url to matter)"),
    Option("--janus-admin-key", "JANUS_ADMIN_KEY", "janus_admin_key", parsers.secret,
           "the admin_key of Janus's VideoRoom plugin (janus.plugin.videoroom.jcfg), so that only "
           "Parley creates rooms"),
)


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
