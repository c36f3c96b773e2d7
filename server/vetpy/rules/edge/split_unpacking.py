"""EDGE035 unpacked-split: ``hours, minutes = text.split(":")`` of text the function does not control."""

from __future__ import annotations

import ast
from typing import Iterator

from vetpy.astutil import name_words
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, Severity
from vetpy.rules.edge.facts import Module, is_test_file, walk_no_nested
from vetpy.rules.registry import REGISTRY, rule


UNPACKED_SPLIT = rule(
    code="EDGE035",
    name="unpacked-split",
    family="EDGE",
    severity=Severity.WARNING,
    question="What if the text holds no separator, or one too many?",
    summary="Fixed names unpacked from `str.split()` of input text (`h, m = text.split(\":\")`): a `ValueError` on an empty or malformed value.",
    rationale="""`hours, minutes = text.split(":")` needs exactly one `:` in `text`: an empty string,
    `"90"`, `"1:30:00"` or a blank line of a file raise `ValueError: not enough values to unpack`
    (or `too many`), which a caller sees as a 500 or a crashed import, and a whole file is
    rejected for one stray line. `maxsplit` (`text.split("=", 1)`) removes the "too many" case
    only. Reported when the text is input the function does not control: a parameter annotated
    `str` of a public function (a parser called with what a user typed, a form or a CLI gave)
    or a line of a file or of a decoded body (the target of `for line in data.splitlines()`,
    `.readlines()`, a file object, or a loop variable named as a line), and nothing checks it
    first. Not reported: a separator tested before (`if ":" not in text: raise ...`,
    `text.count(":")`, a regular expression that matches the text), the split inside a `try`
    that handles `ValueError` (or `Exception`), a starred target (`first, *rest = ...`),
    `str.partition` (never raises), a private helper (`_parse`, whose callers are its own
    module's), a test file. Check the separator, use `partition` and test what it found, or
    catch the `ValueError` and report which value was malformed. Nor an import path split into
    module and attribute (`module, attr = path.rsplit(".", 1)`): its value comes from the code or
    its configuration, and a wrong one fails at start-up.""",
    bad="""
        def parse_duration(text: str) -> int:
            hours, minutes = text.split(":")
            return int(hours) * 60 + int(minutes)
    """,
    good="""
        def parse_duration(text: str) -> int:
            hours, sep, minutes = text.partition(":")
            if not sep or not hours.isdigit() or not minutes.isdigit():
                raise ValueError(f"expected H:MM, got {text!r}")
            return int(hours) * 60 + int(minutes)
    """,
)

_KEEPS_TEXT = frozenset({"strip", "lstrip", "rstrip", "lower", "upper", "casefold", "decode"})
_LINE_SOURCES = frozenset({"splitlines", "readlines"})
_HANDLES = frozenset({"ValueError", "Exception", "BaseException"})
_MATCHES = frozenset({"match", "fullmatch", "search", "count", "partition", "rpartition", "startswith", "endswith"})


def _split_subject(value: ast.expr) -> tuple[str, str | None] | None:
    """``(name, separator)`` of ``name[.strip()...].split(sep[, maxsplit])``; None otherwise."""
    if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr in ("split", "rsplit")):
        return None
    sep: str | None = None
    if value.args:
        first = value.args[0]
        if not (isinstance(first, ast.Constant) and (first.value is None or (isinstance(first.value, str) and first.value))):
            return None
        sep = first.value
    elif any(k.arg == "sep" for k in value.keywords):
        return None
    receiver = value.func.value
    while (isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Attribute)
           and receiver.func.attr in _KEEPS_TEXT and not receiver.args):
        receiver = receiver.func.value
    if not isinstance(receiver, ast.Name):
        return None
    return receiver.id, sep


def _is_str_annotation(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Name) and node.id == "str"


def _str_parameter(func: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    args = func.args
    for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
        if a.arg == name:
            return _is_str_annotation(a.annotation)
    return False


def _rebound(scope: list[ast.stmt], name: str) -> bool:
    for node in walk_no_nested(scope):
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Store):
            return True
    return False


