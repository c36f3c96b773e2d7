"""Rule modules register themselves in :data:`vetpy.rules.registry.REGISTRY` on import."""

from __future__ import annotations

import importlib

from vetpy.rules.registry import REGISTRY, Rule, rule

RULE_MODULES = (
    "vetpy.rules.syn",
    "vetpy.rules.hal",
    "vetpy.rules.dep",
    "vetpy.rules.sec",
    "vetpy.rules.edge",
    "vetpy.rules.test",
)

_loaded = False


def load_all() -> None:
    """Import every rule module (idempotent).  A missing optional module is skipped."""
    global _loaded
    if _loaded:
        return
    for name in RULE_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    _loaded = True


__all__ = ["REGISTRY", "Rule", "rule", "load_all"]
