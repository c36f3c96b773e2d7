"""What an expression is, and what members a module or class really has.

:func:`install_services` installs this layer's services on an analysis context:
``ctx.members`` (the member index, backed by the introspection worker) and ``ctx.stubs``
(return types from stubs).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vetpy.context import AnalysisContext


def install_services(ctx: "AnalysisContext") -> None:
    """Service factory: the member index and the stub index for ``ctx`` (both lazy)."""
    from vetpy.resolve.members import install
    from vetpy.resolve.stubs import StubIndex

    install(ctx)
    env = ctx.environment
    if env is not None:
        ctx.stubs = StubIndex(env.sys_path, env.stdlib_names)


def warm(ctx: "AnalysisContext", modules: tuple[str, ...] = ("builtins",)) -> threading.Thread | None:
    """Start the introspection worker in the background and introspect ``modules`` (for the
    language server, right after start-up).  Returns the thread, or None when there is no index."""
    members = ctx.members
    if members is None:
        return None

    def run() -> None:
        for module in modules:
            members.describe(module)

    thread = threading.Thread(target=run, daemon=True, name="vetpy-warm")
    thread.start()
    return thread

