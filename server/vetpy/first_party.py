"""What the project's own code does to objects it does not own, read from its text once per project.

A Django middleware of the project sets ``request.event = ...``; every view then reads
``request.event`` from an ``HttpRequest`` whose class never mentions it.  A project that calls
``logging.setLoggerClass(TraceLogger)`` makes every ``logging.getLogger()`` a ``TraceLogger``.
Neither fact is in any one file, so the checks of one document ask this project-wide summary.
The project's code is read as text, never imported (a regular expression per file, like the
introspection worker's reading of installed packages), on first use, within a byte budget.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import threading
from collections import Counter
from pathlib import Path
from typing import Iterable

from vetpy import reads
from vetpy.reads import file_stamp
from vetpy.astutil import handler_catches, is_type_checking_test, parse, resolve_relative, walk
from vetpy.files import in_test_suite, is_package_file, is_regular_file, iter_python_files, module_name_for
from vetpy.first_party_classes import base_tokens, only_rooted
from vetpy.first_party_imports import Condition, ProjectImports
from vetpy.first_party_stores import SIMPLE_RECEIVER, may_store_on_made, stores_on_made
from vetpy.trees import parse_bytes_file

# `x.name = ...` / `x.name: T = ...` / `a.b.name = ...` at the start of a line, x not self/cls
# `cast(Any, logging).Logger.trace = trace`: the cast only quiets a type checker, the target is `logging`
_FOREIGN_ASSIGN = re.compile(
    r"^[ \t]*(?!self\.|cls\.)(?:(?:[A-Za-z_]\w*\.)?cast\([^()\n]*\)|[A-Za-z_])[\w.]*\.([A-Za-z_]\w*)"
    r"[ \t]*(?::[^=\n]*)?=(?!=)",
    re.M,
)
_FOREIGN_SETATTR = re.compile(r"\bsetattr\(\s*(?!self\b|cls\b)[A-Za-z_][\w.]*\s*,\s*['\"]([A-Za-z_]\w*)['\"]")
# `setattr(logging, level_name, value)`: a computed name written into what a root name reaches
_COMPUTED_SETATTR = re.compile(r"\bsetattr\(\s*(?!self\b|cls\b)([A-Za-z_]\w*)[\w.()]*\s*,\s*(?!['\"\s])")
_SETS_LOGGER_CLASS = re.compile(r"\bsetLoggerClass\s*\(")
# a botocore event handler that adds methods to the classes of boto3 clients or resources as they are made
_EXTENDS_AWS_CLIENTS = re.compile(r"['\"]creating-(?:client|resource)-class")
# `def name(self` in a class body, `self.name = ...`: what the project's classes give their instances
_OWN_METHOD = re.compile(r"^[ \t]+(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)[ \t]*\(\s*self\b", re.M)
_OWN_ASSIGN = re.compile(r"\bself\.([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=(?!=)")
# `x.name(`, `getattr(x, "name"`: the methods the project calls (some open an installed instance)
# (two patterns: one alternation of both scans each text several times slower)
_CALLED = re.compile(r"\.[ \t]*([A-Za-z_]\w*)[ \t]*\(")
_GETATTR_NAMED = re.compile(r"\bgetattr\([^,()]*,\s*['\"]([A-Za-z_]\w*)['\"]")
BYTE_BUDGET = 64 * 1024 * 1024  # at most this much project text is read
FORMAT = 8  # of the per-file facts kept on disk
# the questions answered from the project's listed files alone (their paths and texts, the package
# markers of the folders around them): the same answers while :meth:`FirstPartyFacts.files_state`
# is the same (``required_by_packages`` and ``loaded_by_name`` also read files the listing leaves out)
FROM_FILES_ALONE = frozenset({
    "assigns", "sets_logger_class", "extends_aws_clients", "calls_any", "gives_instances", "writes_computed_names_into",
    "imported_only_behind_guards", "import_conditions", "web_importers", "imported_for_type_checkers", "subclass_defines",
    "truth_of",
})


class FirstPartyFacts:
    """The summary of one project's code (computed on first use, then kept)."""

    def __init__(self, root: Path, exclude: Iterable[str] = (), use_disk: bool = False) -> None:
        self.root = root
        self.exclude = tuple(exclude)
        self.use_disk = use_disk  # keep each file's facts on disk by its size and modification time
        self._lock = threading.Lock()
        self._facts: tuple[frozenset[str], bool, frozenset[str], bool, frozenset[str], frozenset[str]] | None = None
        self._files: list[Path] | None = None
        self._guarded: dict[str, bool] = {}
        self._conditions: dict[str, tuple] = {}
        # read with the facts: the names in class statements' bases, the files giving each own name
        self._bases: Counter[str] = Counter()
        self._giving: dict[str, list[str]] = {}
        self._made: dict[str, set[str]] = {}  # name -> callees that made the objects it is stored on alone
        self._rooted: dict[str, bool] = {}  # own name -> given only by classes rooted in builtins
        self._rooted_kept: dict[str, bool] | None = None  # those answers kept on disk, by what decides them
        self._bases_digest: str | None = None
        self._guards_memo: dict[str, bool] | None = None  # kept on disk, for the files as they are
        self._guards_state = ""  # files_state(), once worked out
        self._imports: ProjectImports | None = None  # each file's import statements, indexed
        self._static_imports: frozenset[str] | None = None  # every module the project imports by name
        self._dynamic_imports = False  # does it import modules by computed names?
        self._subclass_memo: dict[tuple[str, str], bool] = {}
        self._truth_memo: dict[str, str | None] = {}
        self._drf_open: bool | None = None

    def read_again(self, written: Iterable[Path]) -> "FirstPartyFacts":
        """A fresh summary of the project after the files ``written`` changed (the language
        server, on a save or a watched change): read when next asked, each unchanged file's facts
        from disk.  The list of the project's files is kept when each written file exists and was
        in it already (listing a big tree is most of the cost); a file created or deleted makes
        the fresh summary list them again."""
        fresh = FirstPartyFacts(self.root, self.exclude, use_disk=self.use_disk)
        with self._lock:
            files = self._files
        if files is not None:
            listed = {os.path.realpath(f) for f in files}
            if all(p.is_file() and os.path.realpath(p) in listed for p in written):
                fresh._files = files
        return fresh

    @property
    def assigned_attributes(self) -> frozenset[str]:
        """Attribute names the project assigns on objects other than ``self``/``cls``."""
        return self._scan()[0]

    @reads.recorded("first_party")
    def assigns(self, name: str) -> bool:
        """Does the project assign attribute ``name`` on an object other than ``self``/``cls``?"""
        return name in self._scan()[0]

    @reads.recorded("first_party")
    def assigns_on_made(self, name: str) -> frozenset[str]:
        """The installed callees (``requests.Response``) whose fresh results are the only objects
        the project stores ``name`` on, apart from :meth:`assigns` (first_party_stores.py)."""
        self._scan()
        return frozenset(self._made.get(name, ()))

    @reads.recorded("first_party")
    def sets_logger_class(self) -> bool:
        """Does the project call ``logging.setLoggerClass``?"""
        return self._scan()[1]

    @reads.recorded("first_party")
    def extends_aws_clients(self) -> bool:
        """Does the project register a ``creating-client-class`` or ``creating-resource-class``
        handler (which may add methods to the classes botocore and boto3 generate for clients
        and resources)?"""
        return self._scan()[3]

    @reads.recorded("first_party")
    def calls_any(self, names: tuple[str, ...]) -> bool:
        """Does the project call a method of one of these ``names`` (``x.name(...)``,
        ``getattr(x, "name")``)?"""
        return not self._scan()[4].isdisjoint(names)

    @reads.recorded("first_party")
    def gives_instances(self, name: str, cls: str = "") -> bool:
        """Do the project's own classes give their instances ``name`` (a method, ``self.x = ...``)?
        An object annotated as an installed class may be of a project subclass that has it.  With
        ``cls`` (the annotated class's dotted path): not counting, for a class outside
        ``builtins``, classes that cannot be its subclasses (:mod:`vetpy.first_party_classes`)."""
        if name not in self._scan()[2]:
            return False
        if not cls or cls.startswith("builtins."):
            return True
        with self._lock:
            if name not in self._rooted:
                self._rooted[name] = self._rooted_answer(name)
            return not self._rooted[name]

    def _rooted_answer(self, name: str) -> bool:
        """:func:`only_rooted` for ``name``, kept on disk by what decides it: the files that give
        the name (their paths, sizes and modification times), every name written in the project's
        class bases, and vetpy's source.  An edit elsewhere (a warm run with one file changed)
        reads it back instead of parsing the giving files again.  Called with the lock held."""
        giving = self._giving.get(name, [])
        if self._bases_digest is None:
            self._bases_digest = hashlib.sha256(json.dumps(sorted(self._bases.items())).encode()).hexdigest()
        state = [reads.source_stamp(), name, self._bases_digest, [[path, file_stamp(path)] for path in giving]]
        key = hashlib.sha256(json.dumps(state).encode()).hexdigest()[:32]
        path = self._cache_file(".rooted")
        if self._rooted_kept is None:
            self._rooted_kept = _stored_answers(path, None) if path is not None else {}
        if key in self._rooted_kept:
            return self._rooted_kept[key]
        answer = self._rooted_kept[key] = only_rooted(name, map(_text_of, giving), self._bases, giving)
        if path is not None:
            _keep_answers(path, {key: answer}, None, limit=8192)
        return answer

    @reads.recorded("first_party")
    def writes_computed_names_into(self, name: str) -> bool:
        """Does the project ``setattr`` a computed name on ``name`` or on what it reaches
        (``setattr(logging, level_name, n)``, ``setattr(logging.getLoggerClass(), method, f)``)?
        Then the attribute sets of the module ``name`` and of its classes' instances are open."""
        return name in self._scan()[5]

    @reads.recorded("first_party")
    def imported_only_behind_guards(self, module: str) -> bool:
        """Does every import of ``module`` in the project run only where a failed import is
        expected: in a ``try`` that catches ImportError, under an environment-variable switch
        (``if os.environ.get("X"):``), or in a module that is itself imported only so?  False
        when nothing in the project imports it (an entry point, a new file, a plugin found by
        name: nothing proves it optional)."""
        with self._lock:
            files = self._listed()
            if module not in self._guarded:
                kept = self._kept_guards()
                if module in kept:
                    self._guarded[module] = kept[module]
                else:
                    self._guarded[module] = kept[module] = _only_guarded(module, self._project_imports(files), self.root, {})
                    self._save_guards(kept)
            return self._guarded[module]

    @reads.recorded("first_party")
    def import_conditions(self, module: str) -> tuple[tuple[str | None, tuple[Condition, ...]], ...]:
        """(importing module, the `if` tests around the import statement with the side it is on)
        for each import of ``module`` in the project (paramiko's ``elif sys.platform == "win32":
        from . import win_openssh``): the rules decide which tests the target fails."""
        with self._lock:
            files = self._listed()
            found = self._conditions.get(module)
            if found is None:
                found = self._conditions[module] = tuple(
                    (here, conditions) for here, _, conditions in self._project_imports(files).statements(module))
            return found

    @reads.recorded("first_party")
    def web_importers(self, module: str) -> tuple[str, ...]:
        """The modules of :meth:`import_conditions` (``module`` itself left out) that may be web
        modules, whose views may pass request input to ``module``'s functions: each names a web
        framework in its text or lies in a framework's package (the others import none)."""
        with self._lock:
            return self._project_imports(self._listed()).web_importers(module)

    @reads.recorded("first_party")
    def imported_for_type_checkers(self, module: str) -> bool:
        """Does the project import ``module`` in the body of an ``if TYPE_CHECKING:`` or in a
        stub (which :meth:`import_conditions` leaves out: they never run)?"""
        with self._lock:
            files = self._listed()
        for path, tree in _project_trees(files, module.rsplit(".", 1)[-1]):
            here, is_package = module_name_for(str(path), self.root), is_package_file(path)
            for node in walk(tree):
                if path.suffix == ".pyi" and isinstance(node, (ast.Import, ast.ImportFrom)) \
                        and _runs(node, module, here, is_package):
                    return True
                if isinstance(node, ast.If) and is_type_checking_test(node.test) and any(
                        isinstance(st, (ast.Import, ast.ImportFrom)) and _runs(st, module, here, is_package)
                        for stmt in node.body for st in walk(stmt)):
                    return True
        return False

    @reads.recorded("first_party")
    def subclass_defines(self, cls: str, name: str) -> bool:
        """Does a class of the project that names ``cls`` among its bases, or one below such a
        class (by the last part of the names), define ``name`` in its body, or may get it from
        another of its bases?  kombu's ``EqualityDict(dict)`` calls ``self.__missing__(key)``, a
        hook its subclass ``PoolGroup`` (another module) defines; pretalx's ``PretalxSerializer``
        calls ``self._get_serializer_class_from_lazy_string(...)``, which its subclasses'
        ``FlexFieldsSerializerMixin`` brings (``class S(FlexFieldsSerializerMixin, PretalxSerializer)``)."""
        with self._lock:
            files = self._listed()
            if (cls, name) in self._subclass_memo:
                return self._subclass_memo[cls, name]
        found, todo, seen = False, [cls], {cls}
        while todo and not found and len(seen) < 64:
            base = todo.pop()
            for _path, tree in _project_trees(files, base):
                for node in walk(tree):
                    if isinstance(node, ast.ClassDef) and node.name not in seen and any(
                            (_last_name(b) == base) for b in node.bases):
                        seen.add(node.name)
                        todo.append(node.name)
                        found = found or any(_binds(stmt, name) for stmt in node.body) or any(
                            _last_name(b) not in (base, *_NO_MEMBERS) for b in node.bases)
        with self._lock:
            self._subclass_memo[cls, name] = found
        return found

    @reads.recorded("first_party")
    def truth_of(self, cls: str) -> str | None:
        """The attribute whose truth decides the truth of instances of the project's class ``cls``
        (by its last name; None unless every class of that name agrees): pymongo's ``Selection``
        with ``def __bool__(self): return bool(self.server_descriptions)``."""
        with self._lock:
            files = self._listed()
            if cls in self._truth_memo:
                return self._truth_memo[cls]
        found: set[str | None] = set()
        for _path, tree in _project_trees(files, f"class {cls}"):
            found |= {truth_attribute(node) for node in walk(tree) if isinstance(node, ast.ClassDef) and node.name == cls}
        answer = found.pop() if len(found) == 1 else None
        with self._lock:
            self._truth_memo[cls] = answer
        return answer

    @reads.recorded("first_party")
    def drf_default_allows_any(self) -> bool:
        """Do the project's settings leave Django REST framework's default permission at
        ``AllowAny`` (DRF's own default)?  True only when the project's Python code (its test suite
        left out) writes the ``REST_FRAMEWORK`` settings out as a dict (``REST_FRAMEWORK = {...}``, a
        ``"REST_FRAMEWORK": {...}`` entry of the dict handed to ``settings.configure``, or its keyword)
        and no file names ``DEFAULT_PERMISSION_CLASSES``, reads ``REST_FRAMEWORK`` to change it, or
        is left unread (the reading budget)."""
        with self._lock:
            files = self._listed()
            if self._drf_open is not None:
                return self._drf_open
        answer = _drf_default_allows_any([f for f in files if not _in_test_suite(f, self.root)])
        with self._lock:
            self._drf_open = answer
        return answer

    @reads.recorded("first_party")
    def required_by_packages(self, path: str) -> tuple[str, ...]:
        """Top-level modules that the ``__init__.py`` of a package of the project around the file
        ``path`` requires: a top-level ``try`` imports them and its ``except ImportError`` always
        raises (sentry-sdk's ``integrations/django/__init__.py``: ``raise DidNotEnable("Django not
        installed")``).  Python runs that ``__init__`` before any module of the package, so without
        them no module there is ever imported.  A package's own ``__init__.py`` is left out."""
        file = Path(path).absolute()  # a path of `vetpy check` is relative to where it runs
        here = file.parent.parent if file.name == "__init__.py" else file.parent
        found: set[str] = set()
        while (here == self.root or self.root in here.parents) and is_regular_file(here / "__init__.py"):
            try:
                tree = parse_bytes_file(str(here / "__init__.py"), reads.read_bytes(here / "__init__.py"))
            except (OSError, SyntaxError, ValueError):
                break
            for stmt in tree.body:
                if isinstance(stmt, ast.Try) and any(handler_catches(h, {"ImportError", "ModuleNotFoundError"})
                                                     and h.body and isinstance(h.body[-1], ast.Raise) for h in stmt.handlers):
                    found.update(_top_imports(stmt.body))
            here = here.parent
        return tuple(sorted(found))

    def _kept_guards(self) -> dict[str, bool]:
        """The answers of :meth:`imported_only_behind_guards` kept on disk for the project's files
        as they are now (the same paths, sizes and modification times), else none: the answers
        read every importer's syntax tree, which a run answered from the result cache would
        otherwise parse again only to confirm them.  Called with the lock held."""
        if self._guards_memo is None:
            self._files_state()
            path = self._cache_file(".guards")
            self._guards_memo = self._stored_guards(path) if path is not None else {}
        return self._guards_memo

    def files_state(self) -> str:
        """A digest of the project's files as they are now: their paths, sizes and modification
        times, the package markers of the root and of the folders above it (a module's dotted
        name), and vetpy's source.  While it is the same, so is every answer of the questions
        :data:`FROM_FILES_ALONE` (the result cache keeps them by it)."""
        with self._lock:
            return self._files_state()

    def _files_state(self) -> str:
        """:meth:`files_state`, worked out once (called with the lock held)."""
        if not self._guards_state:
            markers = [os.path.isfile(folder / "__init__.py") for folder in (self.root, *self.root.absolute().parents)]
            state = [reads.source_stamp(), str(self.root), markers,
                     [[str(path), file_stamp(str(path))] for path in self._listed()]]
            self._guards_state = hashlib.sha256(json.dumps(state).encode()).hexdigest()
        return self._guards_state

    def _stored_guards(self, path: Path) -> dict[str, bool]:
        """The answers kept at ``path`` for the project's files as they are now, else none."""
        return _stored_answers(path, self._guards_state)

    def _save_guards(self, answers: dict[str, bool]) -> None:
        """Keep ``answers`` on disk, merged with those another process of the run (the pool's)
        kept for the same files meanwhile, which a plain write would lose (asked again next run)."""
        path = self._cache_file(".guards")
        if path is not None:
            for module, answer in _keep_answers(path, answers, self._guards_state).items():
                answers.setdefault(module, answer)  # what the other process found: not asked again here

    @reads.recorded("first_party")
    def loaded_by_name(self, module: str, path: str) -> bool:
        """Is ``module`` (the file ``path``) a plugin that the project loads by a computed name:
        one of at least three modules of a folder that each define a top-level class of the same
        name (``class Export``), none of which the project imports by name, in a project that
        imports modules by computed names (``import_module("app.exports." + name)``,
        ``__import__(name)``)?  Such a module runs only when the user asks for its feature
        (glances' export plugins, issue #16 N7)."""
        unit = Path(path).parent if is_package_file(path) else Path(path)
        classes = _top_level_classes(unit)
        if not classes or "." not in module:
            return False
        parent = module.rsplit(".", 1)[0]
        try:
            siblings = sorted(unit.parent.iterdir())
        except OSError:
            return False
        family = []  # the sibling modules that define a top-level class of the same name
        for sibling in siblings:
            if sibling == unit or sibling.name.startswith((".", "_")):
                continue
            name = sibling.stem if sibling.suffix == ".py" else sibling.name
            if not (sibling.suffix == ".py" or (sibling / "__init__.py").is_file()) or not name.isidentifier():
                continue
            if classes & _top_level_classes(sibling):
                family.append(f"{parent}.{name}")
        if len(family) < 2:
            return False
        with self._lock:  # only now read the project: which modules it imports by name
            files = self._listed()
            if self._static_imports is None:
                self._static_imports, self._dynamic_imports = self._project_imports(files).imports()
            static, dynamic = self._static_imports, self._dynamic_imports
        if not dynamic or _imported_by_name(module, static):
            return False
        return sum(not _imported_by_name(other, static) for other in family) >= 2

    def imports_table(self) -> ProjectImports:
        """The table the import questions (:meth:`imported_only_behind_guards`,
        :meth:`import_conditions`, :meth:`loaded_by_name`) read: prepared before the check's pool
        forks, its processes share it instead of each reading the project."""
        with self._lock:
            return self._project_imports(self._listed())

    def _project_imports(self, files: list[Path]) -> ProjectImports:
        """The import statements of the project's ``files`` (:meth:`_listed`), kept on disk per
        file (called with the lock held)."""
        if self._imports is None:
            self._imports = ProjectImports(self.root, files, self._cache_file(".imports"))
        return self._imports

    def _listed(self) -> list[Path]:
        """The project's files, listed once (called with the lock held)."""
        if self._files is None:
            self._files = self._project_files()
        return self._files

    def _project_files(self) -> list[Path]:
        try:
            return [path for path in iter_python_files(self.root, self.root, (*self.exclude, ".*/"), own_tree=True)
                    if is_regular_file(path)]  # reading a FIFO named like a module would block forever
        except OSError:
            return []

    def _scan(self) -> tuple[frozenset[str], bool, frozenset[str], bool, frozenset[str], frozenset[str]]:
        with self._lock:
            if self._facts is None:
                self._facts = self._read()
            return self._facts

    def _read(self) -> tuple[frozenset[str], bool, frozenset[str], bool, frozenset[str], frozenset[str]]:
        names: set[str] = set()
        roots: set[str] = set()
        own: set[str] = set()
        called: set[str] = set()
        logger_class = aws_clients = False
        budget = BYTE_BUDGET
        kept = self._load()
        seen: dict[str, list] = {}
        try:
            # the project's own tree: not what its .gitignore leaves out (a vendored copy of a
            # library, a benchmark's work folder), nor hidden, virtual-environment or node_modules
            # folders; but all of it when the project itself lies in another repository's ignored folder
            # (listed once: the import questions read the same files, :meth:`_listed`)
            for path in self._listed():
                key = str(path)
                stamp = file_stamp(key)
                facts = kept.get(key)
                if stamp is None or facts is None or facts[0] != stamp:
                    facts = self._facts_of(path, budget, stamp)
                    if facts is None:
                        continue
                seen[key] = facts
                _, length, assigned, logger, methods, aws, calls, computed, bases, made = facts
                budget -= length
                names.update(assigned)
                logger_class = logger_class or logger
                aws_clients = aws_clients or aws
                own.update(methods)
                called.update(calls)
                roots.update(computed)
                self._bases.update(bases)
                for name, paths in made.items():
                    self._made.setdefault(name, set()).update(paths)
                for method in methods:
                    self._giving.setdefault(method, []).append(key)
                if budget <= 0:
                    break
        except OSError:
            pass
        if seen != kept:
            self._save(seen)
        return frozenset(names), logger_class, frozenset(own), aws_clients, frozenset(called), frozenset(roots)

    @staticmethod
    def _facts_of(path: Path, budget: int, stamp: list[int] | None) -> list | None:
        """[stamp, characters read, foreign names, sets the logger class, own members, extends AWS
        clients, called method names, roots of computed-name setattr targets, names in its class
        statements' bases, names stored only on objects made by installed callees] of one file."""
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                text = handle.read(budget)
        except OSError:
            return None
        stores = list(_FOREIGN_ASSIGN.finditer(text))
        assigned = {m.group(1) for m in stores}
        if assigned and _may_set_on_own_functions(text, stores):
            assigned -= _set_only_on_own_functions(text)
        made = stores_on_made(text) if assigned and may_store_on_made(text, stores) else {}
        assigned -= made.keys()  # `resp = requests.Response(); resp.status_code = 200`: first_party_stores.py
        computed: set[str] = set()
        if "setattr(" in text:  # each pattern below needs its literal: a plain search rules most files out
            assigned |= {m.group(1) for m in _FOREIGN_SETATTR.finditer(text)}
            computed = {m.group(1) for m in _COMPUTED_SETATTR.finditer(text)}
        methods = {m.group(1) for m in _OWN_METHOD.finditer(text)} | {m.group(1) for m in _OWN_ASSIGN.finditer(text)}
        called = set(_CALLED.findall(text))
        if "getattr(" in text:
            called.update(_GETATTR_NAMED.findall(text))
        logger = "setLoggerClass" in text and _SETS_LOGGER_CLASS.search(text) is not None
        aws = "creating-" in text and _EXTENDS_AWS_CLIENTS.search(text) is not None
        return [stamp, len(text), sorted(assigned), logger, sorted(methods), aws, sorted(called), sorted(computed),
                base_tokens(text) if "class" in text else [], made]

    def _cache_file(self, kind: str = "") -> Path | None:
        if not self.use_disk:
            return None
        from vetpy.environment.discovery import cache_dir

        digest = hashlib.sha256(f"{FORMAT}\0{self.root}\0{self.exclude}".encode()).hexdigest()[:24]
        return cache_dir() / "first-party" / f"{digest}{kind}.json"

    def _load(self) -> dict[str, list]:
        path = self._cache_file()
        if path is None:
            return {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _save(self, facts: dict[str, list]) -> None:
        from vetpy.environment.discovery import write_cache_json

        path = self._cache_file()
        if path is not None:
            write_cache_json(path, facts)


def _stored_answers(path: Path, files: str | None) -> dict[str, bool]:
    """The answers kept at ``path`` (``{"files": files, "answers": {key: bool}}``) for the same
    ``files`` state (None: answers keyed by what decides them), else none."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    answers = data.get("answers") if isinstance(data, dict) and data.get("files") == files else None
    return {k: v for k, v in answers.items() if isinstance(v, bool)} if isinstance(answers, dict) else {}


def _keep_answers(path: Path, answers: dict[str, bool], files: str | None, limit: int | None = None) -> dict[str, bool]:
    """Write ``answers`` to ``path`` merged with those another process kept there for the same
    ``files`` state meanwhile (the new ones win), and return what was written; past ``limit``
    stored answers, start afresh."""
    from vetpy.environment.discovery import cache_file_lock, write_cache_json

    with cache_file_lock(path):
        stored = _stored_answers(path, files)
        if limit is not None and len(stored) > limit:
            stored = {}
        stored.update(answers)
        write_cache_json(path, {"files": files, "answers": stored})
    return stored


def _text_of(path: str) -> str:
    """A project file's text (empty when it cannot be read now)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read(BYTE_BUDGET)
    except OSError:
        return ""


_DEF_NAME = re.compile(r"\bdef[ \t]+([A-Za-z_]\w*)")


def _may_set_on_own_functions(text: str, stores: list[re.Match[str]]) -> bool:
    """Can :func:`_set_only_on_own_functions` take a name out of those ``stores`` found
    (``_FOREIGN_ASSIGN``)?  Only if one of them is ``f.name = ...`` with ``f`` a name some ``def``
    of the file gives: a name also stored on another receiver is set elsewhere and stays, so a file
    without such a store (most of them) is not parsed for it."""
    receivers = {r.group(1) for m in stores if (r := SIMPLE_RECEIVER.match(m.group(0))) is not None}
    return bool(receivers) and not receivers.isdisjoint(_DEF_NAME.findall(text))


def _set_only_on_own_functions(text: str) -> set[str]:
    """Attribute names that ``text`` assigns only on functions it defines itself (``def handler():
    ...`` then ``handler.route = "/x"``, a name bound nowhere else in the file): these attributes
    are the function's, never an installed object's."""
    try:
        tree = parse(text)
    except (SyntaxError, ValueError):
        return set()
    functions: set[str] = set()
    rebound: set[str] = set()
    stores: list[ast.Attribute] = []  # the attribute assignments, looked at once ``own`` is known
    for node in walk(tree):
        if isinstance(node, ast.Attribute):
            if not isinstance(node.ctx, ast.Load):
                stores.append(node)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            functions.add(node.name)
        elif isinstance(node, ast.ClassDef):
            rebound.add(node.name)
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            rebound.add(node.id)
        elif isinstance(node, ast.arg):
            rebound.add(node.arg)
        elif isinstance(node, ast.alias):
            rebound.add(node.asname or node.name.split(".")[0])
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            rebound.update(node.names)
        elif isinstance(node, ast.MatchAs) and node.name:
            rebound.add(node.name)
    own = functions - rebound
    on_own: set[str] = set()
    elsewhere: set[str] = set()
    for node in stores:
        receiver = node.value
        (on_own if isinstance(receiver, ast.Name) and receiver.id in own else elsewhere).add(node.attr)
    return on_own - elsewhere


# -- modules of optional features: imported only where a failed import is expected ------------

_IMPORTERS_READ = 64 * 1024 * 1024  # project text read to find a module's importers, at most


def _only_guarded(module: str, project: ProjectImports, root: Path, seen: dict[str, bool]) -> bool:
    """See :meth:`FirstPartyFacts.imported_only_behind_guards`; ``seen`` breaks import cycles
    (a module on the way is taken as guarded: its other importers decide)."""
    if module in seen:
        return seen[module]
    seen[module] = True
    importers = list(_importers(module, project, root))
    answer = bool(importers) and all(
        guarded or (importer is not None and importer != module and _only_guarded(importer, project, root, seen))
        for importer, guarded in importers
    )
    seen[module] = answer
    return answer


def _top_imports(body: list[ast.stmt]) -> Iterable[str]:
    """The top-level packages that the absolute imports of ``body`` (not nested ones) import."""
    for stmt in body:
        if isinstance(stmt, ast.Import):
            yield from (a.name.split(".")[0] for a in stmt.names)
        elif isinstance(stmt, ast.ImportFrom) and not stmt.level and stmt.module:
            yield stmt.module.split(".")[0]


def _project_texts(files: list[Path]) -> Iterable[tuple[Path, str]]:
    """(path, text) of the project's files, within the reading budget."""
    budget = _IMPORTERS_READ
    for path in files:
        try:
            text = reads.read_text(path, errors="replace")
        except OSError:
            continue
        budget -= len(text)
        if budget < 0:
            return
        yield path, text


def _drf_default_allows_any(files: list[Path]) -> bool:
    """:meth:`FirstPartyFacts.drf_default_allows_any` over the project's files."""
    written = 0
    budget = _IMPORTERS_READ
    for path in files:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False
        budget -= len(text)
        if budget < 0 or "DEFAULT_PERMISSION_CLASSES" in text:
            return False
        if "REST_FRAMEWORK" not in text:
            continue
        try:
            tree = parse(text)
        except (SyntaxError, ValueError):
            return False
        settings: list[ast.expr] = []
        for node in walk(tree):
            if isinstance(node, ast.Name) and node.id == "REST_FRAMEWORK" and not isinstance(node.ctx, ast.Store):
                return False  # read: `REST_FRAMEWORK.update(...)`, `REST_FRAMEWORK["..."] = ...`
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "REST_FRAMEWORK" for t in node.targets):
                settings.append(node.value)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == "REST_FRAMEWORK" \
                    and node.value is not None:
                settings.append(node.value)
            elif isinstance(node, ast.Dict):
                settings += [v for k, v in zip(node.keys, node.values) if isinstance(k, ast.Constant) and k.value == "REST_FRAMEWORK"]
            elif isinstance(node, ast.keyword) and node.arg == "REST_FRAMEWORK":
                settings.append(node.value)
        if not settings or not all(isinstance(v, ast.Dict) and None not in v.keys for v in settings):
            return False  # named some other way (`getattr(settings, "REST_FRAMEWORK")`), or built (`env.dict(...)`, `{**BASE}`)
        written += len(settings)
    return written > 0


