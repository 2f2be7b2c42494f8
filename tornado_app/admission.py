"""Admission secrets for issue 14: host tokens, room passwords and the wrong-password limiter.

Pure helpers plus two async wrappers that run scrypt in the default thread executor, so a
password check never blocks the IOLoop. Nothing here logs or returns a password.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import hmac
import json
import secrets
from collections import deque

# scrypt cost: n=2**14, r=8, p=1 takes 16 MiB and tens of milliseconds, hence the executor.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 14, 8, 1
SALT_BYTES = 16
PASSWORD_MAX = 128
# More than WRONG_LIMIT wrong passwords within WRONG_WINDOW seconds, per address or per room, are refused unchecked.
WRONG_LIMIT = 5
WRONG_WINDOW = 60.0


def new_host_token() -> str:
    """A fresh host token: 32 random bytes (256 bits) from `secrets`, URL-safe."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """The sha256 hex digest stored in place of a host token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def host_token_matches(digest: str | None, token: object) -> bool:
    """Whether `token` is the host token whose digest is stored (constant-time compare)."""
    if not digest or not isinstance(token, str) or not token:
        return False
    return hmac.compare_digest(digest, token_digest(token))


def password_valid(password: object) -> bool:
    """Whether `password` is an acceptable room password: a string of 1 to 128 characters."""
    return isinstance(password, str) and 1 <= len(password) <= PASSWORD_MAX


def hash_password(password: str, salt: bytes | None = None) -> str:
    """A salted scrypt hash, `scrypt$n$r$p$salt$hash` (hex): the only form a password is stored in."""
    salt = secrets.token_bytes(SALT_BYTES) if salt is None else salt
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
                            maxmem=64 * 1024 * 1024, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def check_password(stored: str, password: str) -> bool:
    """Whether `password` matches the stored hash (constant-time compare; a malformed record never matches)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = bytes.fromhex(digest)
        got = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                             maxmem=64 * 1024 * 1024, dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


async def settings_record(host_token: str, *, lobby: bool = False, locked: bool = False,
                          password: str | None = None) -> str:
    """A new room's settings record (JSON, as the stores keep it): only digests, never a secret."""
    return json.dumps({
        "hostTokenSha256": token_digest(host_token),
        "lobby": lobby,
        "locked": locked,
        "passwordHash": await hash_password_async(password) if password is not None else None,
    }, separators=(",", ":"))


def admission_view(record: str | None) -> dict[str, bool]:
    """What anyone may know of a room's admission: `{passwordRequired, lobby, locked}`."""
    settings = json.loads(record) if record else {}
    return {"passwordRequired": bool(settings.get("passwordHash")), "lobby": bool(settings.get("lobby")),
            "locked": bool(settings.get("locked"))}


def host_digest(record: str | None) -> str | None:
    """The stored SHA-256 of the room's host token, if it has one."""
    return json.loads(record).get("hostTokenSha256") if record else None


@dataclasses.dataclass(frozen=True, slots=True)
class RoomSettings:
    """A room's admission settings as its record keeps them (digests only, never a secret)."""

    host_digest: str | None = None
    lobby: bool = False
    locked: bool = False
    password_hash: str | None = None

    @classmethod
    def parse(cls, record: str | None) -> RoomSettings:
        """The settings of a record (a room without one is open, and has no host token)."""
        s = json.loads(record) if record else {}
        return cls(s.get("hostTokenSha256"), bool(s.get("lobby")), bool(s.get("locked")), s.get("passwordHash"))

    def record(self) -> str:
        """The record to store."""
        return json.dumps({"hostTokenSha256": self.host_digest, "lobby": self.lobby, "locked": self.locked,
                           "passwordHash": self.password_hash}, separators=(",", ":"))

    def is_host_token(self, token: object) -> bool:
        """Whether `token` is this room's host token."""
        return host_token_matches(self.host_digest, token)

    @property
    def password_required(self) -> bool:
        """Whether a guest needs the password to join."""
        return bool(self.password_hash)


async def hash_password_async(password: str) -> str:
    """`hash_password` in the default thread executor."""
    return await asyncio.get_running_loop().run_in_executor(None, hash_password, password)


async def check_password_async(stored: str, password: str) -> bool:
    """`check_password` in the default thread executor."""
    return await asyncio.get_running_loop().run_in_executor(None, check_password, stored, password)


class WrongPasswordLimiter:
    """Counts only wrong passwords, per client address and per room; per process (not shared over Redis).

    A check under way counts against the limit until it is decided (`checking`, then `checked`):
    otherwise every guess that arrives during a check's tens of milliseconds of scrypt finds the
    count still low, and guesses sent on many connections at once are all checked (14 of 1,000
    in tests/security/test_password_guessing.py). A join that only the checks under way keep from
    being checked waits for them (`settled`) rather than being refused: they may all be right.
    """

    def __init__(self, limit: int = WRONG_LIMIT, window: float = WRONG_WINDOW, max_keys: int = 10_000) -> None:
        self.limit, self.window, self.max_keys = limit, window, max_keys
        self._wrong: dict[str, deque[float]] = {}
        self._checking: dict[str, int] = {}  # checks under way, per key
        self._waiters: list[asyncio.Future[None]] = []

    def _recent(self, key: str, now: float) -> deque[float] | None:
        stamps = self._wrong.get(key)
        if stamps is None:
            return None
        while stamps and stamps[0] <= now - self.window:
            stamps.popleft()
        if not stamps:
            del self._wrong[key]
            return None
        return stamps

    def blocked(self, address: str, room_id: str, now: float) -> bool:
        """Whether a join must get `rateLimited` without its password being checked."""
        return any(self._wrong_count(key, now) >= self.limit for key in (f"a:{address}", f"r:{room_id}"))

    def must_wait(self, address: str, room_id: str, now: float) -> bool:
        """Whether a check now could make more than the limit: wait for those under way (`settled`)."""
        return any(self._wrong_count(key, now) + self._checking.get(key, 0) >= self.limit
                   for key in (f"a:{address}", f"r:{room_id}"))

    def _wrong_count(self, key: str, now: float) -> int:
        stamps = self._recent(key, now)
        return 0 if stamps is None else len(stamps)

    async def settled(self) -> None:
        """Return when a check under way has been decided."""
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await waiter
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)

    def checking(self, address: str, room_id: str) -> None:
        """A password from `address` for `room_id` is being checked: count it until `checked`."""
        for key in (f"a:{address}", f"r:{room_id}"):
            self._checking[key] = self._checking.get(key, 0) + 1

    def checked(self, address: str, room_id: str, now: float, wrong: bool) -> None:
        """The check begun with `checking` is decided; every join waiting in `settled` looks again."""
        for key in (f"a:{address}", f"r:{room_id}"):
            left = self._checking.get(key, 0) - 1
            if left > 0:
                self._checking[key] = left
            else:
                self._checking.pop(key, None)
        if wrong:
            self.wrong(address, room_id, now)
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    def wrong(self, address: str, room_id: str, now: float) -> None:
        """Record one wrong password from `address` for `room_id`."""
        for key in (f"a:{address}", f"r:{room_id}"):
            stamps = self._recent(key, now)
            if stamps is None:
                if len(self._wrong) >= self.max_keys:  # bound memory: forget every expired key first
                    for old in list(self._wrong):
                        self._recent(old, now)
                    if len(self._wrong) >= self.max_keys:  # all busy: keep the most recently used half
                        keep = sorted(self._wrong.items(), key=lambda kv: kv[1][-1])[self.max_keys // 2:]
                        self._wrong = dict(keep)
                stamps = self._wrong[key] = deque()
            stamps.append(now)
