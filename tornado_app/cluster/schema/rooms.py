"""The Lua scripts of a room's life and of who is in it: create, settings, join, lobby, roles, leave, end.

The keys they use are described in `keys.py`; `_TOUCH` marks a room used (its expiry).
"""

from __future__ import annotations

from tornado_app.cluster.schema.script import Script

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
