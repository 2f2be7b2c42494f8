"""Redis key names, connection ids and the orders between processes: one place for each rule.

Keys (prefix `parley:`):
- `room:<r>:used`: the room exists while this key does: its last use, with the room TTL as key
  expiry, refreshed whenever the room is used (created, joined, left);
- `rooms:used`: sorted set room -> last use, so that counting rooms is one ZCOUNT;
- `room:<r>:members`: hash user -> member JSON (`u` user, `n` name, `c` connection, `t` token hash,
  `a`/`v` muted, `h` hand raised at (ms), `j` join order); `room:<r>:share`: JSON (`u` user, `s` stream);
  `room:<r>:seq`: the join counter, same expiry; `room:<r>:lock`: sequenced sections;
- `room:<r>:settings`: the room's settings record (issue 14, JSON), same expiry as `room:<r>:used`;
- `room:<r>:waiting`: hash user -> member JSON of the people in the lobby (`j` their arrival order);
  `room:<r>:banned`: set of user ids a host removed; both expire with the room, and the bans go
  with the room's last member (issue 14). A member's JSON also has `r`, its role (`host`/`guest`),
  and `rec`, whether it records the meeting (issue 15);
- `room:<r>:chat:public` and `room:<r>:chat:private`: lists of `<id>\n<entry JSON>`, trimmed to
  the latest CHAT_KEPT each; `room:<r>:chat:seq`: the message id counter. All three go with the
  room's last member;
- `room:<r>:topology`: "sfu" once the meeting went through Janus (issue 16; absent: a mesh); it
  goes with the room's last member and with `endMeeting`;
- `room:<r>:janus`: the URL of the Janus instance that holds the room's VideoRoom room (issue 16),
  placed by the first process that needs it (`PLACE_JANUS`, compare-and-set, so every process
  agrees, also when a dead instance's rooms move), taken by whoever destroys that room once nobody
  is left (`RELEASE_JANUS`, so it is destroyed once); it expires with the room;
- `node:<n>:alive`: presence, with a TTL; `nodes`: set of process ids; `node:<n>:members`: set of
  `room/user` served by that process; `node:<n>:inbox`: the process's pub/sub channel.

A connection id is `<node>.<random>`: the process that holds it, then a part unique to it, so any
process can tell from a member record where to send that member's messages.

The two rules a script needs (a connection's process, a process's inbox) are also written here in
Lua (`LUA_RULES`, put before every script by `script.Script`), next to their Python versions.
"""

from __future__ import annotations

import secrets

PREFIX = "parley:"
LOCK_TTL_MS = 2000
CLOSE_PREFIX = "\x00close\n"  # an inbox message that is an order, not a message for users
ADMIT_PREFIX = "\x00admit\n"  # the order to make a waiting connection its user's in a room


def new_conn_id(node_id: str) -> str:
    """A connection id, unique across every process that shares the store."""
    return f"{node_id}.{secrets.token_hex(8)}"


def node_of(conn_id: str) -> str:
    """The process that holds a connection."""
    return conn_id.split(".", 1)[0]


def key(prefix: str, *parts: str) -> str:
    """A key name: the prefix, then the parts joined by colons."""
    return prefix + ":".join(parts)


def inbox(prefix: str, node_id: str) -> str:
    """The pub/sub channel on which a process receives what other processes send it."""
    return key(prefix, "node", node_id, "inbox")


# The same two rules in Lua.
LUA_RULES = """
local function node_of(conn) return string.match(conn, '^([^.]*)') end
local function inbox(p, node) return p .. 'node:' .. node .. ':inbox' end
"""
