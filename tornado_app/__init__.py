"""Parley's server: rooms, WebSocket signaling and the REST API, on Tornado."""

__version__ = "0.1.0"
