"""TURN credentials by the TURN REST API scheme, as coturn's `use-auth-secret` checks them.

The server and the TURN server share a secret. Each user gets a username `<expiry>:<userId>` (the
expiry a Unix time) and the credential base64(HMAC-SHA1(secret, username)); the TURN server
recomputes the credential and refuses it after the expiry. Nothing is stored anywhere.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Callable, Sequence

IceServersFor = Callable[[str], list[dict]]


def turn_credential(secret: str, username: str) -> str:
    """base64(HMAC-SHA1(secret, username)): the password the TURN server expects for `username`."""
    digest = hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def turn_username(user_id: str, ttl: int, now: float) -> str:
    """`<expiry>:<userId>`, valid for `ttl` seconds from `now`."""
    return f"{int(now) + ttl}:{user_id}"


def ice_servers_factory(*, static: Sequence[dict] = (), stun_uris: Sequence[str] = (),
                        turn_uris: Sequence[str] = (), turn_secret: str | None = None,
                        ttl: int = 12 * 3600,
                        clock: Callable[[], float] = time.time) -> IceServersFor:
    """A function user_id -> the `RTCIceServer` list for that user, with fresh TURN credentials."""
    fixed = [dict(server) for server in static]
    if stun_uris:
        fixed.append({"urls": list(stun_uris)})
    if not turn_uris or not turn_secret:
        return lambda _user_id: [dict(server) for server in fixed]
    urls = list(turn_uris)

    def ice_servers_for(user_id: str) -> list[dict]:
        username = turn_username(user_id, ttl, clock())
        turn = {"urls": urls, "username": username, "credential": turn_credential(turn_secret,
                                                                                   username)}
        return [*(dict(server) for server in fixed), turn]

    return ice_servers_for


def ice_servers_from_settings(settings) -> IceServersFor:
    """The per-user ICE server list the settings describe (static list, STUN, TURN)."""
    return ice_servers_factory(static=settings.ice_servers, stun_uris=settings.stun_uris,
                               turn_uris=settings.turn_uris, turn_secret=settings.turn_secret,
                               ttl=settings.turn_ttl)
