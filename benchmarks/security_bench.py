"""Security benchmark: vetpy SEC rules against bandit, ruff (--select S) and semgrep, in one run.

    .venv/bin/python benchmarks/security_bench.py [--no-speed] [--bandit-examples DIR]
        [--ruff-fixtures DIR] [--detect-secrets DIR] [--stdlib DIR] [--show-misses]
        [--semgrep-rules DIR] [--semgrep BINARY] [--no-semgrep]

1. Recall and false positives per category on labelled input:
   - ``fixtures/security/*.py``: ``# expect: SEC0NN`` marks each line a careful reviewer would
     require to change; ``*_safe.py`` files hold look-alikes that must stay silent.
   - optionally bandit's ``examples/`` directory (``--bandit-examples``, from a checkout of
     PyCQA/bandit; not redistributed here) with the labels in
     ``benchmarks/security_bandit_labels.json`` ({file: {line: category}}).
   - optionally ruff's flake8-bandit fixtures (``--ruff-fixtures``: the directory
     ``crates/ruff_linter/resources/test/fixtures/flake8_bandit`` of astral-sh/ruff) with the labels
     in ``benchmarks/security_ruff_labels.json`` (same format; commits per file inside).
   - optionally detect-secrets' plugin test strings (``--detect-secrets``: a checkout of
     Yelp/detect-secrets) with ``benchmarks/security_detect_secrets_labels.json`` ({file: {line of
     a string literal: provider | secret | not}}).  Each string is written into a generated module
     twice, ``auth_token = "..."`` (a secret-like name every tool knows) and ``value = "..."``: a
     ``provider`` string is a secret under both names, a ``secret`` string under the secret-like
     name only, a ``not`` string under neither.  The generated files go to ``benchmarks/.work/``.
   A tool detects a labelled line when one of its findings of that category covers the line.
   A finding of a category on a line without that category's label is a false positive
   (counted once per line).  bandit/ruff rules that only flag imports (B4xx, S4xx), missing
   timeouts, partial executable paths and "subprocess call, check for untrusted input"
   (B603/B606/B607, S603/S606/S607) have no category and are not counted either way.
   semgrep runs the python/ tree of semgrep/semgrep-rules (``--semgrep-rules``, see
   ``benchmarks/semgrep_peer.py``); its rules are mapped to categories by
   ``benchmarks/security_semgrep_rules.json`` (by each rule's CWE; rules not listed are not
   counted).  Without semgrep or its rules, the run says so and leaves the semgrep columns out.
2. Speed: whole-process wall time and CPU time over the installed standard library, the same
   files for every tool, run one after another.
3. vetpy's own findings per 1,000 lines on the standard library and on ``server/vetpy``.

Prints Markdown tables (copied into ``benchmarks/security.md``).
"""

from __future__ import annotations

import argparse
import ast
import collections
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path
from typing import Any, Iterator

import semgrep_peer

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "security"
BANDIT_LABELS = ROOT / "benchmarks" / "security_bandit_labels.json"
RUFF_LABELS = ROOT / "benchmarks" / "security_ruff_labels.json"
DETECT_SECRETS_LABELS = ROOT / "benchmarks" / "security_detect_secrets_labels.json"
SEMGREP_RULES = ROOT / "benchmarks" / "security_semgrep_rules.json"
WORK = ROOT / "benchmarks" / ".work"
BIN = Path(sys.executable).parent

