"""The start-up imports of ``vetpy serve`` (vetpy.lsp.analysis.start_preload): every rule module
is imported, and no analysis runs while they are being imported (two threads importing modules
that import each other can fail)."""

from __future__ import annotations

import sys
import threading

from vetpy.lsp import analysis
from vetpy.rules import RULE_MODULES


def test_preload_imports_the_rule_modules_and_frees_the_analyses():
    analysis.start_preload().join(30)
    assert not analysis._PRELOADING.locked()
    assert all(name in sys.modules for name in RULE_MODULES)
    assert all(name in sys.modules for name in analysis.PRELOAD)


def test_an_analysis_waits_for_the_preload():
    started, finished = threading.Event(), threading.Event()

    def run() -> None:
        started.set()
        try:
            analysis.analyze(None, None, None)  # type: ignore[arg-type]  # fails at once after the wait
        except AttributeError:
            pass
        finished.set()

    analysis._PRELOADING.acquire()  # a preload in progress
    try:
        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        assert started.wait(5)
        assert not finished.wait(0.3)  # blocked on the preload
    finally:
        analysis._PRELOADING.release()
    assert finished.wait(5)


def test_the_preload_keeps_the_start_up_objects_out_of_the_garbage_collector():
    import gc

    gc.unfreeze()
    try:
        analysis.start_preload().join(30)
        assert not analysis._PRELOADING.locked()
        assert gc.get_freeze_count() > 10_000  # the modules' objects
        assert gc.collect() >= 0  # collections still run (on what came after)
    finally:
        gc.unfreeze()
