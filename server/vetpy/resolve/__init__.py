"""What an expression is, and what members a module or class really has.

This layer knows nothing of analysis contexts: project set-up (:mod:`vetpy.project`) builds its
member index (answers from the introspection worker) and stub index and puts them on the context
as ``ctx.members`` and ``ctx.stubs``.
"""

from __future__ import annotations

import threading
from typing import Any


def warm(members: Any, modules: tuple[str, ...] = ("builtins",)) -> threading.Thread | None:
    """Start the introspection worker of the member index ``members`` in the background and
    introspect ``modules`` (for the language server, right after start-up).  Returns the thread,
    or None when there is no index."""
    if members is None:
        return None

    def run() -> None:
        for module in modules:
            members.describe(module)

    thread = threading.Thread(target=run, daemon=True, name="vetpy-warm")
    thread.start()
    return thread

