"""What several server processes agree on in Redis: key names, connection ids and the Lua scripts.

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

Every compound step is one Lua script, so it is atomic. Each script is called by its SHA-1 with
`EVALSHA` (`Script.run`), on whichever connection the caller uses, and loaded again when Redis has
forgotten it (a restart). Every script gets the key prefix as ARGV[1].
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

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
_LUA_COMMON = """
local function node_of(conn) return string.match(conn, '^([^.]*)') end
local function inbox(p, node) return p .. 'node:' .. node .. ':inbox' end
"""


class Script:
    """A Lua script run by its SHA-1 (EVALSHA), loaded again if Redis has forgotten it.

    `execute` is whatever sends one command and awaits its reply: redis-py's `execute_command`
    or a lean `RespConnection.call` (see `wire.py`).
    """

    def __init__(self, source: str) -> None:
        self.source = _LUA_COMMON + source
        self.sha = hashlib.sha1(self.source.encode()).hexdigest()

    async def run(self, execute: Callable[..., Awaitable[Any]], prefix: str, *args: Any,
                  keys: tuple[str, ...] = ()) -> Any:
        """The script's reply for these keys and arguments (the prefix goes first)."""
        command = ("EVALSHA", self.sha, len(keys), *keys, prefix, *args)
        try:
            return await execute(*command)
        except Exception as exc:
            if not _is_noscript(exc):
                raise
        await execute("SCRIPT", "LOAD", self.source)  # Redis restarted empty
        return await execute(*command)


def _is_noscript(exc: Exception) -> bool:
    # hiredis keeps Redis's "NOSCRIPT ..." text; redis-py turns it into NoScriptError.
    return str(exc).startswith("NOSCRIPT") or type(exc).__name__ == "NoScriptError"


# Mark a room used now: the last two ARGV are now (s) and the TTL (ms, 0 = none).
_TOUCH = """
local function touch(p, room)
  local now, ttl = ARGV[#ARGV - 1], tonumber(ARGV[#ARGV])
  local used, seq = p .. 'room:' .. room .. ':used', p .. 'room:' .. room .. ':seq'
  if ttl > 0 then
    redis.call('SET', used, now, 'PX', ttl)
    redis.call('PEXPIRE', seq, ttl)
    redis.call('PEXPIRE', p .. 'room:' .. room .. ':settings', ttl)
    redis.call('PEXPIRE', p .. 'room:' .. room .. ':waiting', ttl)
    redis.call('PEXPIRE', p .. 'room:' .. room .. ':banned', ttl)
    redis.call('ZREMRANGEBYSCORE', p .. 'rooms:used', '-inf', '(' .. (tonumber(now) - ttl / 1000))
  else
    redis.call('SET', used, now)
  end
  redis.call('ZADD', p .. 'rooms:used', now, room)
end
"""

# ARGV[3]: the settings record, '' for none.
CREATE = Script(_TOUCH + """
if ARGV[3] ~= '' then redis.call('SET', ARGV[1] .. 'room:' .. ARGV[2] .. ':settings', ARGV[3]) end
touch(ARGV[1], ARGV[2])
""")

# Replace an existing room's settings record (ARGV[3]); 0 if the room does not exist.
SET_SETTINGS = Script(_TOUCH + """
local p, room = ARGV[1], ARGV[2]
if redis.call('EXISTS', p .. 'room:' .. room .. ':used', p .. 'room:' .. room .. ':members') == 0 then
  return 0
end
redis.call('SET', p .. 'room:' .. room .. ':settings', ARGV[3])
touch(p, room)
return 1
""")

# Rooms from before rooms expired were a set `rooms`: each gets a last use of now.
MIGRATE = Script(_TOUCH + """
local p = ARGV[1]
if redis.call('TYPE', p .. 'rooms')['ok'] ~= 'set' then return 0 end
local rooms = redis.call('SMEMBERS', p .. 'rooms')
for _, room in ipairs(rooms) do touch(p, room) end
redis.call('DEL', p .. 'rooms')
return #rooms
""")

# Whether someone may enter the room: '' if so, else the error code.
_ENTRY = """
local function refused(p, room, user)
  if redis.call('EXISTS', p .. 'room:' .. room .. ':used', p .. 'room:' .. room .. ':members') == 0 then
    return 'roomNotFound'  -- unused for the TTL, or never created (a room with people lives)
  end
  if redis.call('SISMEMBER', p .. 'room:' .. room .. ':banned', user) == 1 then return 'admissionDenied' end
  return ''
end
"""

