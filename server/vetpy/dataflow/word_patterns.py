"""A name validated by an allow-list pattern of word characters, for every sink.

``if not re.fullmatch(r"[a-z_][a-z0-9_]{0,30}", db_name): abort(400)``: after the test the name
holds letters, digits and underscores only, nothing a shell, SQL, a path, a URL, a header or a
template gives a meaning to.  Accepted: ``re.fullmatch`` (or a compiled pattern's ``fullmatch``),
``match`` whose pattern ends with ``\\Z``, ``search`` with ``\\A`` and ``\\Z``, and no other
character than word characters; ``$`` is no end here, as it also matches before a trailing
newline, which a shell reads as the end of a command.  The test must leave the block when the
match fails: ``if not <match>:`` or ``if <match> is None:`` (the caller checks the block leaves).
"""

from __future__ import annotations

import ast
import re
from typing import Callable

try:  # the regular-expression parser of the running Python (`re._parser` since 3.11)
    from re import _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _sre_parse  # type: ignore[no-redef]

_WORD_CATEGORIES = frozenset({"CATEGORY_DIGIT", "CATEGORY_WORD", "CATEGORY_UNI_DIGIT", "CATEGORY_UNI_WORD",
                              "CATEGORY_LOC_WORD"})
_LONGEST_RANGE = 4096  # a range wider than this is not read character by character: not accepted


def failed_word_match(test: ast.expr, module: ast.Module) -> str | None:
    """The name that ``test`` (of an ``if`` whose block leaves) proves to hold word characters
    only when it is false: ``not <match of NAME>`` or ``<match of NAME> is None``."""
    found = _failed_match(test, module)
    if found is None or not word_only(*found[:2]):
        return None
    return found[2]


def shell_word_match(test: ast.expr, module: ast.Module) -> tuple[str, bool] | None:
    """The name that ``test`` (as for :func:`failed_word_match`) proves to hold only characters a
    shell gives no meaning to (``shlex.quote``'s safe set: word characters and ``@%+=:,./-``), and
    whether it may end with one newline: a pattern ended by ``$``, which also matches before a
    trailing newline (the shell ends the command there and runs what follows as another)."""
    found = _failed_match(test, module)
    if found is None:
        return None
    pattern, method, name = found
    if word_only(pattern, method, shell=True, line_end=False):
        return name, False
    if word_only(pattern, method, shell=True, line_end=True):
        return name, True
    return None


def _failed_match(test: ast.expr, module: ast.Module) -> tuple[str, str, str] | None:
    """(pattern, method, name) of ``not <match of NAME>`` or ``<match of NAME> is None``."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        call = test.operand
    elif (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Is)
          and isinstance(test.comparators[0], ast.Constant) and test.comparators[0].value is None):
        call = test.left
    else:
        return None
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and not call.keywords):
        return None
    method, owner = call.func.attr, call.func.value
    if isinstance(owner, ast.Name) and owner.id == "re":
        if len(call.args) != 2:
            return None  # flags: left alone
        pattern, subject = _constant(call.args[0]), call.args[1]
    elif len(call.args) == 1:
        pattern, subject = _compiled(owner, module), call.args[0]
    else:
        return None
    if pattern is None or not isinstance(subject, ast.Name):
        return None
    return pattern, method, subject.id


def word_only(pattern: str, method: str, shell: bool = False, line_end: bool = False) -> bool:
    """Does ``pattern``, applied by ``method``, match whole strings of word characters only?
    ``shell``: of ``shlex.quote``'s safe characters; ``line_end``: a pattern ended by ``$`` too."""
    if method not in ("fullmatch", "match", "search"):
        return False
    items = parse_pattern(pattern)
    if not items or not every_character(items, _shell_character if shell else _word_character):
        return False
    first, last = items[0], items[-1]
    end_anchors = ("AT_END_STRING", "AT_END") if line_end else ("AT_END_STRING",)
    ends = method == "fullmatch" or (str(last[0]) == "AT" and str(last[1]) in end_anchors)
    begins = method != "search" or (str(first[0]) == "AT" and str(first[1]) == "AT_BEGINNING_STRING")
    return ends and begins


_REPEATS = frozenset({"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"})


def parse_pattern(pattern: str) -> list | None:
    """The items of a regular expression as the running Python parses it; None when it does not."""
    try:
        return list(_sre_parse.parse(pattern))
    except (re.error, RecursionError, OverflowError):
        return None


def every_character(items: list, character: Callable[[str, object], bool],
                    zero_width: frozenset[str] = frozenset({"AT"})) -> bool:
    """Is every character the parsed pattern ``items`` can match one ``character(op, argument)``
    accepts (through repeats, groups, alternatives and sets; the items named in ``zero_width``
    consume nothing and pass; anything else not understood fails)?"""
    for op, av in items:
        name = str(op)
        if name in _REPEATS:
            ok = every_character(list(av[2]), character, zero_width)
        elif name == "SUBPATTERN":
            ok = every_character(list(av[-1]), character, zero_width)
        elif name == "BRANCH":
            ok = all(every_character(list(branch), character, zero_width) for branch in av[1])
        elif name == "IN":
            ok = all(character(str(o), a) for o, a in av)
        else:  # anchors (which ones end a match is for the caller to decide)
            ok = name in zero_width or character(name, av)
        if not ok:
            return False
    return True


def _word_character(name: str, av: object) -> bool:
    """One character (or set item) that is always a word character; `.`, ``[^...]`` and anything
    not understood may be another."""
    if name == "LITERAL":
        return _is_word(chr(av))  # type: ignore[arg-type]
    if name == "RANGE":
        low, high = av  # type: ignore[misc]
        return high - low <= _LONGEST_RANGE and all(_is_word(chr(c)) for c in range(low, high + 1))
    if name == "CATEGORY":
        return str(av) in _WORD_CATEGORIES
    return False


def _shell_character(name: str, av: object) -> bool:
    """One character (or set item) that ``shlex.quote`` leaves unquoted."""
    if name == "LITERAL":
        return _is_word(chr(av)) or chr(av) in _SHELL_SAFE  # type: ignore[arg-type]
    if name == "RANGE":
        low, high = av  # type: ignore[misc]
        return high - low <= _LONGEST_RANGE and all(_is_word(chr(c)) or chr(c) in _SHELL_SAFE for c in range(low, high + 1))
    return _word_character(name, av)


# the characters besides word characters that `shlex.quote` leaves as they are (its `_find_unsafe`)
_SHELL_SAFE = frozenset("@%+=:,./-")


def _is_word(ch: str) -> bool:
    return ch == "_" or ch.isalnum()


def _constant(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _compiled(owner: ast.expr, module: ast.Module) -> str | None:
    """The constant pattern of ``NAME = re.compile("...")`` bound once at module level."""
    if not isinstance(owner, ast.Name):
        return None
    bound = [s for s in module.body if isinstance(s, ast.Assign)
             and any(isinstance(t, ast.Name) and t.id == owner.id for t in s.targets)]
    if len(bound) != 1:
        return None
    value = bound[0].value
    if (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr == "compile"
            and isinstance(value.func.value, ast.Name) and value.func.value.id == "re"
            and len(value.args) == 1 and not value.keywords):
        return _constant(value.args[0])
    return None
