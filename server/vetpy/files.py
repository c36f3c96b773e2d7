"""Finding the Python files to check, and reading them safely."""

from __future__ import annotations

import fnmatch
import os
import stat
from pathlib import Path
from typing import Iterable, Iterator

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

    A pattern with a ``/`` is a glob over the whole relative path and also matches everything
    below a directory it names (``docs/legacy``, ``tests/*``); a pattern without one is matched
    against every path component (``build``, ``*_pb2.py``).  A leading ``./`` is ignored (but the
    dot of ``.github`` is kept).
    """
    pat = pattern.strip().rstrip("/")
    if pat.startswith("./"):
        pat = pat[2:]
    if not pat:
        return False
    if fnmatch.fnmatch(rel_posix, pat):
        return True
    if "/" in pat:
        return fnmatch.fnmatch(rel_posix, pat + "/*") or rel_posix.startswith(pat + "/")
    return any(fnmatch.fnmatch(part, pat) for part in rel_posix.split("/"))


def is_excluded(rel_posix: str, patterns: Iterable[str]) -> bool:
    return any(matches_pattern(rel_posix, pattern) for pattern in patterns)


def iter_python_files(path: Path, root: Path, exclude: Iterable[str] = ()) -> Iterator[Path]:
    """Python files under ``path`` (a file is returned as is), skipping excluded directories.

    Symbolic links to directories are not followed (no loops); each real directory is visited once.
    """
    patterns = list(DEFAULT_EXCLUDES) + list(exclude)
    if not path.is_dir():  # a file named explicitly (even a FIFO or device: read_source says why not)
        yield path
        return
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
        keep = []
        for d in sorted(dirnames):
            rel = _rel(base / d, root)
            if not is_excluded(rel, patterns) and not (base / d / "pyvenv.cfg").exists():
                keep.append(d)
        dirnames[:] = keep
        for name in sorted(filenames):
            if not (name.endswith(".py") or name.endswith(".pyi")):
                continue
            full = base / name
            if is_excluded(_rel(full, root), patterns):
                continue
            yield full


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
