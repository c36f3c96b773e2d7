"""Hallucination benchmarks (HAL002-HAL005), all three from one command, printing tables.

    python benchmarks/hal_bench.py                # recall, false positives, speed
    python benchmarks/hal_bench.py --only recall  # or: corpus, fp, speed
    python benchmarks/hal_bench.py --no-peers     # vetpy only

1. Recall and false positives on (a) the labelled corpus in fixtures/hallucinations/ (each case
   verified by running it in the pinned target environment) and (b) LibraryHalluBench
   (../shared/corpora/library-hallu-bench/; labels verified with getattr in the pinned
   environment, dropped labels counted), vetpy against pyrefly, ty and pyright on the same files.
2. False positives on working code: the test suites of the sdists of requests, flask, click,
   httpx and attrs, with those versions and their test dependencies installed.
3. Speed: whole-process wall time of `vetpy check` cold (empty cache) and warm against
   pyrefly (--preset default), ty and pyright on the same inputs, in one run.
4. (``--only corpus``, also part of the full run) the independent corpus in corpus_hal/: 486
   hallucinations proven by running them in pinned Python 3.12/3.13 environments and 82 valid
   dynamic functions, recall and false positives per category for vetpy, pyright, pyrefly, ty and
   mypy (corpus_hal/bench.py; the proof itself is corpus_hal/verify.py).  ``--corpus-set blind``
   scores the blind set (162 more, written without running vetpy) instead, ``all`` both.

Everything it installs lives under benchmarks/.work/ (git-ignored).  Versions are pinned below.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import runpy
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / ".work"
# Generated inputs live outside any dot-directory: pyright silently skips files under `.work`.
INPUTS = Path(os.environ.get("VETPY_BENCH_INPUTS") or Path(tempfile.gettempdir()) / "vetpy-hal-bench")

# Same tuple as corpus_hal/bench.py (both write .work/peers/.pins; a difference would rebuild it each run).
PEERS = ("pyrefly==1.4.1", "ty==0.0.105", "pyright==1.1.414", "mypy==2.4.1")
SUITES = {"requests": "2.32.3", "flask": "3.1.0", "click": "8.1.7", "httpx": "0.28.1", "attrs": "24.2.0"}
# pytest 8.3: flask 3.1.0's conftest uses monkeypatch.notset, which pytest 9 removed.
SUITE_TEST_DEPS = (
    "pytest==8.3.3", "trustme==1.2.1", "pytest-httpbin==2.1.0", "werkzeug==3.1.9", "hypothesis==6.170.15",
    "cloudpickle==3.1.2", "pympler==1.1", "pytest-mypy-plugins==4.1.0", "zope.interface==8.7", "chardet==7.7.0",
    "brotli==1.2.1", "h2==4.4.1", "socksio==1.0.0", "respx==0.23.1", "rich==15.0.0", "uvicorn==0.54.0",
    "anyio==4.16.0", "trio==0.35.0", "pytest-asyncio==0.24.0", "cryptography==50.0.2", "zstandard==0.25.0",
)
LHB_LIBS = (
    "numpy==2.4.6", "pandas==2.3.3", "matplotlib==3.11.2", "scipy==1.17.1", "scikit-learn==1.9.1",
    "seaborn==0.13.2", "nltk==3.10.4", "requests==2.32.3", "pytz==2026.6", "beautifulsoup4==4.15.0",
    "python-dateutil==4.0.0",
)
LHB_CORPUS = REPO.parent.parent / "shared" / "corpora" / "library-hallu-bench" / "bigcodebench_full.json"
if not LHB_CORPUS.exists():
    LHB_CORPUS = Path("/work/shared/corpora/library-hallu-bench/bigcodebench_full.json")


# -- environments --------------------------------------------------------------------------------

def venv(name: str, packages: tuple[str, ...]) -> Path:
    """A virtual environment under .work/ with ``packages`` (created once per pin list)."""
    path = WORK / name
    python = path / "bin" / "python"
    marker = path / ".pins"
    wanted = "\n".join(packages)
    if not (marker.exists() and marker.read_text() == wanted):
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(path)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *packages], check=True)
        marker.write_text(wanted)
    return python


def vetpy_cmd() -> list[str]:
    return [sys.executable, "-m", "vetpy"]


def run(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd, check=False)
    return time.perf_counter() - start, proc


def vetpy_findings(paths: list[Path], python: Path, cache: Path, select: str = "HAL") -> tuple[float, list[dict]]:
    env = {**os.environ, "VETPY_CACHE_DIR": str(cache)}
    secs, proc = run([*vetpy_cmd(), "check", "--python", str(python), "--select", select, "--format", "json",
                      "--exit-zero", *map(str, paths)], env=env)
    try:
        return secs, json.loads(proc.stdout)
    except ValueError:
        raise SystemExit(f"vetpy failed: {proc.stderr[-2000:]}")


# -- peers ---------------------------------------------------------------------------------------

def peer_errors(tool: str, paths: list[Path], python: Path) -> tuple[float, list[tuple[str, int, str]]]:
    """(wall seconds, [(path, line, rule)]) of a peer's errors on ``paths``."""
    bin_dir = WORK / "peers" / "bin"
    files = [str(p) for p in paths]
    if tool == "pyright":
        secs, proc = run([str(bin_dir / "pyright"), "--pythonpath", str(python), "--outputjson", *files])
        try:
            data = json.loads(proc.stdout)
        except ValueError:
            return secs, []
        return secs, [(d["file"], d["range"]["start"]["line"] + 1, d.get("rule", "")) for d in data.get("generalDiagnostics", [])
                      if d.get("severity") == "error"]
    if tool == "ty":
        secs, proc = run([str(bin_dir / "ty"), "check", "--python", str(python), "--output-format", "concise", *files])
        found = []
        for line in proc.stdout.splitlines():
            m = re.match(r"(.+?):(\d+):\d+: error\[([\w-]+)\]", line)
            if m:
                found.append((m.group(1), int(m.group(2)), m.group(3)))
        return secs, found
    if tool == "pyrefly":
        secs, proc = run([str(bin_dir / "pyrefly"), "check", "--preset", "default", "--python-interpreter-path", str(python),
                          "--output-format", "min-text", *files])
        found = []
        for line in (proc.stdout + proc.stderr).splitlines():
            m = re.match(r"ERROR (.+?):(\d+):\d+-\S+: .*\[([\w-]+)\]$", line)
            if m:
                found.append((m.group(1), int(m.group(2)), m.group(3)))
        return secs, found
    raise ValueError(tool)


