"""HAL findings on real test suites: vetpy beside ty and pyrefly, on the tests of the real applications.

Issue #16 asks for at most 6 HAL findings on held-out real test suites (23k lines). Test code is
where "does this attribute exist?" is hardest to answer from source: mocks, ``monkeypatch``,
fixtures that return anything, attributes set in ``setUp``, factories, objects made by a test
client. This benchmark checks the test suites shipped in the sdists of the applications of
``realapps_bench.py`` (same versions, same release dates), each with an environment holding the
application **and its own test dependencies** (its ``test`` / ``tests`` / ``test-min`` / ``dev``
extras and dependency groups, without linters, formatters, type checkers and coverage tools),
resolved as of the release date (``uv pip install --exclude-newer``). ty and pyrefly check the same
files in the same run (their comparable HAL rules, as in ``realapps_bench.py``).

    .venv/bin/python benchmarks/realtests_bench.py                # build what is missing, run everything
    .venv/bin/python benchmarks/realtests_bench.py --only scanpy  # one application (repeatable)
    .venv/bin/python benchmarks/realtests_bench.py --no-peers     # vetpy only
    .venv/bin/python benchmarks/realtests_bench.py --findings     # vetpy's HAL findings of the last run, with labels

Everything lives under benchmarks/.work/realapps/ (``envs/APP-tests``; results in
``tests-results.json`` and ``tests-findings-APP.json``, or under ``REALAPPS_OUT``). Verdicts of the
HAL findings are kept in ``benchmarks/realtests_labels.json`` (real: the attribute/keyword/module
does not exist at run time where the test runs it; noise: it does; env: a module the environment
lacks because it cannot be installed here, such as an optional extra without a wheel). Wall times are whole-process
times on a shared machine: compare tools within one run only.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import realapps_bench as ra  # noqa: E402  (the applications, sdists, tools and runners)

LABELS = ra.ROOT / "benchmarks" / "realtests_labels.json"

# The test directory of each application's sdist (relative to its root).
TESTS = {
    "pretix": ("src/tests",),
    "privacyIDEA": ("tests",),
    "dstack": ("src/tests",),
    "scanpy": ("tests",),
    "streamlink": ("tests",),
    "xonsh": ("tests",),
    "glances": ("tests",),
}
GROUPS = ("test", "tests", "testing", "test-min", "dev")
# development tools that are not imported by tests (and some that need compilers or other platforms)
NOT_FOR_TESTS = re.compile(
    r"^(ruff|flake8|pep8-naming|isort|black|mypy|pyright|pre-commit|coverage|coveralls|codespell|pylint|"
    r"potypo|pytest-cov|pytest-sugar|pytest-cache|pytest-xdist|pytest-randomly|pytest-rerunfailures|"
    r"py-spy|memory-profiler|gprof2dot|sphinx.*|twine|build|setuptools|versioningit|wheel|tox|nox|"
    r"restructuredtext[-_]lint|rstcheck|requirements-parser|types-.*|pyinstaller|bumpversion|semgrep|"
    r"towncrier|tuna|hatch.*|runthis.*|docutils|doc8|furo|numpydoc|myst.*|pydata-sphinx-theme|ipython)\b", re.I)
# test dependencies an application's metadata does not declare (found by the test suite's imports)
EXTRA = {
    "privacyIDEA": ("pytest", "mock", "responses", "testfixtures", "pyparsing"),  # not its `hsm` extra: PyKCS11 has no wheel (needs swig)
    "glances": ("pytest",),
    "pretix": ("pytest",),
}


def requirement_name(req: str) -> str:
    return re.split(r"[\s\[<>=!~;(]", req.strip(), maxsplit=1)[0]


def test_requirements(app: ra.App, tree: Path) -> list[str]:
    """The application's own test dependencies (extras and dependency groups named in GROUPS)."""
    try:
        meta = tomllib.loads((tree / "pyproject.toml").read_text())
    except (OSError, tomllib.TOMLDecodeError):
        meta = {}
    groups = meta.get("dependency-groups", {})
    extras = meta.get("project", {}).get("optional-dependencies", {})
    own = app.name.lower()

    def expand(items: list, seen: set[str]) -> list[str]:
        """Requirements of a group or extra, with ``include-group`` and ``app[extra]`` expanded."""
        out: list[str] = []
        for item in items:
            if isinstance(item, dict) and "include-group" in item:
                inner = [("group", item["include-group"])]
            elif isinstance(item, str) and requirement_name(item).lower() == own:
                inner = [("extra", e.strip()) for e in re.findall(r"\[([^\]]*)\]", item)[:1][0].split(",")] \
                    if "[" in item else []
            elif isinstance(item, str):
                out.append(item)
                continue
            else:
                continue
            for kind, name in inner:
                if (kind, name) not in seen:
                    seen.add((kind, name))
                    out += expand((groups if kind == "group" else extras).get(name, []), seen)
        return out

    reqs: list[str] = []
    for name in GROUPS:
        reqs += expand(groups.get(name, []), {("group", name)}) + expand(extras.get(name, []), {("extra", name)})
    keep = [req for req in reqs if not NOT_FOR_TESTS.match(requirement_name(req))]
    spec = f"{app.name}{app.extras}=={app.version}"
    return [spec, *sorted(set(keep)), *EXTRA.get(app.name, ())]


