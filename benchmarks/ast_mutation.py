"""A small mutation tester built on ``ast``: it mutates decorated functions too.

mutmut 3.8.1 skips decorated functions, and every vetpy checker is registered with
``@REGISTRY.checker(...)``, so the rules' core conditions were never mutated
(benchmarks/mutation.md).  This script mutates the body of every function and method of one
module, decorated or not:

    comparisons   ==/!=, </>=, >/<=, in/not in, is/is not swapped
    booleans      and/or swapped; ``not x`` -> ``x``; an ``if``/``while``/ternary test negated
    constants     True/False swapped
    loops         break/continue swapped

Each mutant is the whole module unparsed (``ast.unparse``) with one change, written into a copy
of the package outside the repository (``--work``, first on PYTHONPATH, so it shadows the
editable install; the CLI tests' ``python -m vetpy`` subprocesses see it too) and checked by
running the given test files with ``pytest -x``.  Killed: the tests failed or timed out.
Before any mutant, the unmutated but unparsed module must pass (a sanity run).

Usage:
    python benchmarks/ast_mutation.py MODULE TEST [TEST...] [--sample N] [--seed S] [--jobs J]
        [--timeout SECONDS] [--survivors FILE]

``MODULE`` is a path under ``server/vetpy``; ``--sample`` picks N mutants at random (seeded) when
the full set is too expensive; ``--only`` re-runs the mutants listed (by id) in a survivors file.
Prints one line per mutant and a score line; results: benchmarks/mutation.md.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import copy
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "server" / "vetpy"

_SWAP_COMPARE: dict[type, type] = {
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.GtE, ast.GtE: ast.Lt, ast.Gt: ast.LtE, ast.LtE: ast.Gt,
    ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}


@dataclass(frozen=True)
class Site:
    """One possible mutation: the n-th node (in ``ast.walk`` order) and what to do to it."""

    ident: int
    index: int
    kind: str
    line: int
    function: str
    detail: str


@dataclass
class Result:
    site: Site
    killed: bool
    seconds: float
    how: str


def _functions(tree: ast.Module) -> dict[int, str]:
    """id(node) -> qualified function name, for every node inside a function body."""
    owner: dict[int, str] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = f"{prefix}{child.name}"
                for stmt in child.body:
                    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and stmt is child.body[0]:
                        continue  # the docstring
                    for sub in ast.walk(stmt):
                        owner.setdefault(id(sub), name)
                visit(child, name + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, f"{prefix}{child.name}.")
            else:
                visit(child, prefix)

    visit(tree, "")
    return owner


def sites(tree: ast.Module) -> list[Site]:
    owner = _functions(tree)
    annotations = {id(sub) for node in ast.walk(tree) for ann in _annotations(node) for sub in ast.walk(ann)}
    out: list[Site] = []
    for index, node in enumerate(ast.walk(tree)):
        function = owner.get(id(node))
        if function is None or id(node) in annotations:
            continue
        line = getattr(node, "lineno", 0)
        found: list[tuple[str, str]] = []
        if isinstance(node, ast.Compare):
            for k, op in enumerate(node.ops):
                if type(op) in _SWAP_COMPARE:
                    found.append((f"compare{k}", f"{type(op).__name__} -> {_SWAP_COMPARE[type(op)].__name__}"))
        elif isinstance(node, ast.BoolOp):
            found.append(("boolop", f"{type(node.op).__name__} -> {'Or' if isinstance(node.op, ast.And) else 'And'}"))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            found.append(("drop-not", "not x -> x"))
        elif isinstance(node, (ast.If, ast.While, ast.IfExp)) and not (
            isinstance(node.test, ast.UnaryOp) and isinstance(node.test.op, ast.Not)
        ):
            found.append(("negate-test", f"{type(node).__name__} test negated"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
            found.append(("flip-bool", f"{node.value} -> {not node.value}"))
        elif isinstance(node, (ast.Break, ast.Continue)):
            found.append(("swap-loop-jump", f"{type(node).__name__} swapped"))
        for kind, detail in found:
            out.append(Site(len(out), index, kind, line, function, detail))
    return out


def _annotations(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        args = node.args
        every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
        return [a.annotation for a in every if a is not None and a.annotation is not None] + (
            [node.returns] if node.returns else []
        )
    if isinstance(node, ast.AnnAssign):
        return [node.annotation]
    return []


def mutate(tree: ast.Module, site: Site) -> str:
    mutant = copy.deepcopy(tree)
    node = next(n for i, n in enumerate(ast.walk(mutant)) if i == site.index)
    if site.kind.startswith("compare"):
        k = int(site.kind[len("compare"):])
        node.ops[k] = _SWAP_COMPARE[type(node.ops[k])]()
    elif site.kind == "boolop":
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif site.kind == "drop-not":
        _replace(mutant, node, node.operand)
    elif site.kind == "negate-test":
        node.test = ast.UnaryOp(op=ast.Not(), operand=node.test)
    elif site.kind == "flip-bool":
        node.value = not node.value
    elif site.kind == "swap-loop-jump":
        _replace(mutant, node, ast.Continue() if isinstance(node, ast.Break) else ast.Break())
    return ast.unparse(ast.fix_missing_locations(mutant))


def _replace(tree: ast.AST, old: ast.AST, new: ast.AST) -> None:
    for parent in ast.walk(tree):
        for field, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, field, new)
                return
            if isinstance(value, list) and any(v is old for v in value):
                value[[i for i, v in enumerate(value) if v is old][0]] = new
                return
    raise ValueError("node not found")


class Runner:
    """One package copy per job; a mutant is written into its copy and the tests are run."""

    def __init__(self, work: Path, module: str, tests: list[str], timeout: float) -> None:
        self.src = work / "src"
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(self.src)
        shutil.copytree(PACKAGE, self.src / "vetpy", ignore=shutil.ignore_patterns("__pycache__"))
        self.target = self.src / "vetpy" / module
        self.tests = tests
        self.timeout = timeout
        self.cache = work / "cache"

    def run(self, source: str) -> tuple[bool, float, str]:
        self.target.write_text(source, encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV",)}
        env["PYTHONPATH"] = str(self.src)
        env["VETPY_CACHE_DIR"] = str(self.cache)
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["HYPOTHESIS_PROFILE"] = "ci"
        started = time.monotonic()
        try:
            proc = subprocess.run(
                [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *self.tests],
                cwd=REPO, env=env, capture_output=True, text=True, timeout=self.timeout,
            )
        except subprocess.TimeoutExpired:
            return True, time.monotonic() - started, "timeout"
        tail = (proc.stdout.strip().splitlines() or [""])[-1]
        return proc.returncode != 0, time.monotonic() - started, tail[:100]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("module", help="path under server/vetpy, e.g. rules/hal/imports.py")
    parser.add_argument("tests", nargs="+")
    parser.add_argument("--sample", type=int, default=0, help="check N random mutants (0: all)")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "vetpy-ast-mutation"))
    parser.add_argument("--survivors", help="write surviving mutants (JSON) here")
    parser.add_argument("--only", help="re-run only the mutant ids of this survivors file")
    args = parser.parse_args()

    module = args.module.removeprefix("server/vetpy/")
    tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"))
    every = sites(tree)
    chosen = every
    if args.only:
        wanted = {entry["site"]["ident"] for entry in json.loads(Path(args.only).read_text())}
        chosen = [s for s in every if s.ident in wanted]
    elif args.sample and args.sample < len(every):
        chosen = sorted(random.Random(args.seed).sample(every, args.sample), key=lambda s: s.ident)
    work = Path(args.work)
    runners = [Runner(work / f"job{j}", module, args.tests, args.timeout) for j in range(args.jobs)]
    killed, seconds, how = runners[0].run(ast.unparse(tree))
    print(f"sanity run (unmutated, unparsed): {'FAILED' if killed else 'passed'} in {seconds:.0f} s: {how}")
    if killed:
        return 2
    what = f"the survivors in {args.only}" if args.only else "all" if chosen is every else f"a sample, seed {args.seed}"
    print(f"{module}: {len(every)} mutants, checking {len(chosen)} ({what})")
    results: list[Result] = []
    free = list(runners)

    def check(site: Site) -> Result:
        runner = free.pop()
        try:
            killed, seconds, how = runner.run(mutate(tree, site))
        finally:
            free.append(runner)
        result = Result(site, killed, seconds, how)
        mark = "killed  " if killed else "SURVIVED"
        print(f"{mark} #{site.ident:<4} line {site.line:<5} {site.function}: {site.detail} ({seconds:.0f} s)", flush=True)
        return result

    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(check, chosen))
    dead = sum(r.killed for r in results)
    print(f"\n{module}: {dead}/{len(results)} killed = {100 * dead / max(len(results), 1):.1f}% "
          f"({len(every)} mutants in the module; tests: {' '.join(args.tests)})")
    if args.survivors:
        Path(args.survivors).write_text(json.dumps([asdict(r) for r in results if not r.killed], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
