"""``with`` blocks whose imports are optional: the context manager swallows (or expects) the
ImportError of a module that is not installed, as ``try: ... except ImportError:`` does.

- it is handed ImportError (or ModuleNotFoundError, Exception): ``contextlib.suppress(ImportError)``
  (statsmodels), ``pytest.raises(ImportError)``, ``self.assertRaises(ModuleNotFoundError)``;
- it is named for guarding imports: a word of its name is ``import``/``imports`` (optuna's
  ``with try_import() as _imports:``, whose ``__exit__`` keeps the ImportError until
  ``_imports.check()``; ``optional_imports()``, ``ImportGuard()``).  Such a helper exists for
  nothing else, and whatever it does with the error is the project's, not something vetpy can
  be sure of.  ``with open(...)``, ``warnings.catch_warnings()``, ``importing_lock()`` are not guards.
"""

from __future__ import annotations

import ast
import re

from vetpy.astutil import dotted_name

IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}  # a handler of these catches a failed import
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
