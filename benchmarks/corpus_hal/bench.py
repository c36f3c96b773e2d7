"""The independent hallucination corpus (benchmarks/corpus_hal/) scored for vetpy and the peers.

    python benchmarks/hal_bench.py --only corpus            # vetpy, pyright, pyrefly, ty, mypy
    python benchmarks/corpus_hal/bench.py [--no-peers] [--tools vetpy,ty] [--set original|blind|all|blind2|blind3|blind4|blind5]

``--set`` (see verify.py): ``original`` (the default, the first 486 + 82, comparable with earlier
runs), ``blind`` (the blind_*.py set alone) or ``all``.  Only the chosen set's files are given to
the checkers.

Only cases that verify.py proves (the case raises at its marked line; the valid function runs
cleanly) are scored.  A checker *detects* a case when it reports a finding on the marked line
(vetpy: any HAL finding; peers: any error).  A *false positive* is any such finding on a line of a
valid function, on an unmarked line of a case, or on a module-level line of a case file.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
WORK = REPO / "benchmarks" / ".work"
sys.path.insert(0, str(HERE))
import verify  # noqa: E402

# Same tuple as hal_bench.py (both write .work/peers/.pins).
PEERS = ("pyrefly==1.4.1", "ty==0.0.105", "pyright==1.1.414", "mypy==2.4.1")
TOOLS = ("vetpy", "pyright", "pyrefly", "ty", "mypy")
# pyright silently skips files under a dot-directory (.work), so the inputs are copied out.
INPUTS = Path(os.environ.get("VETPY_BENCH_INPUTS") or Path(tempfile.gettempdir()) / "vetpy-hal-bench") / "corpus_hal"
SHORT = {"version-drift": "drift", "other-library-idiom": "idiom", "invented-member": "member",
         "invented-keyword": "keyword", "arity": "arity", "stdlib-removed-or-newer-than-target": "stdlib"}

Finding = tuple[str, int, str]  # (resolved path, line, code)


def peers_bin() -> Path:
    path = WORK / "peers"
    marker = path / ".pins"
    if not (marker.exists() and marker.read_text() == "\n".join(PEERS)):
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(path)], check=True)
        subprocess.run([str(path / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check", *PEERS],
                       check=True)
        marker.write_text("\n".join(PEERS))
    return path / "bin"


def _run(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd, check=False)
    return time.perf_counter() - start, proc.stdout + "\n" + proc.stderr


def tool_findings(tool: str, root: Path, python: Path, version: str) -> tuple[float, list[Finding]]:
    """(wall seconds, findings) of one checker on the files under ``root``."""
    files = sorted(str(p) for p in root.glob("*.py"))
    bin_dir = WORK / "peers" / "bin"
    found: list[Finding] = []
    if tool == "vetpy":
        env = {**os.environ, "VETPY_CACHE_DIR": str(WORK / "cache-corpus-hal")}
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "vetpy", "check", "--python", str(python), "--select", "HAL",
                               "--format", "json", "--exit-zero", *files], capture_output=True, text=True, env=env,
                              check=False)
        secs = time.perf_counter() - start
        try:
            data = json.loads(proc.stdout)
        except ValueError:
            raise SystemExit(f"vetpy failed: {proc.stderr[-2000:]}")
        return secs, [(str(Path(f["path"]).resolve()), f["line"], f["code"]) for f in data]
    if tool == "pyright":
        secs, out = _run([str(bin_dir / "pyright"), "--pythonpath", str(python), "--pythonversion", version,
                          "--outputjson", *files], cwd=root)
        try:
            data = json.loads(out[: out.rfind("}") + 1])
        except ValueError:
            return secs, []
        return secs, [(str(Path(d["file"]).resolve()), d["range"]["start"]["line"] + 1, d.get("rule", ""))
                      for d in data.get("generalDiagnostics", []) if d.get("severity") == "error"]
    if tool == "ty":
        secs, out = _run([str(bin_dir / "ty"), "check", "--python", str(python), "--python-version", version,
                          "--output-format", "concise", *files], cwd=root)
        pattern = r"(.+?):(\d+):\d+: error\[([\w-]+)\]"
    elif tool == "pyrefly":
        secs, out = _run([str(bin_dir / "pyrefly"), "check", "--preset", "default", "--python-interpreter-path",
                          str(python), "--python-version", version, "--output-format", "min-text", *files], cwd=root)
        pattern = r"ERROR (.+?):(\d+):\d+-\S+: .*\[([\w-]+)\]$"
    elif tool == "mypy":
        # --check-untyped-defs: by default mypy skips the bodies of unannotated functions, i.e. most
        # cases.  import-untyped (an installed package without py.typed) is left out: it is about
        # stubs, not about the code, and would only add noise on import lines.
        secs, out = _run([str(bin_dir / "mypy"), "--python-executable", str(python), "--python-version", version,
                          "--check-untyped-defs",
                          "--no-error-summary", "--hide-error-context", "--no-pretty", "--show-error-codes",
                          "--disable-error-code", "import-untyped", "--cache-dir", str(WORK / "mypy-cache"), *files],
                         cwd=root)
        pattern = r"(.+?\.py):(\d+): error: .*\[([\w-]+)\]$"
    else:
        raise ValueError(tool)
    for line in out.splitlines():
        m = re.match(pattern, line.strip())
        if m:
            found.append((str((root / m.group(1)).resolve()), int(m.group(2)), m.group(3)))
    return secs, found


def score(cases: list[verify.Case], findings: dict[str, list[Finding]]) -> dict[str, dict]:
    """Per tool: detected case idents, false-positive findings (with where they fell)."""
    by_file: dict[str, list[verify.Case]] = defaultdict(list)
    for c in cases:
        by_file[str(c.copy_path)].append(c)
    out = {}
    for tool, found in findings.items():
        hit: set[str] = set()
        fps: list[tuple[str, str, int, str]] = []  # (ident or file, kind, line, code)
        for path, line, code in found:
            owners = [c for c in by_file.get(path, []) if c.start <= line <= c.end]
            owner = owners[0] if owners else None
            if owner is None:
                if path in by_file:
                    fps.append((Path(path).name + "::<module>", "module", line, code))
                continue
            if owner.kind == "case" and line == owner.marked:
                hit.add(owner.ident)
            else:
                fps.append((owner.ident, owner.kind, line, code))
        out[tool] = {"hit": hit, "fps": fps}
    return out


def prepare(cases: list[verify.Case], which: str = "original") -> dict[str, Path]:
    """Copy each env's files of the set out of the repository (no pyproject of ours, no dot-directory)."""
    roots = {}
    for env_dir in verify.envs():
        root = INPUTS / env_dir.name
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        (root / "pyproject.toml").write_text(f"[project]\nname = 'corpus-{env_dir.name}'\nversion = '0'\n")
        for path in verify.set_files(env_dir, which):
            shutil.copy(path, root / path.name)
        roots[env_dir.name] = root
    for c in cases:
        c.copy_path = (roots[c.env] / c.path.name).resolve()
    return roots


