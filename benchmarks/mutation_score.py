"""Print the mutation score per file from a mutmut (3.x) work directory (``mutants/*.meta``).

    python benchmarks/mutation_score.py /tmp/vetpy-mutation [--survivors]

Score = killed (incl. timeouts) / checked mutants.  "no tests" mutants (code that no selected
test runs) count as survivors: a mutant nothing notices is a surviving mutant.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

KILLED = {1, 3, 36, 24, -24, 152, 255, 37}
SURVIVED = {0, 5, 33}


def main() -> int:
    work = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/vetpy-mutation")
    rows = []
    for meta in sorted((work / "mutants").rglob("*.py.meta")):
        codes = json.loads(meta.read_text()).get("exit_code_by_key", {})
        counts = Counter()
        survivors = []
        for key, code in codes.items():
            if code is None:
                counts["not checked"] += 1
            elif code in KILLED:
                counts["killed"] += 1
            elif code in SURVIVED:
                counts["survived"] += 1
                survivors.append(key)
            else:
                counts["other"] += 1
        name = meta.relative_to(work / "mutants").as_posix().removesuffix(".meta")
        rows.append((name, len(codes), counts, survivors))
    print("| file | mutants | checked | killed | survived | score |")
    print("|---|---:|---:|---:|---:|---:|")
    total = Counter()
    for name, n, c, _ in rows:
        checked = c["killed"] + c["survived"] + c["other"]
        total.update(c)
        total["mutants"] += n
        score = f"{100 * c['killed'] / checked:.1f}%" if checked else "-"
        print(f"| {name} | {n} | {checked} | {c['killed']} | {c['survived']} | {score} |")
    checked = total["killed"] + total["survived"] + total["other"]
    score = f"{100 * total['killed'] / checked:.1f}%" if checked else "-"
    print(f"| **all** | {total['mutants']} | {checked} | {total['killed']} | {total['survived']} | {score} |")
    if "--survivors" in sys.argv:
        for name, _, _, survivors in rows:
            for key in survivors:
                print(key)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
