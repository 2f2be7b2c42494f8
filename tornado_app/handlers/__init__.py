"""Thin Tornado adapters: HTTP and WebSocket in, calls on the room service, messages out."""
