"""EDGE018's names guarded by a lock are derived per top-level statement and kept in the
document's memo while the statement is unchanged: in the editor an edit must not walk every
function of the module again (that walk was 30% of an edit's CPU on the 960-line app of
benchmarks/lsp_latency.py --app).  The answer with the memo is the answer without it."""

from __future__ import annotations

import ast
import textwrap

import pytest

from vetpy.astutil import NodeMemo
from vetpy.rules.edge import concurrency, guarded_state

SOURCE = textwrap.dedent(
    """
    import threading
    _lock = threading.Lock()
    CACHE = {}
    HITS = 0
    SEEN = set()

    def put(k, v):
        with _lock:
            CACHE[k] = v

    def plain(k):
        return CACHE.get(k)

    class Counter:
        def bump(self):
            with self._lock:
                SEEN.add(1)

        def peek(self):
            with self._lock:
                return HITS
    """
)


def test_guarded_names_are_kept_per_statement(monkeypatch: pytest.MonkeyPatch) -> None:
    body = ast.parse(SOURCE).body
    names = {"CACHE", "HITS", "SEEN"}
    expected = guarded_state.guarded_names(body, names, concurrency._LOCK_WORDS)
    assert expected == {"CACHE", "SEEN"}  # a method's mere read (`peek`) does not count
    memo = NodeMemo(body)
    assert guarded_state.guarded_names(body, names, concurrency._LOCK_WORDS, memo) == expected
    walked: list[str] = []
    real = guarded_state._lock_blocks

    def counting(func: ast.FunctionDef, words):  # type: ignore[no-untyped-def]
        walked.append(func.name)
        return real(func, words)

    monkeypatch.setattr(guarded_state, "_lock_blocks", counting)
    next_version = NodeMemo(body, memo)  # the incremental parser hands unchanged statements on
    assert guarded_state.guarded_names(body, names, concurrency._LOCK_WORDS, next_version) == expected
    assert walked == []
    edited = ast.parse(SOURCE.replace("CACHE[k] = v", "HITS += 1")).body
    changed = [edited[i] if i == 5 else stmt for i, stmt in enumerate(body)]  # `put` edited
    assert guarded_state.guarded_names(changed, names, concurrency._LOCK_WORDS, NodeMemo(changed, next_version)) == {"HITS", "SEEN"}
    assert walked == ["put"]
