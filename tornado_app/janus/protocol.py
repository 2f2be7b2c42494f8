"""The Janus API's message shapes, without I/O: which reply ends a request, and what it carries.

Janus answers a request with the same `transaction`: `success` (with `data`, or a synchronous plugin
reply in `plugindata`), `error`, or `ack`. An `ack` ends `keepalive` and `trickle`; for a plugin
`message` it only says "queued": the answer follows as an `event` with that transaction (and may even
arrive before the `ack`). Messages without a pending transaction are notifications for a session
(`timeout`) or for one of its handles (`sender`): `event`, `webrtcup`, `media`, `slowlink`, `hangup`,
`detached`, `trickle`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tornado_app.janus.errors import JanusApiError, JanusPluginError

# Replies that end any request; `ack` ends every request but a plugin `message`.
_FINAL = frozenset({"success", "error", "event", "server_info"})


def ends_request(request: str, reply: str) -> bool:
    """Whether a reply of kind `reply` (its `janus` field) answers a `request` for good."""
    return reply in _FINAL or (reply == "ack" and request != "message")


def raise_for_error(request: str, reply: dict[str, Any]) -> None:
    """Raise the error a final reply carries: the core's `error`, or a plugin's `error_code`."""
    if reply.get("janus") == "error":
        error = reply.get("error") or {}
        raise JanusApiError(int(error.get("code", 0)), str(error.get("reason", "")), request)
    data = (reply.get("plugindata") or {}).get("data") or {}
    if "error_code" in data:
        raise JanusPluginError(int(data["error_code"]), str(data.get("error", "")), request)


@dataclass(frozen=True)
class Jsep:
    """A JSEP description: an SDP offer or answer (`type`, `sdp`), as browsers and Janus exchange them."""

    type: str
    sdp: str
    simulcast: dict[str, Any] | None = None  # Janus adds this to a publisher's offer it parsed; not needed to send

    def to_json(self) -> dict[str, Any]:
        """The `jsep` object of a request."""
        return {"type": self.type, "sdp": self.sdp}

    @classmethod
    def from_json(cls, value: dict[str, Any] | None) -> Jsep | None:
        """A reply's `jsep`, if it has one."""
        if not value:
            return None
        return cls(str(value["type"]), str(value["sdp"]), value.get("simulcast"))


@dataclass(frozen=True)
class PluginReply:
    """A plugin's answer or notification: its `data` and the JSEP it carried, if any."""

    data: dict[str, Any] = field(default_factory=dict)
    jsep: Jsep | None = None

    @classmethod
    def from_message(cls, message: dict[str, Any]) -> PluginReply:
        """The plugin data of a `success` or `event` message."""
        return cls(dict((message.get("plugindata") or {}).get("data") or {}), Jsep.from_json(message.get("jsep")))


def trickle_body(candidate: dict[str, Any] | list[dict[str, Any]] | None) -> dict[str, Any]:
    """The body of a `trickle`: one candidate, several, or None for end-of-candidates."""
    if candidate is None:
        return {"candidate": {"completed": True}}
    if isinstance(candidate, list):
        return {"candidates": candidate}
    return {"candidate": candidate}
