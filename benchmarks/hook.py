"""Commit-gate benchmark: what `--staged`, `--changed-since` and a baseline cost against a full check.

Builds a throw-away git repository of N realistic modules (copies of vetpy's own source), commits
it, stages a change to K of them, then times (median wall-clock of R runs, fresh processes, warm
environment cache):

    vetpy check .                 the whole tree
    vetpy check . (baseline)      the whole tree, filtered through a baseline of every old finding
    vetpy check --changed-since HEAD   only the changed files, only the changed lines
    vetpy check --staged          only the staged files, read from the index (what the hooks run)
    ruff check ...                a peer linter on the same files (when `ruff` is installed)

Usage: python benchmarks/hook.py [--files N] [--changed K] [--runs R]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "server" / "vetpy"
ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
}


def build(root: Path, files: int, changed: int) -> list[str]:
    modules = sorted(p for p in SOURCE.rglob("*.py") if p.stat().st_size > 500)
    names = []
    for i in range(files):
        source = modules[i % len(modules)]
        name = f"pkg{i // 25}/m{i}_{source.stem}.py"
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        names.append(name)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "initial")
    edited = names[:: max(1, files // changed)][:changed]
    for name in edited:
        with (root / name).open("a", encoding="utf-8") as fh:
            fh.write("\nimport fastjsonx  # added by the change\n")
    git(root, "add", *edited)
    return edited


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, env=ENV, check=True, capture_output=True)


def timed(cmd: list[str], cwd: Path, runs: int) -> tuple[float, int]:
    times, code = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        code = subprocess.run(cmd, cwd=cwd, env=ENV, capture_output=True).returncode
        times.append(time.perf_counter() - start)
    return statistics.median(times), code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=60)
    parser.add_argument("--changed", type=int, default=5)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    vetpy = [sys.executable, "-m", "vetpy"]
    with tempfile.TemporaryDirectory(prefix="vetpy-hook-bench-") as tmp:
        root = Path(tmp)
        edited = build(root, args.files, args.changed)
        py = ["--python", sys.executable]
        subprocess.run([*vetpy, "check", *py, "--exit-zero", "."], cwd=root, env=ENV, capture_output=True)  # warm cache
        git(root, "stash", "-q")
        subprocess.run([*vetpy, "baseline", "create", *py, "--baseline", "base.json"], cwd=root, env=ENV, capture_output=True)
        git(root, "stash", "pop", "--index", "-q")  # keep the change staged
        rows = [
            ("vetpy check .", [*vetpy, "check", *py, "--no-baseline", "."], args.files),
            ("vetpy check . (baseline)", [*vetpy, "check", *py, "--baseline", "base.json", "."], args.files),
            ("vetpy check --changed-since HEAD", [*vetpy, "check", *py, "--no-baseline", "--changed-since=HEAD"], len(edited)),
            ("vetpy check --staged", [*vetpy, "check", *py, "--no-baseline", "--staged"], len(edited)),
        ]
        ruff = shutil.which("ruff") or shutil.which("ruff", path=str(Path(sys.executable).parent))
        if ruff:
            rows.append(("ruff check . (peer)", [ruff, "check", "--no-cache", "--select", "F", "."], args.files))
            rows.append(("ruff check <staged> (peer)", [ruff, "check", "--no-cache", "--select", "F", *edited], len(edited)))
        print(f"{args.files} modules, {len(edited)} staged with a new hallucinated import; median of {args.runs} runs")
        print(f"{'command':<30} {'files':>6} {'exit':>5} {'seconds':>8}")
        for label, cmd, count in rows:
            seconds, code = timed(cmd, root, args.runs)
            print(f"{label:<30} {count:>6} {code:>5} {seconds:>8.2f}")
        if not ruff:
            print("ruff (peer): not installed; `pip install ruff` to compare")
    return 0


if __name__ == "__main__":
    sys.exit(main())
