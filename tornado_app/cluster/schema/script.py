"""The one script mechanism: every compound step in Redis is one Lua script, so it is atomic.

Each script is called by its SHA-1 with `EVALSHA` (`Script.run`), on whichever connection the
caller uses, and loaded again when Redis has forgotten it (a restart). Every script gets the key
prefix as ARGV[1], and starts with the Lua rules of `keys.py` (`LUA_RULES`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from typing import Any

from tornado_app.cluster.schema.keys import LUA_RULES


class Script:
    """A Lua script run by its SHA-1 (EVALSHA), loaded again if Redis has forgotten it.

    `execute` is whatever sends one command and awaits its reply: redis-py's `execute_command`
    or a lean `RespConnection.call` (see `cluster/wire.py`).
    """

    def __init__(self, source: str) -> None:
        self.source = LUA_RULES + source
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
