"""Several server processes on one Redis: the shared store, delivery across processes, presence.

`schema/` holds what the processes agree on (keys, connection ids, Lua scripts), `store.py` the
rooms, `bus.py` the delivery, `presence.py` the reaper, `wire.py` the lean Redis connection of the
relay's hot path.
"""
