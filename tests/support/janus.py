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
127.0.0.1 alone can negotiate SDP but never carry media. The tests here only signal, so the default
`ice_enforce_list="lo"` gathers nothing at all and Janus sends no packet anywhere; a media test must
run Janus in a network namespace (support.netns) and pass that namespace's interface instead.
"""

from __future__ import annotations

import json
import secrets
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import IO, Any

from websockets.exceptions import WebSocketException
from websockets.sync.client import connect

from support.processes import free_port

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


class JanusServer:
    """Starts, kills and stops one Janus on a free loopback port; `url` is its WebSocket API."""

    def __init__(self, folder: Path, *, session_timeout: int = 60, string_ids: bool = True,
                 ice_enforce_list: str | None = "lo", admin_key: str | None = None) -> None:
        if shutil.which("janus") is None:
            raise RuntimeError("janus is missing: run `make test` (`.ci/system-deps` installs Debian's `janus`)")
        self.folder = folder
        self.session_timeout = session_timeout
        self.string_ids = string_ids
        self.ice_enforce_list = ice_enforce_list
        # Who may create rooms: a caller (Parley) that knows the key; other local users cannot.
        self.admin_key = admin_key if admin_key is not None else secrets.token_urlsafe(16)
        self.port = free_port()
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
        (conf / "janus.transport.websockets.jcfg").write_text(
            _section("general", {"json": "compact", "ws": True, "ws_port": self.port, "ws_ip": "127.0.0.1",
                                 "ws_acl": "127.", "wss": False, "ws_logging": "err,warn"})
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
                ["janus", "--config", str(config), "--configs-folder", str(config.parent)],
                stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT)
        except BaseException:
            self.stop()
            raise

    def info(self, timeout: float = 2.0) -> dict[str, Any]:
        """Janus's `info` answer (`server_info`), over its WebSocket API."""
        with connect(self.url, subprotocols=["janus-protocol"], open_timeout=timeout) as ws:
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
            except (OSError, TimeoutError, WebSocketException):
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

    def kill(self) -> None:
        """Kill Janus (SIGKILL) and wait for it; for a test that froze or crashed it on purpose."""
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait()
        self.stop()

    def __enter__(self) -> JanusServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def log(self) -> str:
        """Everything Janus wrote so far."""
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def log_tail(self, lines: int = 40) -> str:
        """The end of Janus's log."""
        return "\n".join(self.log().splitlines()[-lines:])

