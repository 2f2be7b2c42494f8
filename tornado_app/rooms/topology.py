"""How a room carries media (issue 16): a mesh until person mesh_max+1 joins, then an SFU room
(through Janus) for the rest of the meeting. Decisions only; the meeting manager does the I/O."""

from __future__ import annotations

import dataclasses

from tornado_app.rooms import protocol as p
from tornado_app.rooms.errors import RoomError

MESH, SFU = "mesh", "sfu"


@dataclasses.dataclass(frozen=True, slots=True)
class TopologyPolicy:
    """Whether SFU rooms are on (a Janus URL is configured) and how many people a mesh holds."""

    sfu_enabled: bool
    mesh_max: int

    def after_join(self, current: str, people: int) -> str:
        """The room's topology once it holds `people` (the joiner included); never back to a mesh
        within a meeting (moving everyone twice would blink everyone's media twice)."""
        if current == SFU:
            return SFU
        return SFU if self.sfu_enabled and people > self.mesh_max else MESH


def check_sfu_message(topology: str,
                      msg: p.SfuOffer | p.SfuAnswer | p.SfuCandidate | p.SfuLayerChoice) -> None:
    """Refuse an sfu* message the room cannot take: in a mesh, or for the wrong connection (a
    client offers only on its publishing connection and answers only on its subscribing one)."""
    if topology != SFU:
        raise RoomError.not_sfu(msg.type)
    if type(msg) is p.SfuOffer and msg.pc != "publish":
        raise RoomError.wrong_pc(msg.type, "publish")
    if type(msg) is p.SfuAnswer and msg.pc != "subscribe":
        raise RoomError.wrong_pc(msg.type, "subscribe")