def report(tools: tuple[str, ...], which: str = "original") -> None:
    cases = verify.verify(which=which)
    proven = [c for c in cases if c.proven]
    roots = prepare(proven, which)
    findings: dict[str, list[Finding]] = {t: [] for t in tools}
    seconds: dict[str, float] = Counter()
    if any(t != "vetpy" for t in tools):
        peers_bin()
    for env_dir in verify.envs():
        if not verify.set_files(env_dir, which):
            continue
        python = verify.build_env(env_dir)
        version = ".".join((env_dir / "python-version").read_text().strip().split(".")[:2])
        for tool in tools:
            secs, found = tool_findings(tool, roots[env_dir.name], python, version)
            seconds[tool] += secs
            findings[tool] += found
    scored = score(proven, findings)
    hal = [c for c in proven if c.kind == "case"]
    valid = [c for c in proven if c.kind == "valid"]
    cats = [c for c in verify.CATEGORIES if any(h.category == c for h in hal)]
    print(f"\n## 1c. Independent corpus (benchmarks/corpus_hal, set {which}): {len(hal)} proven hallucinations in "
          f"{len({c.package for c in hal})} packages (stdlib counted once), {len(valid)} valid functions; "
          f"{sum(1 for c in cases if not c.proven)} unproven left out")
    print("Recall (finding on the marked line) per category; FP = findings on a valid function, an unmarked "
          "line of a case, or a module-level line.")
    print("| checker | " + " | ".join(f"{SHORT[c]} ({sum(h.category == c for h in hal)})" for c in cats)
          + f" | all ({len(hal)}) | valid functions flagged | FP findings (valid / case lines / module) | wall s |")
    print("|---|" + "---|" * (len(cats) + 4))
    for tool in tools:
        hit = scored[tool]["hit"]
        fps = scored[tool]["fps"]
        cells = []
        for cat in cats:
            pos = [h for h in hal if h.category == cat]
            tp = sum(h.ident in hit for h in pos)
            cells.append(f"{tp} ({100 * tp / max(len(pos), 1):.0f}%)")
        tp = sum(h.ident in hit for h in hal)
        flagged_valid = {f[0] for f in fps if f[1] == "valid"}
        kinds = Counter(f[1] for f in fps)
        print(f"| {tool} | " + " | ".join(cells) + f" | **{tp} ({100 * tp / max(len(hal), 1):.1f}%)** | "
              f"{len(flagged_valid)}/{len(valid)} | {kinds['valid']} / {kinds['case']} / {kinds['module']} | "
              f"{seconds[tool]:.1f} |")
    print("\nRecall by receiver kind (how the receiver of the hallucinated name was obtained):")
    kinds = sorted({h.receiver for h in hal}, key=lambda k: -sum(h.receiver == k for h in hal))
    print("| receiver | cases | " + " | ".join(tools) + " |\n|---|---|" + "---|" * len(tools))
    for kind in kinds:
        pos = [h for h in hal if h.receiver == kind]
        print(f"| {kind} | {len(pos)} | " + " | ".join(str(sum(h.ident in scored[t]['hit'] for h in pos)) for t in tools)
              + " |")
    print("\nRecall per package:")
    packages = sorted({h.package for h in hal}, key=lambda k: -sum(h.package == k for h in hal))
    print("| package | cases | " + " | ".join(tools) + " |\n|---|---|" + "---|" * len(tools))
    for package in packages:
        pos = [h for h in hal if h.package == package]
        print(f"| {package} | {len(pos)} | "
              + " | ".join(str(sum(h.ident in scored[t]['hit'] for h in pos)) for t in tools) + " |")
    if "vetpy" in tools:
        hit = scored["vetpy"]["hit"]
        peers_hit = {h.ident for t in tools if t != "vetpy" for h in hal if h.ident in scored[t]["hit"]}
        misses = [h for h in hal if h.ident not in hit]
        print(f"\nvetpy misses ({len(misses)}), by receiver kind; * = at least one peer detects it:")
        for kind in kinds:
            group = [h for h in misses if h.receiver == kind]
            if group:
                print(f"- {kind} ({len(group)}): " + ", ".join(
                    f"{h.path.stem.removeprefix('cases_')}::{h.name.removeprefix('case_')}"
                    + ("*" if h.ident in peers_hit else "") for h in group))
    anyone = {i for t in tools for i in scored[t]["hit"]}
    peers = [t for t in tools if t != "vetpy"]
    if peers:
        union = {i for t in peers for i in scored[t]["hit"]}
        print(f"\nunion of the peers: {len(union)}/{len(hal)}; detected by no checker: {len(hal) - len(anyone)}: "
              + ", ".join(f"{h.path.stem.removeprefix('cases_')}::{h.name.removeprefix('case_')}"
                          for h in hal if h.ident not in anyone))
    for tool in tools:
        fps = scored[tool]["fps"]
        if fps:
            shown = "; ".join(f"{ident}:{line} {code}" for ident, _k, line, code in fps[:25])
            print(f"{tool} false positives ({len(fps)}){', first 25' if len(fps) > 25 else ''}: {shown}")
        else:
            print(f"{tool} false positives: none")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--tools", default=",".join(TOOLS))
    parser.add_argument("--set", choices=verify.SETS, default="original", dest="which",
                        help="original (default: cases_*/valid_*), blind (blind_*), all (both), blind2 (blind2_*), blind3 (blind3_*), blind4 (blind4_*) or blind5 (blind5_*)")
    args = parser.parse_args()
    tools = ("vetpy",) if args.no_peers else tuple(t for t in args.tools.split(",") if t)
    verify.hold_inputs(INPUTS.parent)
    report(tools, args.which)


if __name__ == "__main__":
    main()
