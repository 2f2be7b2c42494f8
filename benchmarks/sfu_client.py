"""A person in a Parley SFU room who is not a browser (issue 16): Parley's own WebSocket protocol
(docs/protocol.md, "SFU rooms") spoken by a Python client with aiortc for the media.

Like the web client (react-ui/src/sfu/sfuMedia.ts), it keeps two connections: **publish** (one
audio and one video m-line, sendonly, with synthetic tracks or none: a person without camera
and microphone) and **subscribe** (everyone else's media, offered by the server with
`sfuOffer{pc: "subscribe"}` whenever it changes, answered with `sfuAnswer`). aiortc puts all its
ICE candidates in its SDP (no trickle of its own); the server's `sfuCandidate`s are added.

Every received track is drained (aiortc decodes every frame in a thread of its own and queues it
for `recv()`); the first decoded video frame of the subscription is stamped: `first_frame_s` is
the time from sending `join` to it. Every WebSocket message is counted both ways.
"""

from __future__ import annotations

import asyncio
import contextlib
import fractions
import json
import time
from typing import Any

import av
from aiortc import MediaStreamTrack, RTCConfiguration, RTCIceServer, RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import AudioStreamTrack, MediaStreamError
from aiortc.sdp import candidate_from_sdp
from websockets.asyncio.client import connect

CLOCK = 90_000


class Camera(MediaStreamTrack):
    """A synthetic camera: `width`×`height` at `fps`, a bright bar sweeping over grey (so every
    frame differs and the encoder keeps sending)."""

    kind = "video"

    def __init__(self, width: int = 160, height: int = 120, fps: int = 15) -> None:
        super().__init__()
        self.width, self.height, self.fps = width, height, fps
        self._start: float | None = None
        self._count = 0

    async def recv(self) -> av.VideoFrame:
        if self._start is None:
            self._start = time.monotonic()
        else:
            self._count += 1
            await asyncio.sleep(max(0.0, self._start + self._count / self.fps - time.monotonic()))
        frame = av.VideoFrame(self.width, self.height, "yuv420p")
        luma, chroma_u, chroma_v = frame.planes
        x = (self._count * 4) % self.width
        row = bytes([96] * x + [255] * 8 + [96] * (luma.line_size - x - 8))[:luma.line_size]
        luma.update(row * self.height)
        for plane in (chroma_u, chroma_v):
            plane.update(bytes([128]) * plane.buffer_size)
        frame.pts = self._count * CLOCK // self.fps
        frame.time_base = fractions.Fraction(1, CLOCK)
        return frame


