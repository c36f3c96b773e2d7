"""Prove the hallucination corpus by running it.

    python benchmarks/corpus_hal/verify.py            # build envs (reused), run, print tables
    python benchmarks/corpus_hal/verify.py -v         # also every case's verdict and message
    python benchmarks/corpus_hal/verify.py --json F   # write the verdicts to F (hal_bench.py reads them)
    python benchmarks/corpus_hal/verify.py --isolated # one process per case instead of per file
    python benchmarks/corpus_hal/verify.py --set blind  # only the blind set (blind_*.py); --set all: both
    python benchmarks/corpus_hal/verify.py --set blind2 # the second blind set (blind2_*.py), not in ``all``
    python benchmarks/corpus_hal/verify.py --set blind3 # the third blind set (blind3_*.py), not in ``all``
    python benchmarks/corpus_hal/verify.py --set blind4 # the fourth blind set (blind4_*.py), not in ``all``
    python benchmarks/corpus_hal/verify.py --set blind5 # the fifth blind set (blind5_*.py), not in ``all``

Sets: ``original`` (``cases_*.py`` / ``valid_*.py``, the 486 + 82 of the first corpus; the default, so
the numbers stay comparable with earlier runs) and ``blind`` (``blind_<package>.py``: cases and valid
functions written later, without running vetpy or reading its rules, after the original set had become
the rules' work list).

Layout: one directory per environment (``py312/``, ``py313/``), each with ``python-version``
(a pyenv version), ``requirements.txt`` (exact ``==`` pins) and case files.  In a case file:

- ``def case_NAME():`` (or ``async def``) is one hallucination: exactly one line carries
  ``# HAL: <category>; receiver=<how the receiver was obtained>``; the case is *proven* when calling it raises AttributeError,
  ImportError (ModuleNotFoundError included) or TypeError whose deepest frame in that file is on
  the marked line.
- ``def valid_NAME():`` is dynamic-but-valid code (its look-alike line is marked ``# OK: <kind>``);
  it is *proven* when it returns without raising.

Network is disabled in the runner (socket connect and name resolution raise RuntimeError), so a
case that would send anything fails instead of reaching the network.  The environments are built
with ``uv pip install`` under ``benchmarks/.work/corpus_hal/<env>`` and reused while the pins
are unchanged.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
WORK = REPO / "benchmarks" / ".work" / "corpus_hal"
PYENV = Path(os.environ.get("PYENV_ROOT", "/root/.pyenv")) / "versions"
CATEGORIES = ("version-drift", "other-library-idiom", "invented-member", "invented-keyword", "arity",
              "stdlib-removed-or-newer-than-target")
EXPECTED = ("AttributeError", "ImportError", "ModuleNotFoundError", "TypeError")
SETS = ("original", "blind", "all", "blind2", "blind3", "blind4", "blind5")
# ``all`` stays original + blind (the figures of earlier runs); ``blind2`` ... ``blind5`` are scored on their own.
IN_ALL = ("original", "blind")


def file_set(path: Path) -> str:
    """``blind2`` ... ``blind5`` for ``blind2_*.py`` ... ``blind5_*.py``, ``blind`` for ``blind_*.py``, ``original`` for the rest."""
    for later in ("blind2", "blind3", "blind4", "blind5"):
        if path.name.startswith(later + "_"):
            return later
    return "blind" if path.name.startswith("blind_") else "original"


@dataclass
class Case:
    env: str
    path: Path
    name: str
    kind: str  # "case" or "valid"
    start: int
    end: int
    marked: int  # the line with "# HAL:" / "# OK:"
    category: str  # HAL category, or the OK kind
    receiver: str  # how the receiver was obtained ("receiver=..." on the marked line)
    package: str  # file stem without the "cases_" / "valid_" prefix
    verdict: str = ""
    detail: str = ""
    proven: bool = False
    problems: list[str] = field(default_factory=list)
    copy_path: Path | None = None  # where bench.py copied the file for the checkers

    @property
    def ident(self) -> str:
        return f"{self.env}/{self.path.name}::{self.name}"


def envs() -> list[Path]:
    return sorted(p for p in HERE.iterdir() if p.is_dir() and (p / "requirements.txt").exists())


def set_files(env_dir: Path, which: str = "original") -> list[Path]:
    """The env's case files of one set (``all``: original + blind)."""
    return sorted(p for p in env_dir.glob("*.py")
                  if file_set(p) == which or (which == "all" and file_set(p) in IN_ALL))


