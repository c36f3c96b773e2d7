"""Resynchronising stdin for the stdio server, and error answers for malformed messages.

pygls reads a frame's headers with ``readline`` and requires ``Content-Length: N`` to be a line
of its own.  A frame whose Content-Length is wrong leaves the rest of its body (JSON has no line
break) glued to the next frame's header line, and so on for every later frame: the server goes
deaf for good.  This reader splits a line at an embedded ``Content-Length:`` so that the next
well-formed frame is found again; only the damaged frame and at most one neighbour are lost.
Bodies are read with ``read`` and never looked at, so a document containing the marker is safe.
"""

from __future__ import annotations

import json
import logging
from functools import partial
from typing import Any, BinaryIO

from pygls.exceptions import JsonRpcException

from vetpy.lsp.lifecycle import LifecycleProtocol

log = logging.getLogger("vetpy.lsp")

MARK = b"Content-Length:"


class ResyncingReader:
    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self._pending = b""

    def readline(self) -> bytes:
        line, self._pending = (self._pending or self.stream.readline()), b""
        at = line.find(MARK, 1)
        if at > 0:
            line, self._pending = line[:at], line[at:]
        return line

    def read(self, n: int) -> bytes:
        head, self._pending = self._pending[:n], self._pending[n:]
        return head + (self.stream.read(n - len(head)) if n > len(head) else b"")


PARSE_ERROR = -32700
INVALID_REQUEST = -32600
# What json.loads raises for a body that is not JSON: bad syntax, bad UTF-8, absurd nesting.
UNPARSABLE = (json.JSONDecodeError, UnicodeDecodeError, RecursionError)


class AnsweringProtocol(LifecycleProtocol):
    """Every message that is not a well-formed request still gets the error response the
    JSON-RPC 2.0 specification asks for (pygls only logs these, and the client would wait for
    ever): Parse error -32700 (id null) for a body that is not JSON, Invalid Request -32600 for
    JSON that is not a JSON-RPC 2.0 message, the params error for a request whose params do not
    fit its method, and Method not found -32601 for an unknown method sent without params."""

    def structure_message(self, data: dict[str, Any]) -> Any:
        if "jsonrpc" in data and isinstance(data.get("method"), str) and "params" not in data:
            if self.get_message_type(data["method"]) is None:  # pygls' generic request type needs params
                data = {**data, "params": None}
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            if isinstance(data.get("id"), (int, str)) and "method" in data:
                self._send_response(data["id"], None, exc.to_response_error())
            raise

    def _execute_handler(
        self, msg_id: Any, handler: Any, callback: Any, args: Any = None, kwargs: Any = None
    ) -> None:
        """pygls 2.1 files the future of every generator handler (its built-in ``didOpen`` /
        ``didChange`` / ``didClose`` wrappers) and of every async or threaded handler under
        ``_request_futures``, but removes it only when a *request* is answered or cancelled:
        each notification left a future behind (about 2 KB; 2 MB per 1,000 edits in the soak).
        Drop each future once it is done."""
        super()._execute_handler(msg_id, handler, callback, args, kwargs)
        future = self._request_futures.get(msg_id)
        if future is not None:
            future.add_done_callback(partial(self._forget_future, msg_id))

    def _forget_future(self, msg_id: Any, future: Any) -> None:
        if self._request_futures.get(msg_id) is future:
            del self._request_futures[msg_id]

    def handle_message(self, message: Any) -> None:
        if getattr(message, "jsonrpc", None) == self.VERSION:
            super().handle_message(message)
            return
        if isinstance(message, dict) and ("result" in message or "error" in message):
            return  # a (malformed) response: answering an answer makes no sense
        ident = _message_id(message)
        log.warning("not a JSON-RPC 2.0 message (id %r): answered Invalid Request", ident)
        self.send_error(ident, INVALID_REQUEST, "Invalid Request: not a JSON-RPC 2.0 request or notification")

    def answer_unparsable(self, error: BaseException) -> bool:
        """Answer a frame whose body ``json.loads`` rejected; False for any other error."""
        if not isinstance(error, UNPARSABLE):
            return False
        self.send_error(None, PARSE_ERROR, f"Parse error: {type(error).__name__}: {str(error)[:200]}")
        return True

    def send_error(self, ident: int | str | None, code: int, message: str) -> None:
        """An error response; ``id`` is written as null when it is unknown (the spec's rule)."""
        self._send_data({"jsonrpc": self.VERSION, "id": ident, "error": {"code": code, "message": message}})


def _message_id(message: Any) -> int | str | None:
    ident = message.get("id") if isinstance(message, dict) else getattr(message, "id", None)
    return ident if isinstance(ident, (int, str)) and not isinstance(ident, bool) else None
