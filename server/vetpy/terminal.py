"""Text from untrusted places (file names, interpreters' output) made safe to print."""

from __future__ import annotations

# Everything str.isprintable() refuses: C0/C1 controls, DEL, format characters such as the
# bidirectional overrides (they reorder what the reader sees), separators other than the space,
# surrogates and unassigned code points (random bytes from a broken interpreter decode to those).
# Each is shown as an escape, so a file name or message can neither move the cursor, recolour
# the terminal nor print what the terminal cannot show.


def _escape(char: str) -> str:
    return char if char.isprintable() else char.encode("unicode_escape", "backslashreplace").decode("ascii")


def printable(text: str) -> str:
    """``text`` with every character that ``str.isprintable`` refuses shown as an escape."""
    if text.isprintable():
        return text
    return "".join(map(_escape, text))
