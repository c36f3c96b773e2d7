"""EDGE benchmark: recall on labelled fixtures and findings per 1,000 lines on well-kept code,
side by side with ruff's and semgrep's nearest rules, in the same run.

    python benchmarks/edge_bench.py               # print the tables (markdown)
    python benchmarks/edge_bench.py --samples 5   # also print 5 random findings per rule
    python benchmarks/edge_bench.py --semgrep-rules DIR   # semgrep-rules' python/ tree (see semgrep_peer.py)

semgrep runs only the rule files of ``SEMGREP_NEAREST`` (as ruff runs only ``RUFF_SELECT``);
without semgrep or its rules the run says so and leaves the semgrep columns out.

Corpora: ``fixtures/edge/*.py`` (lines marked ``# expect: EDGE0xx`` must be reported; any other
EDGE finding there counts as a false positive), the installed standard library (without its
test suites), and the library sources of the requests 2.32.3, flask 3.1.0 and httpx 0.28.1
sdists, downloaded into ``benchmarks/.work/`` (git-ignored) on first use, and (one more column)
the test suites shipped in those three sdists.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from vetpy.context import AnalysisContext
from vetpy.document import Document, decode_source
from vetpy.engine import analyze
from vetpy.findings import Finding
from vetpy.rules import REGISTRY, load_all

import semgrep_peer

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work"
FIXTURES = ROOT / "fixtures" / "edge"
SDISTS = {
    "requests": ("2.32.3", "src/requests"),
    "flask": ("3.1.0", "src/flask"),
    "httpx": ("0.28.1", "httpx"),
}
STDLIB_SKIP = {"test", "tests", "idle_test", "site-packages", "dist-packages", "__pycache__", "lib2to3"}

# ruff rules nearest to each EDGE rule (a ruff finding on an expected line counts as a hit)
NEAREST: dict[str, tuple[str, ...]] = {
    "EDGE001": ("E722", "S110", "S112", "BLE001"),
    "EDGE002": ("S110", "S112", "BLE001"),
    "EDGE003": ("S113",),
    "EDGE004": (),
    "EDGE005": ("FURB129",),
    "EDGE006": (),
    "EDGE007": (),
    "EDGE008": ("RUF032",),
    "EDGE009": (),
    "EDGE010": (),
    "EDGE011": (),
    "EDGE012": (),
    "EDGE013": ("ASYNC",),
    "EDGE014": ("B006",),
    "EDGE021": ("B006",),
    "EDGE015": ("S101",),
    "EDGE016": ("DTZ003", "DTZ004"),
    "EDGE017": ("DTZ001", "DTZ002", "DTZ005", "DTZ006"),
    "EDGE020": (),
    "EDGE040": ("S110", "S112"),
}
RUFF_SELECT = [
    "E722",
    "S110",
    "S112",
    "S113",
    "BLE001",
    "B006",
    "DTZ",
    "ASYNC",
    "PERF",
    "FURB129",
    "RUF032",
    "S101",
]
RUFF_GROUPS = RUFF_SELECT  # findings are reported per selected code or prefix
# semgrep-rules' rules nearest to each EDGE rule (python/ tree; none for the rules not listed)
SEMGREP_NEAREST: dict[str, tuple[str, ...]] = {
    "EDGE003": ("python.requests.best-practice.use-timeout",),
    "EDGE007": ("python.django.correctness.use-decimalfield-for-money",),
    "EDGE013": ("python.lang.correctness.sync-sleep-in-async-code",),
    "EDGE014": (
        "python.lang.correctness.common-mistakes.default-mutable-dict",
        "python.lang.correctness.common-mistakes.default-mutable-list",
        "python.attr.correctness.attr-mutable-initializer",
    ),
}
SEMGREP_NEAREST["EDGE021"] = SEMGREP_NEAREST["EDGE014"]
SEMGREP_CONFIGS = [
    "python/requests/best-practice/use-timeout.yaml",
    "python/django/correctness/use-decimalfield-for-money.yaml",
    "python/lang/correctness/sync-sleep-in-async-code.yaml",
    "python/lang/correctness/common-mistakes/default-mutable-dict.yaml",
    "python/lang/correctness/common-mistakes/default-mutable-list.yaml",
    "python/attr/correctness/mutable-initializer.yaml",
]
SEMGREP_GROUPS = [rule for rules in SEMGREP_NEAREST.values() for rule in rules]
PEER_SEMGREP: semgrep_peer.Semgrep | None = None  # set by main() when semgrep and its rules are here
EXPECT = re.compile(r"#\s*expect:\s*(.*)$")


# -- corpora ---------------------------------------------------------------------------------
def ensure_sdists() -> dict[str, list[Path]]:
    """Library sources per sdist, plus one corpus with the three test suites."""
    WORK.mkdir(parents=True, exist_ok=True)
    roots: dict[str, list[Path]] = {}
    tests: list[Path] = []
    for name, (version, inner) in SDISTS.items():
        tree = WORK / f"{name}-{version}"
        if not tree.is_dir():
            archive = WORK / f"{name}-{version}.tar.gz"
            if not archive.exists():
                subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "pip",
                        "download",
                        "-q",
                        "--no-deps",
                        "--no-binary",
                        ":all:",
                        f"{name}=={version}",
                        "-d",
                        str(WORK),
                    ],
                    check=True,
                )
            with tarfile.open(archive) as tar:
                tar.extractall(WORK, filter="data")
        roots[f"{name} {version}"] = py_files(tree / inner)
        tests += py_files(tree / "tests")
    roots["their test suites"] = tests
    return roots


def stdlib_files() -> list[Path]:
    base = Path(sysconfig.get_paths()["stdlib"])
    return sorted(p for p in base.rglob("*.py") if not (set(p.relative_to(base).parts[:-1]) & STDLIB_SKIP))


def py_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)


# -- tools ----------------------------------------------------------------------------------
def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the introspection worker is
    counted once it exits, see ``close_context``)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_vetpy(files: list[Path], ctx: AnalysisContext) -> tuple[list[Finding], int, float, dict[str, str]]:
    findings: list[Finding] = []
    lines = 0
    texts: dict[str, str] = {}
    start = time.perf_counter()
    for path in files:
        try:
            text = decode_source(path.read_bytes())
        except (OSError, ValueError):
            continue
        lines += text.count("\n") + 1
        texts[str(path)] = text
        findings += [f for f in analyze(Document(str(path), text), ctx) if f.code.startswith("EDGE")]
    return findings, lines, time.perf_counter() - start, texts


def ruff_binary() -> str:
    local = Path(sys.executable).parent / "ruff"
    found = str(local) if local.exists() else shutil.which("ruff")
    if not found:
        sys.exit("ruff not found: pip install ruff==0.17.6")
    return found


def run_ruff(paths: list[Path]) -> tuple[list[dict], float]:
    start = time.perf_counter()
    out: list[dict] = []
    for chunk in range(0, len(paths), 500):
        proc = subprocess.run(
            [
                ruff_binary(),
                "check",
                "--isolated",
                "--no-cache",
                "--exit-zero",
                "--output-format",
                "json",
                "--select",
                ",".join(RUFF_SELECT),
                *map(str, paths[chunk : chunk + 500]),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        out += json.loads(proc.stdout or "[]")
    return out, time.perf_counter() - start


def run_semgrep(paths: list[Path]) -> tuple[list[dict], float]:
    """semgrep's nearest rules on ``paths`` (nothing when semgrep is not here)."""
    if PEER_SEMGREP is None:
        return [], 0.0
    start = time.perf_counter()
    out = PEER_SEMGREP.run(paths, SEMGREP_CONFIGS)
    for note in PEER_SEMGREP.skipped:
        print(f"semgrep: {note}", file=sys.stderr)
    return out, time.perf_counter() - start


