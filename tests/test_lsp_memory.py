"""What the language server keeps per message, per document and per question stays bounded.

The soak (benchmarks/soak.md) showed resident memory growing by ~2 MB per 1,000 edits; the
cause was a future that pygls 2.1 files for every notification and never removes.  These tests
count entries after many distinct inputs (not wall-clock or RSS thresholds): each fails if the
structure it watches grows with the number of edits again.
"""

from __future__ import annotations

import asyncio
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from vetpy.lsp.server import VetpyServer, create_server
from vetpy.resolve import members as members_module
from vetpy.resolve.members import MemberIndex


class NullWriter:
    def __init__(self) -> None:
        self.frames = 0

    def write(self, data: bytes) -> None:
        self.frames += 1


def deliver(server: VetpyServer, message: dict[str, Any]) -> None:
    """One message through the same path as stdio: JSON text -> structure -> handler."""
    body = json.dumps({"jsonrpc": "2.0", **message})
    server.protocol.handle_message(json.loads(body, object_hook=server.protocol.structure_message))


async def settle(server: VetpyServer, limit: float = 120.0) -> None:
    """Until every scheduled analysis ran and the analysis threads are idle: the work they were
    given after a delivery (a young-generation collection, giving memory back) included.
    Before, this gave up silently after 2 s, and a slow machine counted a run still under way."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    scheduler = server.session.scheduler
    while True:
        await asyncio.sleep(0.01)
        if not any(s.task and not s.task.done() for s in scheduler._docs.values()):
            break
        assert loop.time() < deadline, "the server's analyses did not settle"  # a hang guard only
    await loop.run_in_executor(None, drain, scheduler._executor, limit)


def drain(executor: ThreadPoolExecutor, limit: float) -> None:
    """Return once everything submitted to ``executor`` before has finished: one job per worker
    thread, all meeting at a barrier, so that every thread has taken a job after the earlier ones
    (the queue is first in, first out)."""
    workers = executor._max_workers  # type: ignore[attr-defined]
    barrier = threading.Barrier(workers)
    for job in [executor.submit(barrier.wait, limit) for _ in range(workers)]:
        job.result(timeout=limit)


async def test_notifications_leave_nothing_behind(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    root.mkdir()
    server = create_server(poll_interval=0)
    server.protocol.set_writer(NullWriter())
    try:
        deliver(server, {"id": 1, "method": "initialize", "params": {
            "processId": None, "rootUri": root.as_uri(), "capabilities": {},
            "initializationOptions": {"settings": {"debounceMs": 0, "introspection": False}},
        }})
        await asyncio.sleep(0.05)
        uris = [(root / f"m{i}.py").as_uri() for i in range(20)]
        for round_ in range(3):
            for i, uri in enumerate(uris):
                deliver(server, {"method": "textDocument/didOpen", "params": {"textDocument": {
                    "uri": uri, "languageId": "python", "version": 1, "text": "import json\n"}}})
                for version in range(2, 12):  # 10 edits, each with new names
                    text = f"import json\nvalue_{round_}_{i}_{version} = json.dumps({version})\n"
                    deliver(server, {"method": "textDocument/didChange", "params": {
                        "textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}})
                await settle(server)
            for uri in uris:
                deliver(server, {"method": "textDocument/didClose", "params": {"textDocument": {"uri": uri}}})
            await settle(server)
        # 660 notifications later: no future per notification (pygls kept one each: 660)
        assert len(server.protocol._request_futures) <= 2, len(server.protocol._request_futures)
        # per-document state lives as long as the document is open
        assert server.session.scheduler._docs == {} and server.session.documents == {}
        assert len(server.workspace.text_documents) == 0
        assert server.session.scheduler.runs > 0  # the edits were analysed (not merely dropped)
    finally:
        server.stop_work()


def test_member_answers_are_bounded_per_table(tmp_path: Path, monkeypatch: Any) -> None:
    """Every distinct question (``json.loads_fast1``, ``json.loads_fast2`` ...) used to stay in
    memory and in the cache file for ever."""
    monkeypatch.setenv("VETPY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(members_module, "MAX_ANSWERS", 50)
    env = SimpleNamespace(
        python="/nonexistent/python", implementation="cpython", version_str="3.11.7",
        is_stdlib=lambda top: top == "json", dists_for_module=lambda top: [],
    )
    index = MemberIndex(env, [])  # type: ignore[arg-type]
    asked: list[str] = []

    def request(payload: dict[str, Any], timeout: float | None = None) -> dict[str, Any]:
        asked.append(payload["name"] if "name" in payload else payload["path"])
        if payload["op"] == "describe":
            return {"kind": "module", "members": ["dumps", "loads"], "id": 0}
        return {"exists": False, "id": 0}

    index.stdlib_worker.request = request  # type: ignore[method-assign]  (json: the stdlib's worker)
    for n in range(500):
        assert index.module_attribute("json", f"loads_fast{n}").exists is False
        if n % 100 == 0:
            index.flush()
    index.flush()
    key, persistent = index._cache_key("json")
    table = index._tables[key]
    assert persistent and len(table) == 50
    assert "d:json" in table  # asked for every question: the most recently used survives
    assert "a:json:loads_fast499" in table and "a:json:loads_fast0" not in table
    on_disk = json.loads(index._path(key).read_text(encoding="utf-8"))["answers"]
    assert len(on_disk) == 50 and "a:json:loads_fast499" in on_disk
    before = len(asked)
    assert index.module_attribute("json", "loads_fast499").exists is False  # still cached
    assert len(asked) == before


def test_two_processes_flushing_one_table_keep_both_answers(tmp_path: Path, monkeypatch: Any) -> None:
    """The pool's two processes flush the same table (read, merge, write): without a lock between
    them, one wrote what it had read before the other's write, and the other's answers were lost
    (asked of a worker again next run). Here the second flush is started while the first holds the
    table between its read and its write."""
    import threading

    monkeypatch.setenv("VETPY_CACHE_DIR", str(tmp_path / "cache"))
    env = SimpleNamespace(
        python="/nonexistent/python", implementation="cpython", version_str="3.11.7",
        is_stdlib=lambda top: top == "json", dists_for_module=lambda top: [],
    )
    first, second = MemberIndex(env, []), MemberIndex(env, [])  # type: ignore[arg-type]
    key = "stdlib:json"
    first._tables[key] = {"describe:json.a": {"kind": "function"}}
    second._tables[key] = {"describe:json.b": {"kind": "function"}}
    first._dirty, second._dirty = {key}, {key}
    real_write = members_module.write_cache_json
    other = threading.Thread(target=second.flush)

    def write_after_the_other_flush_began(path: Path, data: Any) -> None:
        if threading.current_thread() is not other and not other.is_alive():
            other.start()
            other.join(timeout=2.0)  # with the lock it waits for this write: the timeout stops only that wait
        real_write(path, data)

    monkeypatch.setattr(members_module, "write_cache_json", write_after_the_other_flush_began)
    first.flush()
    other.join(timeout=60)
    assert not other.is_alive()
    written = json.loads(first._path(key).read_text(encoding="utf-8"))
    assert set(written["answers"]) == {"describe:json.a", "describe:json.b"}
