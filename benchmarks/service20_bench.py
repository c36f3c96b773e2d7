"""Score vetpy (and peers, where installed) on benchmarks/service20, a seeded service (issue #20).

Each seeded defect is marked on its line with ``# SEEDED: SEC <kind>`` or ``# SEEDED: EDGE <kind>``,
each look-alike a careful reviewer accepts with ``# SAFE: <kind>``. A marker covers its statement
(a simple statement's lines; a compound statement's header, with its decorators). A SEC* finding
in a SEC marker's span is a hit (EDGE* likewise); a finding on a SAFE line or an unmarked line is a
false positive, listed for a human to judge; a line marked ``# SEEDED-ALSO`` belongs to the marker
above it (the same defect, reported where it takes effect); a finding of the other family on a seeded line is
listed as "cross" (a real defect, named differently).  The checkers read a copy with the markers
taken out (a marker is the benchmark's note, not the author's code: a comment can change what a
checker says); ``--keep-markers`` checks the service as committed, as every figure before
2026-12-06 was taken.

    .venv/bin/python benchmarks/service20_bench.py [--python /tmp/service20-venv/bin/python]
        [--select SEC,EDGE] [--no-peers] [--json OUT] [--service benchmarks/service21]

``--service`` names another seeded service laid out the same way (a directory with its own
pyproject.toml and one package); the default is benchmarks/service20.
"""
from __future__ import annotations

import argparse
import atexit
import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SERVICE = HERE / "service20"
PACKAGE = SERVICE / "shopsvc"


def use_service(directory: str) -> None:
    """Score the seeded service in ``directory`` (its pyproject.toml and its one package)."""
    global SERVICE, PACKAGE
    SERVICE = Path(directory).resolve()
    packages = sorted(p.parent for p in SERVICE.glob("*/__init__.py"))
    if len(packages) != 1:
        sys.exit(f"{SERVICE}: expected one package, found {[p.name for p in packages]}")
    PACKAGE = packages[0]
MARK = re.compile(r"#\s*(SEEDED:\s*(SEC|EDGE)|SAFE:)\s*(.*)$")
# a further line of the marker above it: the same defect, reported where it takes effect
ALSO = re.compile(r"#\s*SEEDED-ALSO\b")


@dataclass
class Marker:
    path: str
    line: int
    family: str  # "SEC", "EDGE" or "SAFE"
    kind: str
    span: tuple[int, int] = (0, 0)
    also: list[tuple[int, int]] = field(default_factory=list)
    found_by: list[str] = field(default_factory=list)


def _spans(tree: ast.AST) -> list[tuple[int, int, int]]:
    """(start, end, size) of every statement: a compound statement's header only."""
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt):
            continue
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        body = getattr(node, "body", None)
        if isinstance(body, list) and body:
            end = body[0].lineno - 1
            end = max(end, node.lineno)
        else:
            end = node.end_lineno or node.lineno
        out.append((start, end, end - start))
    return out


def read_markers() -> list[Marker]:
    markers = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text()
        spans = _spans(ast.parse(text))
        rel = str(path.relative_to(HERE.parent))
        for number, line in enumerate(text.splitlines(), 1):
            m = MARK.search(line)
            if not m and not ALSO.search(line):
                continue
            containing = [s for s in spans if s[0] <= number <= s[1]]
            start, end, _ = min(containing, key=lambda s: s[2]) if containing else (number, number, 0)
            if not m:
                markers[-1].also.append((start, end))
                continue
            family = m.group(2) or "SAFE"
            markers.append(Marker(rel, number, family, m.group(3).strip(), (start, end)))
    return markers


def _marker_at(markers: list[Marker], path: str, line: int) -> Marker | None:
    best = None
    for mk in markers:
        if mk.path == path and mk.span[0] <= line <= mk.span[1]:
            size, best_size = mk.span[1] - mk.span[0], (best.span[1] - best.span[0]) if best else 0
            # two markers in one statement (`debug=True` and the CORS middleware in one
            # `Starlette(...)` call): the finding belongs to the marker on its own line
            if best is None or size < best_size or (size == best_size and mk.line == line):
                best = mk
    if best is None:
        best = next((mk for mk in markers if mk.path == path and any(a <= line <= b for a, b in mk.also)), None)
    return best