# Add a member (JSON `new`, table) as new or as a resume; {'err', code} or {kind, replaced, share,
# everyone's JSON...}. Shared by a join and an admission from the lobby.
_ADD = _TOUCH + """
local function add(p, room, user, new, max_size, token_hash)
  local members = p .. 'room:' .. room .. ':members'
  local present = redis.call('HGET', members, user)
  local kind = 'new'
  if present then
    local old = cjson.decode(present)
    if token_hash == '' or old.t ~= token_hash then return {'err', 'userIdTaken'} end
    kind = 'resumed'
    new.j = old.j
    new.n = old.n
    new.h = old.h
    new.rec = old.rec
    if old.r == 'host' then new.r = 'host' end
    redis.call('SREM', p .. 'node:' .. node_of(old.c) .. ':members', room .. '/' .. user)
  else
    if redis.call('HLEN', members) >= max_size then return {'err', 'roomFull'} end
    new.j = redis.call('INCR', p .. 'room:' .. room .. ':seq')
  end
  local node = node_of(new.c)
  redis.call('HSET', members, user, cjson.encode(new))
  redis.call('SADD', p .. 'node:' .. node .. ':members', room .. '/' .. user)
  redis.call('SADD', p .. 'nodes', node)
  touch(p, room)
  local share = redis.call('GET', p .. 'room:' .. room .. ':share') or ''
  return {kind, present or '', share, unpack(redis.call('HVALS', members))}
end
"""

ADD_MEMBER = Script(_ENTRY + _ADD + """
local p, room, user, member, max_size, token_hash = ARGV[1], ARGV[2], ARGV[3], ARGV[4],
  tonumber(ARGV[5]), ARGV[6]
local why = refused(p, room, user)
if why ~= '' then return {'err', why} end
return add(p, room, user, cjson.decode(member), max_size, token_hash)
""")

# Let ARGV[3] in from the lobby with the resume token hash ARGV[4]: {'none'} when not waiting (or
# already a member), {'err', 'roomFull'}, else add's reply then the member's JSON.
ADMIT = Script(_ADD + """
local p, room, user, token_hash, max_size = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
local waiting = p .. 'room:' .. room .. ':waiting'
local raw = redis.call('HGET', waiting, user)
if not raw or redis.call('HEXISTS', p .. 'room:' .. room .. ':members', user) == 1 then return {'none'} end
local new = cjson.decode(raw)
new.t = token_hash
new.r = 'guest'
local reply = add(p, room, user, new, max_size, '')
if reply[1] == 'err' then return reply end
redis.call('HDEL', waiting, user)
redis.call('SREM', p .. 'node:' .. node_of(new.c) .. ':waiting', room .. '/' .. user)
reply[#reply + 1] = redis.call('HGET', p .. 'room:' .. room .. ':members', user)
return reply
""")

# Put ARGV[3] (member JSON ARGV[4]) in the lobby: {'err', code} or {replaced conn or '', hosts...}.
ADD_WAITING = Script(_ENTRY + _TOUCH + """
local p, room, user, member = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local why = refused(p, room, user)
if why ~= '' then return {'err', why} end
local waiting = p .. 'room:' .. room .. ':waiting'
local new = cjson.decode(member)
new.j = redis.call('INCR', p .. 'room:' .. room .. ':seq')
local earlier = redis.call('HGET', waiting, user)
local replaced = ''
if earlier then
  replaced = cjson.decode(earlier).c
  redis.call('SREM', p .. 'node:' .. node_of(replaced) .. ':waiting', room .. '/' .. user)
end
redis.call('HSET', waiting, user, cjson.encode(new))
redis.call('SADD', p .. 'node:' .. node_of(new.c) .. ':waiting', room .. '/' .. user)
redis.call('SADD', p .. 'nodes', node_of(new.c))
touch(p, room)
local hosts = {replaced}
for _, raw in ipairs(redis.call('HVALS', p .. 'room:' .. room .. ':members')) do
  local m = cjson.decode(raw)
  if m.r == 'host' then hosts[#hosts + 1] = m.u end
end
return hosts
""")

# Take ARGV[3] out of the lobby if waiting on connection ARGV[4] (any, if ''): its JSON or ''.
TAKE_WAITING = Script("""
local p, room, user, conn = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local waiting = p .. 'room:' .. room .. ':waiting'
local raw = redis.call('HGET', waiting, user)
if not raw then return '' end
local c = cjson.decode(raw).c
if conn ~= '' and c ~= conn then return '' end
redis.call('HDEL', waiting, user)
redis.call('SREM', p .. 'node:' .. node_of(c) .. ':waiting', room .. '/' .. user)
return raw
""")

