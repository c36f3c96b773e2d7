"""Ranking "did you mean" candidates the way people mistype.

difflib finds the plausible candidates; they are then ordered by edit distance that counts a
swap of two neighbouring letters as one edit (``dumsp`` is one edit from ``dumps``, and from ``dump``,
but ``dumps`` has its length), then by closeness in length, with difflib's similarity breaking the remaining ties.
When the best is one edit away, only the names one edit away are offered.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from typing import Iterable


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance (insert, delete, substitute, swap neighbours)."""
    if a == b:
        return 0
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]


def close_matches(word: str, candidates: Iterable[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
    # Remembered: the editor asks the same question after every edit for a finding the edit did not touch.
    return list(_close_matches(word, tuple(candidates), n, cutoff))


@lru_cache(maxsize=64)
def _close_matches(word: str, pool: tuple[str, ...], n: int, cutoff: float) -> tuple[str, ...]:
    found = difflib.get_close_matches(word, pool, n=max(n * 4, 12), cutoff=cutoff)
    lowered = word.lower()

    def rank(c: str) -> tuple[int, int, float]:
        # at equal distance a same-length name (a swap or a wrong letter) beats a longer or shorter one
        return edit_distance(lowered, c.lower()), abs(len(c) - len(word)), -difflib.SequenceMatcher(None, word, c).ratio()

    ranked = sorted((rank(c), c) for c in found)
    if ranked and ranked[0][0][0] == 1:
        # one slip of a key: the names one edit away are what was meant, not a longer cousin
        # (`valeu` -> `value`, not also `pvalues`)
        ranked = [r for r in ranked if r[0][0] == 1]
    return tuple(c for _rank, c in ranked[:n])


def _words(name: str) -> set[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()
    return {w for w in spaced.split("_") if w}


def closest(name: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """Up to ``n`` real names close to ``name``: spelling first, then names that hold every word
    of it (``raiseForStatus`` -> ``raise_for_status``).  A name sharing only some words is a guess
    at another meaning (``getStatusMessage`` -> ``raise_for_status``, which raises instead of
    describing the status): worse than no suggestion."""
    pool = sorted({c for c in candidates if c != name and (not c.startswith("_") or name.startswith("_"))})
    found = close_matches(name, pool, n=n)
    if len(found) < n:
        words = _words(name) - {"get", "set", "is", "to", "from", "the"}
        if words:
            scored = []
            for c in pool:
                shared = words & _words(c)
                if shared == words and c not in found:
                    ratio = difflib.SequenceMatcher(None, name.lower(), c.lower()).ratio()
                    scored.append((-len(shared), -ratio, c))
            found += [c for _s, _r, c in sorted(scored)[: n - len(found)]]
    return found