# The checkers read a copy of the service with the markers taken out (``strip_markers``): a marker
# is the benchmark's annotation, not the author's code, and a comment on a line can change what a
# checker says (an `except: pass` with a comment reads as explained).  Findings on the copy are
# mapped back to the service's own paths; lines are unchanged.
RUN_SERVICE: Path | None = None
RUN_PACKAGE: Path | None = None


def strip_markers(into: Path) -> None:
    """Copy the service to ``into`` with every ``# SEEDED...``/``# SAFE:`` comment removed."""
    global RUN_SERVICE, RUN_PACKAGE
    target = into / SERVICE.name
    shutil.copytree(SERVICE, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for path in (target / PACKAGE.name).rglob("*.py"):
        lines = path.read_text().splitlines(keepends=True)
        out = []
        for line in lines:
            found = MARK.search(line) or ALSO.search(line)
            if found:
                end = "\n" if line.endswith("\n") else ""
                line = line[:found.start()].rstrip() + end
            out.append(line)
        path.write_text("".join(out))
    RUN_SERVICE, RUN_PACKAGE = target, target / PACKAGE.name


def _run_service() -> Path:
    return RUN_SERVICE or SERVICE


def _run_package() -> Path:
    return RUN_PACKAGE or PACKAGE


def _rel(path: str) -> str:
    p = Path(path)
    if not p.is_absolute():
        p = HERE.parent / p
    p = p.resolve()
    if RUN_SERVICE is not None and p.is_relative_to(RUN_SERVICE.resolve()):
        p = SERVICE / p.relative_to(RUN_SERVICE.resolve())
    return str(p.relative_to(HERE.parent.resolve()))


def run_vetpy(args) -> list[tuple[str, int, str, str]]:
    exe = Path(sys.executable).with_name("vetpy")
    cmd = [str(exe) if exe.exists() else "vetpy", "check", "--output-format", "json", "--exit-zero",
           "--no-cache", "--config", str(_run_service() / "pyproject.toml")]
    if args.select:
        cmd += ["--select", args.select]
    if args.python:
        cmd += ["--python", args.python]
    cmd.append(str(_run_package()))
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=HERE.parent)
    if proc.returncode not in (0, 1):
        sys.exit(f"vetpy failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return [(_rel(f["path"]), f["line"], f["code"], f["message"]) for f in json.loads(proc.stdout)]


def run_bandit() -> list[tuple[str, int, str, str]] | None:
    exe = shutil.which("bandit") or ("/tmp/secbench/bin/bandit" if os.path.exists("/tmp/secbench/bin/bandit") else None)
    if not exe:
        return None
    proc = subprocess.run([exe, "-q", "-r", "-f", "json", str(_run_package())], capture_output=True, text=True)
    data = json.loads(proc.stdout or "{}")
    return [(_rel(r["filename"]), r["line_number"], r["test_id"], r["issue_text"]) for r in data.get("results", [])]


def run_ruff() -> list[tuple[str, int, str, str]] | None:
    exe = shutil.which("ruff") or ("/tmp/secbench/bin/ruff" if os.path.exists("/tmp/secbench/bin/ruff") else None)
    if not exe:
        return None
    proc = subprocess.run([exe, "check", "--isolated", "--select", "S", "--output-format", "json", "--exit-zero",
                           str(_run_package())], capture_output=True, text=True)
    return [(_rel(r["filename"]), r["location"]["row"], r["code"], r["message"]) for r in json.loads(proc.stdout)]


def run_semgrep() -> list[tuple[str, int, str, str]] | None:
    exe = shutil.which("semgrep")
    if not exe:
        return None
    proc = subprocess.run([exe, "scan", "--config", "p/python", "--json", "--metrics", "off", str(_run_package())],
                          capture_output=True, text=True)
    data = json.loads(proc.stdout or "{}")
    return [(_rel(r["path"]), r["start"]["line"], r["check_id"].rsplit(".", 1)[-1], r["extra"]["message"][:80])
            for r in data.get("results", [])]


def score(name: str, findings, markers: list[Marker], family_of) -> dict:
    hits: dict[str, set[int]] = {"SEC": set(), "EDGE": set()}
    fps, cross = [], []
    for path, line, code, message in findings:
        family = family_of(code)
        if family is None:
            continue
        mk = _marker_at(markers, path, line)
        if mk is None or mk.family == "SAFE":
            fps.append((path, line, code, message, mk.kind if mk else "unmarked"))
        elif family == "ANY" or family == mk.family:
            hits[mk.family].add(id(mk))
            mk.found_by.append(name)
        else:
            cross.append((path, line, code, message, f"{mk.family} {mk.kind}"))
    seeded = {f: [m for m in markers if m.family == f] for f in ("SEC", "EDGE")}
    result = {"tool": name}
    for f in ("SEC", "EDGE"):
        result[f] = (len(hits[f]), len(seeded[f]))
    result["false_positives"] = fps
    result["cross"] = cross
    result["missed"] = {f: [m for m in seeded[f] if id(m) not in hits[f]] for f in ("SEC", "EDGE")}
    return result


def vetpy_family(code: str):
    for f in ("SEC", "EDGE"):
        if code.startswith(f):
            return f
    return None


def report(res: dict, show_misses: bool) -> None:
    sec, edge = res["SEC"], res["EDGE"]
    print(f"{res['tool']}: SEC {sec[0]}/{sec[1]}  EDGE {edge[0]}/{edge[1]}  false positives {len(res['false_positives'])}")
    for path, line, code, msg, where in res["false_positives"]:
        print(f"  FP {path}:{line} {code} [{where}] {msg[:110]}")
    for path, line, code, msg, where in res["cross"]:
        print(f"  cross {path}:{line} {code} on {where}: {msg[:90]}")
    if show_misses:
        for f in ("SEC", "EDGE"):
            for m in res["missed"][f]:
                print(f"  miss {f} {m.path}:{m.line} {m.kind}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--python", help="interpreter with the service's dependencies (fewer HAL findings; SEC/EDGE unaffected)")
    ap.add_argument("--select", help="vetpy --select (default: the default rule set)")
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--json", help="write the scores here")
    ap.add_argument("--service", help="the seeded service's directory (default: benchmarks/service20)")
    ap.add_argument("--keep-markers", action="store_true",
                    help="check the service as committed, markers included (before 2026-12-06 every figure was taken so)")
    args = ap.parse_args()
    if args.service:
        use_service(args.service)
    markers = read_markers()
    if not args.keep_markers:
        # outside any dot-directory (some checkers skip those) and outside the repository (its config)
        copy = Path(tempfile.mkdtemp(prefix="vetpy-service-"))
        atexit.register(shutil.rmtree, copy, True)
        strip_markers(copy)
    counts = {f: sum(m.family == f for m in markers) for f in ("SEC", "EDGE", "SAFE")}
    print(f"{SERVICE.name}: {counts['SEC']} SEC and {counts['EDGE']} EDGE seeded, {counts['SAFE']} look-alikes")
    results = [score("vetpy" + (f" --select {args.select}" if args.select else ""), run_vetpy(args), markers, vetpy_family)]
    report(results[0], show_misses=True)
    if not args.no_peers:
        for name, runner in (("bandit", run_bandit), ("ruff S", run_ruff), ("semgrep p/python", run_semgrep)):
            findings = runner()
            if findings is None:
                print(f"{name}: not installed")
                continue
            fresh = [Marker(m.path, m.line, m.family, m.kind, m.span, m.also) for m in markers]
            res = score(name, findings, fresh, lambda code: "ANY")
            results.append(res)
            report(res, show_misses=False)
    if args.json:
        Path(args.json).write_text(json.dumps([
            {"tool": r["tool"], "SEC": r["SEC"], "EDGE": r["EDGE"],
             "false_positives": r["false_positives"],
             "missed": {f: [f"{m.path}:{m.line} {m.kind}" for m in r["missed"][f]] for f in ("SEC", "EDGE")}}
            for r in results], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
