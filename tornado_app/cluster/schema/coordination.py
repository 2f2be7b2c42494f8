"""The Lua scripts between processes: releasing a room's lock, routing messages to inboxes, orders.

The inbox channels and the orders' prefixes are in `keys.py`.
"""

from __future__ import annotations

from tornado_app.cluster.schema.script import Script

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
