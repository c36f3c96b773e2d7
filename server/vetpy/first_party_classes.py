"""Which of the project's classes can be a subclass of an installed class (issue 15).

An object annotated as an installed class (``def f(cmd: click.Command)``) may be of a subclass
the project defines, so a name that one of the project's classes gives its instances is not
reported on it.  A class whose bases are only builtins (``class Base:``, ``class Error(Exception)``)
or other such classes of the same file cannot be a subclass of a class outside ``builtins``: its
MRO holds only those classes.  Its names still count when it may itself be a base of a class that
may be such a subclass: its name is written in the bases of a class statement anywhere in the
project (a mixin: ``class Mixin: def run(self)``, then ``class Cmd(Mixin, click.Command)``),
other than those of such rooted classes of its own file that are not bases of one in turn.

Asked only when a name the project's classes give would otherwise keep an annotated receiver open:
then the files whose text patterns give that name are parsed (once per name).  What is kept for
every file is only the names written in its class statements' bases (:func:`base_tokens`).
"""

from __future__ import annotations

import ast
import builtins
import re
from collections import Counter
from typing import Iterable

from vetpy.astutil import child_nodes, parse, walk
from vetpy.trees import parse_file

_CLASS_HEADER = re.compile(r"^[ \t]*class[ \t]+\w+[ \t]*\(", re.M)
_NAME = re.compile(r"[A-Za-z_]\w*")
_BUILTIN_CLASSES = frozenset(name for name, value in vars(builtins).items() if isinstance(value, type))


def base_tokens(text: str) -> list[str]:
    """Every name written between the parentheses of a class statement's bases in ``text`` (with
    repeats; `metaclass=M` and `Generic[T]` give their names too: more names only keep more open).
    A header whose parentheses do not close is read to the end of the text."""
    found: list[str] = []
    for match in _CLASS_HEADER.finditer(text):
        depth, i = 1, match.end()
        while i < len(text) and depth:
            char = text[i]
            depth += char == "("
            depth -= char == ")"
            i += 1
        found.extend(_NAME.findall(text, match.end(), i))
    return found


def _given(cls: ast.ClassDef) -> set[str]:
    """The methods of ``cls`` taking ``self`` and the ``self.x = ...`` of their bodies (what the
    text patterns of :mod:`vetpy.first_party` see, attributed to this class)."""
    names: set[str] = set()
    for node in cls.body:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        first = (node.args.posonlyargs + node.args.args)[:1]
        if first and first[0].arg == "self":
            names.add(node.name)
        for sub in walk(node):
            if isinstance(sub, ast.Attribute) and not isinstance(sub.ctx, ast.Load) \
                    and isinstance(sub.value, ast.Name) and sub.value.id == "self":
                names.add(sub.attr)
    return names


def _outside_classes(tree: ast.AST) -> set[str]:
    """Names the text patterns see that no class body gives directly: a ``def f(self)`` that is
    not a statement of a class body (nested in a function, under an ``if``), a ``self.x = ...`` in
    no class."""
    found: set[str] = set()

    def visit(node: ast.AST, in_class_body: bool, in_class: bool) -> None:
        for child in child_nodes(node):
            if isinstance(child, ast.ClassDef):
                visit(child, True, True)
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                first = (child.args.posonlyargs + child.args.args)[:1]
                if first and first[0].arg == "self" and not in_class_body:
                    found.add(child.name)
                visit(child, False, in_class)
            else:
                if not in_class and isinstance(child, ast.Attribute) and not isinstance(child.ctx, ast.Load) \
                        and isinstance(child.value, ast.Name) and child.value.id == "self":
                    found.add(child.attr)
                visit(child, False, in_class)

    visit(tree, False, False)
    return found


def _rooted_classes(nodes: list[ast.AST], classes: list[ast.ClassDef]) -> dict[str, bool]:
    """Per class name of the file (``nodes``: every node of its tree): are all its class
    statements rooted in builtins (bases only builtins the file does not bind otherwise, or such
    classes of the file)?"""
    bound_otherwise: set[str] = set()  # a name the file binds other than by a class statement
    for node in nodes:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            bound_otherwise.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            bound_otherwise.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            bound_otherwise.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bound_otherwise.update(node.names)
    by_name: dict[str, list[ast.ClassDef]] = {}
    for cls in classes:
        by_name.setdefault(cls.name, []).append(cls)
    rooted: dict[str, bool] = {}

    def is_rooted(name: str, seen: frozenset[str]) -> bool:
        if name in rooted:
            return rooted[name]
        if name in seen or name in bound_otherwise:
            return False
        answer = all(bases_rooted(cls, seen | {name}) for cls in by_name[name])
        rooted[name] = answer
        return answer

    def bases_rooted(cls: ast.ClassDef, seen: frozenset[str]) -> bool:
        for base in cls.bases:
            if not isinstance(base, ast.Name):
                return False  # `abc.ABC`, `Generic[T]`, `*bases`, a call: not proven
            if base.id in by_name:
                if not is_rooted(base.id, seen):
                    return False
            elif base.id not in _BUILTIN_CLASSES or base.id in bound_otherwise:
                return False
        return True

    return {name: is_rooted(name, frozenset()) for name in by_name}


def only_rooted(name: str, texts: Iterable[str], bases: Counter[str], paths: Iterable[str] = ()) -> bool:
    """Do only classes rooted in builtins give ``name``, in the files ``texts`` (those whose text
    patterns give it; their ``paths`` when known, to share their trees: :mod:`vetpy.trees`), none
    of them a possible base of another class (``bases``: the names written in every class
    statement's bases in the project, :func:`base_tokens`)?"""
    paths = list(paths)
    for i, text in enumerate(texts):
        if not text:
            return False  # it gave the name when it was read: changed or unreadable since
        try:
            tree = parse_file(paths[i], text) if i < len(paths) else parse(text)
        except (SyntaxError, ValueError):
            return False
        if name in _outside_classes(tree):
            return False
        nodes = list(walk(tree))  # one walk for the classes and the names bound otherwise
        classes = [n for n in nodes if isinstance(n, ast.ClassDef)]
        rooted = _rooted_classes(nodes, classes)
        # the bases written by the file's rooted classes: uses that stay among rooted classes
        inner: Counter[str] = Counter()
        users: dict[str, list[str]] = {}
        for cls in classes:
            if rooted.get(cls.name):
                for base in cls.bases:
                    if isinstance(base, ast.Name):
                        inner[base.id] += 1
                        users.setdefault(base.id, []).append(cls.name)

        def escapes(cls_name: str, seen: frozenset[str]) -> bool:
            if cls_name in seen or bases[cls_name] > inner[cls_name]:
                return True  # named as a base elsewhere (or in a cycle): may be in a subclass's MRO
            return any(escapes(user, seen | {cls_name}) for user in users.get(cls_name, ()))

        for cls in classes:
            if name in _given(cls) and (not rooted.get(cls.name) or escapes(cls.name, frozenset())):
                return False
    return True
