"""Mocks made with a spec: ``Mock(spec=Session)``, ``MagicMock(spec_set=Session)``,
``create_autospec(Session, instance=True)``, ``Mock(spec=["get", "post"])``.

Reading a name such a mock does not have raises AttributeError: its names are the spec's
``dir()`` (the worker's class members, a superset), the mock class's own members
(``return_value``, ``assert_called_once_with``), and what the code sets on it (keywords of the
constructor, ``configure_mock``, ``m.x = 1``).  A mock whose spec is not known exactly (an
instance, a name bound elsewhere, ``**kwargs``) is not a :data:`MOCK` value: the rules stay silent.
"""

from __future__ import annotations

import ast
from typing import Any  # `inference`: the Inference, which imports this module

from vetpy.resolve.value import OBJECT, Value

MOCK = "mock"  # Value.path: the spec class ("" for a list of names); Value.name: extra names, comma-joined

_MOCK_CLASSES = frozenset(f"unittest.mock.{name}" for name in (
    "Mock", "MagicMock", "NonCallableMock", "NonCallableMagicMock", "AsyncMock"))
_AUTOSPEC = "unittest.mock.create_autospec"
# the mock classes whose members any of these mocks may have (AsyncMock: `assert_awaited`)
_OWN = ("unittest.mock.MagicMock", "unittest.mock.AsyncMock", "unittest.mock.NonCallableMagicMock")
# calls that add names to (or change the spec of) some mock of the file
_RESHAPING = frozenset({"attach_mock", "mock_add_spec"})


def spec_mock(inference: Any, func: Value | None, call: ast.Call) -> Value | None:
    """The :data:`MOCK` value ``call`` makes, when it makes a mock whose spec is known exactly."""
    if func is None or func.kind != OBJECT or func.path not in _MOCK_CLASSES | {_AUTOSPEC}:
        return None
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        return None
    keywords = {k.arg: k.value for k in call.keywords}
    if func.path == _AUTOSPEC:
        specs = call.args[:1] + ([keywords.pop("spec")] if "spec" in keywords else [])
        for known in ("spec_set", "instance", "_parent", "_name", "unsafe"):
            keywords.pop(known, None)
    else:
        if len(call.args) > 1:  # the positions after `spec` differ between the mock classes
            return None
        specs = call.args[:1] + [keywords.pop(k) for k in ("spec", "spec_set") if k in keywords]
        for known in ("side_effect", "return_value", "wraps", "name", "parent", "unsafe"):
            keywords.pop(known, None)
    if len(specs) != 1:
        return None
    extra = sorted(n.split(".")[0] for n in keywords)  # `Mock(spec=S, x=1)`, `**{"a.b": 2}` configure names
    spec = specs[0]
    if isinstance(spec, (ast.List, ast.Tuple)):  # a list of names
        names = [e.value for e in spec.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
        if len(names) != len(spec.elts) or not isinstance(spec, ast.List):
            return None
        return Value(MOCK, "", ",".join(sorted(set(names) | set(extra))))
    value = inference.infer(spec)
    if value is None or value.kind != OBJECT:
        return None
    info = inference.members.describe(value.path)
    if not info or not info.get("found") or info.get("kind") != "class" or info.get("members") is None:
        return None
    return Value(MOCK, info.get("canonical") or value.path, ",".join(extra))


def mock_missing(inference: Any, owner: Value, name: str) -> tuple[str, list[str], str | None] | None:
    """(the spec's name, the mock's names, None) when reading ``name`` on the mock ``owner`` raises."""
    if name.startswith("__") and name.endswith("__") or name.startswith(("_mock_", "_spec_")):
        return None  # magic methods (MagicMock configures them) and the mock's own state
    if name in owner.name.split(",") or _reshaped(inference, name):
        return None
    own: set[str] = set()
    for path in _OWN:
        info = inference.members.describe(path)
        if not info or info.get("members") is None:
            return None
        own.update(info["members"])
    if name in own:
        return None
    if not owner.path:  # a list of names
        return "Mock", sorted(n for n in owner.name.split(",") if n), None
    info = inference.members.describe(owner.path)
    if not info or info.get("members") is None:
        return None
    names = set(info["members"]) | set((inference.members.instance(owner.path) or {}).get("members") or ())
    if name in names:
        return None
    return owner.path.rsplit(".", 1)[-1], sorted(n for n in names if not n.startswith("_")), None


def _reshaped(inference: Any, name: str) -> bool:
    """Does some call of the file add ``name`` (or an unknown name) to a mock?"""
    for call in inference.calls:
        func = call.func
        called = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if called in _RESHAPING:
            return True
        if called == "setattr" and not (len(call.args) > 1 and isinstance(call.args[1], ast.Constant)):
            return True  # `setattr(m, computed, v)`
        if called == "configure_mock":
            if any(k.arg is None for k in call.keywords) or call.args:
                return True
            if any(k.arg.split(".")[0] == name for k in call.keywords if k.arg):
                return True
    return False