def collect(env_dir: Path, which: str = "original") -> list[Case]:
    """Every case_/valid_ function of the env's files (of the set ``which``), with its marked line."""
    cases = []
    for path in set_files(env_dir, which):
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        tree = ast.parse(text)
        stem = path.stem
        package = stem.split("_", 1)[1] if "_" in stem else stem
        for node in tree.body:
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            kind = "case" if node.name.startswith("case_") else "valid" if node.name.startswith("valid_") else ""
            if not kind:
                continue
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            tag = "# HAL:" if kind == "case" else "# OK:"
            marks = [i for i in range(start, node.end_lineno + 1) if tag in lines[i - 1]]
            label = lines[marks[0] - 1].split(tag, 1)[1].strip() if marks else ""
            category, _, rest = label.partition(";")
            receiver = rest.strip().removeprefix("receiver=").strip()
            case = Case(env_dir.name, path, node.name, kind, start, node.end_lineno, marks[0] if marks else 0,
                        category.strip(), receiver, package)
            if len(marks) != 1:
                case.problems.append(f"{len(marks)} lines marked {tag!r}")
            if kind == "case" and case.category not in CATEGORIES:
                case.problems.append(f"unknown category {case.category!r}")
            cases.append(case)
    return cases


def build_env(env_dir: Path) -> Path:
    """The env's interpreter; the venv is (re)built when its pins changed."""
    version = (env_dir / "python-version").read_text().strip()
    base = PYENV / version / "bin" / "python"
    target = WORK / env_dir.name
    python = target / "bin" / "python"
    pins = (env_dir / "requirements.txt").read_text()
    marker = target / ".pins"
    if marker.exists() and marker.read_text() == version + "\n" + pins and python.exists():
        return python
    uv = shutil.which("uv") or str(Path(sys.executable).parent / "uv")
    subprocess.run([uv, "venv", "-q", "--clear", "-p", str(base), str(target)], check=True, timeout=600)
    env = {**os.environ, "VIRTUAL_ENV": str(target)}
    subprocess.run([uv, "pip", "install", "-q", "--no-deps", "-r", str(env_dir / "requirements.txt")], check=True, env=env, timeout=3600)
    marker.write_text(version + "\n" + pins)
    return python


RUNNER = r'''
import asyncio, importlib.util, inspect, json, os, socket, sys, traceback, warnings
warnings.simplefilter("ignore")
def _no_net(*a, **k):
    raise RuntimeError("network disabled in the corpus runner")
socket.socket.connect = _no_net
socket.socket.connect_ex = _no_net
socket.create_connection = _no_net
socket.getaddrinfo = _no_net
os.environ.setdefault("OPENAI_API_KEY", "sk-test-not-a-key")
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ.setdefault("MPLBACKEND", "Agg")
path, names = sys.argv[1], sys.argv[2:]
os.chdir(os.path.dirname(path))
sys.path.insert(0, os.path.dirname(path))
out = {}
try:
    spec = importlib.util.spec_from_file_location("corpus_" + os.path.basename(path)[:-3], path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
except BaseException as exc:
    print(json.dumps({n: ["ModuleError", 0, f"{type(exc).__name__}: {exc}"] for n in names}))
    sys.exit(0)
for name in names:
    fn = getattr(mod, name)
    try:
        result = fn()
        if inspect.iscoroutine(result):
            asyncio.run(result)
        out[name] = ["ok", 0, ""]
    except BaseException as exc:
        line = 0
        for frame, lineno in traceback.walk_tb(exc.__traceback__):
            if os.path.samefile(frame.f_code.co_filename, path) if os.path.exists(frame.f_code.co_filename) else False:
                line = lineno
        kind = next((base.__name__ for base in (ImportError, AttributeError, TypeError) if isinstance(exc, base)), "")
        out[name] = [kind or type(exc).__name__, line, f"{type(exc).__name__}: {str(exc)[:300]}"]
print(json.dumps(out))
'''


def run_file(python: Path, path: Path, names: list[str]) -> dict[str, list]:
    proc = subprocess.run([str(python), "-c", RUNNER, str(path), *names], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}, stdin=subprocess.DEVNULL)
    try:
        return json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {n: ["RunnerError", 0, proc.stderr[-300:]] for n in names}


def judge(case: Case, result: list) -> None:
    exc, line, msg = result
    case.verdict, case.detail = f"{exc}@{line}", msg
    if case.problems:
        case.proven = False
    elif case.kind == "case":
        case.proven = exc in EXPECTED and line == case.marked
    else:
        case.proven = exc == "ok"


