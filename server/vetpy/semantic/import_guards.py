"""``with`` blocks whose imports are optional: the context manager swallows (or expects) the
ImportError of a module that is not installed, as ``try: ... except ImportError:`` does.

- it is handed ImportError (or ModuleNotFoundError, Exception): ``contextlib.suppress(ImportError)``
  (statsmodels), ``pytest.raises(ImportError)``, ``self.assertRaises(ModuleNotFoundError)``;
- it is named for guarding imports: a word of its name is ``import``/``imports`` (optuna's
  ``with try_import() as _imports:``, whose ``__exit__`` keeps the ImportError until
  ``_imports.check()``; ``optional_imports()``, ``ImportGuard()``).  Such a helper exists for
  nothing else, and whatever it does with the error is the project's, not something vetpy can
  be sure of.  ``with open(...)``, ``warnings.catch_warnings()``, ``importing_lock()`` are not guards.

And the conditions of skip marks (:func:`skip_conditions`): a test under ``@pytest.mark.skipif(C)``
runs only where ``C`` is false, as if inside ``if not C:``.
"""

from __future__ import annotations

import ast
import re

from vetpy.astutil import IMPORT_ERRORS, dotted_name, node_memo

_WORDS = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


def _callee_name(expr: ast.expr) -> str:
    func = expr.func if isinstance(expr, ast.Call) else expr
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def suppresses_import_errors(expr: ast.expr) -> bool:
    """Does the context manager ``expr`` (a ``with`` item) make the imports in its body optional?"""
    if isinstance(expr, ast.Call) and any((dotted_name(a) or "").split(".")[-1] in IMPORT_ERRORS for a in expr.args):
        return True
    words = {w.lower() for w in _WORDS.findall(_callee_name(expr))}
    return bool(words & {"import", "imports"})


def skip_conditions(owner: ast.AST) -> list[tuple[ast.expr, bool]]:
    """(condition, the value it must have for the code to run) of the skip marks on a test function
    or class (``@pytest.mark.skipif(C, reason=...)``, ``@unittest.skipIf(C, ...)``: C false;
    ``@unittest.skipUnless(C, ...)``: C true) or of a module's ``pytestmark = pytest.mark.skipif(C)``
    (or a list of marks)."""
    if isinstance(owner, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return _conditions(owner.decorator_list) if owner.decorator_list else []
    return _module_marks(owner) if isinstance(owner, ast.Module) else []


@node_memo
def _module_marks(module: ast.Module) -> list[tuple[ast.expr, bool]]:
    values = [st.value for st in module.body if isinstance(st, ast.Assign) and any(
        isinstance(t, ast.Name) and t.id == "pytestmark" for t in st.targets)]
    return _conditions([e for v in values for e in (v.elts if isinstance(v, (ast.List, ast.Tuple)) else [v])])


def _conditions(marks: list[ast.expr]) -> list[tuple[ast.expr, bool]]:
    found = []
    for mark in marks:
        name = _callee_name(mark) if isinstance(mark, ast.Call) else ""
        test = mark.args[0] if isinstance(mark, ast.Call) and mark.args else next(
            (k.value for k in getattr(mark, "keywords", ()) if k.arg == "condition"), None)
        if name in ("skipif", "skipIf", "skipUnless") and test is not None and not isinstance(test, ast.Constant):
            found.append((test, name == "skipUnless"))
    return found