# Set field ARGV[4] of member ARGV[3] to the JSON value ARGV[5] (a role `r`, recording `rec`):
# {} if not a member, {0} if unchanged, {1, everyone...}. A missing field is its default.
SET_FIELD = Script("""
local p, room, user, field, value = ARGV[1], ARGV[2], ARGV[3], ARGV[4], cjson.decode(ARGV[5])
local defaults = {r = 'guest', rec = false}
local members = p .. 'room:' .. room .. ':members'
local present = redis.call('HGET', members, user)
if not present then return {} end
local m = cjson.decode(present)
local now = m[field]
if now == nil or now == cjson.null then now = defaults[field] end
if now == value then return {0} end
m[field] = value
redis.call('HSET', members, user, cjson.encode(m))
return {1, unpack(redis.call('HKEYS', members))}
""")

# Record the room's topology ARGV[3] (issue 16) while it has members; it expires with the room.
SET_TOPOLOGY = Script("""
local p, room, mode = ARGV[1], ARGV[2], ARGV[3]
local r = p .. 'room:' .. room .. ':'
if redis.call('HLEN', r .. 'members') == 0 then return 0 end
local ttl = redis.call('PTTL', r .. 'used')
if ttl > 0 then redis.call('SET', r .. 'topology', mode, 'PX', ttl) else redis.call('SET', r .. 'topology', mode) end
return 1
""")

# Place room ARGV[2] on Janus ARGV[4] if its record is still ARGV[3] ('': none yet); the record now.
PLACE_JANUS = Script("""
local p, room, expected, url = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local k = p .. 'room:' .. room .. ':janus'
local now = redis.call('GET', k)
if (now == false and expected == '') or now == expected then
  local ttl = redis.call('PTTL', p .. 'room:' .. room .. ':used')
  if ttl > 0 then redis.call('SET', k, url, 'PX', ttl) else redis.call('SET', k, url) end
  return {url, 1}
end
return {now, 0}
""")

# Nobody left in room ARGV[2]: take its Janus record (returned; false if someone is in or none).
RELEASE_JANUS = Script("""
local p, room = ARGV[1], ARGV[2]
local r = p .. 'room:' .. room .. ':'
if redis.call('HLEN', r .. 'members') > 0 then return false end
local url = redis.call('GET', r .. 'janus')
if url then redis.call('DEL', r .. 'janus') end
return url
""")

# End the meeting: delete its members, lobby, share, chat and bans. {members' JSON, waiting JSON}.
END_MEETING = Script(_TOUCH + """
local p, room = ARGV[1], ARGV[2]
local r = p .. 'room:' .. room .. ':'
local members, waiting = redis.call('HVALS', r .. 'members'), redis.call('HVALS', r .. 'waiting')
for _, raw in ipairs(members) do
  local m = cjson.decode(raw)
  redis.call('SREM', p .. 'node:' .. node_of(m.c) .. ':members', room .. '/' .. m.u)
end
for _, raw in ipairs(waiting) do
  local m = cjson.decode(raw)
  redis.call('SREM', p .. 'node:' .. node_of(m.c) .. ':waiting', room .. '/' .. m.u)
end
redis.call('DEL', r .. 'members', r .. 'waiting', r .. 'share', r .. 'banned', r .. 'chat:public',
  r .. 'chat:private', r .. 'chat:seq', r .. 'topology')
touch(p, room)
return {members, waiting}
""")

# Remove ARGV[3] if on connection ARGV[4] (any, if ''); ARGV[5] = '1' bans the user id.
# {0} or {1, was sharing, promoted user or '', remaining...}.
REMOVE_MEMBER = Script(_TOUCH + """
local p, room, user, conn, ban = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local members = p .. 'room:' .. room .. ':members'
local present = redis.call('HGET', members, user)
if not present then return {0} end
local old = cjson.decode(present)
if conn ~= '' and old.c ~= conn then return {0} end
redis.call('HDEL', members, user)
if ban == '1' then redis.call('SADD', p .. 'room:' .. room .. ':banned', user) end
touch(p, room)
local promoted = ''
if redis.call('HLEN', members) == 0 then  -- the meeting is over: its chat and bans go with it
  local chat = p .. 'room:' .. room .. ':chat:'
  redis.call('DEL', chat .. 'public', chat .. 'private', chat .. 'seq', p .. 'room:' .. room .. ':banned',
    p .. 'room:' .. room .. ':topology')
elseif old.r == 'host' then  -- the last host gone: the member present longest takes over
  local longest, any_host = nil, false
  for _, raw in ipairs(redis.call('HVALS', members)) do
    local m = cjson.decode(raw)
    if m.r == 'host' then any_host = true end
    if longest == nil or m.j < longest.j then longest = m end
  end
  if not any_host then
    longest.r = 'host'
    redis.call('HSET', members, longest.u, cjson.encode(longest))
    promoted = longest.u
  end
end
redis.call('SREM', p .. 'node:' .. node_of(old.c) .. ':members', room .. '/' .. user)
local share_key = p .. 'room:' .. room .. ':share'
local was_sharing = 0
local share = redis.call('GET', share_key)
if share and cjson.decode(share).u == user then
  redis.call('DEL', share_key)
  was_sharing = 1
end
return {1, was_sharing, promoted, unpack(redis.call('HKEYS', members))}
""")

