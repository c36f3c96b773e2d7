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


class Progress:
    """``vetpy: 120/516 files checked`` on one line of a terminal, for runs that take a while.

    Nothing is shown before ``delay`` seconds (a quick run prints nothing) nor when ``stream`` is
    not a terminal (CI logs, pipes); :meth:`close` erases the line before the report."""

    def __init__(self, stream, delay: float = 2.0, clock=None) -> None:  # noqa: ANN001 - a text stream, a thunk
        import time

        self.stream = stream
        self.delay = delay
        self.clock = clock or time.monotonic
        self.start = self.clock()
        self.shown = False
        isatty = getattr(stream, "isatty", None)
        self.enabled = bool(isatty and isatty())

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or self.clock() - self.start < self.delay:
            return
        self.stream.write(f"\rvetpy: {done}/{total} files checked")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False
