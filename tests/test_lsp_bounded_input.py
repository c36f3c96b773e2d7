"""Bounded input over stdio (issue 23 item 3): a Content-Length the server will not hold in memory
is answered with Invalid Request and skipped, and the server keeps serving the frames after it.

Specification:
- a declared length above the limit (128 MiB) is never allocated: the request gets Invalid
  Request (-32600) with its own id when the body starts with one, and the stream goes on;
- a client that declares a huge length but sends a short body is resynchronised at the next
  ``Content-Length:`` header (not waited for);
- a header line without an end (megabytes, no newline) is read in pieces, not into one buffer.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import lsp_support as S

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from lsp_soak import RawServer, server_env  # noqa: E402
from test_lsp_abuse import still_serving  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture
def server(tmp_path: Path):  # noqa: ANN201
    raw = RawServer(S.new_project(tmp_path), server_env(tmp_path / "vetpy-cache"))
    raw.initialize()
    yield raw
    raw.kill()


def test_a_declared_length_of_1e14_with_a_short_body_is_answered_and_skipped(server: RawServer) -> None:
    body = json.dumps({"jsonrpc": "2.0", "id": 4242, "method": "textDocument/hover", "params": {}}).encode()
    server.raw(b"Content-Length: 100000000000000\r\n\r\n" + body)
    answer = server.response(4242)
    assert answer["error"]["code"] == -32600 and "too large" in answer["error"]["message"]
    still_serving(server)


def test_an_honest_body_over_the_limit_is_skipped_without_holding_it(server: RawServer) -> None:
    size = 130 * 1024 * 1024
    head = b'{"jsonrpc": "2.0", "id": 77, "method": "textDocument/hover", "params": {"pad": "'
    tail = b'"}}'
    server.raw(b"Content-Length: %d\r\n\r\n" % size + head)
    chunk = b"x" * (1024 * 1024)
    left = size - len(head) - len(tail)
    while left > 0:
        server.raw(chunk[: min(len(chunk), left)])
        left -= min(len(chunk), left)
    server.raw(tail)
    answer = server.response(77)
    assert answer["error"]["code"] == -32600
    still_serving(server)


def test_a_header_line_without_end_is_read_in_pieces(server: RawServer) -> None:
    server.raw(b"X-Junk: " + b"y" * (8 * 1024 * 1024) + b"\r\n")
    still_serving(server)