CATEGORIES = {
    "sql": "SQL injection (CWE-89)",
    "command": "command injection (CWE-78)",
    "code": "code/template injection (CWE-94/1336)",
    "deserialization": "unsafe deserialization (CWE-502)",
    "tls": "TLS verification (CWE-295)",
    "jwt": "JWT verification (CWE-347)",
    "random": "insecure random (CWE-338)",
    "hashing": "weak password hash (CWE-916)",
    "secrets": "hard-coded secrets (CWE-798)",
    "exposure": "error/debug exposure (CWE-209/489)",
    "web": "XSS/path/SSRF/redirect (CWE-79/22/918/601)",
    "misc": "mktemp/chmod/XML (CWE-377/732/611)",
    "authz": "token claims / missing authorization (CWE-285/862)",
    "validation": "length-only validation (CWE-20)",
    "archive": "tar extraction without filter (CWE-22)",
    "timing": "timing-unsafe secret compare (CWE-208)",
    "cors": "CORS any origin with credentials (CWE-942)",
    "storage": "public cloud storage ACL (CWE-732)",
    "cookie": "session cookie without HttpOnly/Secure (CWE-1004/614)",
    "logging": "secret written to a log (CWE-532)",
    "csrf": "CSRF exemption on a session view (CWE-352)",
    "nosql": "NoSQL operator/JavaScript injection (CWE-943)",
}
VETPY = {
    "SEC001": "sql", "SEC002": "command", "SEC003": "code", "SEC004": "code", "SEC005": "deserialization",
    "SEC006": "tls", "SEC007": "jwt", "SEC008": "random", "SEC009": "hashing", "SEC010": "secrets",
    "SEC011": "exposure", "SEC012": "exposure", "SEC013": "exposure", "SEC014": "web", "SEC015": "web",
    "SEC016": "web", "SEC017": "web", "SEC018": "misc", "SEC019": "misc", "SEC020": "misc",
    "SEC021": "authz", "SEC022": "validation", "SEC023": "authz", "SEC024": "sql", "SEC025": "command",
    "SEC026": "archive", "SEC027": "timing", "SEC028": "cors", "SEC029": "storage", "SEC030": "cookie",
    "SEC031": "logging", "SEC032": "csrf", "SEC033": "secrets", "SEC041": "nosql",
}
_PEER = {
    "sql": ["608", "610", "611"],
    "command": ["602", "604", "605", "609"],
    "code": ["102", "307"],
    "deserialization": ["301", "302", "506", "614"],
    "tls": ["501", "323"],
    "random": ["311"],
    "hashing": ["303", "324"],
    "secrets": ["105", "106", "107"],
    "exposure": ["201", "104"],
    "web": ["308", "310", "701", "702", "703", "704"],
    "archive": ["202"],
    "misc": ["306", "103", "313", "314", "315", "316", "317", "318", "319", "320"],
}
BANDIT = {f"B{n}": cat for cat, nums in _PEER.items() for n in nums}
RUFF = {f"S{n}": cat for cat, nums in _PEER.items() for n in nums}
SEMGREP = {k: v for k, v in json.loads(SEMGREP_RULES.read_text()).items() if not k.startswith("_")}
LABEL_RE = re.compile(r"#\s*expect:\s*(SEC\d{3}(?:\s*,\s*SEC\d{3})*)")  # one line may hold two defects
PEER_SEMGREP: semgrep_peer.Semgrep | None = None  # set by main() when semgrep and its rules are here


# -- findings of each tool: {(file, category): [(start_line, end_line)]} -----------------------

Spans = dict[tuple[str, str], list[tuple[int, int]]]


def run_vetpy(files: list[Path]) -> Spans:
    sys.path.insert(0, str(ROOT / "server"))
    from vetpy.context import AnalysisContext
    from vetpy.engine import check_source

    ctx = AnalysisContext.bare(select=["SEC"])
    spans: Spans = collections.defaultdict(list)
    for path in files:
        for f in check_source(path.read_text(encoding="utf-8"), path=str(path), ctx=ctx):
            if f.code in VETPY:
                spans[(str(path.resolve()), VETPY[f.code])].append((f.line, f.end_line))
    return spans


def run_bandit(files: list[Path]) -> Spans:
    out = subprocess.run(
        [str(BIN / "bandit"), "-f", "json", "-q", *map(str, files)], capture_output=True, text=True, check=False
    )
    spans: Spans = collections.defaultdict(list)
    for r in json.loads(out.stdout)["results"]:
        cat = BANDIT.get(r["test_id"])
        if cat:
            lines = r.get("line_range") or [r["line_number"]]
            spans[(str(Path(r["filename"]).resolve()), cat)].append((min(lines), max(lines)))
    return spans


def run_ruff(files: list[Path]) -> Spans:
    out = subprocess.run(
        [str(BIN / "ruff"), "check", "--select", "S", "--output-format", "json", "--no-cache", "--isolated", "--exit-zero", *map(str, files)],
        capture_output=True, text=True, check=False,
    )
    spans: Spans = collections.defaultdict(list)
    for r in json.loads(out.stdout):
        cat = RUFF.get(r["code"] or "")
        if cat:
            spans[(str(Path(r["filename"]).resolve()), cat)].append((r["location"]["row"], r["end_location"]["row"]))
    return spans


