"""Text from untrusted places (file names, interpreters' output) made safe to print."""

from __future__ import annotations

import re

# C0/C1 controls, DEL and the bidirectional overrides: a file name or message holding them could
# move the cursor, recolour the terminal or reorder what the reader sees.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with terminal control characters shown as escapes (``\\x1b``, ``\\u202e``)."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
