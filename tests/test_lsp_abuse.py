"""Protocol abuse over real stdio: the server answers per the spec, keeps serving, exits cleanly.

Malformed frames are written byte for byte to a ``python -m vetpy serve`` subprocess (no LSP
client library in between); the well-formed abuse (unknown methods, floods, cancel storms) too,
so that every case can check the process tree before and after.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import lsp_support as S

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from lsp_soak import RawServer, descendants, server_env  # noqa: E402  (shared with the soak benchmark)

pytestmark = pytest.mark.slow  # seconds each: processes, whole trees or many examples

HALLUCINATED = "import json\nfrom json import loads_fast\n"


def still_serving(server: RawServer) -> None:
    """A follow-up request gets a correct answer: a fresh document gets its one finding."""
    uri = server.open(f"followup{server.request('$/ping')}.py", HALLUCINATED)
    assert [d["code"] for d in server.published(uri, 1)["diagnostics"]] == ["HAL002"]
    assert "json" in server.hover(uri)["result"]["contents"]["value"]


@pytest.fixture
def server(tmp_path: Path) -> Any:
    raw = RawServer(S.new_project(tmp_path), server_env(tmp_path / "vetpy-cache"))
    yield raw
    raw.kill()


def assert_no_orphans(children: set[int]) -> None:
    """Every process the server started has gone (polled: the kernel reaps asynchronously)."""
    deadline = time.monotonic() + 10
    while (alive := {pid for pid in children if Path(f"/proc/{pid}").exists() and not _zombie(pid)}) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive, f"orphaned subprocesses: {alive}"


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def test_malformed_frames_then_keeps_serving(server: RawServer) -> None:
    server.initialize()
    still_serving(server)
    # bad JSON with a correct length: answered Parse error (test_error_responses_per_the_spec)
    server.raw(b"Content-Length: 9\r\n\r\n{not json")
    still_serving(server)
    # valid JSON that is not JSON-RPC
    server.send({"hello": [1, 2, 3]})
    server.raw(b"Content-Length: 4\r\n\r\nnull")
    still_serving(server)
    # a frame without Content-Length (only another header): the body is skipped as header noise
    server.raw(b'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{"jsonrpc": "2.0", "method": "x"}\r\n')
    still_serving(server)
    # a non-numeric Content-Length
    server.raw(b"Content-Length: lots\r\n\r\n{}\r\n")
    still_serving(server)
    # a Content-Length that is too short: the rest of the body is noise before the next frame
    body = json.dumps({"jsonrpc": "2.0", "id": 999, "method": "shutdown"}).encode()
    server.raw(b"Content-Length: 10\r\n\r\n" + body)
    still_serving(server)
    # a Content-Length that is too long swallows the start of the next frame
    server.raw(b"Content-Length: 60\r\n\r\n{}")
    server.notify("$/noSuchThing", {})
    still_serving(server)
    assert not any(m.get("id") == 999 for m in server.seen)  # the truncated shutdown was not obeyed
    children = descendants(server.proc.pid)
    assert server.shutdown_and_exit() == 0
    assert_no_orphans(children)


def error_answer(server: RawServer, ident: int | None = None) -> dict[str, Any]:
    """The next error response with ``id`` (null when None); not kept for later waits."""
    answer = server.wait(lambda m: "error" in m and "method" not in m and m.get("id") == ident, keep=False)
    assert "id" in answer and answer["jsonrpc"] == "2.0", answer  # the id is present, as null
    return answer


def test_error_responses_per_the_spec(server: RawServer) -> None:
    """JSON-RPC 2.0 section 5.1: Parse error -32700 and Invalid Request -32600 with id null
    when the id cannot be read; Method not found -32601 for requests only."""
    server.initialize()
    for body in (b"{not json", b'{"jsonrpc": "2.0", "id": 5, "method"', b"\xff\xfe{}", b"[" * 100_000):
        server.raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        assert error_answer(server)["error"]["code"] == -32700, body[:20]
    for message in (b'{"hello": [1, 2, 3]}', b"null", b"42", b"[1, 2]", b'"text"'):
        server.raw(b"Content-Length: %d\r\n\r\n" % len(message) + message)
        assert error_answer(server)["error"]["code"] == -32600, message
    server.send({"id": 77, "hello": "no method"})  # jsonrpc 2.0 but neither request nor notification
    raw = json.dumps({"jsonrpc": "1.0", "id": 78, "method": "shutdown"}).encode()
    server.raw(b"Content-Length: %d\r\n\r\n" % len(raw) + raw)
    assert error_answer(server, 78)["error"]["code"] == -32600  # not obeyed: the server still serves
    # unknown methods: requests get -32601 (with or without params), notifications nothing
    assert server.response(server.request("vetpy/noSuchMethod"))["error"]["code"] == -32601
    server.send({"id": "text-id", "method": "vetpy/noSuchMethod"})
    assert server.response("text-id")["error"]["code"] == -32601  # type: ignore[arg-type]
    server.notify("vetpy/noSuchNotification")
    ping = server._next + 1  # still_serving's $/ping request: its -32601 is expected
    still_serving(server)
    errors = [m for m in server.seen if "error" in m and "method" not in m and m.get("id") != ping]
    assert all(m.get("id") == 77 for m in errors), errors  # nothing answered twice, nothing for notifications
    assert server.shutdown_and_exit() == 0


def test_huge_content_length_then_eof(server: RawServer) -> None:
    server.initialize()
    still_serving(server)  # starts the introspection worker
    children = descendants(server.proc.pid)
    assert children, "the server should have started a worker by now"
    server.raw(b"Content-Length: 2000000000\r\n\r\n{\"jsonrpc\": \"2.0\"")
    assert server.proc.stdin is not None
    server.proc.stdin.close()
    server.proc.wait(timeout=240)  # closed stdin: the server exits by itself
    assert_no_orphans(children)


def test_unknown_methods_and_unopened_documents(server: RawServer) -> None:
    server.initialize()
    # unknown request: MethodNotFound; unknown notifications ($/ or not): ignored, no answer
    answer = server.response(server.request("vetpy/noSuchMethod", {"x": 1}))
    assert answer["error"]["code"] == -32601
    server.notify("$/unknownNotification", {"x": 1})
    server.notify("textDocument/noSuchNotification", {})
    answer = server.response(server.request("$/unknownRequest", {}))
    assert answer["error"]["code"] == -32601
    # requests about a document that was never opened: empty answers, not errors
    ghost = (server.root / "ghost.py").as_uri()
    assert server.hover(ghost) == {"jsonrpc": "2.0", "id": server._next, "result": None}
    actions = server.response(server.request("textDocument/codeAction", {
        "textDocument": {"uri": ghost},
        "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}},
        "context": {"diagnostics": []},
    }))
    assert "error" not in actions and actions["result"] in (None, [])
    server.notify("textDocument/didClose", {"textDocument": {"uri": ghost}})
    still_serving(server)
    # requests whose params do not match the method: an error response, never silence
    bad = server.response(server.request("textDocument/hover", {"position": "nowhere"}))
    assert bad["error"]["code"] in (-32602, -32603, -32600)
    still_serving(server)
    assert server.shutdown_and_exit() == 0


def test_out_of_range_positions(server: RawServer) -> None:
    server.initialize()
    uri = server.open("app.py", HALLUCINATED)
    diagnostics = server.published(uri, 1)["diagnostics"]
    assert [d["code"] for d in diagnostics] == ["HAL002"]
    for line, character in [(1000, 0), (0, 10_000), (-1, 0), (2**31 - 1, 2**31 - 1), (1, -5)]:
        answer = server.hover(uri, line, character)
        assert "error" not in answer or answer["error"]["code"] in (-32602, -32603), answer
        rng = {"start": {"line": line, "character": character}, "end": {"line": line + 1, "character": 0}}
        answer = server.response(server.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": rng,
            "context": {"diagnostics": [{**diagnostics[0], "range": rng}]},
        }))
        assert "error" not in answer or answer["error"]["code"] in (-32602, -32603), answer
    still_serving(server)
    assert server.shutdown_and_exit() == 0


def test_out_of_order_versions(server: RawServer) -> None:
    server.initialize()
    uri = server.open("app.py", "x = 1\n", version=5)
    assert server.published(uri, 5)["diagnostics"] == []
    server.change(uri, 7, HALLUCINATED)
    server.change(uri, 6, "import json\n")  # older version arrives late
    server.change(uri, 6, "import json\n")  # and twice
    final = server.wait(
        lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
        and m["params"].get("version") in (6, 7)
    )["params"]
    # whatever the server kept, what it published matches the text it holds for that version
    answer = server.hover(uri, 1, 18)
    if final["version"] == 7:
        assert [d["code"] for d in final["diagnostics"]] == ["HAL002"]
    else:
        assert final["diagnostics"] == [] and answer["result"] is None
    still_serving(server)
    assert server.shutdown_and_exit() == 0


def test_flood_of_changes_and_cancel_storm(server: RawServer) -> None:
    server.initialize()
    uri = server.open("flood.py", "import json\n")
    server.published(uri, 1)
    started = time.perf_counter()
    n = 10_000
    for version in range(2, n + 2):
        server.change(uri, version, f"import json\nvalue_{version} = json.dumps({version})\n")
    sent = time.perf_counter()
    server.change(uri, n + 2, HALLUCINATED)
    final = server.published(uri, n + 2, timeout=120)
    done = time.perf_counter()
    assert [d["code"] for d in final["diagnostics"]] == ["HAL002"]
    print(f"\nflood: {n} didChange in {sent - started:.2f} s; final publish {1000 * (done - sent):.0f} ms after the last change")
    # a storm of cancellations, for requests in flight, finished and never sent
    idents = [server.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 1, "character": 20}}) for _ in range(200)]
    for ident in [*idents, *range(10_000, 12_000)]:
        server.notify("$/cancelRequest", {"id": ident})
    for ident in idents:  # each request gets exactly one answer: a result or RequestCancelled
        answer = server.response(ident, timeout=240)
        assert "result" in answer or answer["error"]["code"] == -32800, answer
    still_serving(server)
    assert server.shutdown_and_exit() == 0


def test_disconnect_mid_analysis(server: RawServer) -> None:
    server.initialize()
    still_serving(server)
    big = "import json\n" + "".join(f"v{i} = json.dumps({i})\n" for i in range(40_000)) + "from json import loads_fast\n"
    server.open("big.py", big)
    time.sleep(0.3)  # the analysis is under way
    children = descendants(server.proc.pid)
    server.proc.stdin.close()  # type: ignore[union-attr]  # the editor went away
    server.proc.wait(timeout=240)
    assert_no_orphans(children)
