"""The server's stdin reader: one worker-thread trip per message, and exactly what pygls' own reader
hands its reader loop.

Specification: pygls' loop (``pygls.io_.run_async``) over :class:`vetpy.lsp.framing.FrameReader`
handles the same messages, in the same order, as over pygls' ``StdinAsyncReader``, for any input:
well-formed frames, extra header lines, a wrong or zero Content-Length, garbage between frames, an
oversized frame (ResyncingReader's stand-in), input that ends inside a frame; and it submits one
job to the executor per message (pygls' reader: one per header line plus one for the body)."""

from __future__ import annotations

import asyncio
import io
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pygls.io_ import StdinAsyncReader, run_async

from vetpy.lsp.framing import FrameReader, ResyncingReader


class Recorder:
    """What pygls' loop hands a protocol."""

    def __init__(self) -> None:
        self.handled: list[Any] = []

    def structure_message(self, data: dict[str, Any]) -> Any:
        return data

    def handle_message(self, message: Any) -> None:
        self.handled.append(message)


class CountingExecutor(ThreadPoolExecutor):
    def __init__(self) -> None:
        super().__init__(max_workers=1)
        self.jobs = 0

    def submit(self, *args: Any, **kwargs: Any) -> Any:
        self.jobs += 1
        return super().submit(*args, **kwargs)


def _run(data: bytes, frames: bool, limit: int = 1 << 20) -> tuple[list[Any], list[str], int]:
    executor = CountingExecutor()
    stream = ResyncingReader(io.BufferedReader(io.BytesIO(data)), limit=limit)  # type: ignore[arg-type]
    reader = FrameReader(stream, executor) if frames else StdinAsyncReader(stream, executor)  # type: ignore[arg-type]
    protocol = Recorder()
    errors: list[str] = []
    asyncio.run(run_async(threading.Event(), reader, protocol, error_handler=lambda exc, _: errors.append(type(exc).__name__)))  # type: ignore[arg-type]
    executor.shutdown()
    return protocol.handled, errors, executor.jobs


def frame(payload: Any, extra: bytes = b"", length: int | None = None) -> bytes:
    body = json.dumps(payload).encode()
    return b"Content-Length: %d\r\n" % (len(body) if length is None else length) + extra + b"\r\n" + body


MESSAGES = [{"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"n": n, "text": "x" * n}} for n in range(5)]


def test_well_formed_frames_are_handled_in_order_with_one_trip_each() -> None:
    data = b"".join(frame(m) for m in MESSAGES)
    handled, errors, jobs = _run(data, frames=True)
    assert handled == MESSAGES and errors == []
    assert jobs == len(MESSAGES) + 1  # and one more that finds the end of the input
    assert _run(data, frames=False)[2] == 3 * len(MESSAGES) + 1  # pygls' reader: three trips a message


PIECES = [
    frame(MESSAGES[1]),
    frame(MESSAGES[2], extra=b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n"),
    frame(MESSAGES[3], length=7),  # too short: the rest is glued to the next header line
    frame(MESSAGES[4], length=400),  # too long: swallows the next frame
    b"Content-Length: 0\r\n\r\n",
    b"garbage without a line end",
    b"\r\n",
    b"Content-Length: 12\r\n\r\nnot json!!!!",
    frame({"jsonrpc": "2.0", "id": 7, "method": "x", "params": {"big": "y" * 300}}),  # over the limit below
    b"Content-Length: 50\r\n\r\n{\"jsonrpc\"",  # the input ends inside the body
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=8))
def test_any_input_gives_the_same_messages_as_pygls_own_reader(pieces: list[bytes]) -> None:
    data = b"".join(pieces)
    mine, mine_errors, _ = _run(data, frames=True, limit=256)
    theirs, their_errors, _ = _run(data, frames=False, limit=256)
    assert mine == theirs
    assert mine_errors == their_errors


@pytest.mark.parametrize("piece", PIECES)
def test_each_malformed_piece_then_a_good_frame(piece: bytes) -> None:
    data = piece + frame(MESSAGES[0]) + frame(MESSAGES[1])
    assert _run(data, frames=True, limit=256)[:2] == _run(data, frames=False, limit=256)[:2]


def test_another_pygls_runs_its_own_reader_loop(monkeypatch) -> None:
    """The copied ``_start_io_async`` is used only with the pygls it was copied from (2.1)."""
    from pygls.lsp.server import LanguageServer

    from vetpy.lsp import server as server_module

    calls = []
    monkeypatch.setattr(server_module, "_PYGLS_2_1", False)
    monkeypatch.setattr(LanguageServer, "_start_io_async", lambda self, stdin=None, stdout=None: calls.append((stdin, stdout)))
    srv = server_module.create_server()
    srv._start_io_async("in", "out")
    assert calls == [("in", "out")]
