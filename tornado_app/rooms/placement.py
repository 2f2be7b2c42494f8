"""Which Janus instance holds a new SFU room (issue 16): the live one with the least load.

Load is what Janus itself reports (its VideoRoom `list`: the rooms and their participants), so
every Parley process sharing the instances sees the same figures whichever process made the rooms.
Decisions only; `tornado_app/janus_pool.py` asks the instances and `sfu.py` records the choice in
the store (compare-and-set, so processes that decide at once still agree).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence


@dataclasses.dataclass(frozen=True, slots=True)
class Load:
    """How busy one Janus instance is: its VideoRoom rooms and the participants in them."""

    rooms: int = 0
    participants: int = 0


def choose_instance(urls: Sequence[str], loads: Mapping[str, Load], *, avoid: str | None = None) -> str | None:
    """The instance for a new room: among those in `loads` (the live ones), the one with the fewest
    participants, then the fewest rooms, then the first configured; `avoid` (an instance that just
    failed) only if it is the only one left. None when no instance is live."""
    live = [url for url in urls if url in loads]
    preferred = [url for url in live if url != avoid] or live
    if not preferred:
        return None
    return min(preferred, key=lambda url: (loads[url].participants, loads[url].rooms, urls.index(url)))


def orphaned(janus_rooms: Sequence[str], placed_here: Mapping[str, bool]) -> list[str]:
    """Of the Parley rooms an instance holds, those to destroy: the ones the store no longer places
    on that instance (their meeting ended while no process could destroy the room, or it moved)."""
    return [room for room in janus_rooms if not placed_here.get(room, False)]
