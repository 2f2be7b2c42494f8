"""The JSON conventions of the HTTP API: JSON bodies, and errors as {"code", "message"}."""

from __future__ import annotations

import http
from collections.abc import Awaitable
from typing import Any, TypeVar

import tornado.web

from tornado_app.context import Parley
from tornado_app.rooms import protocol as p
from tornado_app.rooms.errors import HTTP_STATUS, ErrorCode, RoomError
from tornado_app.store.base import StoreUnavailable

T = TypeVar("T")



class ApiError(tornado.web.HTTPError):
    """An error answered as JSON with a protocol error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(HTTP_STATUS.get(code, 400), reason=None)
        self.code = code
        self.message = message

    @classmethod
    def of(cls, refusal: RoomError) -> ApiError:
        """A room's refusal as an HTTP error, with its code's status."""
        return cls(refusal.code, refusal.message)


class JsonHandler(tornado.web.RequestHandler):
    """Base for the API: JSON out, JSON errors, request bodies parsed by the protocol module."""

    def initialize(self, parley: Parley) -> None:
        self.parley = parley

    def set_default_headers(self) -> None:
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.set_header("Cache-Control", "no-store")

    def prepare(self) -> None:
        """A POST must be JSON and, when the browser names its Origin, come from an allowed one:
        a cross-site form or `text/plain` fetch can then change nothing."""
        if self.request.method != "POST":
            return
        origin = self.request.headers.get("Origin")
        if origin is not None and not self.application.policy.allows_origin(  # type: ignore[attr-defined]
                origin, self.request):
            raise ApiError(ErrorCode.ORIGIN_NOT_ALLOWED, f"requests from {origin} are not allowed here")
        media_type = self.request.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if media_type != "application/json":
            raise ApiError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "send the body as Content-Type: application/json")

    def reply(self, body: Any, status: int = 200) -> None:
        """Finish with a JSON body."""
        self.set_status(status)
        self.finish(p.to_json(body))

    def body_as(self, cls):
        """The request body parsed into `cls`, or a 400 invalidPayload."""
        try:
            return p.parse_request(self.request.body, cls)
        except p.ProtocolError as exc:
            raise ApiError(exc.code, exc.message) from None

    async def ask(self, awaitable: Awaitable[T]) -> T:
        """Await a service call; its refusals become JSON errors with their HTTP status."""
        try:
            return await awaitable
        except RoomError as exc:
            raise ApiError.of(exc) from None
        except StoreUnavailable:
            raise ApiError.of(RoomError.unavailable()) from None

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        exc = kwargs.get("exc_info", (None, None))[1]
        if isinstance(exc, ApiError):
            code, message = exc.code, exc.message
        else:
            code = {404: ErrorCode.NOT_FOUND, 405: ErrorCode.METHOD_NOT_ALLOWED}.get(
                status_code, ErrorCode.HTTP_ERROR)
            if status_code >= 500:
                code = ErrorCode.INTERNAL_ERROR
            try:
                message = http.HTTPStatus(status_code).phrase
            except ValueError:
                message = "error"
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(p.to_json({"code": code, "message": message}))


class NotFoundHandler(JsonHandler):
    """Any path the server does not know: a JSON 404."""

    def prepare(self) -> None:
        raise ApiError(ErrorCode.NOT_FOUND, f"no such path: {self.request.path}")
