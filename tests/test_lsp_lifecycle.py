"""The LSP lifecycle, by the specification (issue 23 item 6), through the real server over stdio.

Specification (LSP 3.17, "Lifecycle Messages"):
- a request before ``initialize`` is answered with ServerNotInitialized (-32002); that includes
  ``shutdown``, and the server then still accepts ``initialize``; notifications are dropped;
- ``initialize`` is sent once: a second one is an Invalid Request (-32600) and changes nothing
  (open documents are kept);
- after ``shutdown`` every request is an Invalid Request (-32600); ``exit`` is still obeyed;
- the process exits with 0 when ``shutdown`` came before ``exit``, with 1 otherwise;
- no error response carries a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import lsp_support as S

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from lsp_soak import RawServer, server_env  # noqa: E402

pytestmark = pytest.mark.slow

HALLUCINATED = "import json\njson.loads_fast('1')\n"


@pytest.fixture
def server(tmp_path: Path):  # noqa: ANN201
    root = S.new_project(tmp_path)
    raw = RawServer(root, server_env(tmp_path / "cache"))
    yield raw
    raw.kill()


def init_params(server: RawServer) -> dict:
    return {"processId": None, "rootUri": server.root.as_uri(), "capabilities": {}}


def hover_params(uri: str) -> dict:
    return {"textDocument": {"uri": uri}, "position": {"line": 1, "character": 6}}


def error_of(answer: dict) -> tuple[int, str]:
    assert "result" not in answer, answer
    assert set(answer["error"]) == {"code", "message"}, answer  # no data, no traceback
    return answer["error"]["code"], answer["error"]["message"]


def test_requests_before_initialize_are_server_not_initialized(server: RawServer) -> None:
    uri = (server.root / "a.py").as_uri()
    assert error_of(server.response(server.request("textDocument/hover", hover_params(uri))))[0] == -32002
    assert error_of(server.response(server.request("shutdown")))[0] == -32002
    server.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": "x"}})
    # still ready: initialize works, and the document sent too early was not kept
    result = server.response(server.request("initialize", init_params(server)))["result"]
    assert "capabilities" in result
    server.notify("initialized", {})
    assert server.hover(uri)["result"] is None
    assert server.shutdown_and_exit() == 0


def test_a_second_initialize_is_invalid_and_forgets_nothing(server: RawServer) -> None:
    server.initialize()
    uri = server.open("a.py", HALLUCINATED)
    codes = [d["code"] for d in server.published(uri, 1)["diagnostics"]]
    code, message = error_of(server.response(server.request("initialize", init_params(server))))
    assert code == -32600 and "only once" in message
    assert server.hover(uri)["result"] is not None  # the open document is still known
    server.change(uri, 2, HALLUCINATED + "\n")
    assert [d["code"] for d in server.published(uri, 2)["diagnostics"]] == codes
    assert server.shutdown_and_exit() == 0


def test_requests_after_shutdown_are_invalid_and_exit_is_obeyed(server: RawServer) -> None:
    server.initialize()
    uri = server.open("a.py", HALLUCINATED)
    server.published(uri, 1)
    assert server.response(server.request("shutdown"))["result"] is None
    code, message = error_of(server.response(server.request("textDocument/hover", hover_params(uri))))
    assert code == -32600 and "after shutdown" in message
    assert error_of(server.response(server.request("shutdown")))[0] == -32600
    server.notify("exit")
    assert server.proc.wait(timeout=S.HANG_SECONDS) == 0


def test_exit_without_shutdown_exits_with_1(server: RawServer) -> None:
    server.initialize()
    server.notify("exit")
    assert server.proc.wait(timeout=S.HANG_SECONDS) == 1


def test_input_closed_without_shutdown_exits_with_1(server: RawServer) -> None:
    server.initialize()
    assert server.proc.stdin is not None
    server.proc.stdin.close()
    assert server.proc.wait(timeout=S.HANG_SECONDS) == 1


def test_an_error_from_a_handler_is_answered_without_a_traceback(server: RawServer) -> None:
    server.initialize()
    answer = server.response(server.request("workspace/executeCommand", {"command": "vetpy.noSuchCommand", "arguments": []}))
    code, _ = error_of(answer)
    assert code < 0
    assert server.shutdown_and_exit() == 0
