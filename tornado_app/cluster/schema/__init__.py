"""What several server processes agree on in Redis, all in this package; import it from here.

- `keys.py`: the key names and what each key holds, connection ids (`<node>.<random>`), the inbox
  channels and the prefixes of the orders sent through them, and the same rules in Lua;
- `script.py`: the one script mechanism, `Script` (EVALSHA by SHA-1, loaded again after a restart);
- the Lua scripts, one `Script` per compound step: `rooms.py` a room's life and who is in it
  (create, settings, join, lobby, roles, leave, end), `meeting.py` what its people share (screen
  share, media, hands, chat, topology, Janus placement), `coordination.py` what processes do to
  one another (the lock, routing to inboxes, orders).
"""

from tornado_app.cluster.schema.coordination import CLOSE, ROUTE, UNLOCK
from tornado_app.cluster.schema.keys import (
    ADMIT_PREFIX, CLOSE_PREFIX, LOCK_TTL_MS, PREFIX, inbox, key, new_conn_id, node_of,
)
from tornado_app.cluster.schema.meeting import (
    ADD_CHAT, CHAT_HISTORY, CLEAR_SHARER, PLACE_JANUS, RELEASE_JANUS, SET_HAND, SET_MEDIA, SET_SHARER,
    SET_TOPOLOGY,
)
from tornado_app.cluster.schema.rooms import (
    ADD_MEMBER, ADD_WAITING, ADMIT, CREATE, END_MEETING, MIGRATE, REMOVE_MEMBER, SET_FIELD, SET_SETTINGS,
    TAKE_WAITING,
)
from tornado_app.cluster.schema.script import Script

__all__ = [
    "ADD_CHAT", "ADD_MEMBER", "ADD_WAITING", "ADMIT", "ADMIT_PREFIX", "CHAT_HISTORY", "CLEAR_SHARER",
    "CLOSE", "CLOSE_PREFIX", "CREATE", "END_MEETING", "LOCK_TTL_MS", "MIGRATE", "PLACE_JANUS", "PREFIX",
    "RELEASE_JANUS", "REMOVE_MEMBER", "ROUTE", "SET_FIELD", "SET_HAND", "SET_MEDIA", "SET_SETTINGS",
    "SET_SHARER", "SET_TOPOLOGY", "Script", "TAKE_WAITING", "UNLOCK", "inbox", "key", "new_conn_id",
    "node_of",
]
