"""Resynchronising stdin for the stdio server, and error answers for malformed messages.

pygls reads a frame's headers with ``readline`` and requires ``Content-Length: N`` to be a line
of its own.  A frame whose Content-Length is wrong leaves the rest of its body (JSON has no line
break) glued to the next frame's header line, and so on for every later frame: the server goes
deaf for good.  This reader splits a line at an embedded ``Content-Length:`` so that the next
well-formed frame is found again; only the damaged frame and at most one neighbour are lost.
Bodies are read with ``read`` and never looked at, so a document containing the marker is safe.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections import deque
from functools import partial
from typing import Any, BinaryIO

from pygls.exceptions import JsonRpcException

from vetpy.lsp.lifecycle import LifecycleProtocol

log = logging.getLogger("vetpy.lsp")

MARK = b"Content-Length:"


MAX_MESSAGE_BYTES = 128 * 1024 * 1024  # a larger body is answered with an error and skipped
LINE_LIMIT = 64 * 1024  # a header line is read in pieces of at most this size
TOO_LARGE_METHOD = "$/vetpy/messageTooLarge"  # the stand-in body handed on for a skipped message
_STUB_SIZE = 256
_LENGTH = re.compile(rb"^content-length:[ \t]*(\d+)[ \t]*\r?\n?$", re.IGNORECASE)
_ID = re.compile(rb'"id"\s*:\s*(-?\d{1,18}|"[^"\\]{0,64}")')


class ResyncingReader:
    """Frames for pygls' reader loop, with bounded memory whatever the client sends.

    A header line is read in pieces of at most ``LINE_LIMIT`` bytes; a frame whose Content-Length
    exceeds ``MAX_MESSAGE_BYTES`` is not read into memory: pygls gets a small stand-in body (a
    ``$/vetpy/messageTooLarge`` message carrying the request's id when the first bytes show one,
    answered with Invalid Request) and the real body is skipped in pieces, up to its declared
    length or to the next ``Content-Length:`` header, whichever comes first (a client that lied
    about the length is resynchronised rather than waited for)."""

    def __init__(self, stream: BinaryIO, limit: int = MAX_MESSAGE_BYTES) -> None:
        self.stream = stream
        self.limit = limit
        self._pending = b""
        self._oversized = 0  # the declared length of a frame being replaced by a stand-in
        self._skip = 0  # bytes of an oversized body still to skip

    def readline(self) -> bytes:
        if self._skip:
            self._skip_body()
        line = self._next_line()
        at = line.find(MARK, 1)
        if at > 0:
            line, self._pending = line[:at], line[at:] + self._pending
        match = _LENGTH.match(line)
        if match is not None and int(match.group(1)) > self.limit:
            self._oversized = int(match.group(1))
            return b"Content-Length: %d\r\n" % _STUB_SIZE
        return line

    def _next_line(self) -> bytes:
        """One line (at most LINE_LIMIT bytes): what is left over first, then the stream."""
        if not self._pending:
            return self.stream.readline(LINE_LIMIT)
        end = self._pending.find(b"\n") + 1
        if end:
            line, self._pending = self._pending[:end], self._pending[end:]
            return line
        line, self._pending = self._pending, b""
        return line + self.stream.readline(max(1, LINE_LIMIT - len(line)))

    def read(self, n: int) -> bytes:
        if self._oversized:
            return self._stand_in()
        head, self._pending = self._pending[:n], self._pending[n:]
        return head + (self.stream.read(n - len(head)) if n > len(head) else b"")

    def _read_some(self, n: int) -> bytes:
        """Up to ``n`` bytes, as many as are there (at least one, unless the input ended)."""
        read1 = getattr(self.stream, "read1", None)
        return read1(n) if read1 is not None else self.stream.read(n)

    def _stand_in(self) -> bytes:
        """The stand-in body for an oversized frame; its real body is skipped by later reads
        (after the answer went out: a client that lied about the length waits for it)."""
        declared, self._oversized = self._oversized, 0
        first = self._pending[:declared] or self._read_some(min(4096, declared))
        self._pending = self._pending[len(first):] if self._pending else b""
        found = _ID.search(first)
        ident = found.group(1).decode() if found else "null"
        self._skip = declared - len(first)
        log.warning("a message of %d bytes (limit %d) is skipped: answered Invalid Request", declared, self.limit)
        body = ('{"jsonrpc": "2.0", "id": %s, "method": "%s", "params": {"length": %d}}'
                % (ident, TOO_LARGE_METHOD, declared)).encode()
        return body.ljust(_STUB_SIZE)

    def _skip_body(self) -> None:
        """Skip the rest of an oversized body in pieces; stop early at the next frame's header."""
        while self._skip > 0:
            piece = self._pending or self._read_some(min(LINE_LIMIT, self._skip))
            self._pending = b""
            if not piece:
                break
            at = piece.find(MARK)
            if at >= 0:
                self._pending = piece[at:]
                break
            self._skip -= len(piece)
        self._skip = 0


# pygls' reader loop (pygls.io_.run_async) takes a frame's length from a header line that matches
# this exactly, then reads the body once it has seen a blank line.
_PYGLS_LENGTH = re.compile(rb"^Content-Length: (\d+)\r\n$")


class FrameReader:
    """pygls' asynchronous reader (``readline``/``readexactly`` awaited by its reader loop) with
    one trip to a worker thread per message instead of one per header line and one for the body:
    the worker makes the very calls on ``stream`` that pygls' loop would make until the end of a
    frame (its header lines, then its body, with pygls' own test of the length line), and the
    loop's next awaits are answered from what it read.  Each trip wakes two threads; on a busy
    machine each wake-up can wait for a core, so three per message made every edit wait more."""

    def __init__(self, stream: Any, executor: Any) -> None:
        self.stream = stream
        self.executor = executor
        self._ready: deque[bytes] = deque()

    async def readline(self) -> bytes:
        if not self._ready:
            self._ready.extend(await asyncio.get_running_loop().run_in_executor(self.executor, self._frame))
        return self._ready.popleft()

    async def readexactly(self, n: int) -> bytes:
        if self._ready:  # the body _frame read, of the length pygls' loop found too
            return self._ready.popleft()
        return await asyncio.get_running_loop().run_in_executor(self.executor, self.stream.read, n)  # type: ignore[no-any-return]

    def _frame(self) -> list[bytes]:
        """In the worker thread: a frame's lines, then its body (or up to the end of the input)."""
        read: list[bytes] = []
        length = 0
        while True:
            line = self.stream.readline()
            read.append(line)
            if not line:
                return read
            if not length:
                match = _PYGLS_LENGTH.fullmatch(line)
                if match:
                    length = int(match.group(1))
            if length and not line.strip():
                read.append(self.stream.read(length))
                return read


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
        if getattr(message, "method", None) == TOO_LARGE_METHOD:
            length = getattr(getattr(message, "params", None), "length", None)
            self.send_error(_message_id(message), INVALID_REQUEST, f"Invalid Request: message of {length} bytes is too large")
            return
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