def _line_loop(mod: Module, stmt: ast.stmt, name: str) -> bool:
    """``stmt`` runs in a ``for name in <lines>`` loop: lines of a text, a file or named as lines."""
    node: ast.AST | None = mod.doc.parents.get(stmt)
    while node is not None and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
        if isinstance(node, (ast.For, ast.AsyncFor)) and isinstance(node.target, ast.Name) and node.target.id == name:
            it = node.iter
            if isinstance(it, (ast.List, ast.Tuple, ast.Set, ast.Dict, ast.Constant)):
                return False
            if isinstance(it, ast.Call) and isinstance(it.func, ast.Attribute) and it.func.attr in _LINE_SOURCES:
                return True
            if isinstance(it, ast.Call) and mod.is_builtin(it.func, "open"):
                return True
            return "line" in name_words(name)
        node = mod.doc.parents.get(node)
    return False


def _in_handling_try(mod: Module, stmt: ast.stmt) -> bool:
    child: ast.AST = stmt
    node = mod.doc.parents.get(stmt)
    while node is not None and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
        if isinstance(node, (ast.Try, ast.TryStar)) and child in node.body:
            for handler in node.handlers:
                if handler.type is None:
                    return True
                kinds = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
                if any(isinstance(k, (ast.Name, ast.Attribute)) and (k.id if isinstance(k, ast.Name) else k.attr) in _HANDLES for k in kinds):
                    return True
        child, node = node, mod.doc.parents.get(node)
    return False


def _checked(scope: list[ast.stmt], name: str, sep: str | None) -> bool:
    """The function tests the text's content: ``sep in name``, ``name.count(...)``, a regex match of it."""
    for node in walk_no_nested(scope):
        if isinstance(node, ast.Compare) and any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops):
            if any(isinstance(n, ast.Name) and n.id == name for part in node.comparators for n in ast.walk(part)):
                return True
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _MATCHES:
            if any(isinstance(n, ast.Name) and n.id == name for part in [node.func.value, *node.args] for n in ast.walk(part)):
                return True
    return False


@REGISTRY.checker("EDGE035")
def check_unpacked_split(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    if "split(" not in doc.text or is_test_file(doc.path):
        return
    mod = Module.of(doc)
    for node in mod.of_type(ast.Assign):
        assert isinstance(node, ast.Assign)
        if len(node.targets) != 1 or not isinstance(node.targets[0], (ast.Tuple, ast.List)):
            continue
        names = node.targets[0].elts
        if len(names) < 2 or any(isinstance(e, ast.Starred) for e in names):
            continue
        subject = _split_subject(node.value)
        if subject is None:
            continue
        name, sep = subject
        if sep == "." and isinstance(node.value, ast.Call) and node.value.func.attr == "rsplit" and _has_maxsplit(node.value):  # type: ignore[attr-defined]
            continue  # `module, attr = path.rsplit(".", 1)`: an import path from code or configuration
        func = mod.enclosing_functions.get(id(node))
        scope: list[ast.stmt] = func.body if func is not None else mod.tree.body
        if func is not None and _str_parameter(func, name):
            if func.name.startswith("_") or _rebound(scope, name):
                continue
            source = f"the parameter `{name}`"
        elif _line_loop(mod, node, name):
            source = f"a line `{name}`"
        else:
            continue
        if _checked(scope, name, sep) or _in_handling_try(mod, node):
            continue
        shown = "whitespace" if sep is None else repr(sep)
        yield UNPACKED_SPLIT.finding(
            doc,
            node,
            f"unpacking {len(names)} names from {ast.unparse(node.value)} raises `ValueError` when {source} "
            f"holds {'no' if len(names) == 2 else 'fewer'} {shown} separator{'s' if len(names) > 2 else ''} "
            f"(an empty or malformed value){'' if _has_maxsplit(node.value) else ' or more than expected'}; "
            f"check it first or use `partition`",
        )


def _has_maxsplit(call: ast.expr) -> bool:
    assert isinstance(call, ast.Call)
    return len(call.args) > 1 or any(k.arg == "maxsplit" for k in call.keywords)