def _project_trees(files: list[Path], needle: str) -> Iterable[tuple[Path, ast.Module]]:
    """(path, tree) of the project's files whose text holds ``needle`` and parses."""
    for path, text in _project_texts(files):
        if needle not in text:
            continue
        try:
            tree = parse(text)
        except (SyntaxError, ValueError):
            continue
        yield path, tree


def _import_base(stmt: ast.ImportFrom, here: str | None, is_package: bool) -> str | None:
    """The absolute module a ``from ... import`` names (relative ones resolved from ``here``)."""
    return resolve_relative(here or "", is_package, stmt.level, stmt.module) if stmt.level else stmt.module


def _importers(module: str, project: ProjectImports, root: Path) -> Iterable[tuple[str | None, bool]]:
    """(importing module, guarded?) for each import statement of the project that runs ``module``,
    the test suite's left out: tests run where the test extras are installed, so their unguarded
    ``from jupytext.sync_contentsmanager import ...`` says nothing of what the package needs."""
    for here, guarded, _ in project.statements(module, lambda f: _in_test_suite(f, root), "tests"):
        yield here, guarded


def _in_test_suite(path: Path, root: Path) -> bool:
    """A test module, a ``conftest.py`` or a file under a ``tests``/``test`` folder of the project."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        parts = path.parts
    return in_test_suite(parts)


def _runs(stmt: ast.Import | ast.ImportFrom, module: str, here: str | None, is_package: bool) -> bool:
    """Does this import statement run ``module`` (itself, or a module inside it)?"""
    if isinstance(stmt, ast.Import):
        targets = [alias.name for alias in stmt.names]
    else:
        base = _import_base(stmt, here, is_package)
        if not base:
            return False
        targets = [base] + [f"{base}.{alias.name}" for alias in stmt.names if alias.name != "*"]
    return any(t == module or t.startswith(module + ".") for t in targets)


_TOP_LEVEL_CLASS = re.compile(r"^class[ \t]+([A-Za-z_]\w*)", re.M)


def _imported_by_name(module: str, static: frozenset[str]) -> bool:
    prefix = module + "."
    return module in static or any(name.startswith(prefix) for name in static)


def _top_level_classes(unit: Path) -> set[str]:
    """The top-level class names of a module file or of a package's ``__init__.py``."""
    path = unit / "__init__.py" if unit.is_dir() else unit
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return set(_TOP_LEVEL_CLASS.findall(handle.read(1024 * 1024)))
    except OSError:
        return set()


