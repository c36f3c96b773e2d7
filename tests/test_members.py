"""The member index and its introspection worker: isolation, timeouts, crashes, caching."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from vetpy.environment.discovery import load_environment
from vetpy.environment.model import InterpreterChoice
from vetpy.resolve.members import AttributeVerdict, Backoff, MemberIndex, WorkerClient, WorkerResting, _worker_launch

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def small_env(tmp_path_factory: pytest.TempPathFactory):
    """A bare venv whose site-packages holds modules that hang, crash or explain a removal."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.check_output([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True).strip())
    (site / "hangs.py").write_text("import time\ntime.sleep(120)\n")
    (site / "crashes.py").write_text("import os\nos._exit(3)\n")
    (site / "lazy.py").write_text(
        "def __getattr__(name):\n"
        "    if name == 'Old':\n"
        "        raise AttributeError('`Old` was removed in lazy 2.0; use `New`')\n"
        "    if name == 'New':\n"
        "        return 1\n"
        "    raise AttributeError(name)\n"
        "print('noise on stdout must not break the protocol')\n"
    )
    return python


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("VETPY_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def index_for(python: Path, roots: list[str], timeout: float = 30.0) -> MemberIndex:
    env = load_environment(InterpreterChoice(str(python), "test"), use_cache=False)
    return MemberIndex(env, roots, timeout=timeout)


def test_lazy_module_explanation_and_stdout_noise(small_env, cache):
    index = index_for(small_env, [])
    try:
        verdict = index.module_attribute("lazy", "Old")
        assert verdict.exists is False
        assert verdict.explanation == "`Old` was removed in lazy 2.0; use `New`"
        assert index.module_attribute("lazy", "New").exists is True
        assert index.module_attribute("lazy", "Nothing").explanation is None
    finally:
        index.close()


def test_hanging_module_is_killed_and_marked_unverifiable(small_env, cache):
    index = index_for(small_env, [], timeout=3.0)
    try:
        assert index.describe("hangs") is None
        assert index.worker.starts == 1 and "hangs" in index._unverifiable
        assert index.describe("hangs.anything") is None  # marked: not asked again
        assert index.worker.starts == 1  # asking would have started a worker again (it was killed)
        info = index.describe("json")  # the standard library's worker answers as ever
        assert info is not None and "dumps" in info["members"]
    finally:
        index.close()


def test_a_module_that_hung_is_asked_again_later_then_given_up(small_env, cache, monkeypatch):
    """A crash may be transient (memory, a kill from outside): after a pause the module is asked
    again, with the pause doubling, and after three failures never again."""
    import vetpy.resolve.members as members_module

    clock = [1000.0]
    monkeypatch.setattr(members_module.time, "monotonic", lambda: clock[0])
    index = index_for(small_env, [], timeout=3.0)
    try:
        asked = []
        real_request = index.worker.request
        monkeypatch.setattr(index.worker, "request", lambda payload: asked.append(payload) or real_request(payload))
        assert index.describe("hangs") is None
        assert len(asked) == 1
        clock[0] += members_module.UNVERIFIABLE_RETRY - 1
        assert index.describe("hangs.x") is None and len(asked) == 1  # too soon
        clock[0] += 2
        assert index.describe("hangs.x") is None and len(asked) == 2  # asked again; hangs again
        clock[0] += members_module.UNVERIFIABLE_RETRY * 2 - 1
        assert index.describe("hangs.x") is None and len(asked) == 2  # the pause doubled
        clock[0] += 2
        assert index.describe("hangs.x") is None and len(asked) == 3  # third failure
        clock[0] += 10_000
        assert index.describe("hangs.x") is None and len(asked) == 3  # given up
    finally:
        index.close()


def test_crashing_module_does_not_stop_the_index(small_env, cache, caplog):
    index = index_for(small_env, [])
    try:
        assert index.describe("crashes") is None
        assert index.describe("json.dumps")["kind"] == "function"
    finally:
        index.close()
    # the worker answered its first ping: the crash is the module's, not a worker that cannot run
    assert not [r for r in caplog.records if "could not run" in r.getMessage()]


def test_first_party_modules_are_refused(small_env, cache, tmp_path):
    project = tmp_path / "proj"
    project.mkdir()
    (project / "mine.py").write_text("raise SystemExit('imported!')\n")
    index = index_for(small_env, [str(project)])
    try:
        # even if the project directory were importable, the worker refuses it
        answer = index.worker.request({"op": "describe", "path": "mine"})
        assert "error" in answer
    finally:
        index.close()


def test_answers_are_cached_on_disk_per_distribution_version(small_env, cache):
    index = index_for(small_env, [])
    assert index.describe("json")["kind"] == "module"
    index.close()
    files = list((cache / "members").glob("*.json"))
    assert files, "nothing written"
    again = index_for(small_env, [])
    try:
        assert again.describe("json")["kind"] == "module"
        assert again.worker._proc is None and again.stdlib_worker._proc is None, "a cached answer must not start a worker"
        key, persistent = again._cache_key("json")
        assert persistent and key.startswith("stdlib@")
    finally:
        again.close()


def test_version_specific_stdlib_names_come_from_the_target(small_env, cache):
    index = index_for(small_env, [])
    try:
        verdict = index.module_attribute("itertools", "batched")
        assert verdict.exists is (sys.version_info >= (3, 12))
    finally:
        index.close()


def test_deferring_skips_cold_imports_of_installed_packages_but_not_the_stdlib(small_env, cache):
    """The language server's mode: a question that would make the worker import an installed
    package for the first time is not asked (answered None, the path deferred); standard-library
    questions and packages the worker has imported are asked as usual."""
    from vetpy.resolve.members import DeferringMembers

    index = index_for(small_env, [])
    try:
        members = DeferringMembers(index)
        assert members.describe("hangs.anything") is None  # never sent: the module would hang the worker
        assert members.module_attribute("lazy", "Old").exists is None
        assert members.deferred == {"hangs.anything", "lazy"}
        assert "hangs" not in index._unverifiable  # the worker was not asked
        assert members.describe("json.dumps") is not None  # the stdlib is always asked
        assert members.deferred == {"hangs.anything", "lazy"}
        index.describe("lazy")  # what the server does with the deferred paths, in the background
        again = DeferringMembers(index)
        verdict = again.module_attribute("lazy", "Old")
        assert verdict.exists is False and "removed in lazy 2.0" in (verdict.explanation or "")
        assert again.deferred == set()
    finally:
        index.close()


def test_what_a_hanging_package_forks_dies_with_the_worker(small_env, cache, tmp_path):
    """Issue 23: the worker lives in its own process group, killed as a whole: a child that a
    package's import starts does not survive the worker's kill at the timeout."""
    site = Path(subprocess.check_output([str(small_env), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True).strip())
    pidfile = tmp_path / "child.pid"
    (site / "forker.py").write_text(
        "import subprocess, time\n"
        "child = subprocess.Popen(['sleep', '300'])\n"
        f"open({str(pidfile)!r}, 'w').write(str(child.pid))\n"
        "time.sleep(300)\n"
    )
    index = index_for(small_env, [], timeout=3.0)
    try:
        assert index.describe("forker") is None  # hung, killed, unverifiable
    finally:
        index.close()
    pid = int(pidfile.read_text())
    deadline = time.monotonic() + 60
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(pid)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_an_editable_install_is_never_answered_from_disk(tmp_path, cache):
    """An editable install's source changes under the same version (the project's own package,
    installed with ``pip install -e .``): what the worker learnt of it is not kept on disk, so an
    edit of the package is seen by the next run (it was not: a new keyword of the project's own
    class was reported as unknown until the cache was deleted)."""
    import json as json_module

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.check_output([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True).strip())
    src = tmp_path / "src"
    (src / "editpkg").mkdir(parents=True)
    (src / "editpkg" / "__init__.py").write_text("def old():\n    pass\n")
    (site / "editpkg.pth").write_text(str(src) + "\n")
    (site / "plainpkg.py").write_text("def same():\n    pass\n")
    for name, editable in (("editpkg", True), ("plainpkg", False)):
        info = site / f"{name}-1.0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
        (info / "top_level.txt").write_text(f"{name}\n")
        if editable:
            (info / "direct_url.json").write_text(json_module.dumps({"url": src.as_uri(), "dir_info": {"editable": True}}))

    index = index_for(python, [])
    try:
        assert index.module_attribute("editpkg", "old").exists is True
        assert index.module_attribute("plainpkg", "same").exists is True
        assert index._cache_key("editpkg")[1] is False and index._cache_key("plainpkg")[1] is True
        index.flush()
    finally:
        index.close()
    (src / "editpkg" / "__init__.py").write_text("def new():\n    pass\n")
    again = index_for(python, [])
    try:
        assert again.module_attribute("editpkg", "new").exists is True  # the edited source
        assert again.module_attribute("editpkg", "old").exists is False
    finally:
        again.close()


def test_an_idle_worker_is_ended_its_answers_kept_and_its_packages_deferred_again(small_env, cache):
    """``retire_idle`` ends the worker of installed packages (it holds what it imported) only once
    it is idle; answers already given are still answered; a new question about a package it had
    imported is deferred again (it would import the package inside an analysis otherwise)."""
    index = index_for(small_env, [])
    try:
        assert index.module_attribute("lazy", "New").exists is True
        proc = index.worker._proc
        assert proc is not None and proc.poll() is None
        assert index.retire_idle(3600) is False  # not idle that long: kept
        assert index.worker._proc is proc and proc.poll() is None
        assert index.retire_idle(0) is True
        assert proc.poll() is not None and index.worker._proc is None
        assert index.retire_idle(0) is False  # nothing left to end
        assert index.module_attribute("lazy", "New").exists is True  # from the kept answers
        assert index.worker._proc is None  # ... without a new worker
        deferred: set[str] = set()
        assert index.describe("lazy.New", defer=deferred) is None
        assert deferred == {"lazy.New"}
        assert index.worker._proc is None
        assert index.describe("lazy.New") is not None  # asked without deferring: a new worker
        assert index.worker._proc is not None and index.worker.starts == 2
    finally:
        index.close()


def test_what_an_instance_may_hold_is_a_question_of_its_own(small_env, cache):
    """Most questions about a class need its members and signature only; the instance model (the
    costliest answer: it reads the source of the class and its bases) answers its own question,
    asked by the checks that read it, and is kept like every other answer."""
    index = index_for(small_env, [])
    try:
        described = index.describe("argparse.ArgumentParser")
        assert described is not None and described["kind"] == "class" and "instance" not in described
        instance = index.instance("argparse.ArgumentParser")
        assert instance is not None and {"prog", "description", "add_argument"} <= set(instance["members"])
        assert instance["complete"] is True
        assert index.instance("argparse.ArgumentParser.parse_args") is None  # not a class
        assert index.instance("argparse.NoSuchClass") is None
        assert index.instance("no_such_module_here.Thing") is None
        index.stdlib_worker.request = lambda payload, timeout=None: pytest.fail(f"asked again: {payload}")
        assert index.instance("argparse.ArgumentParser") == instance  # answered from the kept answers
    finally:
        index.close()


def test_between_bursts_of_questions_the_worker_lets_go_of_the_source_trees_it_parsed(small_env, cache, monkeypatch, tmp_path):
    """The worker parses the source of a class to model its instances (pandas' frame.py: tens of
    MB of tree); it keeps the trees while questions follow each other (one analysis asks many
    about the same files) and drops them once none has come for a moment.  The same instance
    question asked again afterwards gets the same answer.  A question split over several writes, and one that
    ends without a newline, are read whole."""
    monkeypatch.setenv("VETPY_WORKER_LET_GO_SECONDS", "1.0")
    worker = WorkerClient(str(small_env), [], workdir=tmp_path / "wd")
    try:
        first = worker.request({"op": "instance", "path": "argparse.ArgumentParser"})
        assert first is not None and first.get("instance")
        # a missing module attribute: is it bound in some branch of the module's source? (the whole
        # tree; a class alone is parsed from its own lines, which are not kept)
        assert worker.request({"op": "attribute", "path": "argparse", "name": "no_such_name"})["exists"] is False
        kept = worker.request({"op": "ping"})
        assert kept is not None and kept["trees"] >= 1  # argparse.py's tree, for the next question
        time.sleep(2.5)
        assert worker.request({"op": "ping"})["trees"] == 0  # let go during the pause
        again = worker.request({"op": "instance", "path": "argparse.ArgumentParser"})
        assert {k: v for k, v in again.items() if k != "id"} == {k: v for k, v in first.items() if k != "id"}
    finally:
        worker.close()
    loader, program = _worker_launch()
    proc = subprocess.Popen([str(small_env), "-c", loader], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, cwd=tmp_path)
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(program)
    proc.stdin.write(b'{"op": "pi')
    proc.stdin.flush()
    time.sleep(0.2)
    proc.stdin.write(b'ng", "id": 1}\n{"op": "ping", "id": 2}')
    proc.stdin.close()
    answers = [json.loads(line) for line in proc.stdout.read().splitlines()]
    assert proc.wait(timeout=30) == 0
    assert [a["id"] for a in answers] == [1, 2] and all(a["ok"] for a in answers)


def test_a_worker_that_cannot_run_is_said_once_as_a_warning(tmp_path, cache, caplog):
    # not one module's failure but the worker's: no interpreter there, or one that exits before
    # answering the ping sent first (the program cannot run on it).  Said once, as a warning, so
    # that `vetpy check` does not say "All checks passed" about APIs it never verified.
    dies = tmp_path / "python-that-dies"
    dies.write_text("#!/bin/sh\nexit 1\n")
    dies.chmod(0o755)
    for python in (str(tmp_path / "no-such-python"), str(dies)):
        caplog.clear()
        worker = WorkerClient(python, [], timeout=30, backoff=Backoff(first=0.01, wait_at_most=5))
        try:
            for _ in range(3):
                try:
                    assert worker.request({"op": "describe", "path": "json.dumps"}) is None
                except WorkerResting:
                    pass
                time.sleep(0.05)
        finally:
            worker.close()
        warnings = [r for r in caplog.records if r.levelname == "WARNING" and "could not run" in r.getMessage()]
        assert len(warnings) == 1, [r.getMessage() for r in caplog.records]


def test_a_deferring_question_while_the_worker_imports_a_package_is_deferred_not_queued(small_env, cache, tmp_path):
    """The language server's mode: while the worker of installed packages imports a package (the
    background import of what an earlier analysis deferred: pandas took 6-13 s on a loaded
    machine, and every edit meanwhile waited), a question it has no kept answer for is deferred,
    even about a package it has imported; kept answers and the standard library's worker are not
    held up.  The import blocks until the test creates a file: its length is the test's choice."""
    site = Path(subprocess.check_output([str(small_env), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], text=True).strip())
    gate = tmp_path / "gate"
    module = site / "gated_import_members.py"
    module.write_text(
        f"import os, time\nopen({str(gate) + '.started'!r}, 'w').close()\n"
        f"_until = time.monotonic() + 900\nwhile not os.path.exists({str(gate)!r}) and time.monotonic() < _until:\n"
        "    time.sleep(0.02)\nVALUE = 1\n"
    )
    index = index_for(small_env, [], timeout=900)  # the blocked import is not a hang here
    holder = threading.Thread(target=index.describe, args=("gated_import_members",), daemon=True)
    try:
        assert index.module_attribute("lazy", "New").exists is True  # the worker has imported `lazy`
        holder.start()  # stands for the server's background import (no deferring)
        deadline = time.monotonic() + 120  # only stops a hang
        while not Path(str(gate) + ".started").exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        deferred: set[str] = set()
        answers: list[object] = []

        def analysis() -> None:
            answers.extend([index.module_attribute("lazy", "Nothing", defer=deferred), index.describe("lazy", defer=deferred),
                            index.describe("json.dumps", defer=deferred)])

        asker = threading.Thread(target=analysis, daemon=True)
        asker.start()
        asker.join(120)  # only stops a hang: without deferring it waits for the gate
        assert not asker.is_alive(), "the question waited for the worker's import of another package"
        assert not gate.exists()
        new, kept, stdlib = answers
        assert isinstance(new, AttributeVerdict) and new.exists is None and deferred == {"lazy"}
        assert kept is not None  # a kept answer
        assert stdlib is not None  # the standard library's worker is not the busy one
        gate.touch()
        holder.join(120)
        later: set[str] = set()
        assert index.module_attribute("lazy", "Nothing", defer=later).exists is False and later == set()
    finally:
        gate.touch()
        if holder.is_alive():
            holder.join(120)
        index.close()
        module.unlink()


def test_questions_answered_from_memory_while_the_idle_worker_exits(small_env, cache, monkeypatch):
    """The worker's exit (up to seconds) and the answers' write happen without the index's lock:
    a question answered from memory does not wait for them (editor latencies of 0.1-1.5 s once per
    idle period, issue #17).  A question about a package the worker had imported is deferred as
    soon as the retirement begins."""
    import threading

    index = index_for(small_env, [])
    try:
        assert index.module_attribute("lazy", "New").exists is True
        retire = index.worker.retire_if_idle
        seen: dict[str, object] = {}

        def slow_retire(seconds: float) -> bool:
            def ask() -> None:
                seen["answer"] = index.module_attribute("lazy", "New").exists
                deferred: set[str] = set()
                seen["described"] = index.describe("lazy.Other", defer=deferred)
                seen["deferred"] = deferred
            thread = threading.Thread(target=ask)
            thread.start()
            thread.join(timeout=10)
            seen["blocked"] = thread.is_alive()
            return retire(seconds)

        monkeypatch.setattr(index.worker, "retire_if_idle", slow_retire)
        assert index.retire_idle(0) is True
        assert seen == {"answer": True, "described": None, "deferred": {"lazy.Other"}, "blocked": False}
    finally:
        index.close()
