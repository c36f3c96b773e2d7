"""The overload a call selects among the ``@overload`` declarations of an installed package's own
source, for a function whose runtime annotation is a union.

pandas (no ``py.typed``, no stub) annotates ``read_csv(...) -> DataFrame | TextFileReader`` on the
implementation and declares beside it which calls give which: ``iterator: Literal[True]`` or
``chunksize: int`` give a ``TextFileReader``, ``iterator: Literal[False] = ..., chunksize: None =
...`` a ``DataFrame``.  A call that passes neither is certain to give the ``DataFrame``; one that
passes ``chunksize=`` or a non-literal ``iterator=`` stays the union (or unknown).

The source is read statically (never imported), with the stub reader's overload selection
(:meth:`StubIndex._selected`: literal and ``None`` arguments, keywords left out, arity).  The
answer is kept only when it is one of the classes of the runtime union: the package's overloads
narrow what its own annotation says, they never replace it.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path
from typing import Any

from vetpy.resolve.stubs import StubIndex, _is_overload
from vetpy.resolve.value import UNION, Value



class _SourceIndex(StubIndex):
    """A :class:`StubIndex` whose "stub" of a module is the module's own source in the target's
    site-packages (any package, typed or not); nothing from typeshed or ``-stubs`` packages."""

    def stub_path(self, module: str) -> Any:
        parts = module.split(".")
        if "" in parts:
            return None
        for site in self.site_dirs:
            base = os.path.join(site, *parts)
            for path in (base + ".py", os.path.join(base, "__init__.py")):
                if os.path.isfile(path):
                    return Path(path)
        return None


def _source_index(stubs: StubIndex) -> _SourceIndex:
    key = ("source-overloads",)
    found = stubs.derived.get(key)
    if found is None:
        found = stubs.derived[key] = _SourceIndex([str(p) for p in stubs.site_dirs], frozenset(), stubs.version)
    return found  # type: ignore[no-any-return]


def overload_narrowed(inference: Any, path: str, call: ast.Call | None, whole: Value | None) -> Value | None:
    """The member of the union ``whole`` (what the runtime annotation of the function at the
    canonical ``path`` gives) that ``call`` selects among the function's source overloads, else
    None (not a union, no overloads, or the call's arguments do not decide)."""
    if call is None or whole is None or whole.kind != UNION or inference.stubs is None or "." not in path:
        return None
    module, _, name = path.rpartition(".")
    source = _source_index(inference.stubs)
    found = source.definitions(module, name)
    if found is None:
        return None
    owner, defs, defining = found
    tree = source.tree(defining)
    overloads = [d for d in defs if _is_overload(d)]
    # the overloads, then one implementation: any other arrangement (version branches, a
    # redefinition) is not read here
    if tree is None or owner is not None or len(overloads) < 2 or len(overloads) != len(defs) - 1 or _is_overload(defs[-1]):
        return None
    chosen = source._selected(tree, defining, None, tree.body, overloads, call, False)
    if chosen is None or isinstance(chosen, tuple) and chosen[0] in ("typing.Union", "types.UnionType", "typing.Optional"):
        return None
    value = inference._form_value(chosen)
    return value if value is not None and value in whole.args else None
