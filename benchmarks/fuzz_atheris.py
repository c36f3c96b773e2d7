"""Coverage-guided fuzzing of the engine with atheris (libFuzzer): parse + every registered rule +
every fix, with the invariants of ``tests/test_fuzz_engine.py`` (shared ``InvariantChecker``).

Usage (a benchmark, not a CI test; needs ``pip install atheris==3.0.0``):

    python benchmarks/fuzz_atheris.py [--seconds 120] [--jobs 1] [--out benchmarks/.work/fuzz]

The driver builds a seed corpus (the demo project, examples of the Hypothesis program grammar,
the small pathological inputs of the fuzz tests), runs the fuzzer in a subprocess for a bounded time, and prints a table: the
inputs tried, executions per second, coverage, corpus growth and the crashes (each saved as
``crash-*`` / ``timeout-*`` under ``--out``; replay one with ``--replay FILE``).  For comparison
in the same run it fuzzes a baseline target, ``ast.parse`` alone, for the same time.

Input format: the first byte picks a transformation (as is, CRLF, CR, mixed line endings, BOM,
tabs mixed into indentation, form feeds), the rest is UTF-8 (invalid bytes replaced).  The
fuzzed project is analysed with introspection off: a fuzzed import name must not cost a
subprocess (the Hypothesis tests cover the import system with a fixed pool of names).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

SEED_PROGRAMS = 60  # examples of the Hypothesis grammar in the seed corpus
MAX_LEN = 4096  # bytes per input; the Hypothesis tests cover the huge and deeply nested inputs
TRANSFORMS = ("as is", "crlf", "cr", "mixed", "bom", "tabs", "form feeds")


def decode(data: bytes) -> str:
    from strategies import with_bom, with_line_endings, with_mixed_indentation  # vetpy: ignore[HAL001] - tests/ on sys.path

    if not data:
        return ""
    mode, text = data[0] % len(TRANSFORMS), data[1:].decode("utf-8", "replace")
    name = TRANSFORMS[mode]
    if name in ("crlf", "cr", "mixed"):
        return with_line_endings(text, name)
    if name == "bom":
        return with_bom(text)
    if name == "tabs":
        return with_mixed_indentation(text)
    if name == "form feeds":
        return text.replace("\n", "\n\x0c")
    return text


def make_checker():  # noqa: ANN201 - strategies.InvariantChecker (imported lazily, instrumented)
    from strategies import InvariantChecker  # vetpy: ignore[HAL001] - tests/ on sys.path
    from vetpy.project import build_context
    from vetpy.rules import load_all

    load_all()
    root = Path(tempfile.mkdtemp(prefix="vetpy-fuzz-"))
    (root / "pkg").mkdir()
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "sibling.py").write_text("def helper():\n    return 1\n")
    (root / "pyproject.toml").write_text('[project]\nname = "fuzzed"\nversion = "0"\ndependencies = ["packaging>=1"]\n')
    setup = build_context(root, python=sys.executable, env_vars={}, introspection=False)
    return InvariantChecker(setup.ctx)


def fuzz_target(target: str, argv: list[str]) -> None:
    """Runs inside the fuzzing subprocess; libFuzzer owns the process from here on."""
    import atheris  # vetpy: ignore[DEP001] - a benchmark-only dependency (pip install atheris==3.0.0)

    with atheris.instrument_imports(include=["vetpy", "strategies"]):
        import strategies  # noqa: F401, HAL001 - instrumented; tests/ on sys.path
        import vetpy.document  # noqa: F401
        import vetpy.engine  # noqa: F401
        import vetpy.findings  # noqa: F401
        from vetpy.rules import load_all

        load_all()  # rule modules imported here are instrumented too
    if target == "vetpy":
        checker = make_checker()

        def one_input(data: bytes) -> None:
            checker.check(decode(data))
    else:
        import ast

        def one_input(data: bytes) -> None:
            try:
                ast.parse(decode(data))
            except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
                pass

    atheris.Setup([sys.argv[0], *argv], one_input)
    atheris.Fuzz()


def seed_corpus(directory: Path) -> int:
    from test_fuzz_engine import PATHOLOGICAL  # vetpy: ignore[HAL001] - tests/ on sys.path

    directory.mkdir(parents=True, exist_ok=True)
    import warnings

    from hypothesis.errors import NonInteractiveExampleWarning
    from strategies import programs  # vetpy: ignore[HAL001] - tests/ on sys.path

    sources = [p.read_bytes() for p in sorted((REPO / "fixtures" / "demo").rglob("*.py"))]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonInteractiveExampleWarning)
        strategy = programs()
        sources += [strategy.example().encode() for _ in range(SEED_PROGRAMS)]
    sources += [t.encode("utf-8", "surrogatepass") for t in PATHOLOGICAL.values() if len(t) <= MAX_LEN]
    for i, data in enumerate(sources):  # small seeds: throughput matters more than size here
        (directory / f"seed-{i:04d}").write_bytes(b"\x00" + data[: MAX_LEN - 1])
    return len(sources)


STAT_RE = re.compile(r"#(\d+)\s+(?:DONE|pulse|NEW|REDUCE|INITED)\s+cov: (\d+) ft: (\d+) corp: (\d+)")


def run(target: str, seconds: int, out: Path, seeds: Path, jobs: int) -> dict[str, object]:
    corpus = out / f"corpus-{target}"
    corpus.mkdir(parents=True, exist_ok=True)
    before = len(list(corpus.iterdir()))
    crashes_dir = out / f"crashes-{target}"
    crashes_dir.mkdir(parents=True, exist_ok=True)
    known = set(os.listdir(crashes_dir))
    args = [
        str(corpus), str(seeds), f"-max_total_time={seconds}", f"-max_len={MAX_LEN}", "-timeout=30",
        "-rss_limit_mb=4096", f"-artifact_prefix={crashes_dir}/", "-print_final_stats=1",
    ]
    if jobs > 1:
        args += [f"-jobs={jobs}", f"-workers={jobs}"]
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, __file__, "--worker", target, "--", *args],
        capture_output=True, text=True, timeout=seconds * 3 + 300, cwd=out,
    )
    elapsed = time.perf_counter() - start
    log = proc.stdout + proc.stderr
    stats = STAT_RE.findall(log)
    execs = sum(int(m) for m in re.findall(r"stat::number_of_executed_units:\s*(\d+)", log)) or (int(stats[-1][0]) if stats else 0)
    new_crashes = sorted(set(os.listdir(crashes_dir)) - known)
    return {
        "target": target,
        "seconds": elapsed,
        "inputs": execs,
        "per_second": execs / elapsed if elapsed else 0.0,
        "coverage": int(stats[-1][1]) if stats else 0,
        "corpus": f"{before} -> {len(list(corpus.iterdir()))}",
        "crashes": new_crashes,
        "exit": proc.returncode,
        "tail": "\n".join(log.strip().splitlines()[-25:]),
    }


def replay(path: Path) -> None:
    checker = make_checker()
    text = decode(path.read_bytes())
    print(f"replaying {path} ({len(text)} characters): {text[:200]!r}")
    checker.check(text)
    print("no invariant violated")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=120, help="fuzzing time per target")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / ".work" / "fuzz")
    parser.add_argument("--replay", type=Path, help="run one saved input through the invariants")
    parser.add_argument("--worker", choices=("vetpy", "ast"), help=argparse.SUPPRESS)
    parser.add_argument("rest", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        fuzz_target(args.worker, args.rest)
        return 0
    if args.replay:
        replay(args.replay)
        return 0
    args.out = args.out.resolve()
    seeds = args.out / "seeds"
    count = seed_corpus(seeds)
    import atheris  # vetpy: ignore[DEP001] - a benchmark-only dependency (pip install atheris==3.0.0)

    print(f"atheris {getattr(atheris, '__version__', '3.0.0')}, Python {sys.version.split()[0]}, {count} seed inputs, {args.seconds} s per target")
    rows = [run(t, args.seconds, args.out, seeds, args.jobs) for t in ("vetpy", "ast")]
    print()
    print(f"| target | wall s | inputs tried | inputs/s | coverage (edges) | corpus | crashes |")
    print(f"|---|---:|---:|---:|---:|---|---|")
    for r in rows:
        label = "vetpy: parse + all rules + fixes + invariants" if r["target"] == "vetpy" else "baseline: ast.parse only"
        print(f"| {label} | {r['seconds']:.0f} | {r['inputs']:,} | {r['per_second']:.0f} | {r['coverage']} | {r['corpus']} | {len(r['crashes'])} |")
    for r in rows:
        for name in r["crashes"]:
            print(f"crash ({r['target']}): {args.out / ('crashes-' + r['target']) / name}")
        if r["crashes"] or r["inputs"] == 0:
            print(f"--- last output of the {r['target']} fuzzer ---\n{r['tail']}")
    return 1 if any(r["crashes"] for r in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