class SfuClient:
    """One person: joins `room_id` at `url` (Parley's /ws) as `user_id`, publishes `camera` and
    (with `sound`) a silent microphone if `publishes`, else empty m-lines, and receives everyone else."""

    def __init__(self, url: str, room_id: str, user_id: str, *, publishes: bool = False, sound: bool = True,
                 camera: tuple[int, int, int] = (160, 120, 15)) -> None:
        self.url, self.room_id, self.user_id, self.publishes, self.sound = url, room_id, user_id, publishes, sound
        self.camera = camera
        self.sent = self.received = 0
        self.largest_answer = 0  # bytes of the largest subscribe answer sent
        self.subscribe_offers = 0
        self.errors: list[dict[str, Any]] = []
        self.joined_at: float | None = None
        self.first_frame_s: float | None = None
        self.steps: dict[str, float] = {}  # step of the way to the first frame -> seconds after join
        self.first_frame = asyncio.get_running_loop().create_future()
        self.publish_pc: RTCPeerConnection | None = None
        self.subscribe_pc: RTCPeerConnection | None = None
        self._ws = None
        self.closing = False
        self._tasks: set[asyncio.Task] = set()
        self._answering = asyncio.Lock()
        self.ice_servers: list[RTCIceServer] = []  # the server's (joined); none: no STUN server of aiortc's own

    def _spawn(self, coro) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _send(self, kind: str, payload: dict[str, Any]) -> None:
        self.sent += 1
        frame = json.dumps({"type": kind, "payload": payload})
        if kind == "sfuAnswer":
            self.largest_answer = max(self.largest_answer, len(frame))
        await self._ws.send(frame)

    async def join(self) -> None:
        """Open the WebSocket, send `join` (the clock of `first_frame_s` starts) and read on."""
        self._ws = await connect(self.url, max_size=None, compression=None)
        self.joined_at = time.monotonic()
        await self._send("join", {"roomId": self.room_id, "userId": self.user_id, "displayName": self.user_id})
        self._spawn(self._read())

    async def _read(self) -> None:
        try:
            async for raw in self._ws:
                self.received += 1
                message = json.loads(raw)
                try:
                    await self._handle(message["type"], message.get("payload", {}))
                except Exception as exc:  # e.g. aiortc closed a connection whose ICE consent ran out
                    self.errors.append({"code": "clientFailed", "message": f"{message['type']}: {exc!r}"})
            if not self.closing:
                self.errors.append({"code": "closed", "message": f"the server closed the connection: "
                                    f"{self._ws.close_code} {self._ws.close_reason}"})
        except Exception as exc:  # the benchmark reports it: a client must not die silently
            self.errors.append({"code": "clientFailed", "message": repr(exc)})
            if not self.first_frame.done():
                self.first_frame.set_exception(exc)

    def _step(self, name: str) -> None:
        if name not in self.steps and self.joined_at is not None:
            self.steps[name] = time.monotonic() - self.joined_at

    async def _handle(self, kind: str, payload: dict[str, Any]) -> None:
        if kind in ("joined", "sfuOffer", "sfuAnswer"):
            self._step(kind if kind == "joined" else f"{kind} {payload['pc']}")
        if kind == "joined":
            self.ice_servers = [RTCIceServer(s["urls"], s.get("username"), s.get("credential"))
                                for s in payload.get("iceServers", [])]
        if kind == "joined" and payload.get("topology") == "sfu" or kind == "topology" and payload["mode"] == "sfu":
            if self.publish_pc is None:
                await self._publish()
        elif kind == "sfuAnswer" and payload["pc"] == "publish":
            await self.publish_pc.setRemoteDescription(RTCSessionDescription(**payload["sdp"]))
        elif kind == "sfuOffer" and payload["pc"] == "subscribe":
            self.subscribe_offers += 1
            async with self._answering:
                await self._answer(payload["sdp"])
        elif kind == "sfuCandidate":
            pc = self.publish_pc if payload["pc"] == "publish" else self.subscribe_pc
            value = payload["candidate"]
            if pc is not None and value.get("candidate"):
                candidate = candidate_from_sdp(value["candidate"].removeprefix("candidate:"))
                candidate.sdpMid, candidate.sdpMLineIndex = value.get("sdpMid"), value.get("sdpMLineIndex")
                await pc.addIceCandidate(candidate)
        elif kind == "error":
            self.errors.append(payload)

    async def _publish(self) -> None:
        pc = self.publish_pc = RTCPeerConnection(RTCConfiguration(self.ice_servers))
        if self.publishes:
            pc.addTransceiver(AudioStreamTrack() if self.sound else "audio", direction="sendonly")
            pc.addTransceiver(Camera(*self.camera), direction="sendonly")
        else:  # like a browser without devices: the m-lines, nothing on them
            pc.addTransceiver("audio", direction="sendonly")
            pc.addTransceiver("video", direction="sendonly")
        await pc.setLocalDescription(await pc.createOffer())
        await self._send("sfuOffer", {"pc": "publish", "sdp": {"type": "offer", "sdp": pc.localDescription.sdp}})

    async def _answer(self, offer: dict[str, str]) -> None:
        if self.subscribe_pc is None:
            self.subscribe_pc = RTCPeerConnection(RTCConfiguration(self.ice_servers))
            self.subscribe_pc.on("track", self._on_track)
            self.subscribe_pc.on("connectionstatechange", lambda: self.subscribe_pc.connectionState == "connected"
                                 and self._step("connected"))
        pc = self.subscribe_pc
        await pc.setRemoteDescription(RTCSessionDescription(**offer))
        await pc.setLocalDescription(await pc.createAnswer())
        await self._send("sfuAnswer", {"pc": "subscribe", "sdp": {"type": "answer", "sdp": pc.localDescription.sdp}})
        self._step("answered")

    def _on_track(self, track: MediaStreamTrack) -> None:
        self._spawn(self._drain(track))

    async def _drain(self, track: MediaStreamTrack) -> None:
        with contextlib.suppress(MediaStreamError):
            while True:
                await track.recv()
                if track.kind == "video" and not self.first_frame.done():
                    self._step("frame")
                    self.first_frame_s = time.monotonic() - self.joined_at
                    self.first_frame.set_result(self.first_frame_s)

    async def send_media_state(self, audio_muted: bool) -> None:
        """A message the server only relays (to everyone else): the baseline of signaling cost."""
        await self._send("mediaState", {"audioMuted": audio_muted, "videoMuted": False})

    async def close(self) -> None:
        """Close the WebSocket and both connections."""
        self.closing = True
        if self._ws is not None:
            await self._ws.close()
        for pc in (self.publish_pc, self.subscribe_pc):
            if pc is not None:
                await pc.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