# -- 1a. the labelled corpus ---------------------------------------------------------------------

_VERIFY = r"""
import json, sys
cases = json.loads(sys.stdin.read())
out = {}
for ident, stmt in cases:
    try:
        exec(stmt, {})
        out[ident] = "ok"
    except Exception as exc:
        out[ident] = type(exc).__name__
print(json.dumps(out))
"""


def bench_corpus(python: Path, peers: bool) -> None:
    cases = runpy.run_path(str(REPO / "fixtures" / "hallucinations" / "corpus.py"))["CASES"]
    verdicts = json.loads(subprocess.run([str(python), "-c", _VERIFY], input=json.dumps([(c[0], c[3]) for c in cases]),
                                         capture_output=True, text=True, check=True).stdout)
    kept, dropped = [], []
    for ident, code, expected, _verify in cases:
        raised = verdicts.get(ident, "ok") != "ok"
        (kept if raised == bool(expected) else dropped).append((ident, code, expected))
    root = INPUTS / "corpus"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'corpus'\nversion = '0'\n")
    files = {}
    for ident, code, expected in kept:
        path = root / f"{ident.replace('-', '_')}.py"
        path.write_text(code)
        files[str(path)] = (ident, expected)
    _secs, findings = vetpy_findings([root], python, WORK / "cache-corpus")
    by_file: dict[str, list[str]] = defaultdict(list)
    for f in findings:
        by_file[str(Path(f["path"]).resolve())].append(f["code"])
    rows = [("vetpy", _score(files, lambda p, exp: set(exp) <= set(by_file.get(p, [])), lambda p: bool(by_file.get(p))))]
    misses = [files[p][0] for p in files if files[p][1] and not set(files[p][1]) <= set(by_file.get(p, []))]
    fps = [f"{files[p][0]}: {by_file[p]}" for p in files if not files[p][1] and by_file.get(p)]
    peer_fps: dict[str, list[str]] = {}
    if peers:
        for tool in ("pyrefly", "ty", "pyright"):
            _s, errs = peer_errors(tool, [Path(p) for p in files], python)
            hit = {str(Path(e[0]).resolve()) for e in errs}
            rows.append((tool, _score(files, lambda p, exp, hit=hit: p in hit, lambda p, hit=hit: p in hit)))
            peer_fps[tool] = [files[p][0] for p in files if not files[p][1] and p in hit]
    print(f"\n## 1a. Labelled corpus (fixtures/hallucinations): {sum(1 for f in files.values() if f[1])} hallucinations, "
          f"{sum(1 for f in files.values() if not f[1])} working look-alikes; {len(dropped)} dropped by verification")
    if dropped:
        print("dropped:", ", ".join(d[0] for d in dropped))
    print("| checker | recall | false positives |\n|---|---|---|")
    for name, (tp, pos, fp, neg) in rows:
        print(f"| {name} | {tp}/{pos} ({100 * tp / max(pos, 1):.0f}%) | {fp}/{neg} |")
    print("vetpy misses:", ", ".join(misses) or "none")
    print("vetpy false positives:", "; ".join(fps) or "none")
    for tool, names in peer_fps.items():
        print(f"{tool} false positives:", ", ".join(names) or "none")


