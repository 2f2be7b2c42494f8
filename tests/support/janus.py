"""A real Janus (Debian's `janus`, 1.1.x) for tests, with a configuration generated in a folder of the caller's.

The generated configuration is the hardened one `docs/janus.md` describes, shrunk to what the tests need:
- the WebSocket transport only (`janus-protocol` on `ws://127.0.0.1:<free port>`, plain `ws`, no `wss`),
  with an ACL of 127. on top of the loopback bind; the Admin API is off (no admin WebSocket, no HTTP);
- the VideoRoom plugin only: the plugin and transport folders hold a link to just those two libraries,
  so nothing else can load whatever Debian installs next; no event handlers, no loggers;
- no STUN/TURN server, no libnice debugging, a short `session_timeout` when a test asks for one;
- string room and participant ids by default (`string_ids`), so a Parley room id can name a room;
- everything Janus prints goes to a log file in that folder (shown when it fails to start).

ICE: Janus never gathers candidates on a loopback interface (ice.c skips IFF_LOOPBACK), so a Janus on
127.0.0.1 alone can negotiate SDP but never carry media. Signaling-only tests keep the default
`ice_enforce_list="lo"`: Janus gathers nothing at all and sends no packet anywhere. A media test
passes a `MediaNamespace`: Janus runs inside it, gathers on its own interface (a private address
no packet leaves), and listens on a Unix socket file instead of TCP; Chromium runs in the same
namespace (`MediaNamespace.chromium_wrapper`).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from websockets.exceptions import WebSocketException
from websockets.sync.client import connect, unix_connect

from support.processes import LoggedProcess, free_port

# Debian's layout (the `janus` package, amd64 and others alike through the multiarch triplet).
_LIB_DIRS = [Path("/usr/lib") / d / "janus" for d in ("x86_64-linux-gnu", "aarch64-linux-gnu")] + [
    Path("/usr/lib/janus")]
VIDEOROOM = "libjanus_videoroom.so"
WEBSOCKETS = "libjanus_websockets.so"


def janus_lib_dir() -> Path:
    """Where Debian's janus keeps its plugins/ and transports/."""
    for candidate in _LIB_DIRS:
        if (candidate / "plugins" / VIDEOROOM).exists():
            return candidate
    raise RuntimeError("Janus's VideoRoom plugin is missing: run `make test` (`.ci/system-deps` installs "
                       "Debian's `janus`)")


