"""Finding the Python files to check, and reading them safely."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path
from typing import Iterable, Iterator

from vetpy.config import DEFAULT_EXCLUDES
from vetpy.document import decode_source

MAX_FILE_BYTES = 20 * 1024 * 1024


def is_excluded(rel_posix: str, patterns: Iterable[str]) -> bool:
    parts = rel_posix.split("/")
    for pattern in patterns:
        pat = pattern.strip().rstrip("/")
        if pat.startswith("./"):
            pat = pat[2:]
        if not pat:
            continue
        if "/" in pat:
            if fnmatch.fnmatch(rel_posix, pat) or fnmatch.fnmatch(rel_posix, pat + "/*") or rel_posix.startswith(pat + "/"):
                return True
        elif any(fnmatch.fnmatch(p, pat) for p in parts):
            return True
    return False


def iter_python_files(path: Path, root: Path, exclude: Iterable[str] = ()) -> Iterator[Path]:
    """Python files under ``path`` (a file is returned as is), skipping excluded directories.

    Symbolic links to directories are not followed (no loops); each real directory is visited once.
    """
    patterns = list(DEFAULT_EXCLUDES) + list(exclude)
    if path.is_file():
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


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except (ValueError, OSError):
        return path.as_posix()


def read_source(path: Path) -> str:
    """Decoded text of a Python file; raises ValueError with a one-line reason."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ValueError(f"too large to check ({size // (1024 * 1024)} MiB)")
        data = path.read_bytes()
    except PermissionError:
        raise ValueError("permission denied") from None
    except IsADirectoryError:
        raise ValueError("is a directory") from None
    except FileNotFoundError:
        raise ValueError("no such file") from None
    except OSError as exc:
        raise ValueError(exc.strerror or str(exc)) from None
    return decode_source(data)
