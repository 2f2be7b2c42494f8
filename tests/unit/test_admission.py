"""Issue 14 admission secrets: host tokens, scrypt room passwords, the wrong-password limiter."""

from __future__ import annotations

import asyncio

from tornado_app import admission


def test_host_token_has_at_least_128_bits_and_only_its_digest_matches():
    token = admission.new_host_token()
    assert len(token) >= 43  # 32 bytes, base64url
    assert token != admission.new_host_token()
    digest = admission.token_digest(token)
    assert token not in digest and len(digest) == 64
    assert admission.host_token_matches(digest, token)
    assert not admission.host_token_matches(digest, token + "x")
    assert not admission.host_token_matches(digest, "")
    assert not admission.host_token_matches(digest, None)
    assert not admission.host_token_matches(None, token)
    assert not admission.host_token_matches(digest, digest)  # the stored digest is not a token


def test_password_length_is_1_to_128_characters():
    assert admission.password_valid("a")
    assert admission.password_valid("é" * 128)
    assert not admission.password_valid("")
    assert not admission.password_valid("a" * 129)
    assert not admission.password_valid(None)
    assert not admission.password_valid(1234)


def test_password_is_stored_salted_and_checked():
    stored = admission.hash_password("correct horse")
    again = admission.hash_password("correct horse")
    assert "correct horse" not in stored
    assert stored != again  # a fresh salt each time
    assert stored.startswith("scrypt$16384$8$1$")
    assert admission.check_password(stored, "correct horse")
    assert admission.check_password(again, "correct horse")
    assert not admission.check_password(stored, "correct horsE")
    assert not admission.check_password(stored, "")
    assert not admission.check_password("garbage", "correct horse")
    assert not admission.check_password("scrypt$x$8$1$00$00", "correct horse")


def test_async_wrappers_run_off_the_event_loop_and_agree():
    async def main():
        stored = await admission.hash_password_async("pw")
        return await asyncio.gather(admission.check_password_async(stored, "pw"),
                                    admission.check_password_async(stored, "nope"))

    assert asyncio.run(main()) == [True, False]


def test_more_than_five_wrong_passwords_a_minute_per_address_are_refused_unchecked():
    limiter = admission.WrongPasswordLimiter()
    for i in range(5):
        assert not limiter.blocked("198.51.100.7", f"room{i}", 100.0 + i)
        limiter.wrong("198.51.100.7", f"room{i}", 100.0 + i)
    assert limiter.blocked("198.51.100.7", "another", 110.0)
    assert not limiter.blocked("198.51.100.8", "another", 110.0)  # another address is not affected
    assert not limiter.blocked("198.51.100.7", "another", 100.0 + 4 + 60.0)  # a minute later: free again


def test_more_than_five_wrong_passwords_a_minute_per_room_are_refused_from_any_address():
    limiter = admission.WrongPasswordLimiter()
    for i in range(5):
        limiter.wrong(f"203.0.113.{i}", "room", 10.0)
    assert limiter.blocked("203.0.113.99", "room", 20.0)
    assert not limiter.blocked("203.0.113.99", "other-room", 20.0)


def test_limiter_memory_stays_bounded():
    limiter = admission.WrongPasswordLimiter(max_keys=100)
    for i in range(1000):
        limiter.wrong(f"10.0.{i // 256}.{i % 256}", "room", 1.0 + i * 0.001)
    assert len(limiter._wrong) <= 100
    assert limiter.blocked("10.9.9.9", "room", 2.0)  # the busy room's key survives eviction