def ruff_group(code: str) -> str:
    return next((g for g in RUFF_GROUPS if code.startswith(g)), code)


# -- tables ---------------------------------------------------------------------------------
def fixtures_table(ctx: AnalysisContext) -> tuple[list[str], Counter]:
    files = sorted(FIXTURES.glob("*.py"))
    expected: set[tuple[str, int, str]] = set()
    for path in files:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            m = EXPECT.search(line)
            if m:
                expected |= {(str(path), number, code) for code in re.findall(r"EDGE\d{3}", m.group(1))}
    findings, lines, _, _ = run_vetpy(files, ctx)
    got = {(f.path, f.line, f.code) for f in findings}
    ruff, _ = run_ruff(files)
    ruff_lines = defaultdict(set)
    for item in ruff:
        ruff_lines[(str(Path(item["filename"]).resolve()), item["location"]["row"])].add(item["code"])
    semgrep, _ = run_semgrep(files)
    semgrep_lines = defaultdict(set)
    for item in semgrep:
        for n in range(item["start"]["line"], item["end"]["line"] + 1):
            semgrep_lines[(item["path"], n)].add(item["check_id"])
    # semgrep's mutable-default rules report the mutation in the body, not the parameter: a
    # finding inside a function counts on the function's ``def`` line too
    defs_around: dict[tuple[str, int], set[int]] = defaultdict(set)
    for path in files:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno:
                key = str(path.resolve())
                for n in range(node.lineno + 1, node.end_lineno + 1):
                    defs_around[(key, n)].add(node.lineno)
                    semgrep_lines[(key, node.lineno)] |= {
                        rule for rule in semgrep_lines.get((key, n), ()) if rule in SEMGREP_NEAREST["EDGE014"]
                    }
    rows = [
        "| rule | expected | vetpy found | vetpy false pos. | ruff nearest | ruff found |"
        + (" semgrep nearest | semgrep found |" if PEER_SEMGREP else ""),
        "|---|---:|---:|---:|---|---:|" + ("---|---:|" if PEER_SEMGREP else ""),
    ]
    totals = Counter()
    for code in sorted(NEAREST):
        exp = {e for e in expected if e[2] == code}
        hit = len(exp & got)
        fp = len({g for g in got if g[2] == code} - exp)
        near = NEAREST[code]
        rhit = (
            sum(
                1
                for p, n, _ in exp
                if any(c.startswith(near) for c in ruff_lines[(str(Path(p).resolve()), n)])
            )
            if near
            else 0
        )
        snear = SEMGREP_NEAREST.get(code, ())
        shit = sum(1 for p, n, _ in exp if semgrep_lines[(str(Path(p).resolve()), n)] & set(snear))
        totals.update(expected=len(exp), hit=hit, fp=fp, rhit=rhit, shit=shit)
        row = f"| {code} {REGISTRY.rules[code].name} | {len(exp)} | {hit} | {fp} | {', '.join(near) or '-'} | {rhit if near else '-'} |"
        if PEER_SEMGREP:
            row += f" {', '.join(r.rsplit('.', 1)[-1] for r in snear) or '-'} | {shit if snear else '-'} |"
        rows.append(row)
    total = (
        f"| **total** ({len(files)} files, {lines} lines) | {totals['expected']} | {totals['hit']} "
        f"({100 * totals['hit'] / max(totals['expected'], 1):.0f}%) | {totals['fp']} | | {totals['rhit']} "
        f"({100 * totals['rhit'] / max(totals['expected'], 1):.0f}%) |"
    )
    if PEER_SEMGREP:
        total += f" | {totals['shit']} ({100 * totals['shit'] / max(totals['expected'], 1):.0f}%) |"
    rows.append(total)
    ruff_fp = sum(
        1
        for item in ruff
        if not any(
            (str(Path(item["filename"]).resolve()), item["location"]["row"]) == (str(Path(p).resolve()), n)
            for p, n, _ in expected
        )
    )
    rows.append("")
    rows.append(
        f"ruff's selected rules also reported {ruff_fp} findings on fixture lines that carry no expectation "
        f"(look-alikes), of {len(ruff)} in total."
    )
    if PEER_SEMGREP:
        expected_lines = {(str(Path(p).resolve()), n) for p, n, _ in expected}
        semgrep_fp = sum(
            1
            for item in semgrep
            if not any((item["path"], n) in expected_lines for n in range(item["start"]["line"], item["end"]["line"] + 1))
            and not (
                item["check_id"] in SEMGREP_NEAREST["EDGE014"]
                and any((item["path"], d) in expected_lines for d in defs_around[(item["path"], item["start"]["line"])])
            )
        )
        rows.append(
            f"semgrep's nearest rules ({PEER_SEMGREP.describe()}) reported {semgrep_fp} findings on fixture lines that "
            f"carry no expectation, of {len(semgrep)} in total."
        )
    return rows, totals


