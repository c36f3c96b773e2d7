"""CPU time of opening vetpy's release-history database and answering questions from it.

Each measurement starts from nothing (``shipped()``'s cache cleared, so the data file is read and
opened again) and asks: one question about ``requests``; one about ``transformers`` (the largest
library); one question about each library of the database; and, last, every entry of every
library (what a process that asked about everything would decode). CPU time of this process,
min of ``--runs``; see docs/versions.md.

Usage:
    python benchmarks/history_load.py [--runs 7]
"""

from __future__ import annotations

import argparse
import gc
import time
from typing import Callable

from vetpy import history

# (library, module, name, installed version): real removals of the shipped data
REQUESTS = ("requests", "requests", "chardet", (2, 32, 0))
TRANSFORMERS = ("transformers", "transformers", "ALBERT_PRETRAINED_CONFIG_ARCHIVE_MAP", (4, 45, 0))


def _one(question: tuple[str, str, str, tuple[int, ...]]) -> Callable[[history.History], object]:
    return lambda h: h.member(*question)


def _each_library(h: history.History) -> object:
    return [h.member(lib, lib, "__no_such_name__", (99,)) for lib in h.libraries]


def _everything(h: history.History) -> object:
    count = 0
    for lib in h.libraries:
        data = h.libraries[lib]
        for table in ("members", "keywords", "messages", "classes", "deprecated"):
            count += sum(1 for _ in data.get(table, {}).items())
    return count


def measure(ask: Callable[[history.History], object], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        history.shipped.cache_clear()
        gc.collect()
        start = time.process_time()
        ask(history.shipped())
        best = min(best, time.process_time() - start)
    history.shipped.cache_clear()
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    cases = [
        ("open only", lambda h: None),
        ("open + 1 question about requests", _one(REQUESTS)),
        ("open + 1 question about transformers", _one(TRANSFORMERS)),
        ("open + 1 question about each library", _each_library),
        ("open + every entry of every library", _everything),
    ]
    print(f"| CPU, min of {args.runs} | ms |\n|---|---:|")
    for label, ask in cases:
        print(f"| {label} | {measure(ask, args.runs) * 1000:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