def _jcfg(value: Any) -> str:
    """One value in Janus's libconfig-style .jcfg syntax."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value))


def _section(name: str, items: dict[str, Any]) -> str:
    body = "".join(f"\t{key} = {_jcfg(value)}\n" for key, value in items.items() if value is not None)
    return f"{name}: {{\n{body}}}\n"


class JanusServer(LoggedProcess):
    """Starts, kills and stops one Janus on a free loopback port; `url` is its WebSocket API."""

    def __init__(self, folder: Path, *, session_timeout: int = 60, string_ids: bool = True,
                 ice_enforce_list: str | None = "lo", admin_key: str | None = None,
                 netns: MediaNamespace | None = None) -> None:
        if shutil.which("janus") is None:
            raise RuntimeError("janus is missing: run `make test` (`.ci/system-deps` installs Debian's `janus`)")
        self.folder = folder
        self.session_timeout = session_timeout
        self.string_ids = string_ids
        self.ice_enforce_list = ice_enforce_list
        # Who may create rooms: a caller (Parley) that knows the key; other local users cannot.
        self.admin_key = admin_key if admin_key is not None else secrets.token_urlsafe(16)
        self.port = free_port()
        # In a namespace, the WebSocket is a Unix socket file: reachable from the tests' namespace,
        # where the namespace's 127.0.0.1 is not. ICE then gathers on the namespace's interface.
        self.netns = netns
        self.unix_socket: Path | None = None if netns is None else folder / "janus.sock"
        if netns is not None:
            self.ice_enforce_list = netns.interface
        self.log_path = folder / "janus.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        """The WebSocket API, e.g. ws://127.0.0.1:PORT"""
        return f"ws://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.proc is not None, "janus is not running"
        return self.proc.pid

    def write_config(self) -> Path:
        """Write the configuration folder (see the module docstring); returns the path of janus.jcfg."""
        lib = janus_lib_dir()
        conf = self.folder / "conf"
        for sub in ("plugins", "transports", "events", "loggers"):
            (self.folder / sub).mkdir(parents=True, exist_ok=True)
        conf.mkdir(parents=True, exist_ok=True)
        for sub, name in (("plugins", VIDEOROOM), ("transports", WEBSOCKETS)):
            link = self.folder / sub / name
            if not link.exists():
                link.symlink_to(lib / sub / name)
        general = {
            "configs_folder": conf, "plugins_folder": self.folder / "plugins",
            "transports_folder": self.folder / "transports", "events_folder": self.folder / "events",
            "loggers_folder": self.folder / "loggers",
            "log_to_stdout": True,  # to the log file: stdout is redirected there, with anything Janus prints early
            "debug_level": 4, "debug_timestamps": True, "debug_colors": False,
            "session_timeout": self.session_timeout, "server_name": "parley-test",
            "hide_dependencies": True,
        }
        (conf / "janus.jcfg").write_text(
            _section("general", general)
            + _section("media", {})
            + _section("nat", {"nice_debug": False, "ignore_mdns": True, "ice_enforce_list": self.ice_enforce_list})
            + _section("events", {"broadcast": False}))
        listen = ({"ws_unix": self.unix_socket} if self.unix_socket is not None else
                  {"ws_port": self.port, "ws_ip": "127.0.0.1", "ws_acl": "127."})
        (conf / "janus.transport.websockets.jcfg").write_text(
            _section("general", {"json": "compact", "ws": True, **listen, "wss": False, "ws_logging": "err,warn"})
            + _section("admin", {"admin_ws": False, "admin_wss": False}))
        (conf / "janus.plugin.videoroom.jcfg").write_text(
            _section("general", {"admin_key": self.admin_key, "string_ids": self.string_ids, "events": False}))
        return conf / "janus.jcfg"

    def launch(self) -> None:
        """Start Janus without waiting for it (`wait_ready` waits)."""
        config = self.write_config()
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        try:
            self.proc = subprocess.Popen(
                [*(self.netns.exec_prefix() if self.netns else ()),
                 "janus", "--config", str(config), "--configs-folder", str(config.parent)],
                stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT)
        except BaseException:
            self.stop()
            raise

    def info(self, timeout: float = 2.0) -> dict[str, Any]:
        """Janus's `info` answer (`server_info`), over its WebSocket API."""
        if self.unix_socket is not None:
            opened = unix_connect(str(self.unix_socket), "ws://janus/", subprotocols=["janus-protocol"],
                                  open_timeout=timeout)
        else:
            opened = connect(self.url, subprotocols=["janus-protocol"], open_timeout=timeout)
        with opened as ws:
            ws.send(json.dumps({"janus": "info", "transaction": "ready?"}))
            return json.loads(ws.recv(timeout=timeout))

    def wait_ready(self, timeout: float = 30.0) -> None:
        """Return once the WebSocket answers `info`; stop it and raise with its log if it never does."""
        assert self.proc is not None
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                code = self.stop()
                raise RuntimeError(f"janus exited with {code}:\n{self.log_tail()}")
            try:
                if self.info().get("janus") == "server_info":
                    return
            except (OSError, TimeoutError, WebSocketException):  # not listening yet
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"janus did not answer `info` within {timeout:.0f} s:\n{self.log_tail()}")
            time.sleep(0.05)  # polling a process that is starting: there is no event to await

    def start(self, timeout: float = 30.0) -> None:
        """Start Janus and wait until its WebSocket answers `info`."""
        self.launch()
        self.wait_ready(timeout)

    def signal(self, sig: int) -> None:
        """Send Janus a signal (SIGKILL: it dies as in a crash; SIGSTOP: it hangs)."""
        assert self.proc is not None
        self.proc.send_signal(sig)

    def stop(self, timeout: float = 10.0) -> int | None:
        """Stop Janus (SIGINT is its clean shutdown; SIGKILL if it hangs); returns its exit status."""
        code = None
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGCONT)  # a test may have left it stopped
                self.proc.send_signal(signal.SIGINT)
                try:
                    self.proc.wait(timeout)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
            code = self.proc.returncode
            self.proc = None
        if self._log is not None:
            self._log.close()
            self._log = None
        return code

    def restart(self, timeout: float = 30.0) -> None:
        """Start Janus again after `kill()` (as an operator's supervisor would), with the same
        configuration, port and socket file (a killed Janus leaves its socket file behind)."""
        self.kill()
        if self.unix_socket is not None:
            self.unix_socket.unlink(missing_ok=True)
        self.start(timeout)

    def kill(self) -> None:
        """Kill Janus (SIGKILL) and wait for it; for a test that froze or crashed it on purpose."""
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait()
        self.stop()




