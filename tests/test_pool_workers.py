"""The pool of ``vetpy check`` shares one standard-library introspection worker and one of
installed packages (issue #17).

Specification: over a pool of processes each distinct question (standard library; installed
packages) is asked of a worker once per run, by one worker process, so that a cold run imports
and introspects each installed package once, and the findings are those of one process; when
the pool's processes cannot reach the shared workers they each start their own (as before), with
the same findings.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from vetpy.cli.run import PARALLEL_THRESHOLD, CheckOptions, run_check
from vetpy.resolve import members as members_module
from vetpy.resolve.members import Backoff, MemberIndex, RemoteWorker, SharedWorker, WorkerResting


@pytest.fixture(autouse=True)
def cache_dir(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("VETPY_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


def project(root: Path) -> Path:
    """Files enough for the pool; every one asks about the same standard-library modules."""
    root.mkdir()
    for i in range(PARALLEL_THRESHOLD + 6):
        (root / f"m{i}.py").write_text(
            "import collections\nimport json\nimport os.path\n\n"
            f"def f{i}(p):\n    d = collections.OrderedDict()\n    d.move_to_end('k')\n"
            f"    return json.load{i}x(p), os.path.joinx(p), collections.Counterx\n"
        )
    return root


def logged_workers(monkeypatch, log: Path) -> None:
    """Every worker start and question, with the process and the worker: written to ``log`` (the
    pool's processes are forked from this one, so they log too)."""
    start, request = members_module.WorkerClient._start, members_module.WorkerClient.request

    def write(record: dict) -> None:
        with log.open("a") as f:
            f.write(json.dumps(record) + "\n")

    def logged_start(self):
        write({"pid": os.getpid(), "worker": id(self), "event": "start"})
        return start(self)

    def logged_request(self, payload, timeout=None):
        write({"pid": os.getpid(), "worker": id(self), "event": "ask", "payload": payload})
        return request(self, payload, timeout)

    monkeypatch.setattr(members_module.WorkerClient, "_start", logged_start)
    monkeypatch.setattr(members_module.WorkerClient, "request", logged_request)


def shown(result) -> list[tuple]:
    return [(Path(f.path).name, f.line, f.column, f.code, f.message) for f in result.findings]


def check(root: Path, jobs: int):
    result = run_check([str(root)], CheckOptions(python=sys.executable, use_cache=False), jobs=jobs)
    assert not result.errors, result.errors
    return result


def test_the_pool_asks_each_standard_library_question_once(tmp_path, monkeypatch):
    root = project(tmp_path / "p")
    serial = shown(check(root, jobs=1))
    log = tmp_path / "workers.jsonl"
    logged_workers(monkeypatch, log)
    pooled = shown(check(root, jobs=2))
    assert pooled == serial and any(code.startswith("HAL") for _, _, _, code, _ in pooled)
    records = [json.loads(line) for line in log.read_text().splitlines()]
    stdlib = [r for r in records if r["event"] == "ask" and r["payload"]["path"].split(".")[0] in sys.stdlib_module_names]
    asked = [json.dumps(r["payload"], sort_keys=True) for r in stdlib]
    assert asked and len(asked) == len(set(asked))  # no question twice
    workers = {(r["pid"], r["worker"]) for r in stdlib}
    assert len(workers) == 1  # one worker answered them all
    starts = [r for r in records if r["event"] == "start" and (r["pid"], r["worker"]) in workers]
    assert len(starts) == 1


def test_the_pool_introspects_each_installed_module_once(tmp_path, monkeypatch):
    root = tmp_path / "p"
    root.mkdir()
    for i in range(PARALLEL_THRESHOLD + 6):  # every file asks about the same installed package
        (root / f"m{i}.py").write_text(
            "import packaging.version\nimport packaging.markers\n\n"
            f"def f{i}(v):\n    return packaging.version.Version(v).majr, packaging.version.parsex(v), "
            "packaging.markers.Marker\n"
        )
    serial = shown(check(root, jobs=1))
    log = tmp_path / "workers.jsonl"
    logged_workers(monkeypatch, log)
    pooled = shown(check(root, jobs=2))
    assert pooled == serial and sum(code.startswith("HAL") for _, _, _, code, _ in pooled) >= PARALLEL_THRESHOLD
    records = [json.loads(line) for line in log.read_text().splitlines()]
    installed = [r for r in records if r["event"] == "ask" and r["payload"]["path"].split(".")[0] == "packaging"]
    asked = [json.dumps(r["payload"], sort_keys=True) for r in installed]
    assert asked and len(asked) == len(set(asked))  # no question twice
    workers = {(r["pid"], r["worker"]) for r in installed}
    assert workers == {(os.getpid(), next(iter(workers))[1])}  # one worker, the parent's, answered them all
    starts = [r for r in records if r["event"] == "start" and (r["pid"], r["worker"]) in workers]
    assert len(starts) == 1  # so each module was imported by one process


def test_unreachable_shared_worker_each_process_starts_its_own(tmp_path, monkeypatch):
    root = project(tmp_path / "p")
    serial = shown(check(root, jobs=1))
    share = MemberIndex.share_stdlib

    def share_closed(self):
        shared = share(self)
        shared.close()  # nobody listens any more: the pool's processes fall back
        return shared

    monkeypatch.setattr(MemberIndex, "share_stdlib", share_closed)
    log = tmp_path / "workers.jsonl"
    logged_workers(monkeypatch, log)
    assert shown(check(root, jobs=2)) == serial
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert any(r["event"] == "ask" and r["payload"]["path"].split(".")[0] in sys.stdlib_module_names for r in records)


class FakeClient:
    """A worker that answers ``{"n": k}`` to its k-th question, or fails as told."""

    python, roots, timeout, workdir, backoff = sys.executable, [], 5.0, None, Backoff()

    def __init__(self) -> None:
        self.asked: list[dict] = []
        self.fail: str | None = None  # "hang" (None answer) or "rest" (WorkerResting)

    def request(self, payload, timeout=None):
        self.asked.append(payload)
        if self.fail == "rest":
            raise WorkerResting("resting")
        if self.fail == "hang":
            return None
        return {"n": len(self.asked), "id": 7}

    def close(self) -> None:
        pass


def test_shared_worker_answers_once_and_forgets_failures():
    client = FakeClient()
    shared = SharedWorker(client)  # type: ignore[arg-type]
    try:
        one, two = RemoteWorker(shared), RemoteWorker(shared)
        question = {"op": "describe", "path": "json.loads"}
        assert one.request(question) == {"n": 1}  # the worker's request id is not passed on
        assert two.request(dict(question)) == {"n": 1} and len(client.asked) == 1
        client.fail = "hang"
        assert one.request({"op": "describe", "path": "os.sep"}) is None
        client.fail = None
        assert two.request({"op": "describe", "path": "os.sep"}) == {"n": 3}  # a failure is asked again
        client.fail = "rest"
        with pytest.raises(WorkerResting):
            one.request({"op": "describe", "path": "re.compile"})
        one.close()
        two.close()
    finally:
        shared.close()
    assert (shared.asked, shared.reused) == (3, 1)  # the failure too; not the question while resting


def test_the_builtins_stub_is_parsed_once_before_the_fork(tmp_path, monkeypatch):
    """Every pool process reads builtins.pyi: it is parsed in the parent, and the processes use
    that tree (the findings are those of one process, which parses it itself)."""
    from vetpy.resolve import stubs as stubs_module

    root = tmp_path / "p"
    root.mkdir()
    for i in range(PARALLEL_THRESHOLD + 6):
        (root / f"m{i}.py").write_text(f"def f{i}(p, s: str):\n    data = open(p).read()\n    return data.uper(), s.upper()\n")
    log = tmp_path / "parses.jsonl"
    parse = stubs_module.parse_module_file

    def logged_parse(path):
        with log.open("a") as f:
            f.write(json.dumps({"pid": os.getpid(), "path": str(path)}) + "\n")
        return parse(path)

    monkeypatch.setattr(stubs_module, "parse_module_file", logged_parse)
    serial = shown(check(root, jobs=1))
    log.unlink()
    pooled = shown(check(root, jobs=2))
    assert pooled == serial and any(code == "HAL003" and name == "m0.py" for name, _, _, code, _ in pooled)
    builtins = [json.loads(line)["pid"] for line in log.read_text().splitlines() if line.endswith('builtins.pyi"}')]
    assert builtins == [os.getpid()]  # once, by this process, before the fork
