"""The TEST family on real test suites and on AI-style test files: findings per 1,000 lines.

Real suites: the tests shipped in the sdists of well-known projects (downloaded with pip into
``benchmarks/.work/testsuites/``, git-ignored).  AI-style suites: ``benchmarks/test_rules_ai/``,
test files written the way assistants write them for public task descriptions (committed).
Every finding on the real suites is triaged in ``benchmarks/test_rules.md``.

    python benchmarks/test_rules_bench.py            # the table
    python benchmarks/test_rules_bench.py --list     # plus every finding (for the triage)

Only the TEST rules run, each file with a context rooted at its project (its pytest
configuration decides which files are test files).  Lines are the lines of the files pytest
would collect.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tarfile
from collections import Counter
from pathlib import Path

from vetpy.config import load_config, find_pyproject
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.engine import postprocess, run_checkers
from vetpy.rules import REGISTRY, load_all
from vetpy.testsuite import is_collected

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work" / "testsuites"
AI = HERE / "test_rules_ai"

# project -> version (sdists that ship their test suite)
SDISTS = {
    "requests": "2.32.3",
    "flask": "3.1.0",
    "click": "8.1.7",
    "httpx": "0.28.1",
    "attrs": "24.2.0",
    "werkzeug": "3.1.3",
    "jinja2": "3.1.4",
    "pydantic": "2.10.3",
    "more-itertools": "10.5.0",
    "marshmallow": "3.23.1",
    "packaging": "24.2",
    "pluggy": "1.5.0",
    "structlog": "24.4.0",
    "sqlparse": "0.5.2",
    "tomlkit": "0.13.2",
    "itsdangerous": "2.2.0",
    "blinker": "1.9.0",
    "tenacity": "9.0.0",
    "responses": "0.25.3",
    "pyjwt": "2.10.1",
    "arrow": "1.3.0",
    "cachetools": "5.5.0",
    "freezegun": "1.5.1",
    "python-dateutil": "2.9.0.post0",
    "humanize": "4.11.0",
    "sentry-sdk": "2.19.0",
    "aiohttp": "3.11.10",
    "starlette": "0.41.3",
    "pytest-mock": "3.14.0",
    "requests-mock": "1.12.1",
}


def _found(name: str, version: str, suffix: str = "") -> Path | None:
    for spelling in {name, name.replace("-", "_"), name.replace("_", "-")}:
        candidate = WORK / f"{spelling}-{version}{suffix}"
        if candidate.exists():
            return candidate
    return None


def ensure(name: str, version: str) -> Path:
    tree = _found(name, version)
    if tree is not None and tree.is_dir():
        return tree
    WORK.mkdir(parents=True, exist_ok=True)
    if _found(name, version, ".tar.gz") is None:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
             f"{name}=={version}", "-d", str(WORK)],
            check=True,
        )
    archive = _found(name, version, ".tar.gz")
    assert archive is not None, f"{name} {version}: no sdist downloaded"
    with tarfile.open(archive) as tar:
        tar.extractall(WORK, filter="data")
    tree = _found(name, version)
    assert tree is not None, f"{name} {version}: the sdist holds no {name}-{version}/"
    return tree


def test_files(root: Path) -> list[Path]:
    return sorted(
        p for p in root.rglob("*.py") if "__pycache__" not in p.parts and is_collected(p, root)
    )


def run(root: Path, files: list[Path]) -> tuple[list, int]:
    codes = {c for c in REGISTRY.rules if c.startswith("TEST")}
    config = load_config(find_pyproject(root) if (root / "pyproject.toml").exists() else None)
    ctx = AnalysisContext(config=config, root=root)
    found = []
    lines = 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        lines += text.count("\n") + 1
        doc = Document(path=str(path), text=text)
        raw, _ = run_checkers(doc, ctx, codes)
        found += postprocess(raw, doc, ctx)
    return found, lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--list", action="store_true", help="print every finding")
    args = parser.parse_args()
    load_all()
    codes = sorted(c for c in REGISTRY.rules if c.startswith("TEST"))
    corpora: list[tuple[str, Path, list[Path]]] = []
    for name, version in SDISTS.items():
        root = ensure(name, version)
        corpora.append((f"{name} {version}", root, test_files(root)))
    real = len(corpora)
    corpora.append(("AI-style (benchmarks/test_rules_ai)", AI, test_files(AI)))
    header = f"| corpus | files | lines | {' | '.join(codes)} | all | per 1k lines |"
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    totals: Counter[str] = Counter()
    total_lines = 0
    listing = []
    for index, (label, root, files) in enumerate(corpora):
        found, lines = run(root, files)
        per = Counter(f.code for f in found)
        if index < real:
            totals.update(per)
            total_lines += lines
        cells = " | ".join(str(per.get(c, 0)) for c in codes)
        print(f"| {label} | {len(files)} | {lines:,} | {cells} | {len(found)} | {1000 * len(found) / max(lines, 1):.2f} |")
        if index == real - 1:
            cells = " | ".join(str(totals.get(c, 0)) for c in codes)
            n = sum(totals.values())
            print(f"| **{real} real suites** | | {total_lines:,} | {cells} | {n} | {1000 * n / max(total_lines, 1):.2f} |")
        for f in found:
            rel = Path(f.path).relative_to(WORK if index < real else HERE)
            listing.append(f"{rel}:{f.line}: {f.code} {f.message}")
    if args.list:
        print()
        print("\n".join(listing))


if __name__ == "__main__":
    main()