def ensure_env(app: ra.App, tree: Path, uv: Path) -> Path:
    env = ra.WORK / "envs" / f"{app.name.lower()}-tests"
    python = env / "bin" / "python"
    if (env / ".complete").exists():
        return python
    ra.log(f"building {env} (Python {app.python}, --exclude-newer as of {app.released})")
    shutil.rmtree(env, ignore_errors=True)
    subprocess.run([str(uv), "venv", "-q", "--python", str(ra.interpreter(app.python)), str(env)], check=True)
    day_after = (date.fromisoformat(app.released) + timedelta(days=1)).isoformat()
    cmd = [str(uv), "pip", "install", "-q", "--exclude-newer", day_after, "--python", str(python),
           *test_requirements(app, tree)]
    if app.constraints:
        cmd += ["-c", str(tree / app.constraints)]
    subprocess.run(cmd, check=True, env={**os.environ, "UV_CACHE_DIR": str(ra.WORK / "uv-cache")})
    (env / ".complete").write_text(" ".join(cmd) + "\n")
    return python


def test_files(app: ra.App, tree: Path) -> list[Path]:
    return [p for sub in TESTS[app.name] for p in sorted((tree / sub).rglob("*.py"))]


def labels() -> dict[tuple[str, str, int, str], str]:
    if not LABELS.exists():
        return {}
    return {(e["app"], e["path"], e["line"], e["code"]): e["verdict"] for e in json.loads(LABELS.read_text())["findings"]}


def out_path(name: str) -> Path:
    return ra.OUT / name


