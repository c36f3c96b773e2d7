"""The review-checklist rules of issue #20 on real applications: findings, per 1,000 lines, triage.

Eight open-source web applications, fetched with pip as published on PyPI (``pip download --no-deps``:
sdists, pretix as its wheel, whose sdist does not build here), are unpacked under
benchmarks/.work/review/ (git-ignored) and their own packages checked with only the new codes
selected (``vetpy check --select SEC021,SEC022,SEC023,EDGE018,EDGE019 --format json``). Tests,
migrations and the docs are left out. Lines are non-blank lines of the checked files. The verdict of
every finding is in benchmarks/review_labels.json (path, line, code -> real/noise, why), written by
reading each finding's code; the tables compare the run with those labels (a finding without a
label is printed for triage).

    .venv/bin/python benchmarks/review_bench.py            # fetch what is missing, check, print the tables
"""
from __future__ import annotations

import collections
import json
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work" / "review"
LABELS = ROOT / "benchmarks" / "review_labels.json"
CODES = ("SEC021", "SEC022", "SEC023", "EDGE018", "EDGE019")
# PyPI project, version, archive kind, the application's own package inside the archive, framework
APPS = (
    ("privacyIDEA", "3.9.2", "sdist", "privacyIDEA-3.9.2/privacyidea", "Flask"),
    ("zou", "0.20.70", "sdist", "zou-0.20.70/zou", "Flask-RESTful"),
    ("FlaskBB", "2.0.2", "sdist", "FlaskBB-2.0.2/flaskbb", "Flask"),
    ("dstack", "0.19.26", "sdist", "dstack-0.19.26/src/dstack", "FastAPI"),
    ("pretix", "2025.7.1", "wheel", "pretix", "Django"),
    ("calibreweb", "0.6.24", "sdist", "calibreweb-0.6.24/src/calibreweb", "Flask (threads)"),
    ("changedetection.io", "0.50.10", "sdist", "changedetection_io-0.50.10/changedetectionio", "Flask (threads)"),
    ("fittrackee", "0.10.3", "sdist", "fittrackee-0.10.3/fittrackee", "Flask"),
)
_SKIP = ("/tests/", "/test/", "/migrations/", "/docs/")


def _archives(folder: Path, name: str, version: str) -> list[Path]:
    """Archives of ``name`` ``version`` in ``folder`` (``changedetection.io`` is ``changedetection_io-...``)."""

    def norm(project: str) -> str:
        return re.sub(r"[-_.]+", "_", project.lower())

    found = []
    for path in sorted(folder.glob("*")) if folder.exists() else []:
        project, _, rest = path.name.partition("-")
        if norm(project) == norm(name) and rest.startswith(version + "-") or rest.startswith(version + ".tar"):
            found.append(path)
    return found


def fetch(name: str, version: str, kind: str) -> Path:
    folder = WORK / ("sdists" if kind == "sdist" else "wheels")
    found = _archives(folder, name, version)
    if not found:
        binary = ["--no-binary", ":all:"] if kind == "sdist" else ["--only-binary", ":all:"]
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", *binary, f"{name}=={version}", "-d", str(folder)], check=True)
        found = _archives(folder, name, version)
    return found[0]


def unpack(archive: Path, name: str) -> Path:
    dest = WORK / "src" / name
    if not dest.exists():
        dest.mkdir(parents=True)
        if archive.suffix == ".whl":
            with zipfile.ZipFile(archive) as zf:
                zf.extractall(dest)
        else:
            with tarfile.open(archive) as tf:
                tf.extractall(dest, filter="data")
    return dest


def files_of(tree: Path) -> list[Path]:
    return sorted(p for p in tree.rglob("*.py") if not any(s in p.as_posix() + "/" for s in _SKIP))


def non_blank_lines(files: list[Path]) -> int:
    return sum(sum(1 for line in p.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()) for p in files)


def run_vetpy(base: Path, files: list[Path]) -> list[dict]:
    cmd = [sys.executable, "-m", "vetpy", "check", "--no-cache", "--exit-zero", "-q", "--format", "json", "--select", ",".join(CODES)]
    out = subprocess.run([*cmd, *[str(p.relative_to(base)) for p in files]], cwd=base, capture_output=True, text=True, check=True).stdout
    data = json.loads(out)
    return data["findings"] if isinstance(data, dict) else data


def main() -> None:
    labels = json.loads(LABELS.read_text()) if LABELS.exists() else {}
    per_code: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    rows = []
    unlabelled = []
    for name, version, kind, package, framework in APPS:
        base = unpack(fetch(name, version, kind), name)
        files = files_of(base / package)
        lines = non_blank_lines(files)
        found = run_vetpy(base, files)
        counts = collections.Counter(f["code"] for f in found)
        for f in found:
            key = f"{name}:{f['path']}:{f['line']}:{f['code']}"
            verdict = labels.get(key, {}).get("verdict", "unlabelled")
            per_code[f["code"]][verdict] += 1
            if verdict == "unlabelled":
                unlabelled.append(f"{key}: {f['message']}")
        rows.append((name, framework, len(files), lines, counts))
    print("| app | framework | files | lines | " + " | ".join(CODES) + " | per 1,000 lines |")
    print("|---|---|---:|---:|" + "---:|" * len(CODES) + "---:|")
    total_lines = 0
    total = collections.Counter()
    for name, framework, nfiles, lines, counts in rows:
        total_lines += lines
        total += counts
        n = sum(counts.values())
        print(f"| {name} | {framework} | {nfiles} | {lines:,} | " + " | ".join(str(counts[c]) for c in CODES) + f" | {1000 * n / lines:.3f} |")
    n = sum(total.values())
    print(f"| all | | | {total_lines:,} | " + " | ".join(str(total[c]) for c in CODES) + f" | {1000 * n / total_lines:.3f} |")
    print()
    print("| code | findings | real | noise | unlabelled | precision |")
    print("|---|---:|---:|---:|---:|---:|")
    for code in CODES:
        c = per_code[code]
        judged = c["real"] + c["noise"]
        precision = f"{100 * c['real'] / judged:.0f}%" if judged else "-"
        print(f"| {code} | {sum(c.values())} | {c['real']} | {c['noise']} | {c['unlabelled']} | {precision} |")
    for line in unlabelled:
        print("UNLABELLED", line)


if __name__ == "__main__":
    main()
