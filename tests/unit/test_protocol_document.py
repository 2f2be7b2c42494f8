"""docs/protocol.md is the protocol: its tables must say what `rooms/protocol.py` and `rooms/errors.py`
do, and `react-ui/src/signaling/protocol.generated.json` (which the client's vitest checks
`messages.ts` against) must be exactly what the tables say.

Regenerate the JSON after changing a table:
`PYTHONPATH=$PWD .venv/bin/python tests/unit/test_protocol_document.py --write`.
"""

from __future__ import annotations

import json
import re
import sys
import types
import typing
from pathlib import Path

import msgspec

from tornado_app.rooms import protocol as p
from tornado_app.rooms.errors import HTTP_STATUS, WEBSOCKET_CODES, CloseCode, ErrorCode

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = ROOT / "docs" / "protocol.md"
SUMMARY = ROOT / "react-ui" / "src" / "signaling" / "protocol.generated.json"


# --- reading the document ------------------------------------------------------------------------


def _cells(line: str) -> list[str]:
    """One table row's cells: split on unescaped `|`, `\\|` kept as `|`, backticks dropped."""
    parts = re.split(r"(?<!\\)\|", line.strip().strip("|"))
    return [cell.replace("\\|", "|").replace("`", "").strip() for cell in parts]


def table(markdown: str, heading: str) -> list[list[str]]:
    """The rows (header and separator left out) of the first table under the heading `heading`."""
    lines = markdown.splitlines()
    starts = [i for i, line in enumerate(lines)
              if re.fullmatch(rf"#+\s+{re.escape(heading)}\s*", line)]
    assert len(starts) == 1, f"docs/protocol.md needs exactly one heading {heading!r}"
    i = starts[0] + 1
    while not lines[i].startswith("|"):
        assert not lines[i].startswith("#"), f"no table under {heading!r}"
        i += 1
    rows = []
    while i < len(lines) and lines[i].startswith("|"):
        rows.append(_cells(lines[i]))
        i += 1
    return rows[2:]


def _fields(rows: list[list[str]]) -> dict[str, dict[str, dict[str, object]]]:
    """`| owner | field | type | required |` rows -> {owner: {field: {type, required}}}."""
    out: dict[str, dict[str, dict[str, object]]] = {}
    for owner, field, type_, required, *_ in rows:
        fields = out.setdefault(owner, {})
        if field == "—":
            continue
        assert required in ("yes", "no"), f"{owner}.{field}: required must be yes or no"
        assert field not in fields, f"{owner}.{field} is listed twice"
        fields[field] = {"type": type_, "required": required == "yes"}
    return out


def summary(markdown: str) -> dict[str, object]:
    """What the document's tables say, as the JSON the client's test reads."""
    http_codes = {code: status for code, status, *_ in table(markdown, "HTTP error codes")}
    return {
        "clientMessages": _fields(table(markdown, "Client message fields")),
        "serverMessages": _fields(table(markdown, "Server message fields")),
        "parts": _fields(table(markdown, "Payload parts")),
        "httpBodies": _fields(table(markdown, "HTTP bodies")),
        "websocketErrorCodes": sorted(row[0] for row in table(markdown, "Error codes")),
        "httpErrorCodes": dict(sorted(http_codes.items())),
        "closeCodes": {code: {"reconnect": answer.startswith("yes")}
                       for code, _meaning, answer in table(markdown, "Close codes")},
    }


def _summary_json(markdown: str) -> str:
    return json.dumps(summary(markdown), indent=2, ensure_ascii=False) + "\n"


# --- describing protocol.py in the document's words ----------------------------------------------

_NAMED: list[tuple[object, str]] = [
    (p.Id, "id"), (p.StreamId, "streamId"), (p.DisplayName, "displayName"), (p.Token, "token"),
    (p.SessionDescription, "sdp"), (p.IceCandidate, "candidate"), (p.UserInfo, "user"),
    (p.ChatText, "chatText"), (p.Emoji, "emoji"), (p.ChatMessage, "chatMessage"),
    (dict, "iceServer"), (bool, "boolean"), (str, "string"), (int, "int"), (type(None), "null"),
    (typing.Literal["offer", "answer", "pranswer", "rollback"], "sdpType"),
    (p.Password, "password"), (p.Role, "role"), (p.RoomView, "roomView"), (p.WaitingUser, "waitingUser"),
    (p.SfuPc, "sfuPc"), (p.Topology, "topology"), (p.SfuStream, "sfuStream"),
    (p.SfuStreamKind, "sfuStreamKind"), (p.SfuLayer, "sfuLayer"),
]


