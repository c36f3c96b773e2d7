"""The public name under which a stub declares a class that lives in a private module at run time:
Python 3.13 defines ``pathlib.Path`` in ``pathlib._local``, while typeshed's stub declares it in
``pathlib/__init__.pyi``.  The name is the class's path without its private module segments
(``pathlib._local.PurePath`` -> ``pathlib.PurePath``), kept only when the runtime says that name
is the very same class (its canonical path is the class's own)."""

from __future__ import annotations

from typing import Any


def public_alias(members: Any, path: str) -> str | None:
    """``path`` (a class) without its private module segments, when that name is the same class."""
    module, _, name = path.rpartition(".")
    public = ".".join([p for p in module.split(".") if not p.startswith("_")] + [name])
    if not module or public == path or public.startswith(".") or "." not in public:
        return None
    info = members.describe(public)
    if not info or info.get("kind") != "class" or (info.get("canonical") or public) != path:
        return None
    return public