SET_SHARER = Script("""
local p, room, user, share = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local members = p .. 'room:' .. room .. ':members'
if redis.call('HEXISTS', members, user) == 0 then return {} end
redis.call('SET', p .. 'room:' .. room .. ':share', share)
return redis.call('HKEYS', members)
""")

CLEAR_SHARER = Script("""
local p, room, user = ARGV[1], ARGV[2], ARGV[3]
local share_key = p .. 'room:' .. room .. ':share'
local share = redis.call('GET', share_key)
if not share or cjson.decode(share).u ~= user then return {0} end
redis.call('DEL', share_key)
return {1, unpack(redis.call('HKEYS', p .. 'room:' .. room .. ':members'))}
""")

SET_MEDIA = Script("""
local p, room, user, audio, video = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local members = p .. 'room:' .. room .. ':members'
local present = redis.call('HGET', members, user)
if not present then return 0 end
local m = cjson.decode(present)
m.a = audio == '1'
m.v = video == '1'
redis.call('HSET', members, user, cjson.encode(m))
return 1
""")

# Raise (ARGV[4] = the time in ms) or lower (ARGV[4] = '') a member's hand: {changed, raised at
# after it ('' if down), everyone in the room...}; {0, ''} when the user is not in the room.
SET_HAND = Script("""
local p, room, user, raised_at = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local members = p .. 'room:' .. room .. ':members'
local present = redis.call('HGET', members, user)
if not present then return {0, ''} end
local m = cjson.decode(present)
local up = m.h ~= nil and m.h ~= cjson.null
if up == (raised_at ~= '') then
  return {0, up and string.format('%d', m.h) or '', unpack(redis.call('HKEYS', members))}
end
m.h = tonumber(raised_at)
redis.call('HSET', members, user, cjson.encode(m))
return {1, raised_at, unpack(redis.call('HKEYS', members))}
""")

# Keep a chat message (ARGV[5], its JSON) from ARGV[3], private to ARGV[4] unless ''; trim to the
# latest ARGV[6]. {id, everyone in the room...}; the id is '' when nothing was kept (the sender,
# or the target, is not in the room: then no one, or everyone, follows).
ADD_CHAT = Script("""
local p, room, sender, target, entry, kept = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5],
  tonumber(ARGV[6])
local members = p .. 'room:' .. room .. ':members'
if redis.call('HEXISTS', members, sender) == 0 then return {''} end
if target ~= '' and redis.call('HEXISTS', members, target) == 0 then
  return {'', unpack(redis.call('HKEYS', members))}
end
local chat = p .. 'room:' .. room .. ':chat:'
local id = redis.call('INCR', chat .. 'seq')
local list = chat .. (target == '' and 'public' or 'private')
redis.call('RPUSH', list, id .. '\\n' .. entry)
redis.call('LTRIM', list, -kept, -1)
return {tostring(id), unpack(redis.call('HKEYS', members))}
""")

CHAT_HISTORY = Script("""
local chat = ARGV[1] .. 'room:' .. ARGV[2] .. ':chat:'
return {redis.call('LRANGE', chat .. 'public', 0, -1), redis.call('LRANGE', chat .. 'private', 0, -1)}
""")

UNLOCK = Script("""
if redis.call('GET', KEYS[1]) == ARGV[2] then return redis.call('DEL', KEYS[1]) end
return 0
""")

# Publish a message to the inboxes of the processes that hold its recipients, one message per
# process, in one step: every process sees a room's messages in Redis's one order. Returns how
# many recipients are in the room (the relay's membership check).
ROUTE = Script("""
local p, room, data = ARGV[1], ARGV[2], ARGV[3]
local members = p .. 'room:' .. room .. ':members'
local by_node, order, found = {}, {}, 0
for i = 4, #ARGV do
  local raw = redis.call('HGET', members, ARGV[i])
  if raw then
    found = found + 1
    local node = node_of(cjson.decode(raw).c)
    if not by_node[node] then by_node[node] = {}; order[#order + 1] = node end
    table.insert(by_node[node], ARGV[i])
  end
end
for _, node in ipairs(order) do
  redis.call('PUBLISH', inbox(p, node), room .. '\\n' .. table.concat(by_node[node], ',') .. '\\n' .. data)
end
return found
""")

# Send the process holding connection ARGV[2] an order about it (close it, admit it): ARGV[3].
CLOSE = Script("""
return redis.call('PUBLISH', inbox(ARGV[1], node_of(ARGV[2])), ARGV[3])
""")
