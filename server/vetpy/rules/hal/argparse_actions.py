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
``add_argument`` is ``_ActionsContainer``'s, in a file that never calls ``register("action", ...)``
(``parser.register("action", None, MyStore)`` replaces the default) and either made in the function
and seen by no other code (no group made of it either), or in a project that never calls a method
named ``register``.  An ``action=``
that is not a literal name of the default registry nor an installed class (a class of this file,
a variable), an action class whose ``__init__`` takes ``**kwargs``, and calls that spread
``**kwargs`` stay silent.
"""

from __future__ import annotations

import ast
import weakref
from typing import Any

from vetpy.resolve.value import ANNOTATED, INSTANCE, METHOD, OBJECT
from vetpy.rules.hal.fresh import fresh_receiver

_CONTAINERS = frozenset({"argparse.ArgumentParser", "argparse._ArgumentGroup", "argparse._MutuallyExclusiveGroup"})
_OWNER = "argparse._ActionsContainer"
# _ActionsContainer.__init__'s registrations (CPython 3.8 .. 3.14)
_DEFAULT_ACTIONS = {
    None: "_StoreAction", "store": "_StoreAction", "store_const": "_StoreConstAction",
    "store_true": "_StoreTrueAction", "store_false": "_StoreFalseAction", "append": "_AppendAction",
    "append_const": "_AppendConstAction", "count": "_CountAction", "help": "_HelpAction",
    "version": "_VersionAction", "parsers": "_SubParsersAction", "extend": "_ExtendAction",
}
# methods that hand out the registry (groups share it) or change it
_GROUPS = frozenset({"add_argument_group", "add_mutually_exclusive_group"})
_SHARING = _GROUPS | {"register", "_registries"}
_FILE_REGISTERS: "weakref.WeakKeyDictionary[Any, bool]" = weakref.WeakKeyDictionary()  # inference -> answer
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
    if any(k.arg is None for k in call.keywords) or _registers(checker, call):
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


def _registers(checker: Any, call: ast.Call) -> bool:
    """May the receiver's registry differ from the default one?  Yes when this file calls a method
    named ``register`` with ``"action"`` (or a computed name) first, on anything but a module or an
object certainly outside ``argparse`` (``atexit.register(f)``); else no when the receiver is a
    parser made in this function that no other code has seen (:func:`fresh_receiver`), unless it
    makes groups (they share its registry and may reach other code); else yes when the project
    calls a method named ``register`` at all."""
    inference = checker.inference
    found = _FILE_REGISTERS.get(inference)
    if found is None:  # once per analysis of the file: every add_argument call asks
        found = _FILE_REGISTERS[inference] = any(
            isinstance(c.func, ast.Attribute) and c.func.attr == "register" and not (
                c.args and isinstance(c.args[0], ast.Constant) and c.args[0].value != "action")
            and not _other_registry(checker, c.func.value) for c in inference.calls)
    if found:
        return True
    receiver = call.func.value if isinstance(call.func, ast.Attribute) else None
    if isinstance(receiver, ast.Name) and fresh_receiver(checker.inference, receiver):
        scope = checker.inference.scope_of(receiver)
        return any(isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == receiver.id
                   and n.attr in _SHARING and not _kept_group(checker, scope, n) for n in ast.walk(scope))
    facts = checker.ctx.first_party
    return facts is not None and facts.calls_any(("register",))


def _other_registry(checker: Any, expr: ast.expr) -> bool:
    """Is ``expr`` (what ``register`` is called on) certainly no argparse container: a module
    (``atexit.register(f)``), or an installed class or instance outside ``argparse``?"""
    value = checker.inference.infer(expr)
    if value is None or value.kind not in (OBJECT, INSTANCE) or value.name == ANNOTATED:
        return False
    return not value.path.startswith("argparse")


def _kept_group(checker: Any, scope: ast.AST, attr: ast.Attribute) -> bool:
    """Is ``parser.add_argument_group(...)`` (``attr`` its callee) a group no other code sees: a
    method called on it right away, or a name bound once to it whose every use reads an attribute
    of it other than one that makes, or changes, a registry?"""
    parents = checker.inference.parents
    call = parents.get(attr)
    if attr.attr not in _GROUPS or not isinstance(call, ast.Call) or call.func is not attr:
        return False
    above = parents.get(call)
    if isinstance(above, ast.Attribute) and above.value is call:
        return above.attr not in _SHARING
    if not (isinstance(above, ast.Assign) and len(above.targets) == 1 and isinstance(above.targets[0], ast.Name)):
        return False
    name = above.targets[0].id
    for n in ast.walk(scope):
        if isinstance(n, ast.Name) and n.id == name and n is not above.targets[0]:
            up = parents.get(n)
            if not (isinstance(n.ctx, ast.Load) and isinstance(up, ast.Attribute) and up.value is n
                    and up.attr not in _SHARING):
                return False
    return True
