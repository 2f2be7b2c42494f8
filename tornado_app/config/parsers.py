"""Parsers for one option's value, shared by the flags, the environment and the config file.

Each takes the text as given and returns the value, or raises `argparse.ArgumentTypeError` with a
message that names what was expected (argparse, or `load.py`, adds the option's name).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

def number(kind: type, low: float, high: float | None = None, unit: str = "",
            what: str = "") -> Callable[[str], Any]:
    """A parser for an int or float in [low, high] whose error names the range."""

    def parse(text: str) -> Any:
        value = kind(text)
        if value < low or (high is not None and value > high):
            limit = f"{low}-{high}" if high is not None else f"at least {low}"
            raise argparse.ArgumentTypeError(f"must be {what}{limit}{unit}, got {value}")
        return value

    return parse


positive_int = number(int, 1)
port = number(int, 0, 65535, what="a port number ")
non_negative_int = number(int, 0)
non_negative_float = number(float, 0)
ttl = number(int, 60, unit=" seconds")


def origin(text: str) -> str:
    """A web origin, lower-cased, without a trailing slash."""
    value = text.strip().rstrip("/").lower()
    if not value.startswith(("http://", "https://")):
        raise argparse.ArgumentTypeError(f"an origin looks like https://host[:port], got {text!r}")
    return value


def host_name(text: str) -> str:
    """A host name or IP address (brackets of an IPv6 one dropped), without a port."""
    value = text.strip().lower().rstrip(".")
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    if not value or any(c in value for c in "/@ []") or (":" in value and value.count(":") < 2):
        raise argparse.ArgumentTypeError(f"a host name or address without port, got {text!r}")
    return value


def choice(*choices: str) -> Callable[[str], str]:
    """A parser for one of these words, in any case."""

    def parse(text: str) -> str:
        value = text.strip().lower()
        if value not in choices:
            raise argparse.ArgumentTypeError(f"must be one of {', '.join(choices)}, got {text!r}")
        return value

    return parse


def existing_file(text: str) -> Path:
    """The path of a file that exists."""
    path = Path(text).expanduser()
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"no such file: {text}")
    return path


def ui_folder(text: str) -> Path:
    """A folder holding a built web client (its index.html)."""
    path = Path(text).expanduser()
    if not (path / "index.html").is_file():
        raise argparse.ArgumentTypeError(
            f"no built web client (index.html) in {text}; the test build is made by "
            "`cd react-ui && npm run build:test` (into react-ui/dist-test)")
    return path


def uri(*schemes: str) -> Callable[[str], str]:
    """A parser for a `scheme:host[:port]` URI with one of these schemes (STUN, TURN)."""

    def parse(text: str) -> str:
        value = text.strip()
        scheme, _, rest = value.partition(":")
        if scheme not in schemes or not rest.strip("/"):
            raise argparse.ArgumentTypeError(
                f"must look like {schemes[0]}:host[:port], got {text!r}")
        return value

    return parse


def janus_url(text: str) -> str:
    """A Janus WebSocket API URL: ws://, wss:// or a ws+unix:// socket file."""
    value = text.strip()
    scheme, _, rest = value.partition("://")
    if scheme in ("ws", "wss") and rest.strip("/"):
        return value
    if scheme == "ws+unix" and rest.startswith("/") and len(rest) > 1:
        return value  # Janus's ws_unix socket file: no TCP port at all (docs/janus.md)
    raise argparse.ArgumentTypeError(
        f"must look like ws://127.0.0.1:8188 or ws+unix:///run/janus/ws.sock, got {text!r}")


def public_url(text: str) -> str:
    """The http(s) URL people use, without a trailing slash."""
    value = text.strip().rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(f"must look like https://meet.example.org, got {text!r}")
    return value


def secret(text: str) -> str:
    """Any text but the empty one."""
    if not text:
        raise argparse.ArgumentTypeError("must not be empty")
    return text


def switch(text: str) -> bool:
    """true/false, yes/no, on/off or 1/0."""
    value = text.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise argparse.ArgumentTypeError(f"must be true or false, got {text!r}")

