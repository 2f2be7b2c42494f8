"""The Lua scripts of what a meeting's people share: screen share, media, hands, chat, topology, Janus.

The keys they use are described in `keys.py`.
"""

from __future__ import annotations

from tornado_app.cluster.schema.script import Script

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
