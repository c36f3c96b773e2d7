"""HAL006 deprecated-api: a name or keyword the installed release has and deprecates.

The checker is the one of HAL003-HAL005 (:mod:`vetpy.rules.hal.attributes`): it already knows
what each receiver and callee is.  Whether a name is deprecated in the installed release comes
from the release-history database (:mod:`vetpy.history`), built from the packages' own sources:
an unconditional ``warnings.warn(..., DeprecationWarning/FutureWarning)``, ``.. deprecated::`` or
``@deprecated`` for a name; for a keyword, a warning whose text names that keyword, reported only
when the call passes it a value other than ``None``.
"""

from __future__ import annotations

import ast
from typing import Any

from vetpy import codes as codes_table
from vetpy.context import AnalysisContext
from vetpy.findings import FixSafety, Severity
from vetpy.history import Deprecation, render
from vetpy.resolve.infer import INSTANCE, LOCAL_CLASS, LOCAL_INSTANCE, OBJECT, Value
from vetpy.rules.hal.probes import runs_only_without_probed
from vetpy.rules.registry import rule

DEPRECATED_API = rule(
    code="HAL006",
    name="deprecated-api",
    family="HAL",
    severity=Severity.WARNING,
    summary="A call, attribute or keyword that the installed version deprecates (opt-in).",
    rationale="""Assistants write the API they remember, which is often the one a library is
    removing: pydantic 2's `.dict()`, pandas `DataFrame.swapaxes`, `datetime.utcnow()` on
    Python 3.12. vetpy reports a name when the installed release's own source deprecates it
    unconditionally (a `warnings.warn` with `DeprecationWarning`, `PendingDeprecationWarning` or
    `FutureWarning` as a statement of its body, `.. deprecated::` in its docstring, PEP 702
    `@deprecated`), as recorded in vetpy's release-history database, and says which release
    removes it when that is known. A keyword is reported only when the call passes it a value
    other than `None` and the warning names it (pandas `fillna(method=...)`). Receivers must be
    certain, as for HAL003. Code that says it expects the warning is left alone: inside `with
    warnings.catch_warnings():` that first ignores deprecation warnings, or a test's `with
    pytest.deprecated_call():` / `pytest.warns(DeprecationWarning)`. Not in the default
    selection: select `HAL006` (or `HAL`) to use it.""",
    bad="""
        import locale
        language, encoding = locale.getdefaultlocale()
    """,
    good="""
        import locale
        language, encoding = locale.getlocale()
    """,
    fix_safety=FixSafety.NONE,
)


def selected(ctx: AnalysisContext) -> bool:
    """Does the configuration select HAL006 (before per-file ignores, which the engine applies)?
    The checker of HAL003-HAL005 asks, so that a run without HAL006 never loads the database
    for it."""
    cfg = ctx.config
    wanted = codes_table.expand(cfg.select) if cfg.select else codes_table.default_codes()
    return "HAL006" in wanted - codes_table.expand(cfg.ignore)


def describe(subject: str, found: Deprecation, installed: tuple[int, ...]) -> str:
    """"`BaseModel.dict` is deprecated in pydantic 2.14.3 (since 2.0): <text>; removed in 3.0"."""
    version = ".".join(map(str, installed[:2] if found.library == "Python" else installed))
    text = f"{subject} is deprecated in {found.library} {version} (since {found.since})"
    if found.message and found.message != "deprecated":
        text += f": {render(found.message, subject.split(' of ')[-1]).rstrip('.')}"
    if found.removed_in:
        text += f"; it is removed in {found.library} {found.removed_in}"
    return text


def passes_a_value(value: ast.expr) -> bool:
    """A keyword's value is certainly not ``None`` (a literal or a name bound elsewhere is not
    certain: only literals other than ``None`` count)."""
    return isinstance(value, (ast.Constant, ast.JoinedStr, ast.List, ast.Tuple, ast.Dict, ast.Set)) and not (
        isinstance(value, ast.Constant) and value.value is None)


_DEPRECATION_WARNINGS = frozenset({"DeprecationWarning", "PendingDeprecationWarning", "FutureWarning"})


def _callee_name(node: ast.expr) -> str:
    func = node.func if isinstance(node, ast.Call) else None
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _deprecations_named(node: ast.expr | None) -> bool:
    names = node.elts if isinstance(node, ast.Tuple) else [node]
    return bool(names) and all((n.attr if isinstance(n, ast.Attribute) else getattr(n, "id", None)) in _DEPRECATION_WARNINGS
                               for n in names)


def _ignores_deprecations(stmt: ast.stmt) -> bool:
    """``warnings.simplefilter("ignore")`` / ``warnings.filterwarnings("ignore")``, with no
    category or a deprecation category, and no message or module filter."""
    if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)):
        return False
    call = stmt.value
    if _callee_name(call) not in ("simplefilter", "filterwarnings") or len(call.args) != 1:
        return False
    action = call.args[0]
    if not (isinstance(action, ast.Constant) and action.value == "ignore"):
        return False
    return all(k.arg == "category" and _deprecations_named(k.value) for k in call.keywords)


def deprecation_expected(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Is ``node`` in a block that knowingly uses a deprecated API: a ``with
    warnings.catch_warnings():`` whose body starts by ignoring deprecation warnings, or a test's
    ``with pytest.deprecated_call():`` / ``pytest.warns(DeprecationWarning)``, or code that runs
    only when a ``hasattr`` probe for another name failed (``if hasattr(m, "model_dump"): return
    m.model_dump()`` then ``return m.dict()``: the old API where the new one is missing)?"""
    if runs_only_without_probed(node, parents, lambda _receiver, _name: True):
        return True
    child, cur = node, parents.get(node)
    while cur is not None:
        if isinstance(cur, ast.With) and child in cur.body:
            for item in cur.items:
                name = _callee_name(item.context_expr)
                if name == "deprecated_call" or name == "warns" and isinstance(item.context_expr, ast.Call) \
                        and item.context_expr.args and _deprecations_named(item.context_expr.args[0]):
                    return True
                if name == "catch_warnings":
                    for stmt in cur.body:
                        if stmt is child:
                            break
                        if _ignores_deprecations(stmt):
                            return True
        child, cur = cur, parents.get(cur)
    return False


def answering(inference: Any, owner: Value, name: str) -> Value | None:
    """The receiver whose deprecations ``owner.name`` answers to: an installed module, class or
    instance, or the installed base a class of this file takes ``name`` from."""
    if owner.kind in (LOCAL_INSTANCE, LOCAL_CLASS):  # `class User(BaseModel)`: `user.dict()` is BaseModel's
        base = inherited_from(inference.local_class(owner.path), name)
        return Value(INSTANCE if owner.kind == LOCAL_INSTANCE else OBJECT, base) if base else None
    return owner if owner.kind in (OBJECT, INSTANCE) else None


def inherited_from(local: Any, name: str) -> str | None:
    """The installed base class a class of this file takes ``name`` from (``class User(BaseModel)``:
    ``dict``), when the class does not bind it itself and exactly one of its installed bases has
    it: where two have it, which one wins is a question of the MRO (no answer)."""
    if local is None or name in local.own:
        return None
    having = [base.path for base in local.bases if name in (local.base_members.get(base.path) or ())]
    return having[0] if len(having) == 1 else None