def truth_attribute(cls: ast.ClassDef) -> str | None:
    """``def __bool__(self): return bool(self.items)`` (or ``len(self.items) > 0``, or a
    ``__len__`` returning ``len(self.items)`` without a ``__bool__``): ``"items"``."""
    methods = {n.name: n for n in cls.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    method = methods.get("__bool__") or methods.get("__len__")
    if method is None or len(method.body) != 1 or not isinstance(method.body[0], ast.Return):
        return None
    value = method.body[0].value
    if isinstance(value, ast.Compare) and len(value.ops) == 1 and isinstance(value.ops[0], (ast.Gt, ast.NotEq)):
        right = value.comparators[0]
        value = value.left if isinstance(right, ast.Constant) and right.value == 0 else None
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in ("bool", "len") and len(value.args) == 1:
        value = value.args[0]
    elif method.name == "__len__":
        return None  # `return self.count`: a number, not a collection's length
    if isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name) and value.value.id == "self":
        return value.attr
    return None


# bases that bring no methods a subclass could lend to another base's code
_NO_MEMBERS = ("object", "Generic", "Protocol")


def _last_name(node: ast.expr) -> str:
    """``Base`` of ``Base``, ``mod.Base`` and ``Base[T]``."""
    node = node.value if isinstance(node, ast.Subscript) else node
    return node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""


def _binds(stmt: ast.stmt, name: str) -> bool:
    """Does the class-body statement ``stmt`` define ``name`` (``def``, assignment)?"""
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return stmt.name == name
    targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target] if isinstance(stmt, ast.AnnAssign) else []
    return any(isinstance(t, ast.Name) and t.id == name for t in targets)
