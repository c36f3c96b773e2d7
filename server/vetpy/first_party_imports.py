"""What each file of the project imports, read once per version of the file and kept on disk.

:class:`vetpy.first_party.FirstPartyFacts` answers project-wide questions about imports: which
import statements of the project run a module, guarded or not and under which ``if`` tests
(``imported_only_behind_guards``, ``import_conditions``), every module the project imports by
name and whether it imports any by a computed name (``loaded_by_name``).  Answered by reading and
parsing every file of the project, these questions cost a warm run of a 350k-line project 3.2 s of
its 3.8 s of CPU: the result cache asks them again to confirm the answers it kept.

So the import statements of each file are read once per version of the file (its size and
modification time, as :mod:`vetpy.resultcache` compares files) and kept on disk, one table per
project, as plain data; a question is then answered from an index of the project's statements by
every module they run.  The answers are the same as reading every file again: each statement
keeps what decides whether it runs a module (absolute or relative, its names), the ``if`` tests
around it (as source), and whether a failed import is expected there; a file's dotted name is
worked out again each time (a package marker may appear without the file changing); and the
textual pre-filter of the readers (``needle in text``) and their reading budget are applied as
they were.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from vetpy import reads
from vetpy.astutil import IMPORT_ERRORS, handler_catches, is_type_checking_test, resolve_relative, walk, walk_statements
from vetpy.files import is_package_file, module_name_for
from vetpy.libraries import WEB_FRAMEWORKS
from vetpy.trees import parse_file

FORMAT = 2
READ_BUDGET = 64 * 1024 * 1024  # project text read to answer, at most (the readers' budget before)

# `import_module(x)`, `importlib.import_module("a." + x)`, `__import__(x)`: a first argument that
# is not a plain string literal
DYNAMIC_IMPORT = re.compile(r"\b(?:import_module|__import__)\(\s*(?!\)|(?:'[^'\n]*'|\"[^\"\n]*\")\s*[,)])")

Raw = list  # ["i", [names]] of `import a.b, c`; ["f", level, module or None, [names]] of `from`
Condition = tuple[str, bool]  # the source of an `if` test and the side (True: its body) an import is on


def file_facts(path: Path) -> dict[str, Any] | None:
    """What the readers need of one file: its length (for the budget), whether it imports by a
    computed name, every import statement (``all``, for the names the project imports), the import
    statements that run (``sites``: not under ``if TYPE_CHECKING:``) with guarded? and their
    ``if`` tests, and which words of the statements and of the path occur in the text (``present``,
    for the readers' ``needle in text``).  None when it cannot be read."""
    try:
        text = reads.read_text(path, errors="replace")
    except OSError:
        return None
    dynamic = ("import_module(" in text or "__import__(" in text) and DYNAMIC_IMPORT.search(text) is not None
    facts: dict[str, Any] = {"len": len(text), "dynamic": dynamic,
                             "parsed": False, "all": [], "sites": [], "present": [],
                             "web": any(name in text for name in WEB_FRAMEWORKS)}
    if "import" not in text:
        # no import statement: nothing to parse (the readers parsed only such files, or found none)
        facts["parsed"] = True
        facts["present"] = _present(text, path, [])
        return facts
    try:
        tree = parse_file(str(path), text)  # kept for the file's analysis when it comes next (vetpy.trees)
    except (SyntaxError, ValueError):
        return facts
    facts["parsed"] = True
    facts["all"] = [_raw(node) for node in walk_statements(tree) if isinstance(node, (ast.Import, ast.ImportFrom))]
    facts["sites"] = [[_raw(stmt), guarded, [[ast.unparse(test), side] for test, side in conditions]]
                      for stmt, guarded, conditions in _sites(tree)]
    facts["present"] = _present(text, path, facts["all"])
    return facts


def _raw(node: ast.Import | ast.ImportFrom) -> Raw:
    if isinstance(node, ast.Import):
        return ["i", [alias.name for alias in node.names]]
    return ["f", node.level, node.module, [alias.name for alias in node.names]]


def _present(text: str, path: Path, statements: list[Raw]) -> list[str]:
    words = set(_path_words(path))
    for raw in statements:
        names = raw[1] if raw[0] == "i" else [raw[2] or "", *raw[3]]
        for name in names:
            words.update(name.split("."))
    return sorted(w for w in words if w and w in text)


def _path_words(path: Path) -> Iterable[str]:
    yield from path.parts
    yield path.stem
    try:
        resolved = path.resolve()
    except OSError:
        return
    yield from resolved.parts
    yield resolved.stem


def _sites(tree: ast.Module) -> list[tuple[ast.Import | ast.ImportFrom, bool, tuple[tuple[ast.expr, bool], ...]]]:
    """(import statement, guarded?, the `if` tests around it) of every import statement that runs
    (not under ``if TYPE_CHECKING:``), in the order the readers looked at them."""
    sites: list[tuple[ast.Import | ast.ImportFrom, bool, tuple[tuple[ast.expr, bool], ...]]] = []
    stack: list[tuple[list[ast.stmt], bool, tuple[tuple[ast.expr, bool], ...]]] = [(tree.body, False, ())]
    while stack:
        body, guarded, conditions = stack.pop()
        for stmt in body:
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                sites.append((stmt, guarded, conditions))
            elif isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
                catches = any(handler_catches(h, IMPORT_ERRORS) for h in stmt.handlers)  # type: ignore[attr-defined]
                stack.append((stmt.body, guarded or catches, conditions))  # type: ignore[attr-defined]
                for part in (*(h.body for h in stmt.handlers), stmt.orelse, stmt.finalbody):  # type: ignore[attr-defined]
                    stack.append((part, guarded, conditions))
            elif isinstance(stmt, ast.If):
                if is_type_checking_test(stmt.test):
                    stack.append((stmt.orelse, guarded, conditions))
                    continue
                switch = environment_switch(stmt.test)
                stack.append((stmt.body, guarded or switch, conditions + ((stmt.test, True),)))
                stack.append((stmt.orelse, guarded, conditions + ((stmt.test, False),)))
            elif isinstance(stmt, ast.Match):
                stack.extend((case.body, guarded, conditions) for case in stmt.cases)
            else:
                for field in ("body", "orelse", "finalbody"):
                    inner = getattr(stmt, field, None)
                    if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
                        stack.append((inner, guarded, conditions))
    return sites


def environment_switch(test: ast.expr) -> bool:
    """Is ``test`` an environment-variable switch (``os.environ.get("X")``, ``os.getenv("X")``,
    ``"X" in os.environ``): a feature the user turns on?"""
    for node in walk(test):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv"):
            return True
        if isinstance(node, ast.Name) and node.id in ("environ", "getenv"):
            return True
    return False


def targets(raw: Raw, here: str | None, is_package: bool) -> list[str]:
    """The modules an import statement runs (itself, or a module inside one of them)."""
    if raw[0] == "i":
        return list(raw[1])
    _, level, module, names = raw
    base = resolve_relative(here or "", is_package, level, module) if level else module
    if not base:
        return []
    return [base] + [f"{base}.{name}" for name in names if name != "*"]


def statement_targets(node: ast.Import | ast.ImportFrom, here: str | None, is_package: bool) -> list[str]:
    """:func:`targets` of one import statement of the module ``here``."""
    return targets(_raw(node), here, is_package)


class ProjectImports:
    """The import statements of the files of one project (listed once), indexed by the modules
    they run.  ``store``: the file that keeps each file's facts between runs (None: memory only)."""

    def __init__(self, root: Path, files: list[Path], store: Path | None) -> None:
        self.root = root
        self.files = files
        self.store = store
        self._facts: list[dict[str, Any] | None] | None = None
        self._here: list[tuple[str | None, bool]] = []
        self._index: dict[str, list[tuple[int, int]]] | None = None
        self._admitted: dict[Any, set[int]] = {}
        self._words: dict[int, set[str]] = {}  # file -> the words its facts looked for in its text

    def prepare(self) -> None:
        """Everything the questions read first: each file's facts, the files' dotted names, the
        index by module."""
        self._indexed()

    def prepared(self) -> tuple:
        """:meth:`prepare`, and what it worked out as plain data (for :meth:`adopt` in another process)."""
        self.prepare()
        return self._facts, self._here, self._index

    def adopt(self, state: tuple) -> None:
        """Take what :meth:`prepared` worked out for the same files (in another process)."""
        self._facts, self._here, self._index = state

    def facts(self) -> list[dict[str, Any] | None]:
        """Each file's facts, from the store where the file is as it was, else read now."""
        if self._facts is None:
            kept = self._load()
            table: dict[str, list] = {}
            facts: list[dict[str, Any] | None] = []
            for path in self.files:
                key = str(path)
                stamp = reads.file_stamp(key)
                entry = kept.get(key)
                if stamp is None or not isinstance(entry, list) or len(entry) != 2 or entry[0] != stamp:
                    entry = [stamp, file_facts(path)]
                facts.append(entry[1])
                if stamp is not None and entry[1] is not None:
                    table[key] = entry
            self._facts = facts
            if table != kept:
                self._save(table)
        return self._facts

    def imports(self) -> tuple[frozenset[str], bool]:
        """(every module an import statement of the project names, with the names it imports from
        each; does the project import modules by computed names?)"""
        facts = self.facts()
        admitted = self._within_budget(None, lambda i: True)
        if not any(facts[i]["dynamic"] for i in admitted):  # type: ignore[index]
            return frozenset(), False  # nothing is loaded by name
        names: set[str] = set()
        for i in sorted(admitted):
            here, is_package = self._names()[i]
            for raw in facts[i]["all"]:  # type: ignore[index]
                if raw[0] == "i":
                    names.update(raw[1])
                else:
                    found = targets(raw, here, is_package)
                    names.update(found)
        return frozenset(names), True

    def statements(self, module: str, skip: Callable[[Path], bool] | None = None,
                   skip_key: Any = None) -> Iterator[tuple[str | None, bool, tuple[Condition, ...]]]:
        """(importing module, guarded?, the `if` tests around it) for each import statement of the
        project that runs ``module`` (a stub's never runs), in the order of the files and of their
        statements; the files ``skip`` says yes to (``skip_key`` names that choice) left out."""
        facts = self.facts()
        for i, s in self._sites_of(module, skip, skip_key):
            _, guarded, conditions = facts[i]["sites"][s]  # type: ignore[index]
            yield self._names()[i][0], guarded, tuple((test, side) for test, side in conditions)

    def web_importers(self, module: str) -> tuple[str, ...]:
        """The importing modules of :meth:`statements` (``module`` itself left out) that may be web
        modules: a file whose text names no web framework imports none, unless its own package is
        one (``from .app import Flask`` in ``flask/``), so its data-flow model is never a web one."""
        facts = self.facts()
        found = set()
        for i, _ in self._sites_of(module, None, None):
            here = self._names()[i][0]
            if here and here != module and (facts[i]["web"] or here.split(".")[0] in WEB_FRAMEWORKS):  # type: ignore[index]
                found.add(here)
        return tuple(sorted(found))

    def _sites_of(self, module: str, skip: Callable[[Path], bool] | None, skip_key: Any) -> Iterator[tuple[int, int]]:
        """(file, statement) of each import statement of :meth:`statements`."""
        index = self._indexed()
        admitted = self._within_budget(skip_key, (lambda i: not skip(self.files[i])) if skip is not None else (lambda i: True))
        needle = module.rsplit(".", 1)[-1]
        for i, s in index.get(module, ()):
            path = self.files[i]
            if i not in admitted or path.suffix == ".pyi" or not self._holds(i, needle):
                continue
            yield i, s

    def _holds(self, i: int, needle: str) -> bool:
        """``needle in text`` of file ``i``, as the readers tested it."""
        facts = self.facts()[i]
        assert facts is not None
        if needle in facts["present"]:
            return True
        words = self._words.get(i)
        if words is None:
            words = self._words[i] = set(_path_words(self.files[i]))
            for raw in facts["all"]:
                words.update(w for name in (raw[1] if raw[0] == "i" else [raw[2] or "", *raw[3]]) for w in name.split("."))
        if needle in words:
            return False  # a word the facts looked for: not in the text
        try:  # a word from elsewhere (never expected): the text itself
            return needle in reads.read_text(self.files[i], errors="replace")
        except OSError:
            return False

    def _names(self) -> list[tuple[str | None, bool]]:
        if not self._here:
            with reads.capture():  # the answers are asked again by whoever keeps them
                self._here = [(module_name_for(str(path), self.root), is_package_file(path)) for path in self.files]
        return self._here

    def _indexed(self) -> dict[str, list[tuple[int, int]]]:
        """module -> (file, statement) of the statements that run it, in order."""
        if self._index is None:
            index: dict[str, list[tuple[int, int]]] = {}
            names = self._names()
            for i, facts in enumerate(self.facts()):
                if facts is None or not facts["parsed"]:
                    continue
                here, is_package = names[i]
                for s, (raw, _, _) in enumerate(facts["sites"]):
                    runs: set[str] = set()
                    for target in targets(raw, here, is_package):
                        parts = target.split(".")
                        runs.update(".".join(parts[:n]) for n in range(1, len(parts) + 1))
                    for name in runs:
                        index.setdefault(name, []).append((i, s))
            self._index = index
        return self._index

    def _within_budget(self, key: Any, chosen: Callable[[int], bool]) -> set[int]:
        """The files (of those ``chosen``) the readers read before their budget ran out: in order,
        every readable one, until the text read passes the budget."""
        if key not in self._admitted:
            budget, admitted = READ_BUDGET, set()
            for i, facts in enumerate(self.facts()):
                if facts is None or not chosen(i):
                    continue
                budget -= facts["len"]
                if budget < 0:
                    break
                admitted.add(i)
            self._admitted[key] = admitted
        return self._admitted[key]

    def _load(self) -> dict[str, list]:
        if self.store is None:
            return {}
        try:
            data = json.loads(self.store.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if isinstance(data, dict) and data.get("format") == FORMAT and data.get("vetpy") == reads.source_stamp() \
                and isinstance(data.get("files"), dict):
            return data["files"]
        return {}

    def _save(self, table: dict[str, list]) -> None:
        if self.store is None:
            return
        from vetpy.environment.discovery import write_cache_json

        write_cache_json(self.store, {"format": FORMAT, "vetpy": reads.source_stamp(), "files": table})

