"""vetpy's log records as ``window/logMessage`` notifications (never ``showMessage`` pop-ups)."""

from __future__ import annotations

import asyncio
import logging
from typing import Callable

from lsprotocol import types
from pygls.lsp.server import LanguageServer

LEVELS = {"error": logging.ERROR, "warning": logging.WARNING, "info": logging.INFO, "debug": logging.DEBUG}
_MESSAGE_TYPES = {
    logging.ERROR: types.MessageType.Error,
    logging.WARNING: types.MessageType.Warning,
    logging.INFO: types.MessageType.Info,
    logging.DEBUG: types.MessageType.Log,
}


class LspLogHandler(logging.Handler):
    """Forward vetpy's log records to ``window/logMessage``, from any thread, once the server
    has an event loop (``loop()``, None before ``initialize``) and a client to write to."""

    def __init__(self, server: LanguageServer, loop: Callable[[], asyncio.AbstractEventLoop | None]) -> None:
        super().__init__(logging.INFO)
        self.server = server
        self._loop = loop
        self._sending = False
        self.setFormatter(logging.Formatter("%(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        loop = self._loop()
        if loop is None or loop.is_closed() or getattr(self.server.protocol, "writer", None) is None:
            return
        try:
            message = self.format(record)
        except Exception:  # vetpy: ignore[EDGE002] a record that cannot be formatted must not break the server
            return
        kind = _MESSAGE_TYPES.get(record.levelno, types.MessageType.Log)
        if record.levelno >= logging.ERROR:
            kind = types.MessageType.Error
        params = types.LogMessageParams(type=kind, message=message)
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._send(params)
        else:
            loop.call_soon_threadsafe(self._send, params)

    def _send(self, params: types.LogMessageParams) -> None:
        if self._sending:  # a failure to send, logged again: stop here (always on the loop thread)
            return
        self._sending = True
        try:
            self.server.window_log_message(params)
        except Exception:
            pass  # the client went away: nothing sensible to do with a log line
        finally:
            self._sending = False

    def set_level_name(self, level: str | None) -> None:
        """``logLevel`` from the settings; the ``vetpy`` logger lets through what this handler or
        a log file (``--log-file``) wants."""
        self.setLevel(LEVELS.get(level or "info", logging.INFO))
        logging.getLogger("vetpy").setLevel(min(self.level, _file_level()))


def _file_level() -> int:
    file_handlers = [h for h in logging.getLogger("vetpy").handlers if isinstance(h, logging.FileHandler)]
    return min((h.level for h in file_handlers), default=logging.CRITICAL)