@contextmanager
def janus_instances(folder: Path, count: int, admin_key: str | None = None) -> Iterator[list[JanusServer]]:
    """`count` Janus instances on loopback (`folder/janus0`, ...), with one admin key; killed after
    (tests kill and restart them on their own)."""
    servers = [JanusServer(folder / f"janus{i}", admin_key=admin_key) for i in range(count)]
    try:
        for server in servers:
            server.folder.mkdir()
            server.start()
        yield servers
    finally:
        for server in servers:
            server.kill()


class MediaNamespace:
    """A network namespace with loopback and one more interface at `address`: where Janus and a
    browser can reach each other over ICE without any real network (needs root, as CI has)."""

    def __init__(self, name: str, address: str = "10.215.0.1", interface: str = "sfu0") -> None:
        self.name = f"parley-{name}"
        self.address = address
        self.interface = interface

    def _ip(self, *args: str) -> None:
        subprocess.run(["ip", *args], check=True, capture_output=True, text=True)

    def create(self) -> None:
        """The namespace, loopback up, and its interface with its address."""
        self._ip("netns", "add", self.name)
        self._ip("-n", self.name, "link", "set", "lo", "up")
        # A veth pair with both ends inside (kernels without the dummy driver have veth): an up,
        # non-loopback interface whose address only this namespace has.
        self._ip("-n", self.name, "link", "add", self.interface, "type", "veth", "peer", "name", f"{self.interface}p")
        self._ip("-n", self.name, "addr", "add", f"{self.address}/24", "dev", self.interface)
        for link in (self.interface, f"{self.interface}p"):
            self._ip("-n", self.name, "link", "set", link, "up")
        # Chromium's page without a camera permission offers only the default route's address: give
        # it one through that interface (its other end is in here too, so nothing goes further).
        self._ip("-n", self.name, "route", "add", "default", "dev", self.interface)

    def destroy(self) -> None:
        """Kill what still runs inside (only this namespace's processes) and remove it."""
        pids = subprocess.run(["ip", "netns", "pids", self.name], capture_output=True, text=True).stdout
        for pid in pids.split():
            os.kill(int(pid), signal.SIGKILL)
        subprocess.run(["ip", "netns", "del", self.name], capture_output=True)

    def exec_prefix(self) -> tuple[str, ...]:
        """The command prefix that runs a program inside."""
        return ("ip", "netns", "exec", self.name)

    def chromium_wrapper(self, folder: Path, chromium: str) -> Path:
        """A script that runs `chromium` inside, for Playwright's executable_path (its pipes pass through)."""
        script = folder / "chromium-in-netns"
        script.write_text(f"#!/bin/sh\nexec {' '.join(self.exec_prefix())} {chromium} \"$@\"\n")
        script.chmod(0o755)
        return script

    def __enter__(self) -> MediaNamespace:
        self.destroy()  # what a killed earlier run with this name left behind
        try:
            self.create()
        except BaseException:
            self.destroy()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.destroy()
