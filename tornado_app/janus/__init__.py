"""Parley's client of the Janus WebRTC server (Meetecho's SFU), over Janus's WebSocket API.

Parley's server drives Janus; browsers never see it. The layers, from the wire up:
- `connection.JanusConnection`: one WebSocket (`janus-protocol` subprotocol) to one Janus instance,
  requests matched to their replies by `transaction`, events routed to their session;
- `session.JanusSession` and `session.JanusHandle`: a Janus session kept alive by keepalives, and the
  plugin handles attached to it (messages, trickle, hangup, detach);
- `videoroom`: the VideoRoom plugin's requests as typed calls (rooms, publishers, subscribers), and
  `videoroom_events` its notifications as typed events;
- `protocol` and `errors`: the message shapes and the exceptions callers see, without any I/O.

A lost connection, a session Janus timed out and a Janus that stops answering all end as a
`JanusGone` (raised by pending and later calls, and reported to `on_lost` listeners).
"""

from tornado_app.janus.connection import JanusConnection
from tornado_app.janus.errors import (JanusApiError, JanusConnectionLost, JanusError, JanusGone,
                                      JanusPluginError, JanusSessionLost, JanusTimeout)
from tornado_app.janus.protocol import Jsep, PluginReply
from tornado_app.janus.session import JanusHandle, JanusSession

__all__ = [
    "JanusApiError", "JanusConnection", "JanusConnectionLost", "JanusError", "JanusGone", "JanusHandle",
    "JanusPluginError", "JanusSession", "JanusSessionLost", "JanusTimeout", "Jsep", "PluginReply",
]
