"""Simulcast layers in SFU rooms (issue 16): which m-line of a subscription carries a person's
camera, and how the media server must treat it for the layer the subscriber chose. Decisions
only; the SFU gateway (tornado_app/sfu.py) sends them to Janus as a subscriber `configure`.

Janus numbers a simulcast publisher's substreams from the smallest (0) to the full picture (2);
a paused stream is not relayed at all (`send: false`), so its video costs nobody anything.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from tornado_app.rooms import protocol as p
from tornado_app.rooms.errors import RoomError

HIGHEST_SUBSTREAM, LOWEST_SUBSTREAM = 2, 0


@dataclasses.dataclass(frozen=True, slots=True)
class LayerConfig:
    """One subscribed m-line's new settings: relay it or not, and from which substream."""

    mid: str
    send: bool
    substream: int | None = None  # None: leave the substream as it is (a paused stream)


def layer_configs(streams: Iterable[p.SfuStream], user_id: str, layer: p.SfuLayer) -> list[LayerConfig]:
    """The settings that make a subscription carry `layer` of `user_id`'s camera; targetNotFound
    when the subscription carries no camera of theirs (not in the room, or not publishing)."""
    mids = [s.mid for s in streams if s.userId == user_id and s.kind == "camera"]
    if not mids:
        raise RoomError.no_camera_to_layer(user_id)
    if layer == "paused":
        return [LayerConfig(mid, send=False) for mid in mids]
    substream = HIGHEST_SUBSTREAM if layer == "high" else LOWEST_SUBSTREAM
    return [LayerConfig(mid, send=True, substream=substream) for mid in mids]
