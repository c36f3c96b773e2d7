"""Workspace folders, project roots and their analysis contexts, for the language server.

A document belongs to the workspace folder that contains it (the longest match); its project
root is the nearest directory with a ``pyproject.toml`` between the document and that folder
(the folder itself otherwise).  Each root has one :class:`~vetpy.project.ProjectSetup`, built
lazily from the folder's editor settings and rebuilt when a watched file changes.

Thread-safe: contexts are built in worker threads, at most once at a time per root.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from vetpy.config import project_root
from vetpy.environment.requirement_purpose import REQUIREMENT_FILES
from vetpy.environment.discovery import workspace_of
from vetpy.context import AnalysisContext
from vetpy.lsp.settings import Settings, SettingsBundle, engine_mapping
from vetpy.project import ProjectSetup, build_context, load_project_config
from vetpy.resolve import warm as warm_worker

if TYPE_CHECKING:
    from vetpy.environment.model import TargetEnvironment

log = logging.getLogger("vetpy.lsp")

# Files whose change means: read the environment and the declared dependencies again.
WATCHED_NAMES = ("pyproject.toml", "uv.lock", "poetry.lock", "pyvenv.cfg")

WATCHED_GLOBS = ("**/*.py", "**/pyproject.toml", "**/requirements*.txt", "**/*-requirements.txt", "**/*_requirements.txt", "**/uv.lock",
                 "**/poetry.lock", "**/pyvenv.cfg")


def is_watched_name(name: str) -> bool:
    return name in WATCHED_NAMES or (name.startswith("requirements") and name.endswith(".txt"))


def in_site_packages(env: "TargetEnvironment", text: str) -> bool:
    """Is the path ``text`` one of the environment's site-packages folders or inside one?"""
    return any(text == sp or text.startswith(sp.rstrip(os.sep) + os.sep) for sp in env.site_packages)


def own_code(project: "Project", paths: list[Path]) -> list[Path]:
    """Of ``paths``, the Python files of ``project``'s own code: under its root, not in a
    virtual environment inside it (installed packages)."""
    root, env = project.root, project.ctx.environment
    return [p for p in paths if p.suffix in (".py", ".pyi") and root in p.parents
            and not (env is not None and in_site_packages(env, str(p)))]


@dataclass
class Project:
    root: Path
    folder_uri: str | None
    settings: Settings
    setup: ProjectSetup
    generation: int
    watch_state: tuple[tuple[str, int | None, int | None], ...] = ()
    warmed: bool = False
    # the keyword arguments of build_context that gave ``setup`` (JSON-safe), so that a child
    # process can build the same context (:mod:`vetpy.lsp.isolated`)
    build: dict[str, Any] = field(default_factory=dict)

    @property
    def ctx(self) -> AnalysisContext:
        return self.setup.ctx

    def watched_paths(self) -> list[str]:
        return watched_paths(self.root, self.setup)

    def describe(self) -> dict[str, Any]:
        env = self.ctx.environment
        choice = self.setup.choice
        return {
            "root": str(self.root),
            "folder": self.folder_uri,
            "interpreter": env.python if env else (choice.python if choice else None),
            "reason": env.choice.reason if env else (choice.reason if choice else None),
            "available": env is not None,
            "pythonVersion": env.version_str if env else None,
            "executable": env.executable if env else None,
            "sysPathHead": (env.sys_path[:6] if env else []),
            "sitePackages": env.site_packages if env else [],
            "distributions": len(env.distributions) if env else 0,
            "config": str(self.ctx.config.source) if self.ctx.config.source else None,
            "trusted": self.settings.trusted is not False,
            "settings": self.settings.to_json(),
            "problems": list(self.setup.problems),
            "generation": self.generation,
        }


def watched_paths(root: Path, setup: ProjectSetup) -> list[str]:
    """Files and directories whose mtime tells that the environment or the pins changed."""
    paths = [str(root / n) for n in ("pyproject.toml", "uv.lock", "poetry.lock")]
    paths += [str(root / d / "pyvenv.cfg") for d in (".venv", "venv")]
    try:
        paths += sorted(str(p) for pattern in REQUIREMENT_FILES for p in root.glob(pattern) if "/" not in pattern)
    except OSError:
        pass
    env = setup.ctx.environment
    if env is not None:
        paths += env.site_packages
        paths.append(os.path.join(env.prefix, "pyvenv.cfg"))
        paths.append(env.python)
    elif setup.choice is not None:
        paths.append(setup.choice.python)
    return list(dict.fromkeys(paths))


