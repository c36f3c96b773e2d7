"""blind5's recall split by whether the hallucinated name was already on a marked line of an earlier set.

    VETPY_BENCH_INPUTS=/tmp/NAME-inputs python benchmarks/corpus_hal/blind5_overlap_recall.py

``blind5_overlap.txt`` lists those cases (``package::case_name``); every checker of bench.py is run once.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import bench  # noqa: E402
import verify  # noqa: E402


def main() -> None:
    overlap = {line.strip() for line in (HERE / "blind5_overlap.txt").read_text().splitlines() if line.strip()}
    cases = verify.verify(which="blind5")
    proven = [c for c in cases if c.proven]
    roots = bench.prepare(proven, "blind5")
    findings: dict[str, list] = {t: [] for t in bench.TOOLS}
    bench.peers_bin()
    for env_dir in verify.envs():
        if not verify.set_files(env_dir, "blind5"):
            continue
        python = verify.build_env(env_dir)
        version = ".".join((env_dir / "python-version").read_text().strip().split(".")[:2])
        for tool in bench.TOOLS:
            findings[tool] += bench.tool_findings(tool, roots[env_dir.name], python, version)[1]
    scored = bench.score(proven, findings)
    hal = [c for c in proven if c.kind == "case"]

    def key(c: verify.Case) -> str:
        return f"{c.package}::{c.name}"

    unknown = overlap - {key(h) for h in hal}
    if unknown:
        raise SystemExit(f"blind5_overlap.txt names no proven case: {sorted(unknown)}")
    subsets = (("name also on a marked line of an earlier set", [h for h in hal if key(h) in overlap]),
               ("names new to the corpus", [h for h in hal if key(h) not in overlap]), ("all", hal))
    print("| subset | cases | " + " | ".join(bench.TOOLS) + " |\n|---|---|" + "---|" * len(bench.TOOLS))
    for label, sub in subsets:
        cells = []
        for tool in bench.TOOLS:
            tp = sum(h.ident in scored[tool]["hit"] for h in sub)
            cells.append(f"{tp} ({100 * tp / max(len(sub), 1):.1f}%)")
        print(f"| {label} | {len(sub)} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    verify.hold_inputs(bench.INPUTS.parent)
    main()
