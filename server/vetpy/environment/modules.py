"""Where does a module come from?  Static lookup on disk first; the target interpreter's import
system (in a throw-away probe subprocess) only for installed third-party or stdlib modules that
the static lookup could not place.  First-party code is never imported."""

from __future__ import annotations

import ast
import hashlib
import json
import importlib.machinery
import os
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from vetpy.astutil import parse
from vetpy.reads import file_stamp, note_file, read_bytes, recorded
from vetpy.suggest import close_matches
from vetpy.trees import parse_file, source_text
from vetpy.environment.discovery import EnvironmentProblem, cache_dir, inside, run_probe, write_cache_json
from vetpy.environment.model import TargetEnvironment

# Well-known import names whose distribution has another name.
KNOWN_DISTRIBUTIONS: dict[str, str] = {
    "sklearn": "scikit-learn",
    "cv2": "opencv-python",
    "PIL": "Pillow",
    "yaml": "PyYAML",
    "jwt": "PyJWT",
    "bs4": "beautifulsoup4",
    "dateutil": "python-dateutil",
    "dotenv": "python-dotenv",
    "magic": "python-magic",
    "Crypto": "pycryptodome",
    "OpenSSL": "pyOpenSSL",
    "serial": "pyserial",
    "usb": "pyusb",
    "git": "GitPython",
    "google.protobuf": "protobuf",
    "attr": "attrs",
    "skimage": "scikit-image",
    "docx": "python-docx",
    "pptx": "python-pptx",
    "fitz": "PyMuPDF",
    "MySQLdb": "mysqlclient",
    "psycopg2": "psycopg2-binary",
    "zmq": "pyzmq",
    "gi": "PyGObject",
    "win32api": "pywin32",
    "telegram": "python-telegram-bot",
    "jose": "python-jose",
    "multipart": "python-multipart",
    "Levenshtein": "python-Levenshtein",
    "slugify": "python-slugify",
    "socks": "PySocks",
    "markdown": "Markdown",
    "ldap": "python-ldap",
    "nacl": "PyNaCl",
    "lxml": "lxml",
    "igraph": "python-igraph",
    "tensorflow": "tensorflow",
    "torch": "torch",
    "faiss": "faiss-cpu",
}

_SUFFIXES = tuple(importlib.machinery.all_suffixes()) + (".pyi",)

# ``find`` and ``suggest_modules`` answers are reused for this long: one analysis of a file
# that repeats an import thousands of times does the disk lookups once, while a long-lived
# resolver (the language server) still sees files created a moment later.
MEMO_SECONDS = 2.0
MEMO_MAX_ENTRIES = 4096


@dataclass(frozen=True)
class ModuleLookup:
    name: str
    kind: str  # "stdlib" | "site" | "first-party" | "missing" | "unknown"
    path: Path | None = None  # source file (.py / __init__.py / .pyi) when known
    missing_part: str | None = None  # for "missing": the first dotted prefix that is missing

    @property
    def found(self) -> bool:
        return self.kind in ("stdlib", "site", "first-party")