def stat_state(paths: list[str]) -> tuple[tuple[str, int | None, int | None], ...]:
    state = []
    for p in paths:
        try:
            st = os.stat(p)
            state.append((p, st.st_mtime_ns, st.st_size))
        except OSError:
            state.append((p, None, None))
    return tuple(state)


class Projects:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._root_locks: dict[Path, threading.Lock] = {}
        self._projects: dict[Path, Project] = {}
        self.folders: dict[str, Path] = {}  # folder URI -> directory
        self.bundle = SettingsBundle()
        self.configured: dict[str, Settings] = {}  # workspace/configuration answers, by folder URI ("" global)
        self._generation = 0

    # -- folders and settings --------------------------------------------------------------------
    def set_folder(self, uri: str, path: Path) -> None:
        with self._lock:
            self.folders[uri.rstrip("/")] = path.resolve()

    def remove_folder(self, uri: str) -> list[Path]:
        with self._lock:
            path = self.folders.pop(uri.rstrip("/"), None)
            if path is None:
                return []
            gone = [r for r, p in self._projects.items() if p.folder_uri == uri.rstrip("/")]
            for root in gone:
                del self._projects[root]
            return gone

    def settings_for(self, folder_uri: str | None) -> Settings:
        base = self.bundle.for_folder(folder_uri)
        glob = self.configured.get("")
        if glob is not None:
            base = glob.over(base)
        own = self.configured.get(folder_uri or "")
        return own.over(base) if own is not None and folder_uri else base

    def folder_of(self, path: Path | None) -> str | None:
        if path is None:
            return next(iter(self.folders), None)
        best: tuple[int, str] | None = None
        for uri, folder in self.folders.items():
            if path == folder or folder in path.parents:
                depth = len(folder.parts)
                if best is None or depth > best[0]:
                    best = (depth, uri)
        return best[1] if best else None

    def root_of(self, path: Path | None) -> tuple[str | None, Path]:
        """(folder URI, project root) for a document path (None: a non-file document)."""
        folder_uri = self.folder_of(path)
        folder = self.folders.get(folder_uri) if folder_uri else None
        if path is None:
            return folder_uri, folder or Path.cwd().resolve()
        directory = path.parent
        if folder is None:
            return folder_uri, project_root(directory)  # a file outside every folder
        for candidate in (directory, *directory.parents):
            if (candidate / "pyproject.toml").is_file():
                return folder_uri, candidate
            if candidate == folder:
                break
        return folder_uri, folder

    # -- contexts --------------------------------------------------------------------------------
    def project_for(self, path: Path | None) -> Project:
        folder_uri, root = self.root_of(path)
        with self._lock:
            project = self._projects.get(root)
            lock = self._root_locks.setdefault(root, threading.Lock())
        if project is not None:
            return project
        with lock:
            with self._lock:
                project = self._projects.get(root)
            if project is not None:
                return project
            return self._build(root, folder_uri)

    def rebuild(self, root: Path) -> Project | None:
        with self._lock:
            old = self._projects.get(root)
            lock = self._root_locks.setdefault(root, threading.Lock())
        if old is None:
            return None
        with lock:
            return self._build(root, old.folder_uri)

    def built(self, path: Path | None) -> Project | None:
        """The project of ``path`` if its context is built already (never builds it)."""
        _, root = self.root_of(path)
        with self._lock:
            return self._projects.get(root)

    def static_context(self, path: Path | None) -> AnalysisContext:
        """The context of ``path``'s project without its environment: its configuration (files and
        editor settings), nothing else; reads files, runs no interpreter (milliseconds, where the
        whole context waits for the environment probe)."""
        folder_uri, root = self.root_of(path)
        engine = engine_mapping(self.settings_for(folder_uri))
        introspection = engine.pop("introspection", None)
        config, _, _ = load_project_config(root.resolve(), engine or None, "editor settings (vetpy)", introspection)
        return AnalysisContext(config=config, root=root.resolve())

    def _build(self, root: Path, folder_uri: str | None) -> Project:
        settings = self.settings_for(folder_uri)
        folder = self.folders.get(folder_uri or "", root)
        interpreter = settings.interpreter
        if interpreter and not os.path.isabs(os.path.expanduser(interpreter)):
            interpreter = str(folder / interpreter)
        engine = engine_mapping(settings)
        introspection = engine.pop("introspection", None)
        build: dict[str, Any] = {
            "python": interpreter,
            "python_reason": "editor setting",
            "settings": engine or None,
            "settings_origin": "editor settings (vetpy)",
            "introspection": introspection,
            "trusted": settings.trusted is not False,
            "workspace": [str(p) for p in (folder, *workspace_of(root))],
        }
        log.debug("%s: building the analysis context (environment probe, declared dependencies)", root)
        try:
            # the introspection worker starts while the environment is probed (both are on a cold
            # start's way to the first diagnostics)
            setup = build_context(root, **{**build, "workspace": tuple(Path(p) for p in build["workspace"])},
                                  start_worker=True)
        except Exception as exc:  # build_context promises not to raise; be safe anyway
            log.exception("building the analysis context for %s failed", root)
            setup = ProjectSetup(ctx=AnalysisContext.bare(root), problems=[f"{root}: {exc}"], config_error=True)
        for problem in setup.problems:
            log.warning("%s: %s", root, problem)
        env = setup.ctx.environment
        log.debug("%s: analysis context built (%.2f s of the server's CPU since it started; the probe and the "
                  "worker are other processes)", root, time.process_time())
        log.info(
            "%s: checking against %s",
            root,
            env.describe() if env else (setup.choice.describe() + " (unavailable)" if setup.choice else "no environment"),
        )
        with self._lock:
            self._generation += 1
            project = Project(root, folder_uri, settings, setup, self._generation, build=build)
            project.watch_state = stat_state(project.watched_paths())
            self._projects[root] = project
        return project

    def projects(self) -> list[Project]:
        with self._lock:
            return list(self._projects.values())

    def changed(self) -> list[Path]:
        """Roots whose watched files changed since their context was built (cheap stats)."""
        out = []
        for project in self.projects():
            if stat_state(project.watched_paths()) != project.watch_state:
                out.append(project.root)
        return out

    def read_own_code_again(self, paths: list[Path]) -> list[Path]:
        """``paths`` (Python files written) are the projects' own code: what the project's code
        does to objects it does not own (:mod:`vetpy.first_party`: attributes it sets, classes it
        defines, how it guards its imports) is read from every project file once and kept, so a
        project holding one of them gets a fresh summary (read when next asked; each unchanged
        file's facts come back from disk), and its resolver reads its module names again (a new
        module).  The roots of those projects."""
        hits = []
        for project in self.projects():
            ctx = project.ctx
            own = own_code(project, paths)
            if ctx.first_party is None or not own:
                continue
            # analyses already running keep the summary they started with (vetpy.lsp.analysis
            # copies the context); the incremental engine keys its records by this object
            ctx.first_party = ctx.first_party.read_again(own)
            if ctx.resolver is not None:
                ctx.resolver.forget_project_files()
            hits.append(project.root)
        return hits

    def own_code_roots(self, paths: list[Path]) -> set[Path]:
        """The roots :meth:`read_own_code_again` would give for ``paths`` (nothing is read)."""
        return {p.root for p in self.projects() if p.ctx.first_party is not None and own_code(p, paths)}

    def roots_affected_by(self, path: Path) -> list[Path]:
        """Roots to rebuild when ``path`` changed (a watched file, or inside site-packages)."""
        hits = []
        text = str(path)
        for project in self.projects():
            env = project.ctx.environment
            inside_root = project.root == path.parent or project.root in path.parents
            in_env = env is not None and (in_site_packages(env, text) or text == os.path.join(env.prefix, "pyvenv.cfg"))
            if in_env or (inside_root and is_watched_name(path.name)):
                hits.append(project.root)
        return hits

    @staticmethod
    def warm(project: Project) -> None:
        """Warm the member and stub indexes of the context (optional, may be slow)."""
        if project.warmed:
            return
        project.warmed = True
        ctx = project.ctx
        hooks: list[tuple[str, Callable[[], object]]] = [("the introspection worker", lambda: warm_worker(ctx.members))]
        for name, service in (("the member index", ctx.members), ("the stub index", ctx.stubs)):
            hook = getattr(service, "warm", None)
            if callable(hook):
                hooks.append((name, hook))
        for name, hook in hooks:
            try:
                hook()
            except Exception as exc:
                log.warning("warming %s for %s failed: %s: %s", name, project.root, type(exc).__name__, exc,
                            exc_info=True)