def type_name(annotation: object) -> str:
    """A field's annotation as the document writes its type (`id`, `string | null`, `user[]`)."""
    for known, name in _NAMED:
        if annotation == known:
            return name
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):  # a field that may be left out is `required: no`
        return " | ".join(type_name(arg) for arg in args if arg is not msgspec.UnsetType)
    if origin is list:
        return type_name(args[0]) + "[]"
    if origin is typing.Annotated:
        return type_name(args[0])
    raise AssertionError(f"no document type for {annotation!r}")


def described(cls: type, sent_by_server: bool) -> dict[str, dict[str, object]]:
    """A message class's fields as {field: {type, required}}.

    What a client sends is required when it has no default; what the server sends is always
    there unless its struct leaves defaults out (`omit_defaults`).
    """
    omits = cls.__struct_config__.omit_defaults  # type: ignore[attr-defined]
    return {
        f.name: {"type": type_name(f.type),
                 "required": (not omits or f.required) if sent_by_server else f.required}
        for f in msgspec.structs.fields(cls)
    }


# --- the checks ----------------------------------------------------------------------------------

MARKDOWN = DOCUMENT.read_text(encoding="utf-8")


def test_every_client_message_and_its_fields_are_as_documented():
    documented = summary(MARKDOWN)["clientMessages"]
    actual = {name: described(cls, sent_by_server=False) for name, cls in p.CLIENT_TYPES.items()}
    assert documented == actual


def test_every_server_message_and_its_fields_are_as_documented():
    documented = summary(MARKDOWN)["serverMessages"]
    actual = {name: described(cls, sent_by_server=True) for name, cls in p.SERVER_TYPES.items()}
    assert documented == actual


def test_payload_parts_and_request_bodies_are_as_documented():
    parts = summary(MARKDOWN)["parts"]
    assert parts["sdp"] == described(p.SessionDescription, sent_by_server=False)
    assert parts["candidate"] == described(p.IceCandidate, sent_by_server=False)
    assert parts["user"] == described(p.UserInfo, sent_by_server=True)
    assert parts["chatMessage"] == described(p.ChatMessage, sent_by_server=True)
    bodies = summary(MARKDOWN)["httpBodies"]
    assert bodies["JoinRoomRequest"] == described(p.JoinRoomRequest, sent_by_server=False)
    assert bodies["LeaveRoomRequest"] == described(p.LeaveRoomRequest, sent_by_server=False)


def test_the_overview_tables_name_the_same_message_types_as_the_field_tables():
    client = {row[0] for row in table(MARKDOWN, "Client → server")}
    server = {name.strip() for row in table(MARKDOWN, "Server → client") for name in row[0].split("/")}
    assert client == set(summary(MARKDOWN)["clientMessages"])
    assert server == set(summary(MARKDOWN)["serverMessages"])


def test_the_overview_payloads_name_each_field_and_whether_it_is_optional():
    fields = summary(MARKDOWN)["clientMessages"]
    for type_, payload, _does in table(MARKDOWN, "Client → server"):
        names = [n.strip() for n in payload.strip("{}").split(",") if n.strip()]
        assert {n.rstrip("?"): not n.endswith("?") for n in names} == {
            name: spec["required"] for name, spec in fields[type_].items()}, type_


def test_websocket_error_codes_are_the_ones_the_server_sends():
    assert set(summary(MARKDOWN)["websocketErrorCodes"]) == {str(c) for c in WEBSOCKET_CODES}


def test_http_error_codes_have_the_documented_status():
    documented = summary(MARKDOWN)["httpErrorCodes"]
    actual = {str(code): str(status) for code, status in HTTP_STATUS.items()}
    actual[str(ErrorCode.HTTP_ERROR)] = "4xx"  # whatever 4xx Tornado raised itself
    assert documented == actual


def test_every_error_code_is_documented_and_every_documented_code_exists():
    s = summary(MARKDOWN)
    assert set(s["websocketErrorCodes"]) | set(s["httpErrorCodes"]) == {str(c) for c in ErrorCode}


def test_close_codes_are_the_ones_the_server_uses():
    assert set(summary(MARKDOWN)["closeCodes"]) == {str(int(c)) for c in CloseCode}


def test_the_clients_json_summary_is_what_the_document_says():
    # The client's vitest reads this file; it must not drift from the document.
    assert SUMMARY.read_text(encoding="utf-8") == _summary_json(MARKDOWN), (
        "react-ui/src/signaling/protocol.generated.json is stale: run "
        "`PYTHONPATH=$PWD .venv/bin/python tests/unit/test_protocol_document.py --write`")


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    SUMMARY.write_text(_summary_json(MARKDOWN), encoding="utf-8")
    print(f"wrote {SUMMARY.relative_to(ROOT)}")