def run_semgrep(files: list[Path]) -> Spans:
    assert PEER_SEMGREP is not None
    spans: Spans = collections.defaultdict(list)
    uncounted: collections.Counter[str] = collections.Counter()
    for r in PEER_SEMGREP.run(files):
        cat = SEMGREP.get(r["check_id"])
        if cat:
            spans[(r["path"], cat)].append((r["start"]["line"], r["end"]["line"]))
        else:
            uncounted[r["check_id"]] += 1
    for note in PEER_SEMGREP.skipped:
        print(f"semgrep: {note}", file=sys.stderr)
    if uncounted:
        print(f"semgrep findings of rules without a category (not counted): {dict(uncounted.most_common())}", file=sys.stderr)
    return spans


# -- labels and scoring ------------------------------------------------------------------------


def fixture_labels() -> tuple[list[Path], dict[tuple[str, str], set[int]]]:
    files = sorted(FIXTURES.glob("*.py"))
    labels: dict[tuple[str, str], set[int]] = collections.defaultdict(set)
    for path in files:
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            m = LABEL_RE.search(line)
            for code in re.split(r"\s*,\s*", m.group(1)) if m else ():
                labels[(str(path.resolve()), VETPY[code])].add(no)
    return files, labels


def labelled_files(directory: Path, table: dict[str, Any]) -> Iterator[tuple[str, Path, dict[str, str]]]:
    """(key, file, its entries) of a labels table whose keys are paths under ``directory`` (keys
    starting with ``_`` are notes; a missing file is skipped with a warning)."""
    for name, entries in table.items():
        if name.startswith("_"):
            continue
        path = directory / name
        if not path.exists():
            print(f"warning: {path} missing; skipped", file=sys.stderr)
            continue
        yield name, path, entries


def directory_labels(directory: Path, table_path: Path) -> tuple[list[Path], dict[tuple[str, str], set[int]]]:
    """Files of a third-party directory and their labels ({file: {line: category}}; keys
    starting with ``_`` are notes)."""
    files: list[Path] = []
    labels: dict[tuple[str, str], set[int]] = collections.defaultdict(set)
    for _, path, lines in labelled_files(directory, json.loads(table_path.read_text())):
        files.append(path)
        for line, cat in lines.items():
            labels[(str(path.resolve()), cat)].add(int(line))
    return files, labels


def detect_secrets_cases(directory: Path) -> dict[str, tuple[list[Path], dict[tuple[str, str], set[int]]]]:
    """Generate the two modules (secret-like names, plain names) from detect-secrets' test strings."""
    table = json.loads(DETECT_SECRETS_LABELS.read_text())
    WORK.mkdir(exist_ok=True)
    result = {}
    for kind, name, wanted in (("secret-like name", "auth_token", {"provider", "secret"}), ("plain name", "value", {"provider"})):
        path = WORK / f"detect_secrets_{name}.py"
        out = ["# generated by benchmarks/security_bench.py from Yelp/detect-secrets tests/plugins; not for commit"]
        labelled: set[int] = set()
        for rel, source, entries in labelled_files(directory, table):
            strings: dict[int, ast.Constant] = {}
            for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and (
                    node.lineno not in strings or node.col_offset < strings[node.lineno].col_offset
                ):
                    strings[node.lineno] = node
            for line, label in entries.items():
                out.append(f"{name} = {strings[int(line)].value!r}  # {rel}:{line} {label}")
                if label in wanted:
                    labelled.add(len(out))
        path.write_text("\n".join(out) + "\n", encoding="utf-8")
        result[kind] = ([path], {(str(path.resolve()), "secrets"): labelled})
    return result


def score(spans: Spans, labels: dict[tuple[str, str], set[int]], files: list[Path]) -> dict[str, tuple[int, int, int]]:
    """Per category: (labelled lines, detected, false-positive lines)."""
    names = {str(p.resolve()) for p in files}
    result: dict[str, list[int]] = {cat: [0, 0, 0] for cat in CATEGORIES}
    for (path, cat), lines in labels.items():
        found = spans.get((path, cat), [])
        result[cat][0] += len(lines)
        result[cat][1] += sum(1 for ln in lines if any(a <= ln <= b for a, b in found))
    for (path, cat), found in spans.items():
        if path not in names:
            continue
        wanted = labels.get((path, cat), set())
        fp_lines = {a for a, b in found if not any(a <= ln <= b for ln in wanted)}
        result[cat][2] += len(fp_lines)
    return {cat: (n, d, fp) for cat, (n, d, fp) in result.items()}


