"""What the SFU e2e tests and benchmarks share (issue 16): Janus in a network namespace of its own, a
forwarder that lets the namespace's pages reach Parley at 127.0.0.1, page scripts that count the peer
connections and the frames on each tile, the wait for everyone to play through Janus, and
`sfu_call`: Parley with Janus, the forwarder and a Chromium in the namespace, as one context.

Janus gathers no ICE candidate on loopback (docs/janus.md), so Janus and Chromium run in a network
namespace (support.janus.MediaNamespace) and meet on its interface; Parley runs here and reaches
Janus over its Unix socket (`ws+unix://`).
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from playwright.sync_api import Browser, Playwright

from support.chromium import CHROMIUM, flags
from support.janus import JanusServer, MediaNamespace
from support.meeting import CALL_FLAGS, Call, Participant, new_tab
from support.processes import ParleyServer

DEADLINE_MS = 45_000  # ICE, DTLS and Janus's renegotiations on a loaded 2-core machine, generously
CLONE_NEWNET = 0x40000000  # <sched.h>

# Every RTCPeerConnection the page makes, so the test can count the live ones (mesh or SFU alike).
PC_COUNTER = """
(() => {
  const Native = window.RTCPeerConnection;
  window.__pcs = [];
  window.RTCPeerConnection = function (...args) { const pc = new Native(...args); window.__pcs.push(pc); return pc; };
  window.RTCPeerConnection.prototype = Native.prototype;
  Object.setPrototypeOf(window.RTCPeerConnection, Native);
})();
"""

# The msid-semantic lines of the live connections' remote descriptions: Janus's say "WMS janus".
LIVE_SDP_NAMES = """() => window.__pcs.filter((pc) => pc.connectionState !== 'closed' && pc.signalingState !== 'closed')
  .map((pc) => (pc.remoteDescription?.sdp ?? '').split('\\r\\n').filter((l) => l.startsWith('a=msid-semantic') || l.startsWith('o=')).join(' '))"""
LIVE_PCS = "() => window.__pcs.filter((pc) => pc.connectionState !== 'closed' && pc.signalingState !== 'closed').length"

# The number of video frames each of `ids`'s tiles has shown (0 when it has no playing video).
TILE_FRAMES = """(ids) => Object.fromEntries(ids.map((id) => {
  const video = document.querySelector(`[data-testid="tile"][data-user-id="${id}"] video`);
  return [id, video && video.srcObject ? video.getVideoPlaybackQuality().totalVideoFrames : 0];
}))"""


def enter_namespace(namespace: MediaNamespace) -> None:
    """Move the calling thread into `namespace`'s network (setns is per thread: the process's
    other threads stay where they are; threads it starts later begin in there)."""
    fd = os.open(f"/run/netns/{namespace.name}", os.O_RDONLY)
    try:  # os.setns is Python 3.12's; libc's is the same call
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns into the media namespace")
    finally:
        os.close(fd)


class Forwarder:
    """Listens on the namespace's 127.0.0.1:`port` and forwards every connection to this
    namespace's 127.0.0.1:`port` (Parley). The socket is made by a thread that entered the
    namespace (setns is per thread); the forwarding runs on an event loop of its own, here."""

    def __init__(self, namespace: MediaNamespace, port: int) -> None:
        self.namespace, self.port = namespace, port
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def _listening_socket(self):
        import socket

        made: list = []

        def inside() -> None:
            enter_namespace(self.namespace)
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", self.port))
            sock.listen(64)
            made.append(sock)

        thread = threading.Thread(target=inside)  # it ends in the namespace; nothing else runs on it
        thread.start()
        thread.join()
        return made[0]

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.port)
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    def __enter__(self) -> Forwarder:
        sock = self._listening_socket()
        self.thread.start()
        self.server = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._serve, sock=sock), self.loop).result(10)
        return self

    def __exit__(self, *exc: object) -> None:
        async def stop() -> None:
            self.server.close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


def wait_sfu_media(people, timeout: float = DEADLINE_MS) -> None:
    """Each page ends with two live connections and plays video on the tiles of all the others."""
    for person in people:
        others = [o.user_id for o in people if o is not person]
        person.wait_js(f"() => ({LIVE_PCS})() === 2", describe=lambda p=person: p.page.evaluate(LIVE_PCS),
                       message="exactly two live peer connections (publish, subscribe)", timeout=timeout)
        person.wait_js(f"(ids) => Object.values(({TILE_FRAMES})(ids)).every((n) => n > 0)", others,
                       describe=lambda p=person, o=others: p.page.evaluate(TILE_FRAMES, o),
                       message=f"video frames on the tiles of {others}", timeout=timeout)




@contextlib.contextmanager
def janus_in(namespace: MediaNamespace, folder: Path, *, log: bool = True) -> Iterator[JanusServer]:
    """A Janus started in `namespace` with its configuration in `folder`, stopped after (its log printed)."""
    server = JanusServer(folder, netns=namespace)
    server.folder.mkdir()
    server.start()
    try:
        yield server
    finally:
        server.stop()
        if log:
            print(f"--- janus log:\n{server.log_tail()}")


def janus_options(*instances: JanusServer, mesh_max: int = 2) -> tuple[str, ...]:
    """Parley's options to use `instances` (over their Unix sockets) and go SFU past `mesh_max`."""
    urls = [arg for janus in instances for arg in ("--janus-url", f"ws+unix://{janus.unix_socket}")]
    return (*urls, f"--janus-admin-key={instances[0].admin_key}", "--mesh-max", str(mesh_max))


def launch_in(playwright: Playwright, namespace: MediaNamespace, folder: Path) -> Browser:
    """Chromium inside `namespace`, with the call's fake devices and its host candidates unhidden."""
    return playwright.chromium.launch(
        executable_path=str(namespace.chromium_wrapper(folder, CHROMIUM)),
        args=flags([*CALL_FLAGS, "--disable-features=WebRtcHideLocalIpsWithMdns"]))


@contextlib.contextmanager
def sfu_call(playwright: Playwright, namespace: MediaNamespace, folder: Path, options: Sequence[str],
             *, servers: int = 1, quiet: bool = False) -> Iterator[list[Call]]:
    """`servers` Parley processes started with `options` (see janus_options), each reachable from
    the namespace, one Chromium in it, and a call per process in one new room; everything is
    closed after, and the servers' logs printed unless `quiet`."""
    started = [ParleyServer(folder / f"data{i}", folder / f"server{i}.log", options) for i in range(servers)]
    try:
        for server in started:
            server.start()
        with contextlib.ExitStack() as stack:
            for server in started:
                stack.enter_context(Forwarder(namespace, server.port))
            browser = launch_in(playwright, namespace, folder)
            stack.callback(browser.close)
            room = started[0].create_room()
            calls = [Call(browser, server, room) for server in started]
            for call in calls:
                stack.callback(lambda c=call: print(c.close()))
            yield calls
    finally:
        for i, server in enumerate(started):
            server.stop()
            if not quiet:
                print(f"--- server {i} log:\n{server.log_tail()}")


def join_counted(call: Call, *names: str) -> list[Participant]:
    """`names` join `call` one after the other, each in a tab whose peer connections are counted."""
    people = []
    for name in names:
        tab = new_tab(call.browser)
        tab.context.add_init_script(script=PC_COUNTER)
        people.append(call.join(name, tab=tab))
    return people