def verify(isolated: bool = False, which: str = "original") -> list[Case]:
    every: list[Case] = []
    for env_dir in envs():
        cases = collect(env_dir, which)
        if not cases:
            continue
        python = build_env(env_dir)
        by_file: dict[Path, list[Case]] = defaultdict(list)
        for c in cases:
            by_file[c.path].append(c)
        for path, group in by_file.items():
            if isolated:
                results = {}
                for c in group:
                    results.update(run_file(python, path, [c.name]))
            else:
                results = run_file(python, path, [c.name for c in group])
            for c in group:
                judge(c, results[c.name])
        every += cases
    return every


def table(cases: list[Case]) -> str:
    hal = [c for c in cases if c.kind == "case"]
    cats = [c for c in CATEGORIES if any(h.category == c for h in hal)]
    short = {"version-drift": "drift", "other-library-idiom": "idiom", "invented-member": "member",
             "invented-keyword": "keyword", "arity": "arity", "stdlib-removed-or-newer-than-target": "stdlib"}
    rows = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for c in hal:
        key = f"{c.env}/{c.package}"
        rows[key][c.category][0 if c.proven else 1] += 1
    out = ["| env/package | " + " | ".join(short[c] for c in cats) + " | proven | failed |",
           "|---|" + "---|" * (len(cats) + 2)]
    tot = defaultdict(lambda: [0, 0])
    for key in sorted(rows):
        cells = []
        for cat in cats:
            p, f = rows[key][cat]
            tot[cat][0] += p
            tot[cat][1] += f
            cells.append(f"{p}" + (f" (+{f} failed)" if f else "") if p or f else "")
        p = sum(v[0] for v in rows[key].values())
        f = sum(v[1] for v in rows[key].values())
        out.append(f"| {key} | " + " | ".join(cells) + f" | {p} | {f} |")
    out.append("| **all** | " + " | ".join(f"{tot[c][0]}" + (f" (+{tot[c][1]} failed)" if tot[c][1] else "") for c in cats)
               + f" | {sum(v[0] for v in tot.values())} | {sum(v[1] for v in tot.values())} |")
    valid = [c for c in cases if c.kind == "valid"]
    packages = {c.package for c in hal if c.proven and c.package != "stdlib"}
    out.append(f"\nhallucinations proven: {sum(c.proven for c in hal)}/{len(hal)} across {len(packages)} third-party "
               f"packages + stdlib; valid functions clean: {sum(c.proven for c in valid)}/{len(valid)}")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--isolated", action="store_true")
    parser.add_argument("--set", choices=SETS, default="original", dest="which",
                        help="original (default: cases_*/valid_*), blind (blind_*), all (both), blind2 (blind2_*), blind3 (blind3_*), blind4 (blind4_*) or blind5 (blind5_*)")
    args = parser.parse_args()
    cases = verify(args.isolated, args.which)
    for c in cases:
        if args.verbose or not c.proven:
            mark = "ok  " if c.proven else "FAIL"
            print(f"{mark} {c.ident} [{c.category}] line {c.marked}: {c.verdict} {c.detail[:160]}"
                  + (f" PROBLEMS: {c.problems}" if c.problems else ""))
    print(table(cases))
    if args.json:
        args.json.write_text(json.dumps([{
            "env": c.env, "path": str(c.path), "name": c.name, "kind": c.kind, "start": c.start, "end": c.end,
            "marked": c.marked, "category": c.category, "receiver": c.receiver, "package": c.package, "proven": c.proven,
            "verdict": c.verdict} for c in cases], indent=1))


if __name__ == "__main__":
    main()


_HELD: list = []


def hold_inputs(folder: Path) -> None:
    """Hold an exclusive lock on ``folder`` (where a bench copies its inputs) until the process
    ends: two runs sharing the folder score each other's files (seen: 51/648 for 600/648).  A
    second run waits for the first; ``VETPY_BENCH_INPUTS`` gives each run a folder of its own."""
    import fcntl

    folder.mkdir(parents=True, exist_ok=True)
    handle = open(folder / ".lock", "w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print(f"{folder} is in use by another run: waiting for it (set VETPY_BENCH_INPUTS to a folder of your own "
              "to run both at once)", file=sys.stderr, flush=True)
        fcntl.flock(handle, fcntl.LOCK_EX)
    _HELD.append(handle)