@dataclass
class ModuleResolver:
    environment: TargetEnvironment | None
    root: Path
    use_probe: bool = True
    use_disk_cache: bool = True
    _spec_cache: dict[str, bool | None] = field(default_factory=dict)
    _disk_loaded: bool = False
    _project_modules: frozenset[str] | None = None
    _source_roots: tuple[Path, ...] | None = None
    _resolved_roots: frozenset[Path] | None = None  # the source roots, resolved (:meth:`_is_source_root`)
    _memo: dict[tuple, tuple[float, object]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _memoized(self, key: tuple, compute):  # noqa: ANN001, ANN202 - a thunk and its value
        now = time.monotonic()
        with self._lock:
            hit = self._memo.get(key)
            if hit is not None and now - hit[0] < MEMO_SECONDS:
                return hit[1]
        value = compute()
        with self._lock:
            if len(self._memo) >= MEMO_MAX_ENTRIES:
                self._memo.clear()
            self._memo[key] = (now, value)
        return value

    def forget_project_files(self) -> None:
        """A file of the project was written (the language server, on a save): its module names
        and the lookups of the last moments are read again when next asked."""
        with self._lock:
            self._memo.clear()
            self._project_modules = None

    # -- first-party ---------------------------------------------------------------------
    @recorded("resolver")
    def first_party_roots(self, file_path: str | None) -> list[Path]:
        """Where the project's own imports of ``file_path`` are looked up: the same for every file
        of a directory, so worked out once per directory."""
        where = None if not file_path or file_path.startswith("<") else os.path.dirname(os.path.abspath(file_path))
        return list(self._memoized(("roots", where), lambda: tuple(self._first_party_roots(file_path))))

    def _first_party_roots(self, file_path: str | None) -> list[Path]:
        roots: list[Path] = []
        root = self.root
        if file_path and not file_path.startswith("<"):
            here = Path(file_path).resolve().parent
            # the directory above the file's topmost package, then every ancestor up to the root
            top = here
            while (top / "__init__.py").exists() and top.parent != top:
                top = top.parent
            # a package's own folder is never on sys.path (Python 3 imports are absolute): a
            # nested utils/email/ hides nothing outside its package
            roots += [here, top] if here == top else [top]
            for parent in here.parents:
                if parent == root.parent or len(roots) > 40:
                    break
                if not (parent / "__init__.py").exists():
                    roots.append(parent)
                if parent == root:
                    break
        roots += self.source_roots()
        seen: set[Path] = set()
        unique = []
        for r in roots:
            if r not in seen:
                seen.add(r)
                unique.append(r)
        return unique

    def _find_in_dirs(self, parts: list[str], dirs: list[Path]) -> Path | None:
        """Find ``parts`` (a dotted module split) under one of ``dirs``; return its source path
        (``pkg/__init__.py``, the ``.py``/``.pyi``/extension file, or the namespace directory)."""
        for base in dirs:
            found = _find_path(base, parts)
            if found is not None:
                return found
        return None

    # -- lookups -------------------------------------------------------------------------
    @recorded("resolver")
    def find(self, module: str, file_path: str | None = None) -> ModuleLookup:
        # the answer depends on the file only through its first-party roots: shared by a directory
        roots = tuple(self.first_party_roots(file_path))
        return self._memoized(("find", module, roots), lambda: self._find(module, file_path))

    def _find(self, module: str, file_path: str | None) -> ModuleLookup:
        parts = module.split(".")
        top = parts[0]
        local = self._find_in_dirs(parts[:1], self.first_party_roots(file_path))
        if local is not None and self._may_be_shadowed(top, local):
            if not local.is_dir():
                return ModuleLookup(module, "unknown")  # which one runs depends on how it is started
            found = self._find_installed(module, parts, top)  # a namespace portion loses
            return found if found.found else ModuleLookup(module, "unknown")
        if local is not None and self._in_a_package_folder(local):
            return ModuleLookup(module, "unknown")
        if local is not None:
            full = self._find_in_dirs(parts, [_base_of(local, 1)])
            if full is not None:
                return ModuleLookup(module, "first-party", full)
            if (_base_of(local, 1) / "__init__.py").exists():
                # found in a source root that is itself a package (django-filter's folder checked
                # as the project, its `rest_framework/` and DRF's `rest_framework.exceptions`):
                # imported as a package, that folder is its submodule and hides nothing
                return ModuleLookup(module, "unknown")
            return self._first_party_missing(module, parts, local)
        return self._find_installed(module, parts, top)

    def _find_installed(self, module: str, parts: list[str], top: str) -> ModuleLookup:
        env = self.environment
        if env is None:
            return ModuleLookup(module, "unknown")
        kind = "stdlib" if env.is_stdlib(top) else None
        site_dirs = [Path(p) for p in env.sys_path]
        path = self._find_in_dirs(parts, site_dirs)
        if path is not None:
            top_kind = env.top_level_modules.get(top)
            return ModuleLookup(module, kind or ("stdlib" if top_kind == "stdlib" else "site"), path)
        top_known = kind is not None or top in env.top_level_modules
        if not top_known:
            if env.choice.stand_in:
                return ModuleLookup(module, "unknown")  # a stand-in knows nothing of the project's packages
            answer = self.spec_exists(top)
            if answer is False:
                return ModuleLookup(module, "missing", missing_part=top)
            if answer is None:
                return ModuleLookup(module, "unknown")
            # an import hook (editable install) provides it
            return ModuleLookup(module, "unknown") if len(parts) > 1 else ModuleLookup(module, "site")
        if len(parts) == 1:
            return ModuleLookup(module, kind or "site", None)
        top_path = self._find_in_dirs(parts[:1], site_dirs)
        if top_path is not None and self._inside_project(top_path):
            # the project's own package put on sys.path (editable install, .pth, a lib/ layout):
            # answered from the disk, never by importing it
            return self._first_party_missing(module, parts, top_path)
        if top_path is not None and not self.use_probe and (kind == "stdlib" or not env.meta_path_finders):
            # without introspection, from the disk: certain for plain packages (an __init__.py
            # that does not rewrite __path__ or sys.modules) when no import hook is installed
            # (hooks do not add submodules to the standard library)
            return self._first_party_missing(module, parts, top_path, installed=True)
        # a submodule that is not on disk: ask the real import system (imports the parent
        # package of an installed distribution inside the probe subprocess)
        answer = self.spec_exists(module)
        if answer is True:
            return ModuleLookup(module, kind or "site", None)
        if answer is None:
            return ModuleLookup(module, "unknown")
        for i in range(2, len(parts) + 1):
            prefix = ".".join(parts[:i])
            if i == len(parts) or self.spec_exists(prefix) is False:
                return ModuleLookup(module, "missing", missing_part=prefix)
        return ModuleLookup(module, "unknown")

    def _may_be_shadowed(self, top: str, local: Path) -> bool:
        """Is the first-party ``local`` (found for the top-level name ``top``) perhaps NOT what
        Python imports, because the environment also has ``top``?  A folder without
        ``__init__.py`` is a namespace portion, which a regular package or module anywhere on
        sys.path wins over (a top-level ``alembic/`` migrations folder); a folder that is not a
        source root of the project (:meth:`source_roots`) is on sys.path only when a script there
        is run, and so is a source root that is itself a package (a package's folder checked as
        the project, ansible's ``collections/``: imported as a package, its folders are its
        submodules and hide nothing)."""
        env = self.environment
        if env is None or not (env.is_stdlib(top) or top in env.top_level_modules):
            return False
        base = _base_of(local, 1)
        return local.is_dir() or (base / "__init__.py").exists() \
            or not self._is_source_root(base)

    def _in_a_package_folder(self, local: Path) -> bool:
        """Is the first-party ``local`` in a folder without ``__init__.py`` inside a regular package,
        not a source root (marimo's ``marimo/_sql/engines/sqlalchemy.py``, where ``from sqlalchemy
        import text`` means the library)?  That folder is a namespace subpackage, on sys.path only
        when a script in it is run: which module such an import means is not certain."""
        base = _base_of(local, 1)
        if (base / "__init__.py").exists() or self._is_source_root(base):
            return False
        for parent in base.parents:
            if (parent / "__init__.py").exists():
                return True
            if parent == self.root or parent == self.root.parent:
                return False
        return False

    def _first_party_missing(self, module: str, parts: list[str], top_path: Path, installed: bool = False) -> ModuleLookup:
        # A submodule not on disk, decided from the disk alone.  Only certain when every package
        # on the way is a plain directory whose __init__ does not rewrite __path__ or sys.modules.
        base = _base_of(top_path, 1)
        current = base
        for i, part in enumerate(parts):
            found = _find_path(current, [part])
            if found is None:
                if i == 0:
                    return ModuleLookup(module, "unknown")
                init = current / "__init__.py"
                if not current.is_dir() or _is_dynamic_package(init):
                    return ModuleLookup(module, "unknown")
                if installed and not init.is_file():
                    return ModuleLookup(module, "unknown")  # a namespace package or a compiled __init__
                if _other_module_file(current, part):
                    return ModuleLookup(module, "unknown")
                return ModuleLookup(module, "missing", missing_part=".".join(parts[: i + 1]))
            if found.is_dir() or found.name.startswith("__init__."):
                current = found if found.is_dir() else found.parent
            elif i < len(parts) - 1:
                return ModuleLookup(module, "unknown")  # a module that may set sys.modules entries
        return ModuleLookup(module, "unknown")

    def _inside_project(self, path: Path) -> bool:
        """Does ``path`` lie in the project (its root), outside the environment's site-packages?"""
        env = self.environment
        if not inside(path, (self.root,)):
            return False
        return env is None or not inside(path, tuple(Path(p) for p in env.site_packages))

    @recorded("resolver")
    def spec_exists(self, module: str) -> bool | None:
        """Ask the target interpreter whether ``module`` can be found (cached in memory and on disk)."""
        self.prefetch_specs([module])
        with self._lock:
            return self._spec_cache.get(module)

    def prefetch_specs(self, modules: list[str]) -> None:
        """Answer several ``spec_exists`` questions with one subprocess (known answers come from
        the disk cache, keyed by the interpreter and its installed distributions)."""
        env = self.environment
        if not self.use_probe or env is None:
            return
        if env.choice.stand_in:  # its import system would find its own packages: ask about the stdlib only
            modules = [m for m in modules if env.is_stdlib(m.split(".")[0])]
        with self._lock:
            self._load_disk_cache()
            todo = [m for m in dict.fromkeys(modules) if m not in self._spec_cache]
        if not todo:
            return
        try:
            roots = json.dumps(sorted({str(self.root), str(self.root.resolve())}))
            answer = run_probe(self.environment.python, ["specs", roots, *todo], timeout=30.0)
        except EnvironmentProblem:
            answer = {}
        with self._lock:
            for m in todo:
                v = answer.get(m) if isinstance(answer, dict) else None
                self._spec_cache[m] = v if v in (True, False) else None
            self._save_disk_cache({m: self._spec_cache[m] for m in todo if self._spec_cache[m] is not None})

    def prefetch_unplaced(self, modules: list[str]) -> None:
        """``prefetch_specs`` for the modules that ``find`` cannot place without asking: not a
        known top-level module, nor a submodule found on disk.  Asking about ``pkg.sub`` imports
        ``pkg`` in the probe, which takes seconds for a big package, and ``find`` would never use
        the answer."""
        env = self.environment
        if env is None:
            return
        dirs = [Path(p) for p in env.sys_path]

        def placed(module: str) -> bool:
            parts = module.split(".")
            if not (env.is_stdlib(parts[0]) or parts[0] in env.top_level_modules):
                return False
            return len(parts) == 1 or self._find_in_dirs(parts, dirs) is not None

        todo = [m for m in modules if not placed(m)]
        if todo:
            self.prefetch_specs(todo)

    def _disk_cache_path(self) -> Path | None:
        env = self.environment
        if env is None or not self.use_disk_cache:
            return None
        state = json.dumps([env.python, list(env.version), sorted((k, d.version) for k, d in env.distributions.items()),
                            sorted(env.top_level_modules)], sort_keys=True)
        digest = hashlib.sha256(state.encode()).hexdigest()[:24]
        return cache_dir() / "specs" / f"{digest}.json"

    def _load_disk_cache(self) -> None:
        if self._disk_loaded:
            return
        self._disk_loaded = True
        path = self._disk_cache_path()
        if path is None:
            return
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(data, dict):
            for k, v in data.items():
                if isinstance(k, str) and v in (True, False):
                    self._spec_cache.setdefault(k, v)

    def _save_disk_cache(self, new: dict[str, bool | None]) -> None:
        path = self._disk_cache_path()
        if path is None or not new:
            return
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or len(data) > 50_000:
                data = {}
        except (OSError, ValueError):
            data = {}
        data.update(new)
        write_cache_json(path, data)

    def source_roots(self) -> list[Path]:
        """The project's source roots: its root, ``src/`` and the folders its configuration puts
        on the import path (``pyproject.toml``: setuptools' ``package-dir``/``packages.find.where``,
        poetry's ``packages`` ``from``, hatch's wheel ``packages``, pytest's ``pythonpath``)."""
        if self._source_roots is None:
            root = self.root
            roots = [root, root / "src"]
            roots += [d for d in _configured_roots(root) if d not in roots and d.is_dir()]
            self._source_roots = tuple(roots)
        return list(self._source_roots)

    def _is_source_root(self, folder: Path) -> bool:
        """Is ``folder`` one of :meth:`source_roots` (compared resolved; the roots resolved once)?"""
        if self._resolved_roots is None:
            self._resolved_roots = frozenset(r.resolve() for r in self.source_roots())
        return folder.resolve() in self._resolved_roots

    @recorded("resolver")
    def project_module_names(self) -> frozenset[str]:
        """The top-level names importable as such from a source root of the project
        (:meth:`source_roots`), as Python's search order finds them: a package or module nested
        anywhere else (``app/utils/email/``, a vendored ``libs/flask/``, a benchmark's work folder)
        is importable only as a submodule of its package, or from its own folder's scripts
        (:meth:`first_party_roots`), and hides nothing elsewhere."""
        if self._project_modules is None:
            names: set[str] = set()
            for base in self.source_roots():
                names |= _listing(base)
            self._project_modules = frozenset(names)
        return self._project_modules

    # -- suggestions ---------------------------------------------------------------------
    @recorded("resolver")
    def top_level_names(self, file_path: str | None = None) -> set[str]:
        names: set[str] = set()
        env = self.environment
        if env is not None:
            names |= {n for n in env.stdlib_names if not n.startswith("_")}
            names |= {n for n in env.top_level_modules if not n.startswith("_")}
        for r in self.first_party_roots(file_path):
            names |= _listing(r)
        return names

    @recorded("resolver")
    def submodule_names(self, module: str, file_path: str | None = None) -> set[str]:
        parts = module.split(".")
        dirs = self.first_party_roots(file_path)
        if self.environment is not None:
            dirs = dirs + [Path(p) for p in self.environment.sys_path]
        names: set[str] = set()
        for base in dirs:
            found = _find_path(base, parts)
            if found is None:
                continue
            pkg = found if found.is_dir() else (found.parent if found.name.startswith("__init__.") else None)
            if pkg is not None:
                names |= _listing(pkg)
        return names

    @recorded("resolver")
    def suggest_modules(self, module: str, file_path: str | None = None, n: int = 3) -> list[str]:
        key = ("suggest", module, file_path, n)
        return list(self._memoized(key, lambda: tuple(self._suggest_modules(module, file_path, n))))

    def _suggest_modules(self, module: str, file_path: str | None, n: int) -> list[str]:
        parts = module.split(".")
        if len(parts) == 1:
            pool = self.top_level_names(file_path)
            return close_matches(module, sorted(pool), n=n, cutoff=0.75)
        parent = ".".join(parts[:-1])
        pool = self.submodule_names(parent, file_path)
        return [f"{parent}.{m}" for m in close_matches(parts[-1], sorted(pool), n=n, cutoff=0.6)]


def _base_of(found: Path, depth: int) -> Path:
    """The sys.path entry under which ``found`` (for a module of ``depth`` parts) was found."""
    p = found
    if p.name.startswith("__init__."):
        p = p.parent
    for _ in range(depth):
        p = p.parent
    return p


def _find_path(base: Path, parts: list[str]) -> Path | None:
    """Where ``parts`` (a dotted module split) is under ``base``: the package's ``__init__``, the
    module's file, a namespace package's directory; None when absent.  Asked for every import of
    every file (and again to confirm a cached result): on strings, a ``pathlib`` object per
    candidate costs more than the ``stat`` it makes.  ``Path`` normalises what it returns as the
    ``/`` of paths did (an empty or ``.`` part)."""
    isdir, isfile, join = os.path.isdir, os.path.isfile, os.path.join
    current = os.fspath(base)
    last = len(parts) - 1
    for i, part in enumerate(parts):
        pkg = join(current, part)
        if isdir(pkg):
            for init in ("__init__.py", "__init__.pyi"):
                if isfile(join(pkg, init)):
                    if i == last:
                        return Path(pkg, init)
                    break
            else:
                for suffix in _SUFFIXES:
                    if isfile(join(pkg, f"__init__{suffix}")):
                        if i == last:
                            return Path(pkg, f"__init__{suffix}")
                        break
            if i == last:
                return Path(pkg)  # namespace package
            current = pkg
            continue
        if i != last:
            return None
        for suffix in _SUFFIXES:
            candidate = join(current, f"{part}{suffix}")
            if isfile(candidate):
                return Path(candidate)
        return None
    return None


@lru_cache(maxsize=4096)
def _entries(directory: str, mtime: float) -> tuple[str, ...] | None:
    """The names in ``directory`` as of ``mtime`` (None when it cannot be read): one listing per
    version of a folder, for its module names and its other files."""
    try:
        return tuple(os.listdir(directory))
    except OSError:
        return None


@lru_cache(maxsize=4096)
def _listing_cached(directory: str, mtime: float) -> frozenset[str]:
    names = set()
    entries = _entries(directory, mtime)
    if entries is None:
        return frozenset()
    for entry in entries:
        if entry.startswith((".", "__")) or entry.endswith((".dist-info", ".egg-info")):
            continue
        stem = entry
        for suffix in _SUFFIXES:
            if entry.endswith(suffix):
                stem = entry[: -len(suffix)]
                break
        else:
            if not os.path.isdir(os.path.join(directory, entry)):
                continue
        if stem.isidentifier():
            names.add(stem)
    return frozenset(names)


def _listing(directory: Path) -> set[str]:
    try:
        mtime = directory.stat().st_mtime
    except OSError:
        return set()
    return set(_listing_cached(str(directory), mtime))


def _other_module_file(folder: Path, name: str) -> bool:
    """Does ``folder`` hold a file ``name.<suffix>`` that is not a Python source or extension
    module (xonsh's ``sample.xsh``, Cython's ``fast.pyx``, Hy's ``macros.hy``)?  An import hook or
    a build step makes such a file importable, so the submodule's absence is not certain."""
    try:
        entries = _entries(str(folder), folder.stat().st_mtime)
    except OSError:
        return True
    return entries is None or any(entry.startswith(name + ".") for entry in entries)


def _is_dynamic_package(init: Path) -> bool:
    """Does the package's ``__init__.py`` rewrite its ``__path__`` or ``sys.modules`` (read once per
    version of the file: an edit of it is read again)?"""
    try:
        st = init.stat()
    except OSError:
        return False
    return _is_dynamic_init(init, st.st_size, st.st_mtime_ns)


@lru_cache(maxsize=1024)
def _is_dynamic_init(init: Path, _size: int, _mtime_ns: int) -> bool:
    try:
        text = init.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return any(s in text for s in ("__path__", "sys.modules", "pkgutil", "pkg_resources", "__getattr__"))


def parse_module_file(path: Path) -> ast.Module | None:
    """Parse an installed or first-party module's source (never executes it)."""
    return parse_module_source(path)[0]


def parse_module_source(path: Path) -> tuple[ast.Module | None, bytes]:
    """The tree of an installed or first-party module's source and the source itself (never
    executes it); ``(None, b"")`` when it is not Python source, is too large or does not parse."""
    if path.suffix not in (".py", ".pyi"):
        return None, b""
    note_file(path)
    try:
        stamp = file_stamp(str(path))  # the version checked: `--staged` reads the git index's
        if stamp is None or stamp[0] > 4 * 1024 * 1024:
            return None, b""
        return _parsed(str(path), stamp[1], stamp[0])
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None, b""


@lru_cache(maxsize=8)
def _parsed(path: str, mtime_ns: int, size: int) -> tuple[ast.Module, bytes]:
    """The tree and bytes of ``path`` as of that modification time and size: the last few kept,
    since one run reads some modules several times in a row (``typing`` for the namespace of
    each module whose decorators come from it).  Callers must not modify the tree."""
    data = read_bytes(path)
    text = source_text(data)  # the tree of a file just analysed (or about to be) is parsed once
    return (parse(data) if text is None else parse_file(path, text)), data


def forget_parsed_sources() -> bool:
    """Let go of the kept trees of :func:`_parsed` (True if there were some): the language server,
    once an analysis is over (what they were read for is kept in derived form; an edit reads none
    of them again)."""
    kept = _parsed.cache_info().currsize > 0
    _parsed.cache_clear()
    return kept


def _configured_roots(root: Path) -> list[Path]:
    """Folders that ``root/pyproject.toml`` declares as holding top-level packages or modules."""
    from vetpy.config import tomllib

    try:
        data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    tool = data.get("tool") if isinstance(data.get("tool"), dict) else {}
    found: list[str] = []

    def strings(value: object) -> list[str]:
        if isinstance(value, str):
            return [value]
        return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []

    setuptools = tool.get("setuptools") if isinstance(tool.get("setuptools"), dict) else {}
    package_dir = setuptools.get("package-dir")
    if isinstance(package_dir, dict):
        found += strings(package_dir.get(""))
    packages = setuptools.get("packages")
    if isinstance(packages, dict) and isinstance(packages.get("find"), dict):
        found += strings(packages["find"].get("where"))
    poetry = tool.get("poetry") if isinstance(tool.get("poetry"), dict) else {}
    for entry in poetry.get("packages", []) if isinstance(poetry.get("packages"), list) else []:
        if isinstance(entry, dict):
            found += strings(entry.get("from"))
    hatch = tool.get("hatch") if isinstance(tool.get("hatch"), dict) else {}
    wheel = hatch.get("build", {}).get("targets", {}).get("wheel", {}) if isinstance(hatch.get("build"), dict) else {}
    if isinstance(wheel, dict):
        found += [os.path.dirname(p.rstrip("/")) for p in strings(wheel.get("packages"))]
    pytest = tool.get("pytest") if isinstance(tool.get("pytest"), dict) else {}
    ini = pytest.get("ini_options") if isinstance(pytest.get("ini_options"), dict) else {}
    found += [p for v in strings(ini.get("pythonpath")) for p in v.split()]
    out = []
    for rel in found:
        path = (root / rel).resolve() if rel not in ("", ".") else root
        if inside(path, (root.resolve(),)):
            out.append(path if rel in ("", ".") else root / rel)
    return out