def print_tables(results: dict) -> None:
    known = labels()
    print("## HAL findings on real test suites (comparable rules of the peers, same files, same run)\n")
    print("| app | files | lines | vetpy HAL | real | noise | env | unlabelled | ty | pyrefly | vetpy s | ty s | pyrefly s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    tot = collections.Counter()
    for name, e in results.items():
        hal = [f for f in json.loads(out_path(f"tests-findings-{name.lower()}.json").read_text()) if f["code"].startswith("HAL")]
        verdicts = collections.Counter(known.get((name, f["rel"], f["line"], f["code"]), "unlabelled") for f in hal)
        peers = e.get("peers", {})
        row = [name, e["files"], f'{e["lines"]:,}', len(hal), verdicts["real"], verdicts["noise"],
               verdicts["env"], verdicts["unlabelled"] + verdicts["debatable"],
               peers.get("ty", {}).get("comparable", "-"), peers.get("pyrefly", {}).get("comparable", "-"),
               e["vetpy"]["seconds"], peers.get("ty", {}).get("seconds", "-"), peers.get("pyrefly", {}).get("seconds", "-")]
        print("| " + " | ".join(str(c) for c in row) + " |")
        tot.update({"files": e["files"], "lines": e["lines"], "hal": len(hal), "real": verdicts["real"],
                    "noise": verdicts["noise"], "env": verdicts["env"], "other": verdicts["unlabelled"] + verdicts["debatable"]})
        for tool in ("ty", "pyrefly"):
            if isinstance(peers.get(tool, {}).get("comparable"), int):
                tot[tool] += peers[tool]["comparable"]
    print(f"| **total** | {tot['files']} | {tot['lines']:,} | {tot['hal']} | {tot['real']} | {tot['noise']} | {tot['env']} | "
          f"{tot['other']} | {tot['ty'] or '-'} | {tot['pyrefly'] or '-'} | | | |")
    rules = collections.Counter(r for e in results.values() for r, n in e["vetpy"]["rules"].items() for _ in range(n)
                                if r.startswith("HAL"))
    print(f"\nvetpy HAL rules: {', '.join(f'{r} {n}' for r, n in sorted(rules.items()))}")


def print_findings(results: dict) -> None:
    known = labels()
    for name in results:
        for f in json.loads(out_path(f"tests-findings-{name.lower()}.json").read_text()):
            if f["code"].startswith("HAL"):
                verdict = known.get((name, f["rel"], f["line"], f["code"]), "unlabelled")
                print(f'{name}\t{f["rel"]}:{f["line"]}\t{f["code"]}\t{verdict}\t{f["message"][:160]}')


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", action="append", help="application name (repeatable)")
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--build-only", action="store_true")
    ap.add_argument("--findings", action="store_true", help="print the last run's HAL findings with their labels")
    args = ap.parse_args()
    results_path = out_path("tests-results.json")
    if args.findings:
        print_findings(json.loads(results_path.read_text()))
        return
    apps = [a for a in ra.APPS if a.name in TESTS and (not args.only or a.name.lower() in {o.lower() for o in args.only})]
    if not apps:
        raise SystemExit(f"no such application; known: {', '.join(TESTS)}")
    bin_dir = ra.ensure_tools()
    results = json.loads(results_path.read_text()) if results_path.exists() else {}
    for app in apps:
        tree = ra.fetch_sdist(app)
        ra.own_root(tree)
        python = ensure_env(app, tree, bin_dir / "uv")
        if args.build_only:
            continue
        files = test_files(app, tree)
        lines = ra.count_lines(files)
        ra.log(f"{app.name} tests: {len(files)} files, {lines} lines; vetpy ...")
        secs, findings = ra.run_vetpy(files, tree, python)
        for f in findings:
            f["rel"] = os.path.relpath(os.path.join(tree, f["path"]) if not os.path.isabs(f["path"]) else f["path"], tree)
        out_path(f"tests-findings-{app.name.lower()}.json").write_text(json.dumps(findings, indent=1))
        entry = {"version": app.version, "files": len(files), "lines": lines, "env": str(python.parent.parent),
                 "vetpy": {"seconds": round(secs, 1), "rules": dict(collections.Counter(f["code"] for f in findings))},
                 "peers": {}}
        for tool in () if args.no_peers else ("ty", "pyrefly"):
            ra.log(f"{app.name} tests: {tool} ...")
            psecs, found = ra.run_peer(tool, bin_dir, files, tree, python)
            entry["peers"][tool] = {"seconds": round(psecs, 1), **ra.peer_summary(tool, found)}
            out_path(f"tests-peer-{tool}-{app.name.lower()}.json").write_text(json.dumps(found))
        results[app.name] = entry
        results_path.write_text(json.dumps(results, indent=1))
    if not args.build_only:
        print_tables(results)


if __name__ == "__main__":
    main()
