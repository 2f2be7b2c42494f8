"""Which web pages may open `/ws`: the server's own origin, configured ones, and non-browsers."""

from __future__ import annotations

import pytest
import tornado.httpclient

ALLOWED = "https://meet.example.org"


async def assert_refused(ws_connect, origin: str) -> None:
    with pytest.raises(tornado.httpclient.HTTPClientError) as refused:
        await ws_connect(origin=origin)
    assert refused.value.code == 403


@pytest.mark.parametrize("origin", [
    "http://evil.example",
    "https://meet.example.org",  # not configured in this test
    "http://127.0.0.1:1",  # same host, another port
    "null",  # a sandboxed frame or a file:// page
])
async def test_a_foreign_origin_is_refused_with_403(ws_connect, origin):
    await assert_refused(ws_connect, origin)


async def test_the_servers_own_origin_is_accepted(create_room, ws_connect, base_url):
    client = await ws_connect(origin=base_url)
    assert (await client.join(await create_room(), "alice"))["userId"] == "alice"


async def test_the_own_host_behind_a_tls_proxy_is_accepted(create_room, ws_connect, port):
    # protocol.md compares the Origin's host with Host; the scheme may differ behind a TLS proxy.
    client = await ws_connect(origin=f"https://127.0.0.1:{port}")
    assert (await client.join(await create_room(), "alice"))["userId"] == "alice"


async def test_a_client_without_an_origin_is_accepted(create_room, ws_connect):
    client = await ws_connect()
    assert (await client.join(await create_room(), "alice"))["userId"] == "alice"


@pytest.mark.parley_settings(allowed_origins=(ALLOWED,))
async def test_an_allowed_origin_is_accepted(create_room, ws_connect):
    client = await ws_connect(origin=ALLOWED)
    assert (await client.join(await create_room(), "alice"))["userId"] == "alice"


@pytest.mark.parley_settings(allowed_origins=(ALLOWED,))
async def test_allowing_an_origin_still_refuses_others_and_keeps_the_own_one(create_room, ws_connect,
                                                                              base_url):
    await assert_refused(ws_connect, "https://evil.example.org")
    await assert_refused(ws_connect, "https://meet.example.org.evil.example")
    own = await ws_connect(origin=base_url)
    assert (await own.join(await create_room(), "alice"))["userId"] == "alice"
