"""The stdin reader of ``vetpy serve`` (:class:`vetpy.lsp.framing.FrameAsyncReader`) reads a
message's header lines and body in one trip to the reading thread; pygls' own loop
(``pygls.io_.run_async``) must get exactly what pygls' reader gives it, frame by frame, on
well-formed and damaged input alike."""

from __future__ import annotations

import asyncio
import io
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from pygls.io_ import StdinAsyncReader, run_async

from vetpy.lsp.framing import FrameAsyncReader, ResyncingReader


def frame(payload: dict, length: int | None = None, extra: bytes = b"") -> bytes:
    body = json.dumps(payload).encode()
    return b"Content-Length: %d\r\n" % (len(body) if length is None else length) + extra + b"\r\n" + body


class Recorder:
    """What pygls' loop hands the protocol: every message, or the error of one."""

    def __init__(self) -> None:
        self.seen: list[object] = []

    def structure_message(self, data: dict) -> dict:
        return data

    def handle_message(self, message: dict) -> None:
        self.seen.append(message)

    def error(self, exc: Exception, kind: type) -> None:
        self.seen.append(("error", type(exc).__name__))


def received(reader_class: type, data: bytes, limit: int | None = None) -> tuple[list[object], int]:
    recorder = Recorder()
    stream = ResyncingReader(io.BufferedReader(io.BytesIO(data)), **({"limit": limit} if limit else {}))  # type: ignore[arg-type]
    trips = 0
    with ThreadPoolExecutor(1) as pool:
        original = pool.submit

        def counted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - the pool's own signature
            nonlocal trips
            trips += 1
            return original(*args, **kwargs)

        pool.submit = counted  # type: ignore[method-assign]
        reader = reader_class(stream, pool)
        asyncio.run(run_async(threading.Event(), reader, recorder, error_handler=recorder.error))  # type: ignore[arg-type]
    return recorder.seen, trips


MESSAGES = [{"jsonrpc": "2.0", "method": f"m{i}", "params": {"text": "Content-Length: 3\r\n" * i}} for i in range(4)]
INPUTS = {
    "well formed": b"".join(frame(m) for m in MESSAGES),
    "a second header line": frame(MESSAGES[0], extra=b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n")
    + frame(MESSAGES[1]),
    "a length too short (resynchronised)": frame(MESSAGES[0], length=10) + frame(MESSAGES[1]) + frame(MESSAGES[2]),
    "a length too long": frame(MESSAGES[0]) + frame(MESSAGES[1], length=400),
    "a body that is not JSON": b"Content-Length: 5\r\n\r\n{nope" + frame(MESSAGES[1]),
    "an oversized body (stand-in)": frame(MESSAGES[3]) + frame(MESSAGES[1]),
    "ends inside the headers": frame(MESSAGES[0]) + b"Content-Length: 9\r\n",
    "blank lines before a frame": b"\r\n\r\n" + frame(MESSAGES[0]),
    "empty": b"",
}


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_pygls_loop_gets_the_same_messages_with_one_trip_per_message(name: str) -> None:
    data = INPUTS[name]
    limit = 100 if "oversized" in name else None  # the first body (121 bytes) over it, the second (79) not
    ours, trips = received(FrameAsyncReader, data, limit)
    theirs, their_trips = received(StdinAsyncReader, data, limit)
    assert ours == theirs
    messages = sum(1 for m in theirs if isinstance(m, dict))
    if name == "well formed":
        assert messages == len(MESSAGES) and their_trips >= 3 * messages
    assert trips <= messages + 2  # one per message, one that finds the end (and one for a damaged frame)
