"""Logging setup: plain lines for people, or one JSON object a line for log collectors."""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

# Room ids in request paths: the web client's /r/<id> and the REST API's /room/<id>/...
_ROOM_IN_PATH = re.compile(r"^(/r/|/room/)([^/?#]+)")
access_log = logging.getLogger("tornado.access")


def room_tag(room_id: str) -> str:
    """A short hash that stands for a room id in logs: the id is all it takes to join the room.

    The same room always gets the same tag, so log lines can still be followed per room; server
    ids carry 128 random bits, so the tag cannot be turned back into the id.
    """
    return "room#" + hashlib.sha256(room_id.encode()).hexdigest()[:10]


def redact_path(uri: str) -> str:
    """`uri` with a room id in its path replaced by its `room_tag`."""
    return _ROOM_IN_PATH.sub(lambda m: m.group(1) + room_tag(m.group(2)), uri, count=1)


def redact_url(url: str) -> str:
    """A whole URL for a log line: room id in its path hashed, query (names, tokens) left out."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=redact_path(parts.path), query=""))


def log_request(handler: Any) -> None:
    """Tornado's access log line (Application `log_function`), with room ids left out."""
    status = handler.get_status()
    method = (access_log.info if status < 400 else
              access_log.warning if status < 500 else access_log.error)
    request = handler.request
    method("%d %s %s (%s) %.2fms", status, request.method, redact_path(request.uri or ""),
           request.remote_ip, 1000.0 * request.request_time())


# LogRecord attributes that are not "extra" fields given by the caller.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """`{"time", "level", "logger", "message", ...extra, "exc"?}` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.timezone.utc)
            .isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure_logging(level: str, fmt: str = "text") -> None:
    """Log to stderr at `level`, as text or JSON lines; Tornado's access log only at debug."""
    handler = logging.StreamHandler()
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    logging.getLogger("tornado.access").setLevel(logging.DEBUG if level == "debug"
                                                 else logging.WARNING)
