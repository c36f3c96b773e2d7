"""Finding the Python files to check, and reading them safely."""

from __future__ import annotations

import functools
import os
import stat
from pathlib import Path
from typing import Iterable, Iterator

import pathspec

from vetpy import reads
from vetpy.config import DEFAULT_EXCLUDES, DEFAULT_MAX_FILE_SIZE
from vetpy.document import decode_source

# Python's ast costs about 1 KB of memory and 10-20 us per syntax node: a dense 10 MB file
# (millions of nodes) took minutes and 5 GB.  Larger files are almost always generated code, so
# files over ``max-file-size`` (default DEFAULT_MAX_FILE_SIZE, 2 MiB) are not analysed: the CLI
# reports them with SYN002, the language server with one information diagnostic.


def too_large(size: int, limit: int = DEFAULT_MAX_FILE_SIZE) -> str | None:
    """The one-line reason why a file of ``size`` bytes is not analysed, or None."""
    if size <= limit:
        return None
    return f"too large to check ({_mib(size)}; the limit is {_mib(limit)}, set by max-file-size)"


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB" if size % (1024 * 1024) else f"{size // (1024 * 1024)} MiB"


def matches_pattern(rel_posix: str, pattern: str) -> bool:
    """Whether a project-relative POSIX path matches one `exclude` / `per-file-ignores` pattern.

    Patterns have gitignore semantics (pathspec's ``GitIgnoreSpec``, which follows git's own edge
    cases): a pattern without a ``/`` (but at its end) matches a name at any depth (``build``,
    ``*_pb2.py``); one with a ``/`` is anchored at the project root (``docs/legacy``, ``tests/*``);
    ``**`` spans directories; a pattern that matches a directory matches everything below it.
    A leading ``./`` is ignored.
    """
    return patterns_spec((pattern,)).match_file(rel_posix)


def is_excluded(rel_posix: str, patterns: Iterable[str]) -> bool:
    return patterns_spec(tuple(patterns)).match_file(rel_posix)


@functools.lru_cache(maxsize=256)
def patterns_spec(patterns: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    """The gitignore-style spec of configured patterns (``./`` prefixes dropped)."""
    lines = [p.strip()[2:] if p.strip().startswith("./") else p.strip() for p in patterns]
    return pathspec.GitIgnoreSpec.from_lines([line for line in lines if line])


IGNORE_FILES = (".gitignore", ".ignore")  # in a directory, the later one wins (as in ripgrep and ruff)


class IgnoreFiles:
    """The ``.gitignore`` and ``.ignore`` files that apply to a walk, each relative to its directory.

    ``.gitignore`` counts inside a git work tree only (as git reads it), from the work tree's top
    down, with ``.git/info/exclude``; ``.ignore`` counts anywhere.  The deepest file with a pattern
    that matches decides, and a ``!pattern`` there can bring a path back.
    """

    def __init__(self, start: Path, own_tree: bool = False) -> None:
        """``own_tree``: when the files above ``start`` ignore ``start`` itself (a project unpacked
        in an ignored folder of another repository), they do not apply below it: the walk is of a
        tree of its own, and only the ignore files inside it count."""
        self.specs: list[tuple[Path, pathspec.GitIgnoreSpec]] = []
        start = resolved(start)
        directory = start if start.is_dir() else start.parent
        chain = [directory, *directory.parents]
        top = next((d for d in chain if (d / ".git").exists()), None)
        self.git = top is not None
        if top is not None:
            self._read(top, top / ".git" / "info" / "exclude")
        # the directories above the walk's start (down to it) whose files already apply
        above = chain[1 : chain.index(top) + 1] if top is not None else []
        for parent in reversed(above):
            self.add_directory(parent)
        if own_tree and self.ignored(directory, is_dir=True):
            self.specs = []

    def add_directory(self, directory: Path) -> None:
        for name in IGNORE_FILES:
            if name == ".gitignore" and not self.git:
                continue
            self._read(directory, directory / name)

    def _read(self, base: Path, path: Path) -> None:
        try:
            if not path.is_file() or path.stat().st_size > 1024 * 1024:
                return
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return
        spec = pathspec.GitIgnoreSpec.from_lines(lines)
        if len(spec):
            self.specs.append((resolved(base), spec))

    def ignored(self, full: Path, is_dir: bool) -> bool:
        """Whether ``full`` (a resolved path) is ignored."""
        verdict = None
        for base, spec in self.specs:
            try:
                rel = full.relative_to(base).as_posix()
            except ValueError:
                continue
            include = spec.check_file(rel + "/" if is_dir else rel).include
            if include is not None:
                verdict = include
        return bool(verdict)


def iter_python_files(
    path: Path, root: Path, exclude: Iterable[str] = (), respect_gitignore: bool = True, own_tree: bool = False
) -> Iterator[Path]:
    """Python files under ``path`` (a file is returned as is), skipping excluded directories and,
    with ``respect_gitignore``, what ``.gitignore`` and ``.ignore`` files exclude (``own_tree``:
    see :class:`IgnoreFiles`).

    Symbolic links to directories are not followed (no loops); each real directory is visited once.
    """
    patterns = tuple(DEFAULT_EXCLUDES) + tuple(exclude)
    if not path.is_dir():  # a file named explicitly (even a FIFO or device: read_source says why not)
        yield path
        return
    ignores = IgnoreFiles(path, own_tree) if respect_gitignore else None
    seen: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(path, followlinks=False):
        try:
            st = os.stat(dirpath)
            key = (st.st_dev, st.st_ino)
        except OSError:
            dirnames[:] = []
            continue
        if key in seen:
            dirnames[:] = []
            continue
        seen.add(key)
        base = Path(dirpath)
        real_base = resolved(base) if ignores is not None else base
        if ignores is not None:
            ignores.add_directory(base)
        keep = []
        for d in sorted(dirnames):
            rel = _rel(base / d, root)
            if is_excluded(rel + "/", patterns) or (base / d / "pyvenv.cfg").exists():
                continue
            if ignores is not None and ignores.ignored(real_base / d, is_dir=True):
                continue
            keep.append(d)
        dirnames[:] = keep
        for name in sorted(filenames):
            if not (name.endswith(".py") or name.endswith(".pyi")):
                continue
            full = base / name
            if is_excluded(_rel(full, root), patterns):
                continue
            if ignores is not None and ignores.ignored(real_base / name, is_dir=False):
                continue
            yield full


def in_test_suite(parts: tuple[str, ...] | list[str]) -> bool:
    """Do the path ``parts`` name a test module, a ``conftest.py`` or a file under a
    ``tests``/``test`` folder?"""
    name = parts[-1] if parts else ""
    return (name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py"
            or any(p in ("tests", "test") for p in parts[:-1]))


def is_regular_file(path: Path) -> bool:
    """Is ``path`` (links followed) a regular file: not a FIFO, socket, device or directory?"""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except (OSError, ValueError):
        return False


def resolved(path: Path) -> Path:
    """``path.resolve()`` that never raises (symlink loops resolve to the absolute path)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: "Symlink loop from ..." (Python < 3.13)
        return Path(os.path.abspath(path))


def _rel(path: Path, root: Path) -> str:
    try:
        return resolved(path).relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def read_source(path: Path, limit: int = DEFAULT_MAX_FILE_SIZE) -> str:
    """Decoded text of a Python file of at most ``limit`` bytes; raises ValueError with a
    one-line reason."""
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise ValueError("is a directory")
        if not stat.S_ISREG(info.st_mode):  # reading a FIFO would block forever
            raise ValueError("not a regular file (a FIFO, socket or device)")
        reason = too_large(info.st_size, limit)
        if reason is not None:
            raise ValueError(reason)
        data = path.read_bytes()
    except PermissionError:
        raise ValueError("permission denied") from None
    except IsADirectoryError:
        raise ValueError("is a directory") from None
    except FileNotFoundError:
        raise ValueError("broken symbolic link" if path.is_symlink() else "no such file") from None
    except OSError as exc:
        raise ValueError(exc.strerror or str(exc)) from None
    return decode_source(data)


def is_package_file(path: str | Path) -> bool:
    """Is ``path`` a package's ``__init__`` (``.py``, or the ``.pyi`` stub beside it: textual's
    ``widgets/__init__.pyi`` imports ``from ._log import Log``, relative to its package)?"""
    return Path(path).name in ("__init__.py", "__init__.pyi")


def module_name_for(path: str, root: Path) -> str | None:
    """Dotted module name of a file from its package directories (no import)."""
    if not path or path.startswith("<"):
        return None
    p = Path(path)
    try:
        p = p.resolve()
    except OSError:
        return None
    parts = [] if p.stem == "__init__" else [p.stem]
    d = p.parent
    while True:
        init = d / "__init__.py"
        reads.note_file(init)  # the name changes when a package marker appears or goes
        if not (init.exists() and d.parent != d) or not d.name.isidentifier():
            break  # no package, or a folder no import can name (a template's `{{ cookiecutter.name }}`)
        parts.insert(0, d.name)
        d = d.parent
    return ".".join(parts) if parts else None
