"""Issue 16 end to end: three people in Chromium with --mesh-max 2 through a real Janus. The third
join moves the room to the SFU; every page ends with exactly two live RTCPeerConnections (publish
and subscribe, both to Janus) and decodes video from both others on their tiles. A fourth person
then joins the SFU room directly, and everyone plays all the others; then one shares their screen
and everyone's stage plays it.

Janus gathers no ICE candidate on loopback (docs/janus.md), so Janus and Chromium run in a network
namespace of their own (support.janus.MediaNamespace) and meet on its interface. Parley runs here,
as in the other e2e tests, and reaches Janus over Janus's Unix socket (`ws+unix://`); the pages
reach Parley through a small forwarder listening on the namespace's 127.0.0.1 at Parley's port, so
the pages' origin is Parley's own.
"""

from __future__ import annotations

import asyncio
import ctypes
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e_harness import Call, ServerProcess, new_tab
from playwright.sync_api import Playwright
from support.chromium import CHROMIUM, flags
from support.janus import JanusServer, MediaNamespace
from support.meeting import CALL_FLAGS

CLONE_NEWNET = 0x40000000  # <sched.h>
DEADLINE_MS = 45_000  # ICE, DTLS and Janus's renegotiations on a loaded 2-core machine, generously

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


class _Forwarder:
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
            fd = os.open(f"/run/netns/{self.namespace.name}", os.O_RDONLY)
            try:  # os.setns is Python 3.12's; libc's is the same call
                libc = ctypes.CDLL(None, use_errno=True)
                if libc.setns(fd, CLONE_NEWNET) != 0:
                    raise OSError(ctypes.get_errno(), "setns into the media namespace")
            finally:
                os.close(fd)
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

    def __enter__(self) -> _Forwarder:
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


def _wait_sfu_media(people) -> None:
    """Each page ends with two live connections and plays video on the tiles of all the others."""
    for person in people:
        others = [o.user_id for o in people if o is not person]
        person.wait_js(f"() => ({LIVE_PCS})() === 2", describe=lambda p=person: p.page.evaluate(LIVE_PCS),
                       message="exactly two live peer connections (publish, subscribe)", timeout=DEADLINE_MS)
        person.wait_js(f"(ids) => Object.values(({TILE_FRAMES})(ids)).every((n) => n > 0)", others,
                       describe=lambda p=person, o=others: p.page.evaluate(TILE_FRAMES, o),
                       message=f"video frames on the tiles of {others}", timeout=DEADLINE_MS)


@pytest.fixture
def namespace() -> Iterator[MediaNamespace]:
    with MediaNamespace(f"sfu-e2e-{os.getpid()}") as ns:
        yield ns


@pytest.fixture
def janus(tmp_path: Path, namespace: MediaNamespace) -> Iterator[JanusServer]:
    server = JanusServer(tmp_path / "janus", netns=namespace)
    server.folder.mkdir()
    server.start()
    yield server
    server.stop()
    print(f"--- janus log:\n{server.log_tail()}")


def test_the_third_join_moves_everyone_to_the_sfu(tmp_path, playwright: Playwright, ui_built, namespace, janus):
    server = ServerProcess(tmp_path / "data", tmp_path / "server.log", (
        "--janus-url", f"ws+unix://{janus.unix_socket}", "--janus-admin-key", janus.admin_key, "--mesh-max", "2"))
    server.start()
    try:
        with _Forwarder(namespace, server.port):
            browser = playwright.chromium.launch(
                executable_path=str(namespace.chromium_wrapper(tmp_path, CHROMIUM)),
                args=flags([*CALL_FLAGS, "--disable-features=WebRtcHideLocalIpsWithMdns"]))
            call = Call(browser, server, server.create_room())
            try:
                people = []
                for name in ("Ann", "Ben", "Cat"):
                    tab = new_tab(browser)
                    tab.context.add_init_script(script=PC_COUNTER)
                    if name == "Cat":
                        switch_started = time.monotonic()
                    people.append(call.join(name, tab=tab))
                _wait_sfu_media(people)
                # A figure, not a timed assertion: from Cat's Join to every tile playing through Janus.
                print(f"mesh -> SFU: all video through Janus {time.monotonic() - switch_started:.1f} s after the third Join")
                for person in people:
                    # Both are Janus's (a mesh of three also has two connections a page, to people).
                    names = person.page.evaluate(LIVE_SDP_NAMES)
                    assert len(names) == 2 and all("WMS janus" in name for name in names), names
                    assert person.page.evaluate("() => window.__pcs.length") >= 2
                assert "is an SFU room from now on" in server.log_tail()
                # A fourth person joins the SFU room directly: everyone's subscription grows.
                tab = new_tab(browser)
                tab.context.add_init_script(script=PC_COUNTER)
                people.append(call.join("Dan", tab=tab))
                _wait_sfu_media(people)
                # Dan never had a mesh connection: every connection of his that negotiated is Janus's.
                negotiated = people[-1].page.evaluate(
                    "() => window.__pcs.filter((pc) => pc.remoteDescription).map((pc) => pc.remoteDescription.sdp.includes('WMS janus'))")
                assert negotiated == [True, True], negotiated
                # A screen share goes out as a third m-line of the sharer's publishing connection.
                ann = people[0]
                ann.button("Share screen").click()
                ann.button("Stop sharing").wait_for()
                for person in people[1:]:
                    person.wait_stage_shows(ann)
            finally:
                print(call.close())
                browser.close()
    finally:
        server.stop()
        print(f"--- server log:\n{server.log_tail()}")
