"""Finding 9: DNS rebinding. A page on attacker.example whose name is made to resolve to 127.0.0.1
sends `Host: attacker.example:<port>` and the matching Origin. The server answers only to host names
it knows (loopback, the bound address, --public-url, LAN names, --allowed-host): others get 421
`misdirectedRequest`, a request without Host 400 `hostRequired`, and the WebSocket compares the
Origin with those known names, not with whatever Host the request carries."""

from __future__ import annotations

import pytest
import tornado.httpclient
import tornado.httpserver
import tornado.netutil
from http_policy_support import assert_error, raw_request

from tornado_app.app import make_app
from tornado_app.config import Settings, load_settings
from tornado_app.server import ParleyServer


async def test_an_unknown_host_gets_421_on_pages_and_api(fetch_json, port):
    attacker = {"Host": f"attacker.example:{port}"}
    for method, path, body in (("GET", "/", None), ("GET", "/healthz", None),
                               ("POST", "/createRoom", {}), ("GET", "/assets/x.js", None)):
        response = await fetch_json(method, path, body, headers=attacker)
        assert_error(response, 421, "misdirectedRequest")


async def test_the_rebound_websocket_does_not_open(ws_connect, port):
    # Before the fix this socket opened and could join any room whose id the page knew.
    with pytest.raises(tornado.httpclient.HTTPClientError) as refused:
        await ws_connect(origin=f"http://attacker.example:{port}",
                         headers={"Host": f"attacker.example:{port}"})
    assert refused.value.code == 421


async def test_a_request_without_host_is_refused(port):
    status, _, body = await raw_request(port, "GET /healthz HTTP/1.0")
    assert (status, body["code"]) == (400, "hostRequired")


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "LOCALHOST."])
async def test_loopback_names_are_served(fetch_json, port, host):
    response = await fetch_json("GET", "/healthz", headers={"Host": f"{host}:{port}"})
    assert response.status == 200, host


async def test_another_loopback_address_is_not_this_server(fetch_json, port):
    # Bound to 127.0.0.1 and reached on it: 127.0.0.3 names neither.
    response = await fetch_json("GET", "/healthz", headers={"Host": f"127.0.0.3:{port}"})
    assert_error(response, 421, "misdirectedRequest")


@pytest.mark.parley_settings(allowed_hosts=("meet.internal",))
async def test_allowed_hosts_are_served_and_their_origin_may_open_the_websocket(fetch_json,
                                                                               ws_connect, port):
    host = {"Host": f"meet.internal:{port}"}
    assert (await fetch_json("GET", "/healthz", headers=host)).status == 200
    client = await ws_connect(origin=f"http://meet.internal:{port}", headers=host)
    assert client.conn.protocol is not None


@pytest.mark.parley_settings(public_url="https://meet.example.org", behind_proxy=True)
async def test_behind_a_proxy_the_public_host_is_served(fetch_json):
    response = await fetch_json("GET", "/healthz", headers={"Host": "meet.example.org"})
    assert response.status == 200
    response = await fetch_json("GET", "/healthz", headers={"Host": "other.example.org"})
    assert_error(response, 421, "misdirectedRequest")


async def test_a_known_host_with_a_foreign_origin_cannot_open_the_websocket(ws_connect, port):
    with pytest.raises(tornado.httpclient.HTTPClientError) as refused:
        await ws_connect(origin=f"http://attacker.example:{port}")
    assert refused.value.code == 403


async def test_a_server_bound_to_another_loopback_address_answers_by_that_address(tmp_path):
    server = ParleyServer(Settings(host="127.0.0.5", port=0, data_dir=tmp_path))
    await server.start()
    client = tornado.httpclient.AsyncHTTPClient()
    try:
        url = f"http://127.0.0.5:{server.port}/healthz"
        assert (await client.fetch(url)).code == 200
        rebound = await client.fetch(url, headers={"Host": f"evil.example:{server.port}"},
                                     raise_error=False)
        assert rebound.code == 421
    finally:
        await server.stop()


def test_allowed_host_is_a_flag_a_variable_and_a_config_key(tmp_path):
    assert load_settings(["--allowed-host", "a.example", "--allowed-host", "B.example"],
                         env={}).allowed_hosts == ("a.example", "b.example")
    assert load_settings([], env={"PARLEY_ALLOWED_HOSTS": "a.example, 10.0.0.7"}
                         ).allowed_hosts == ("a.example", "10.0.0.7")
    config = tmp_path / "parley.toml"
    config.write_text('allowed-host = ["meet.internal"]\n')
    assert load_settings(["--config", str(config)], env={}).allowed_hosts == ("meet.internal",)
    with pytest.raises(SystemExit):
        load_settings(["--allowed-host", "https://meet.internal/"], env={})


async def test_with_a_wildcard_host_the_address_a_client_reached_is_served(tmp_path):
    # --host 0.0.0.0 listens on every address; here the listening socket is on 127.0.0.7 alone
    # (tests stay on loopback), which is what a client reaching one of the machine's addresses sees.
    app = make_app(Settings(host="0.0.0.0", port=0, data_dir=tmp_path))
    sockets = tornado.netutil.bind_sockets(0, "127.0.0.7")
    server = tornado.httpserver.HTTPServer(app)
    server.add_sockets(sockets)
    port = sockets[0].getsockname()[1]
    client = tornado.httpclient.AsyncHTTPClient()
    try:
        url = f"http://127.0.0.7:{port}/healthz"
        assert (await client.fetch(url)).code == 200  # Host: 127.0.0.7, the connected address
        other = await client.fetch(url, headers={"Host": f"127.0.0.8:{port}"}, raise_error=False)
        assert other.code == 421  # an address, but not the one this connection reached
        named = await client.fetch(url, headers={"Host": f"parley.lan:{port}"}, raise_error=False)
        assert named.code == 421  # a DNS name needs --allowed-host or --public-url
    finally:
        server.stop()
        await server.close_all_connections()
        await app.settings["parley"].store.close()