def real_code_tables(ctx: AnalysisContext, samples: int) -> list[str]:
    corpora: dict[str, list[Path]] = {"stdlib " + sys.version.split()[0]: stdlib_files()}
    corpora.update(ensure_sdists())
    per_rule: dict[str, Counter] = defaultdict(Counter)
    per_ruff: dict[str, Counter] = defaultdict(Counter)
    per_semgrep: dict[str, Counter] = defaultdict(Counter)
    lines_by: dict[str, int] = {}
    time_by: dict[str, tuple[float, ...]] = {}
    files_with: dict[str, Counter] = defaultdict(Counter)
    all_findings: list[tuple[Finding, str]] = []
    for label, files in corpora.items():
        cpu = time.process_time()
        findings, lines, vt, texts = run_vetpy(files, ctx)
        vcpu = time.process_time() - cpu
        ruff, rt = run_ruff(files)
        semgrep, st = run_semgrep(files)
        lines_by[label] = lines
        time_by[label] = (vt, vcpu, rt, st) if PEER_SEMGREP else (vt, vcpu, rt)
        for item in semgrep:
            per_semgrep[item["check_id"]][label] += 1
        for f in findings:
            per_rule[f.code][label] += 1
            all_findings.append((f, texts[f.path]))
        for code in {f.code for f in findings}:
            files_with[code][label] = len({f.path for f in findings if f.code == code})
        for item in ruff:
            per_ruff[ruff_group(item["code"])][label] += 1
    labels = list(corpora)
    total_lines = sum(lines_by.values())
    head = "| rule | " + " | ".join(labels) + " | all: findings | per kLOC |"
    sep = "|---|" + "---:|" * (len(labels) + 2)
    rows = ["Lines: " + ", ".join(f"{k} {v:,} ({len(corpora[k])} files)" for k, v in lines_by.items()), ""]
    rows += ["vetpy EDGE (findings per corpus):", "", head, sep]
    for code in sorted(NEAREST):
        n = sum(per_rule[code].values())
        rows.append(
            f"| {code} {REGISTRY.rules[code].name} | "
            + " | ".join(str(per_rule[code][label]) for label in labels)
            + f" | {n} | {1000 * n / total_lines:.3f} |"
        )
    n = sum(sum(c.values()) for c in per_rule.values())
    rows.append(
        "| **EDGE total** | "
        + " | ".join(str(sum(per_rule[c][label] for c in per_rule)) for label in labels)
        + f" | {n} | {1000 * n / total_lines:.3f} |"
    )
    peers = [("ruff 0.17.6", RUFF_GROUPS, per_ruff)]
    if PEER_SEMGREP:
        peers.append((PEER_SEMGREP.describe(), SEMGREP_GROUPS, per_semgrep))
    for title, groups, counts in peers:
        rows += ["", f"{title}, nearest rules (same files, same run):", "", head, sep]
        for group in groups:
            n = sum(counts[group].values())
            rows.append(
                f"| {group} | "
                + " | ".join(str(counts[group][label]) for label in labels)
                + f" | {n} | {1000 * n / total_lines:.3f} |"
            )
    rows += [
        "",
        "Time (s), vetpy EDGE wall / vetpy CPU (this process) / ruff wall"
        + (" / semgrep wall: " if PEER_SEMGREP else ": ")
        + ", ".join(f"{k} " + " / ".join(f"{x:.1f}" for x in v) for k, v in time_by.items()),
    ]
    if samples:
        rng = random.Random(7)
        rows += ["", "Samples:"]
        by_code: dict[str, list[tuple[Finding, str]]] = defaultdict(list)
        for f, text in all_findings:
            by_code[f.code].append((f, text))
        for code in sorted(by_code):
            picked = rng.sample(by_code[code], min(samples, len(by_code[code])))
            for f, text in picked:
                line = text.splitlines()[f.line - 1].strip() if f.line - 1 < len(text.splitlines()) else ""
                rows.append(f"  {code} {f.path}:{f.line}: {line[:110]}  -- {f.message[:80]}")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=0, help="print N random real-code findings per rule")
    parser.add_argument("--fixtures-only", action="store_true")
    parser.add_argument("--bare", action="store_true", help="no target environment (static rules only)")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if fixture recall < 95%% or any fixture false positive"
    )
    semgrep_peer.add_arguments(parser)
    args = parser.parse_args()
    load_all()
    global PEER_SEMGREP
    PEER_SEMGREP = semgrep_peer.from_arguments(args)
    ctx = edge_context(args.bare)
    mode = "bare (no environment)" if ctx.environment is None else f"against {ctx.environment.python}"
    print(f"Context: {mode}; load average at start {os.getloadavg()[0]:.2f}\n")
    started_wall, started_cpu = time.perf_counter(), cpu_seconds()
    print("## Recall on labelled fixtures (fixtures/edge)\n")
    rows, totals = fixtures_table(ctx)
    print("\n".join(rows))
    if args.check and (totals["hit"] < 0.95 * totals["expected"] or totals["fp"]):
        sys.exit(
            f"EDGE fixture check failed: {totals['hit']}/{totals['expected']} found, {totals['fp']} false positives"
        )
    if not args.fixtures_only:
        print("\n## Findings on well-kept code\n")
        print("\n".join(real_code_tables(ctx, args.samples)))
    close_context(ctx)
    print(
        f"\nWhole run: {time.perf_counter() - started_wall:.1f} s wall, {cpu_seconds() - started_cpu:.1f} s CPU "
        f"(vetpy, ruff{', semgrep' if PEER_SEMGREP else ''} and the introspection worker); load average at the end {os.getloadavg()[0]:.2f}"
    )


def edge_context(bare: bool) -> AnalysisContext:
    """The EDGE rules against the interpreter running the benchmark (its standard library, typeshed
    stubs from jedi), so that EDGE009 also judges installed functions; bare when asked or when the
    environment can't be built."""
    if not bare:
        from vetpy.project import build_context

        root = WORK / "context-root"  # no pyproject.toml: vetpy's own per-file-ignores must not apply
        root.mkdir(parents=True, exist_ok=True)
        setup = build_context(root, python=sys.executable, settings={"select": ["EDGE"]})
        if setup.ctx.environment is not None:
            return setup.ctx
        print("environment unavailable, running bare:", "; ".join(setup.problems))
    return AnalysisContext.bare(ROOT, select=["EDGE"])


def close_context(ctx: AnalysisContext) -> None:
    members = ctx.members
    if members is not None:
        members.close()


if __name__ == "__main__":
    main()
