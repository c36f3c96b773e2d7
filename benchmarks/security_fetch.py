"""Fetch the third-party inputs of ``security_bench.py`` into ``benchmarks/.work/`` (git-ignored).

    .venv/bin/python benchmarks/security_fetch.py

Each labels file names the upstream repository and, per file, the commit the labels were made
for (``_commits``); files are downloaded from raw.githubusercontent.com at those commits, so the
line numbers match the labels.  Existing files are kept.  Then run::

    .venv/bin/python benchmarks/security_bench.py --bandit-examples benchmarks/.work/bandit_examples \\
        --ruff-fixtures benchmarks/.work/ruff_flake8_bandit --detect-secrets benchmarks/.work/detect_secrets
"""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / ".work"
# labels file -> (repository, directory of the files in it, local directory)
SOURCES = {
    "security_bandit_labels.json": ("PyCQA/bandit", "examples", "bandit_examples"),
    "security_ruff_labels.json": ("astral-sh/ruff", "crates/ruff_linter/resources/test/fixtures/flake8_bandit", "ruff_flake8_bandit"),
    "security_detect_secrets_labels.json": ("Yelp/detect-secrets", "", "detect_secrets"),
}


def main() -> None:
    for labels, (repo, upstream_dir, local_dir) in SOURCES.items():
        commits: dict[str, str] = json.loads((ROOT / "benchmarks" / labels).read_text())["_commits"]
        for name, commit in commits.items():
            target = WORK / local_dir / name
            if target.exists():
                continue
            path = f"{upstream_dir}/{name}" if upstream_dir else name
            url = f"https://raw.githubusercontent.com/{repo}/{commit}/{path}"
            with urllib.request.urlopen(url, timeout=30) as response:
                data = response.read()
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            print(f"{target.relative_to(ROOT)} <- {url}")


if __name__ == "__main__":
    main()
