"""An instance of a metaclass of this file (``class Register(abc.ABCMeta)``: ``cls`` in its
methods) is a class that the metaclass made: it has what the classes made with it define
(luigi's ``Register.__call__`` calls ``cls.get_params()``, a method of ``Task``), which the
metaclass's own body never shows.  Its attribute set is open."""

from __future__ import annotations

from typing import Any

def makes_classes(checker: Any, local: Any) -> bool:
    """Is the local class ``local`` a metaclass: one of its installed bases is ``type`` or a
    subclass of it (the member index's ``makes_classes``)?"""
    return any(base.path == "builtins.type" or (checker.members.describe(base.path) or {}).get("makes_classes") is True
               for base in local.bases)
