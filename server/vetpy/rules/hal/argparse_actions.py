"""The keywords ``parser.add_argument(...)`` takes, for HAL004 unknown-keyword (issue 15, stdlib
keywords newer than the target: ``deprecated=`` is Python 3.13's).

``add_argument(*args, **kwargs)`` pops ``action`` (its registry's default when absent), adds
``dest`` and ``option_strings`` and calls the action class with the rest: ``action_class(**kwargs)``.
The registry every ``ArgumentParser`` starts with (``_ActionsContainer.__init__``, the same names
from Python 3.8 to 3.14) maps ``None``/``"store"`` to ``_StoreAction``, ``"store_true"`` to
``_StoreTrueAction``, and so on; an ``action=`` given as an installed class is that class.  So a
keyword the action class's ``__init__`` (read in the target interpreter) does not take raises
TypeError at the call: ``add_argument("--old", deprecated=True)`` on Python 3.12,
``add_argument("-v", action="store_true", type=int)``.

Only where the registry is certainly the default one: the receiver an instance of exactly
``ArgumentParser`` (or one of its argument groups, which share its registry) whose
``add_argument`` is ``_ActionsContainer``'s, in a project and file that never call a method named
``register`` (``parser.register("action", None, MyStore)`` replaces the default).  An ``action=``
that is not a literal name of the default registry nor an installed class (a class of this file,
a variable), an action class whose ``__init__`` takes ``**kwargs``, and calls that spread
``**kwargs`` stay silent.
"""

from __future__ import annotations

import ast
from typing import Any

from vetpy.resolve.value import ANNOTATED, INSTANCE, METHOD, OBJECT

_CONTAINERS = frozenset({"argparse.ArgumentParser", "argparse._ArgumentGroup", "argparse._MutuallyExclusiveGroup"})
_OWNER = "argparse._ActionsContainer"
# _ActionsContainer.__init__'s registrations (CPython 3.8 .. 3.14)
_DEFAULT_ACTIONS = {
    None: "_StoreAction", "store": "_StoreAction", "store_const": "_StoreConstAction",
    "store_true": "_StoreTrueAction", "store_false": "_StoreFalseAction", "append": "_AppendAction",
    "append_const": "_AppendConstAction", "count": "_CountAction", "help": "_HelpAction",
    "version": "_VersionAction", "parsers": "_SubParsersAction", "extend": "_ExtendAction",
}
# add_argument fills these itself before calling the action class
_FILLED = ("action", "dest", "option_strings")


def action_signature(checker: Any, func: Any, call: ast.Call) -> tuple[dict[str, Any] | None, str, str]:
    """The signature ``call`` (of ``add_argument`` on an argparse container) is checked against:
    the action class's ``__init__`` plus the keywords ``add_argument`` fills; None when uncertain."""
    if func.kind != METHOD or func.name != "add_argument" or func.path not in _CONTAINERS:
        return None, "", ""
    receiver = func.receiver
    if receiver is None or receiver.kind != INSTANCE or receiver.name == ANNOTATED:
        return None, "", ""
    if any(k.arg is None for k in call.keywords) or _registers(checker):
        return None, "", ""
    members = checker.members
    if (members.method(func.path, "add_argument") or {}).get("owner") != _OWNER:
        return None, "", ""
    action_class = _action_class(checker, call)
    if action_class is None:
        return None, "", ""
    init = members.method(action_class, "__init__") or {}
    sig = init.get("signature")
    if not sig or any(kind == 4 for _n, kind, _d in sig["params"]):
        return None, "", ""
    params = [p for p in sig["params"] if p[0] not in _FILLED]
    taken = [[name, 3, True] for name in _FILLED] + [[name, 3, True] for name, _k, _d in params]
    label = f"{func.path.rsplit('.', 1)[-1]}.add_argument"
    return {"params": [["args", 2, False], *taken], "forwards": None}, label, "argparse"


def _action_class(checker: Any, call: ast.Call) -> str | None:
    given = [k.value for k in call.keywords if k.arg == "action"]
    if not given:
        return "argparse." + _DEFAULT_ACTIONS[None]
    value = given[0]
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        name = _DEFAULT_ACTIONS.get(value.value)
        return "argparse." + name if name else None
    found = checker.inference.infer(value)
    if found is None or found.kind != OBJECT:
        return None
    info = checker.members.describe(found.path) or {}
    return (info.get("canonical") or found.path) if info.get("kind") == "class" else None


def _registers(checker: Any) -> bool:
    """Does this file or the project call a method named ``register`` (a registry may change)?"""
    if any(isinstance(c.func, ast.Attribute) and c.func.attr == "register" for c in checker.inference.calls):
        return True
    facts = checker.ctx.first_party
    return facts is not None and facts.calls_any(("register",))