def show_misses(spans: Spans, labels: dict[tuple[str, str], set[int]], files: list[Path]) -> None:
    """Print vetpy's missed labelled lines and false-positive lines (to stderr) with their text."""
    names = {str(p.resolve()) for p in files}
    rows = []
    for (path, cat), lines in labels.items():
        found = spans.get((path, cat), [])
        rows += [(path, ln, cat, "missed") for ln in lines if not any(a <= ln <= b for a, b in found)]
    for (path, cat), found in spans.items():
        wanted = labels.get((path, cat), set())
        if path in names:
            rows += [(path, a, cat, "false positive") for a, b in found if not any(a <= ln <= b for ln in wanted)]
    for path, ln, cat, kind in sorted(set(rows)):
        text = Path(path).read_text(encoding="utf-8").splitlines()[ln - 1].strip()
        print(f"vetpy {kind}: {Path(path).name}:{ln} [{cat}] {text}", file=sys.stderr)


def quality_table(title: str, files: list[Path], labels: dict[tuple[str, str], set[int]], misses: bool = False) -> str:
    tools = {"vetpy": run_vetpy(files), "bandit": run_bandit(files), "ruff S": run_ruff(files)}
    if PEER_SEMGREP is not None:
        tools["semgrep"] = run_semgrep(files)
    if misses:
        show_misses(tools["vetpy"], labels, files)
    scores = {name: score(spans, labels, files) for name, spans in tools.items()}
    head = "| category | labelled | " + " | ".join(f"{t} recall | {t} FP" for t in tools) + " |"
    rows = [f"### {title}", "", head, "|" + "---|" * (2 + 2 * len(tools))]
    totals = {t: [0, 0, 0] for t in tools}
    for cat, label in CATEGORIES.items():
        n = scores["vetpy"][cat][0]
        cells = []
        for t in tools:
            _, d, fp = scores[t][cat]
            totals[t][0] += n
            totals[t][1] += d
            totals[t][2] += fp
            cells.append(f"{d}/{n} ({d / n:.2f})" if n else "-")
            cells.append(str(fp))
        if n or any(scores[t][cat][2] for t in tools):
            rows.append(f"| {label} | {n} | " + " | ".join(cells) + " |")
    cells = []
    for t in tools:
        n, d, fp = totals[t]
        precision = d / (d + fp) if d + fp else 0.0
        cells += [f"**{d}/{n} ({d / n:.2f})**", f"**{fp}** (precision {precision:.2f})"]
    rows.append(f"| **all** | {totals['vetpy'][0]} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


# -- speed -------------------------------------------------------------------------------------


def stdlib_files(stdlib: Path) -> list[Path]:
    return sorted(p for p in stdlib.rglob("*.py") if "site-packages" not in p.parts)


def timed(cmd: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """Wall and CPU seconds of a child process (and of its own children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    env = {**os.environ, **semgrep_peer.ENV}
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, cwd=cwd, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


VETPY_RUNNER = """
import sys
sys.path.insert(0, sys.argv[1])
from vetpy.context import AnalysisContext
from vetpy.document import decode_source
from vetpy.engine import check_source
ctx = AnalysisContext.bare(select=["SEC", "SYN"])
count = 0
for name in open(sys.argv[2]).read().splitlines():
    try:
        text = decode_source(open(name, "rb").read())
    except (ValueError, OSError):
        continue
    count += sum(1 for f in check_source(text, path=name, ctx=ctx) if f.code.startswith("SEC"))
print(count)
"""


def speed_table(stdlib: Path) -> str:
    files = stdlib_files(stdlib)
    lines = sum(p.read_bytes().count(b"\n") for p in files)
    with tempfile.TemporaryDirectory() as tmp:
        listing = Path(tmp) / "files.txt"
        listing.write_text("\n".join(map(str, files)))
        runs = {
            "vetpy (SEC + syntax)": [sys.executable, "-c", VETPY_RUNNER, str(ROOT / "server"), str(listing)],
            "bandit": [str(BIN / "bandit"), "-q", "-f", "json", "-o", os.devnull, "-r", str(stdlib), "-x", "site-packages"],
            "ruff --select S": [str(BIN / "ruff"), "check", "--select", "S", "--no-cache", "--isolated", "--exit-zero", "-q", str(stdlib), "--exclude", "site-packages"],
        }
        if PEER_SEMGREP is not None:
            runs["semgrep (python/ rules)"] = PEER_SEMGREP.command([str(p) for p in files]) + ["-o", os.devnull]
        results = {name: timed(cmd, cwd=PEER_SEMGREP.rules if name.startswith("semgrep") and PEER_SEMGREP else None) for name, cmd in runs.items()}
    bandit_cpu = results["bandit"][1]
    rows = [
        f"### Speed: installed standard library ({stdlib}, {len(files)} files, {lines:,} lines)",
        "",
        "| tool | wall s | lines/s (wall) | CPU s | lines/s (CPU) | vs bandit (CPU) |",
        "|---|---|---|---|---|---|",
    ]
    for name, (wall, cpu) in results.items():
        rows.append(f"| {name} | {wall:.1f} | {lines / wall:,.0f} | {cpu:.1f} | {lines / cpu:,.0f} | {bandit_cpu / cpu:.1f}x |")
    return "\n".join(rows)


# -- findings density --------------------------------------------------------------------------


def density_table(stdlib: Path) -> str:
    sys.path.insert(0, str(ROOT / "server"))
    from vetpy.context import AnalysisContext
    from vetpy.document import decode_source
    from vetpy.engine import check_source

    ctx = AnalysisContext.bare(select=["SEC", "SYN"])
    rows = ["### vetpy findings per 1,000 lines", "", "| corpus | lines | findings | per 1,000 lines | by code |", "|---|---|---|---|---|"]
    for name, files in (("server/vetpy", sorted((ROOT / "server" / "vetpy").rglob("*.py"))), ("stdlib", stdlib_files(stdlib))):
        lines = 0
        codes: collections.Counter[str] = collections.Counter()
        for path in files:
            try:
                text = decode_source(path.read_bytes())
            except ValueError:
                continue
            lines += text.count("\n") + 1
            codes.update(f.code for f in check_source(text, path=str(path), ctx=ctx) if f.code.startswith("SEC"))
        total = sum(codes.values())
        by_code = ", ".join(f"{c} {n}" for c, n in sorted(codes.items())) or "-"
        rows.append(f"| {name} | {lines:,} | {total} | {1000 * total / lines:.2f} | {by_code} |")
    return "\n".join(rows)


def versions() -> str:
    def out(cmd: list[str]) -> str:
        return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip().splitlines()[0]

    peer = PEER_SEMGREP.describe() if PEER_SEMGREP else "semgrep not run"
    return (
        f"Python {sys.version.split()[0]}, {out([str(BIN / 'bandit'), '--version'])}, "
        f"{out([str(BIN / 'ruff'), '--version'])}, {peer}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-speed", action="store_true", help="skip the standard-library timing")
    parser.add_argument("--bandit-examples", type=Path, help="PyCQA/bandit examples/ directory")
    parser.add_argument("--ruff-fixtures", type=Path, help="astral-sh/ruff crates/ruff_linter/resources/test/fixtures/flake8_bandit directory")
    parser.add_argument("--detect-secrets", type=Path, help="Yelp/detect-secrets checkout (its tests/plugins are read)")
    parser.add_argument("--stdlib", type=Path, default=Path(sysconfig.get_paths()["stdlib"]))
    parser.add_argument("--show-misses", action="store_true", help="print vetpy's missed and false-positive lines to stderr")
    semgrep_peer.add_arguments(parser)
    args = parser.parse_args()
    for tool in ("bandit", "ruff"):
        if shutil.which(tool, path=str(BIN)) is None:
            sys.exit(f"{tool} is not installed next to {sys.executable}: pip install bandit==1.9.4 ruff==0.17.6")
    global PEER_SEMGREP
    PEER_SEMGREP = semgrep_peer.from_arguments(args)
    print(versions())
    print()
    files, labels = fixture_labels()
    print(quality_table(f"Labelled fixtures (fixtures/security, {len(files)} files)", files, labels, args.show_misses))
    if args.bandit_examples:
        files, labels = directory_labels(args.bandit_examples, BANDIT_LABELS)
        print()
        print(quality_table(f"bandit examples/ ({len(files)} files, labels: benchmarks/security_bandit_labels.json)", files, labels, args.show_misses))
    if args.ruff_fixtures:
        files, labels = directory_labels(args.ruff_fixtures, RUFF_LABELS)
        print()
        print(quality_table(f"ruff flake8-bandit fixtures ({len(files)} files, labels: benchmarks/security_ruff_labels.json)", files, labels, args.show_misses))
    if args.detect_secrets:
        for kind, (files, labels) in detect_secrets_cases(args.detect_secrets).items():
            count = len(files[0].read_text(encoding="utf-8").splitlines()) - 1
            print()
            print(quality_table(f"detect-secrets plugin test strings, {count} strings under a {kind} (labels: benchmarks/security_detect_secrets_labels.json)", files, labels, args.show_misses))
    if not args.no_speed:
        print()
        print(speed_table(args.stdlib))
        print()
        print(density_table(args.stdlib))


if __name__ == "__main__":
    main()
