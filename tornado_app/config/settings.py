"""The `Settings` dataclass: everything the server can be told, with its defaults.

How a value gets there (flags, environment, file) is in `options.py` and `load.py`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path

import platformdirs


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