def _score(files, detected, flagged) -> tuple[int, int, int, int]:
    tp = sum(1 for p, (_i, exp) in files.items() if exp and detected(p, exp))
    pos = sum(1 for _p, (_i, exp) in files.items() if exp)
    fp = sum(1 for p, (_i, exp) in files.items() if not exp and flagged(p))
    neg = sum(1 for _p, (_i, exp) in files.items() if not exp)
    return tp, pos, fp, neg


# -- 1b. LibraryHalluBench -----------------------------------------------------------------------

_EXISTS = r"""
import importlib, json, sys
names = json.loads(sys.stdin.read())
out = {}
for name in names:
    parts = name.split(".")
    obj = None
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
            break
        except Exception:
            continue
    ok = obj is not None
    if ok:
        for part in parts[i:]:
            try:
                obj = getattr(obj, part)
            except Exception:
                try:
                    obj = importlib.import_module(obj.__name__ + "." + part)
                except Exception:
                    ok = False
                    break
    out[name] = ok
print(json.dumps(out))
"""


def bench_lhb(peers: bool) -> None:
    python = venv("lhb", LHB_LIBS)
    tasks = json.loads(LHB_CORPUS.read_text())
    installed = {"numpy", "pandas", "matplotlib", "scipy", "sklearn", "seaborn", "nltk", "requests", "pytz", "bs4", "dateutil"}
    labels: list[tuple[str, str]] = []  # (category, dotted name)
    for task in tasks.values():
        member = task["member"]
        if member["library"] not in installed:
            continue
        labels.append(("real", member["base"]))
        for cat in ("typo_small", "typo_medium", "fabrication"):
            labels += [(cat, n) for n in member.get(cat, [])]
    labels = list(dict.fromkeys(labels))
    exists = json.loads(subprocess.run([str(python), "-c", _EXISTS], input=json.dumps(sorted({n for _c, n in labels})),
                                       capture_output=True, text=True, check=True).stdout)
    malformed = [(c, n) for c, n in labels if not all(part.isidentifier() for part in n.split("."))]
    kept = [(c, n) for c, n in labels
            if (c, n) not in set(malformed) and exists.get(n) == (c == "real") and n.split(".")[0] in installed]
    dropped = Counter(c for c, n in labels if (c, n) not in set(kept) and (c, n) not in set(malformed))
    root = INPUTS / "lhb"
    shutil.rmtree(root / "cases", ignore_errors=True)
    (root / "cases").mkdir(parents=True)
    (root / "cases" / "pyproject.toml").write_text("[project]\nname = 'lhb'\nversion = '0'\n")
    files = {}
    for i, (cat, name) in enumerate(kept):
        top = name.split(".")[0]
        path = root / "cases" / f"c{i:05d}.py"
        path.write_text(f"import {top}\n{name}\n")
        files[str(path.resolve())] = (cat, name)
    _secs, findings = vetpy_findings([root / "cases"], python, WORK / "cache-lhb")
    flagged = {str(Path(f["path"]).resolve()) for f in findings}
    results = {"vetpy": flagged}
    if peers:
        for tool in ("pyrefly", "ty", "pyright"):
            _s, errs = peer_errors(tool, [Path(p) for p in files], python)
            results[tool] = {str(Path(e[0]).resolve()) for e in errs}
    cats = ("typo_small", "typo_medium", "fabrication")
    print(f"\n## 1b. LibraryHalluBench members ({len(kept)} labels kept; {len(malformed)} malformed names "
          "(spaces, punctuation) left out; dropped by verification: "
          + ", ".join(f"{c} {dropped[c]}" for c in ("real", *cats)) + ")")
    print("| checker | " + " | ".join(f"recall {c}" for c in cats) + " | recall all | false positives on real members |")
    print("|---|" + "---|" * (len(cats) + 2))
    for tool, hit in results.items():
        cells = []
        tp_all = pos_all = 0
        for c in cats:
            pos = [p for p, (cat, _n) in files.items() if cat == c]
            tp = sum(1 for p in pos if p in hit)
            tp_all += tp
            pos_all += len(pos)
            cells.append(f"{tp}/{len(pos)} ({100 * tp / max(len(pos), 1):.1f}%)")
        real = [p for p, (cat, _n) in files.items() if cat == "real"]
        fp = sum(1 for p in real if p in hit)
        print(f"| {tool} | " + " | ".join(cells) + f" | {100 * tp_all / max(pos_all, 1):.1f}% | {fp}/{len(real)} |")
    fps = [files[p][1] for p in files if files[p][0] == "real" and p in flagged]
    misses = [files[p][1] for p in files if files[p][0] != "real" and p not in flagged]
    print("vetpy false positives:", ", ".join(fps) or "none")
    print(f"vetpy misses ({len(misses)}), first 40:", ", ".join(misses[:40]))


