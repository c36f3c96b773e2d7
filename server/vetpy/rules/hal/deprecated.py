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

from vetpy import codes as codes_table
from vetpy.context import AnalysisContext
from vetpy.findings import FixSafety, Severity
from vetpy.history import Deprecation, render
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
    certain, as for HAL003. Not in the default selection: select `HAL006` (or `HAL`) to use it.""",
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
