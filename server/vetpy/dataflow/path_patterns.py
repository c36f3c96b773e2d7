"""A name validated as one path segment by a regular expression (for SEC015).

``if not re.fullmatch(r"[a-z0-9_-]{1,64}\\.csv", name): abort(400)`` leaves a name that holds no
``/`` or ``\\``: joined under a directory it names a file in that directory. Accepted: ``fullmatch``
(or ``match`` with a pattern anchored at its end, ``search`` anchored at both ends) of ``re`` or of
a compiled pattern bound once in the module or the function, with a constant pattern in which no
part can match a path separator; the match must be tested (``if``, ``assert``, a boolean operand,
a comparison with ``None``)."""

from __future__ import annotations

import ast
from dataclasses import replace

from vetpy.dataflow.values import FunctionNode, Value
from vetpy.dataflow.word_patterns import every_character, parse_pattern

_SEPARATORS = (ord("/"), ord("\\"))
_MATCHERS = frozenset({"fullmatch", "match", "search"})
# ``str`` methods true only when every character is a letter or a digit (or the string an identifier):
# never of a string holding ``/``, ``\\`` or ``.``; (``isascii``, ``isprintable`` admit them)
_SEGMENT_PREDICATES = frozenset({"isalnum", "isalpha", "isdigit", "isdecimal", "isnumeric", "isidentifier"})
# anchors and look-arounds consume nothing; a back-reference repeats a checked group
_CONSUMES_NOTHING = frozenset({"AT", "ASSERT", "ASSERT_NOT", "GROUPREF"})
# character classes that hold no separator: \d, \w, \s (the NOT_ forms hold both)
_SAFE_CATEGORIES = frozenset({"CATEGORY_DIGIT", "CATEGORY_WORD", "CATEGORY_SPACE", "CATEGORY_UNI_DIGIT", "CATEGORY_UNI_WORD",
                              "CATEGORY_UNI_SPACE", "CATEGORY_LOC_WORD"})
_END = frozenset({"AT_END", "AT_END_STRING"})
_BEGIN = frozenset({"AT_BEGINNING", "AT_BEGINNING_STRING"})


def segment_checked(value: Value, arg: ast.expr, caller: FunctionNode | None, module: ast.Module) -> Value:
    """The value a caller passes as ``arg`` to a helper that may open it: clean for a path sink when
    the caller tested that name as one path segment (``if not SAFE.fullmatch(name): abort(400)``
    then ``save_report(name, data)``), as the same test would clear an ``open`` in the caller."""
    if caller is None or not isinstance(arg, ast.Name) or "path" in value.clean_for \
            or not validated_segment(caller, {arg.id}, module):
        return value
    return replace(value, clean_for=value.clean_for | {"path"})


def validated_segment(func: FunctionNode, names: set[str], module: ast.Module) -> bool:
    """A name of ``names`` is tested in ``func`` by a pattern match that admits no path separator,
    or by a ``str`` predicate true only of letters, digits or an identifier (``name.isalnum()``)."""
    for node in ast.walk(func):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr in _SEGMENT_PREDICATES:
            owner = node.func.value
            if not node.args and isinstance(owner, ast.Name) and owner.id in names and _tested(node, func):
                return True
            continue
        if node.func.attr not in _MATCHERS:
            continue
        owner = node.func.value
        if isinstance(owner, ast.Name) and owner.id == "re":
            if len(node.args) < 2:
                continue
            pattern, subject = _constant(node.args[0]), node.args[1]
        else:
            if not node.args:
                continue
            pattern, subject = _compiled(owner, func, module), node.args[0]
        if not (isinstance(subject, ast.Name) and subject.id in names) or pattern is None:
            continue
        if _segment_only(pattern, node.func.attr) and _tested(node, func):
            return True
    return False


def _constant(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _compiled(owner: ast.expr, func: FunctionNode, module: ast.Module) -> str | None:
    """The constant pattern of ``NAME = re.compile("...")``, bound once in ``func`` or the module."""
    if not isinstance(owner, ast.Name):
        return None
    for scope in (func, module):
        bound = [s for s in (scope.body if scope is module else ast.walk(scope))
                 if isinstance(s, ast.Assign) and any(isinstance(t, ast.Name) and t.id == owner.id for t in s.targets)]
        if len(bound) > 1:
            return None
        if bound:
            value = bound[0].value
            if (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "compile"
                    and isinstance(value.func.value, ast.Name) and value.func.value.id == "re" and value.args):
                return _constant(value.args[0])
            return None
    return None


def _segment_only(pattern: str, method: str) -> bool:
    """The pattern, as ``method`` applies it, matches whole strings only and never a separator."""
    items = parse_pattern(pattern)
    if items is None or not every_character(items, _character_without_separator, _CONSUMES_NOTHING):
        return False
    ends = method == "fullmatch" or (items and str(items[-1][0]) == "AT" and str(items[-1][1]) in _END)
    begins = method != "search" or (items and str(items[0][0]) == "AT" and str(items[0][1]) in _BEGIN)
    return bool(ends and begins)


def _character_without_separator(name: str, av: object) -> bool:
    """One character (or set item) that is never ``/`` or ``\\``; `.`, ``[^...]`` (NEGATE) and
    anything not understood may be one."""
    if name == "LITERAL":
        return av not in _SEPARATORS
    if name == "RANGE":
        return not any(av[0] <= sep <= av[1] for sep in _SEPARATORS)  # type: ignore[index]
    if name == "CATEGORY":
        return str(av) in _SAFE_CATEGORIES
    return False


def _tested(call: ast.Call, func: FunctionNode) -> bool:
    """The match decides something: it is (part of) the test of an ``if``, ``while``, ``assert`` or
    conditional expression, or compared with ``None``."""
    for node in ast.walk(func):
        test = node.test if isinstance(node, (ast.If, ast.While, ast.Assert, ast.IfExp)) else None
        if test is not None and any(sub is call for sub in ast.walk(test)):
            return True
    return False