# -- 2 and 3. working code and speed -------------------------------------------------------------

def suites() -> tuple[Path, list[Path]]:
    python = venv("fpenv", tuple(f"{k}=={v}" for k, v in SUITES.items()) + SUITE_TEST_DEPS)
    sdists = WORK / "sdists"
    src = INPUTS / "src"
    dirs = []
    for name, version in SUITES.items():
        target = src / f"{name}-{version}"
        if not target.exists():
            sdists.mkdir(parents=True, exist_ok=True)
            archive = next(iter(sdists.glob(f"{name}-{version}.tar.gz")), None)
            if archive is None:
                subprocess.run([str(python), "-m", "pip", "download", "-q", "--no-binary", ":all:", "--no-deps",
                                "-d", str(sdists), f"{name}=={version}"], check=True)
                archive = next(iter(sdists.glob(f"{name}-{version}.tar.gz")))
            src.mkdir(parents=True, exist_ok=True)
            with tarfile.open(archive) as tar:
                tar.extractall(src, filter="data")
        dirs.append(target / "tests")
    return python, dirs


def count_lines(paths: list[Path]) -> int:
    return sum(len(p.read_text(encoding="utf-8", errors="replace").splitlines()) for d in paths for p in d.rglob("*.py"))


def bench_fp(python: Path, dirs: list[Path]) -> None:
    print("\n## 2. False positives on working code (test suites of the sdists)")
    print("| suite | Python lines | HAL003-005 findings | HAL001-002 findings | lines per HAL finding |\n|---|---|---|---|---|")
    total_lines = total = total_imports = 0
    all_findings = []
    for d in dirs:
        lines = count_lines([d])
        _secs, findings = vetpy_findings([d], python, WORK / "cache-fp")
        all_findings += findings
        mine = sum(1 for f in findings if f["code"] in ("HAL003", "HAL004", "HAL005"))
        imports = len(findings) - mine
        total_lines += lines
        total += mine
        total_imports += imports
        print(f"| {d.parent.name} | {lines} | {mine} | {imports} | {lines // len(findings) if findings else '-'} |")
    both = total + total_imports
    print(f"| all | {total_lines} | {total} | {total_imports} | {total_lines // both if both else '-'} |")
    for f in all_findings:
        rel = Path(f["path"]).resolve().relative_to((INPUTS / "src").resolve())
        print(f"- {rel}:{f['line']}: {f['code']} {f['message']}")


def bench_speed(python: Path, dirs: list[Path], peers: bool) -> None:
    print(f"\n## 3. Speed: whole-process wall time on the five test suites ({count_lines(dirs)} lines), one run")
    print("| checker | wall time (s) | errors reported |\n|---|---|---|")
    cache = WORK / "cache-speed"
    shutil.rmtree(cache, ignore_errors=True)
    env_dir = cache / "env"
    for label in ("vetpy cold", "vetpy warm"):
        secs, findings = vetpy_findings(dirs, python, cache, select="HAL")
        print(f"| {label} (HAL rules) | {secs:.2f} | {len(findings)} |")
    shutil.rmtree(env_dir, ignore_errors=True)
    if peers:
        for tool, label in (("pyrefly", "pyrefly --preset default"), ("ty", "ty"), ("pyright", "pyright")):
            secs, errs = peer_errors(tool, dirs, python)
            print(f"| {label} | {secs:.2f} | {len(errs)} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=("recall", "corpus", "fp", "speed"))
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--corpus-set", choices=("original", "blind", "all", "blind2", "blind3", "blind4", "blind5"), default="original",
                        help="which set of corpus_hal/ to score (default: original)")
    args = parser.parse_args()
    peers = not args.no_peers
    WORK.mkdir(exist_ok=True)
    sys.path.insert(0, str(HERE / "corpus_hal"))
    import verify  # noqa: E402  (corpus_hal/verify.py)

    verify.hold_inputs(INPUTS)
    if peers:
        venv("peers", PEERS)
    if args.only in (None, "recall"):
        support = runpy.run_path(str(REPO / "tests" / "test_hal_support.py"))
        bench_corpus(support["target_python"](), peers)
        bench_lhb(peers)
    if args.only in (None, "corpus"):
        corpus = runpy.run_path(str(HERE / "corpus_hal" / "bench.py"))
        corpus["report"](corpus["TOOLS"] if peers else ("vetpy",), args.corpus_set)
    if args.only in (None, "fp", "speed"):
        python, dirs = suites()
        if args.only in (None, "fp"):
            bench_fp(python, dirs)
        if args.only in (None, "speed"):
            bench_speed(python, dirs, peers)


if __name__ == "__main__":
    main()
