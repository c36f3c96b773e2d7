"""Keywords accepted by a pattern: the introspection worker answers a ``**kwargs`` that ends in a
validator of a literal pattern (SQLAlchemy's dialect keywords, ``re.match("^(.+?)_(.+)$", k)`` or
TypeError; ``_worker_key_patterns.py``) with one entry ``"re.<function>:<pattern>"`` among the
accepted keywords.  A keyword never holds ``:``, so such an entry is never a name."""

from __future__ import annotations

import re
from typing import Iterable

_FUNCTIONS = {"match": re.match, "fullmatch": re.fullmatch, "search": re.search}


def names_only(accepted: Iterable[str]) -> list[str]:
    """The accepted names, the patterns left out (what a suggestion may name)."""
    return sorted(a for a in accepted if ":" not in a)


def takes(accepted: set[str], keyword: str) -> bool:
    """Is ``keyword`` one of ``accepted`` or matched by one of its patterns?  An entry that is
    not a pattern vetpy knows accepts every keyword (never a guess)."""
    if keyword in accepted:
        return True
    for entry in accepted:
        if ":" not in entry:
            continue
        kind, _, pattern = entry.partition(":")
        function = _FUNCTIONS.get(kind.removeprefix("re."))
        try:
            if function is None or function(pattern, keyword):
                return True
        except re.error:
            return True
    return False
