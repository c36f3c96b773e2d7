"""Resynchronising stdin for the stdio server.

pygls reads a frame's headers with ``readline`` and requires ``Content-Length: N`` to be a line
of its own.  A frame whose Content-Length is wrong leaves the rest of its body (JSON has no line
break) glued to the next frame's header line, and so on for every later frame: the server goes
deaf for good.  This reader splits a line at an embedded ``Content-Length:`` so that the next
well-formed frame is found again; only the damaged frame and at most one neighbour are lost.
Bodies are read with ``read`` and never looked at, so a document containing the marker is safe.
"""

from __future__ import annotations

from typing import Any, BinaryIO

from pygls.exceptions import JsonRpcException
from pygls.protocol import LanguageServerProtocol

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


class AnsweringProtocol(LanguageServerProtocol):
    """A request whose params do not fit its method gets an error response (pygls only logs it,
    and the client would wait for ever)."""

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            if isinstance(data.get("id"), (int, str)) and "method" in data:
                self._send_response(data["id"], None, exc.to_response_error())
            raise
