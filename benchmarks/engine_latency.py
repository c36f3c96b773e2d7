"""CPU time of one analysis of the LSP benchmark's 1,000-line file, per checker, in-process.

The language-server benchmark (``lsp_latency.py``) measures what an editor sees; this script
shows where the CPU time of one edit goes (parse, each checker, garbage collection), without the
server, the client or the machine's load in the way (CPU time, not wall time).  The file imports
real packages, so run it with a target environment that has them (the LSP benchmark's peers venv
does: ``--python benchmarks/.work/peers``).

Usage:
    python benchmarks/engine_latency.py [--edits 30] [--python benchmarks/.work/peers] [--cold-parse] [--reuse] [--app]

``--cold-parse`` parses every version from scratch (no incremental re-parse), for comparison.
``--reuse`` analyses as the language server does: per-definition reuse of the previous
version's findings (``vetpy.incremental``).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from pathlib import Path

from lsp_latency import edit_for, make_app_file, make_file

from vetpy.document import Document
from vetpy.engine import analyze
from vetpy.incremental import IncrementalAnalyzer
from vetpy.project import build_context
from vetpy.rules import REGISTRY, load_all

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=30)
    parser.add_argument("--python", default=str(HERE / ".work" / "peers"), help="target interpreter or venv")
    parser.add_argument("--cold-parse", action="store_true", help="no incremental re-parsing")
    parser.add_argument("--reuse", action="store_true", help="per-definition reuse of findings, as the server does")
    parser.add_argument("--app", action="store_true",
                        help="lsp_latency.py --app's 960-line Flask/pandas/SQLAlchemy file (--python: a venv that has them)")
    args = parser.parse_args()
    load_all()
    with tempfile.TemporaryDirectory(prefix="engine-latency-") as tmp:
        workspace = Path(tmp)
        (workspace / "pyproject.toml").write_text("[project]\nname = 'bench'\nversion = '0'\n")
        ctx = build_context(workspace, python=args.python).ctx
        lines = make_app_file() if args.app else make_file()
        path = str(workspace / "app.py")
        analyzer = IncrementalAnalyzer()
        analyzer.analyze(Document(path, "\n".join(lines) + "\n", parses=analyzer.parses), ctx)  # warm: environment, worker, caches
        gc.collect()
        gc.freeze()
        spent: dict[str, float] = {}
        for entry in REGISTRY.checkers:
            func = entry.func

            def timed(doc, ctx, func=func):  # noqa: ANN001, ANN202 - a checker and its findings
                started = time.process_time()
                found = list(func(doc, ctx))
                spent[func.__name__] = spent.get(func.__name__, 0.0) + time.process_time() - started
                return found

            entry.func = timed
        collected = [0.0, 0.0]

        def on_gc(phase: str, info: dict) -> None:
            if phase == "start":
                collected[1] = time.process_time()
            else:
                collected[0] += time.process_time() - collected[1]

        gc.callbacks.append(on_gc)
        parse = total = 0.0
        for step in range(args.edits):
            line, text = edit_for(step, lines)
            lines[line] = text
            started = time.process_time()
            doc = Document(f"{path}.{step}" if args.cold_parse else path, "\n".join(lines) + "\n", parses=analyzer.parses)
            doc.tree
            parse += time.process_time() - started
            if args.reuse:
                analyzer.analyze(doc, ctx)
            else:
                analyze(doc, ctx)
            total += time.process_time() - started
        gc.callbacks.remove(on_gc)
    n = max(args.edits, 1)
    load = os.getloadavg()[0]
    mode = "reusing unaffected statements' findings" if args.reuse else "whole analyses"
    print(f"{args.edits} edits of a {len(lines)}-line file, {mode}, CPU time per analysis (load average {load:.1f})")
    print()
    print("| part | ms |")
    print("| --- | ---: |")
    print(f"| whole analysis | {total / n * 1000:.1f} |")
    print(f"| parse{' (from scratch)' if args.cold_parse else ' (incremental)'} | {parse / n * 1000:.1f} |")
    for name, seconds in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"| {name} | {seconds / n * 1000:.1f} |")
    print(f"| garbage collection (inside the above) | {collected[0] / n * 1000:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
