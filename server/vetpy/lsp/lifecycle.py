"""The LSP lifecycle as the specification says it (pygls 2.1 leaves most of it to the server).

- Before ``initialize``: a request is answered ServerNotInitialized (-32002), ``shutdown``
  included, and the server stays ready for ``initialize``; a notification is dropped, except
  ``exit``.
- A second ``initialize`` is answered Invalid Request (-32600); nothing of the session (open
  documents, settings, folders) is touched.
- After ``shutdown``: every request is answered Invalid Request (-32600) and notifications are
  dropped, except ``exit``; pygls would drop the requests too, and a client would wait for ever.
- ``exit`` ends the process with 0 after a ``shutdown``, with 1 without one (pygls does this).
- An error response never carries a traceback (pygls puts one in ``data``): it goes to the log.
"""

from __future__ import annotations

import logging
from typing import Any

from lsprotocol import types
from pygls.protocol import LanguageServerProtocol

log = logging.getLogger("vetpy.lsp")

INVALID_REQUEST = -32600
SERVER_NOT_INITIALIZED = -32002


class LifecycleProtocol(LanguageServerProtocol):
    _initialize_seen = False

    def handle_message(self, message: Any) -> None:
        method = getattr(message, "method", None)
        ident = getattr(message, "id", None)
        is_request = isinstance(method, str) and ident is not None
        if method is None or method == types.EXIT:
            super().handle_message(message)
            return
        if self._shutdown:
            if is_request:
                self._send_error(ident, INVALID_REQUEST, f"Invalid Request: {method} after shutdown")
            return
        if method == types.INITIALIZE:
            if self._initialize_seen:
                self._send_error(ident, INVALID_REQUEST, "Invalid Request: initialize may be sent only once")
                return
            self._initialize_seen = True
        elif not self._initialize_seen:
            if is_request:
                self._send_error(ident, SERVER_NOT_INITIALIZED, f"Server not initialized: {method} before initialize")
            else:
                log.warning("%s before initialize: dropped", method)
            return
        super().handle_message(message)

    def _send_error(self, ident: Any, code: int, message: str) -> None:
        self._send_response(ident, error=types.ResponseError(code=code, message=message))

    def _send_response(self, msg_id: Any, result: Any | None = None, error: Any = None) -> None:
        data = getattr(error, "data", None)
        if isinstance(data, dict) and "traceback" in data:
            log.error("answering request %r with an error: %s\n%s", msg_id, error.message, "".join(data["traceback"]))
            error = types.ResponseError(code=error.code, message=error.message)
        super()._send_response(msg_id, result, error)
