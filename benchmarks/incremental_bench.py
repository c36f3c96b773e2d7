"""Per-definition reuse on real code: how often an edit is analysed partially, how much CPU it
saves, and whether the findings equal a whole analysis (they must, every time).

For each file, every k-th simple statement inside a top-level definition is replaced by `pass`
(same indentation, so the line count stays), analysed incrementally, compared with a whole
analysis of the same text, and put back.  CPU time (not wall time) of both analyses is summed.

Usage:
    python benchmarks/incremental_bench.py [--every 7] [--python benchmarks/.work/peers] PATH...

PATH: files or directories (default: a set of standard-library modules and, when present, the
requests/flask/httpx sources in benchmarks/.work).
"""

from __future__ import annotations

import argparse
import ast
import os
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from vetpy.document import Document
from vetpy.engine import analyze
from vetpy.incremental import IncrementalAnalyzer
from vetpy.project import build_context

HERE = Path(__file__).resolve().parent
STDLIB = Path(sysconfig.get_paths()["stdlib"])
DEFAULT = [
    *(STDLIB / name for name in (
        "argparse.py", "smtplib.py", "ftplib.py", "tarfile.py", "zipfile/__init__.py", "csv.py", "shlex.py",
        "textwrap.py", "logging/handlers.py", "urllib/request.py", "http/client.py", "email/utils.py",
        "json/encoder.py", "subprocess.py", "shutil.py", "tempfile.py", "difflib.py", "pathlib.py",
    )),
    *(HERE / ".work" / d for d in ("requests-2.32.3/src/requests", "flask-3.1.0/src/flask", "httpx-0.28.1/httpx")),
]


def edit_lines(text: str, every: int) -> list[int]:
    tree = ast.parse(text)
    lines: list[int] = []
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for node in ast.walk(stmt):
                simple = (ast.Expr, ast.Assign, ast.Return, ast.AugAssign, ast.AnnAssign)
                if isinstance(node, simple) and node.lineno == node.end_lineno:
                    lines.append(node.lineno)
    return sorted(set(lines))[::every]


def key(findings: list) -> list[tuple]:
    return [(f.line, f.column, f.end_line, f.end_column, f.code, f.message, f.fixes) for f in findings]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--every", type=int, default=7)
    parser.add_argument("--python", default=str(HERE / ".work" / "peers"))
    args = parser.parse_args()
    files: list[Path] = []
    for path in args.paths or [p for p in DEFAULT if p.exists()]:
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    with tempfile.TemporaryDirectory(prefix="incremental-bench-") as tmp:
        root = Path(tmp)
        (root / "pyproject.toml").write_text("[project]\nname = 'bench'\nversion = '0'\n")
        ctx = build_context(root, python=args.python).ctx
        edits = partial = differ = 0
        statements = analysed = partial_view = partial_statements = 0
        full_cpu = incremental_cpu = 0.0
        lines_total = 0
        for file in files:
            text = file.read_text(encoding="utf-8")
            try:
                targets = edit_lines(text, args.every)
            except SyntaxError:
                continue
            lines_total += text.count("\n")
            path = str(root / file.name)
            analyzer = IncrementalAnalyzer()
            analyzer.analyze(Document(path, text, parses=analyzer.parses), ctx)
            lines = text.split("\n")
            print(f"{file}: {len(targets)} edits", file=sys.stderr, flush=True)
            for line in targets:
                original = lines[line - 1]
                for new in (original[: len(original) - len(original.lstrip())] + "pass", original):
                    lines[line - 1] = new
                    edited = "\n".join(lines)
                    started = time.process_time()
                    outcome = analyzer.analyze(Document(path, edited, parses=analyzer.parses), ctx)
                    incremental_cpu += time.process_time() - started
                    started = time.process_time()
                    whole = analyze(Document(path, edited), ctx)  # no parse memory: parsed whole
                    full_cpu += time.process_time() - started
                    edits += 1
                    partial += outcome.reused
                    statements += outcome.statements
                    analysed += outcome.analysed
                    if outcome.reused:
                        partial_view += outcome.analysed
                        partial_statements += outcome.statements
                    if key(outcome.findings) != key(whole):
                        differ += 1
                        print(f"DIFFERENT: {file}:{line} -> {new.strip()!r}", file=sys.stderr)
    print(f"{len(files)} files, {lines_total:,} lines, {edits} edits (every {args.every}th simple statement in a "
          f"definition replaced by `pass`, then restored); load average {os.getloadavg()[0]:.1f}")
    print()
    print("| measure | value |")
    print("| --- | ---: |")
    print(f"| edits analysed partially (the rest whole) | {partial} of {edits} ({partial / max(edits, 1):.0%}) |")
    print(f"| top-level statements analysed per edit (mean, of mean {statements / max(edits, 1):.0f}) | {analysed / max(edits, 1):.1f} |")
    print(f"| of the partial ones: statements in the view (mean, of mean {partial_statements / max(partial, 1):.0f}) | "
          f"{partial_view / max(partial, 1):.1f} |")
    print(f"| CPU per edit, whole analysis | {full_cpu / max(edits, 1) * 1000:.1f} ms |")
    print(f"| CPU per edit, incremental | {incremental_cpu / max(edits, 1) * 1000:.1f} ms |")
    print(f"| findings different from the whole analysis | {differ} |")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
