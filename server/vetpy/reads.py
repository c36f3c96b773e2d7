"""What one analysis read besides its document, so that its result can be reused.

An analysis of a file reads more than the file: how its imports resolve, which distributions
provide them, the source and stubs of installed modules, the project's pytest configuration and
conftest files, project-wide facts.  The per-file result cache (:mod:`vetpy.resultcache`) may
answer for an unchanged file only when every one of those reads would give the same answer now.

So the services that answer such questions note them here, at the boundary a rule calls:
``note_file(path)`` for a file whose content was used (compared later by its size and
modification time, or its absence), and ``@recorded(service)`` on a method whose answer is kept
as a digest together with its arguments, to be asked again when the cache is consulted.  A
service that keeps answers in a cache of its own keeps the reads that made them too
(:func:`capture`), and notes the answer with them on every use (:func:`note_derived`), so that
a hit reads the same as a miss.

Nothing is noted unless an analysis is being recorded in this thread (:func:`recording`): the
language server and uncached runs pay one attribute lookup per call.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import hashlib
import os
import threading
from contextlib import contextmanager
from pathlib import PurePath
from typing import Any, Callable, Iterator, TypeVar

Query = tuple[str, str, tuple, tuple]  # (service, method, arguments, keyword arguments as sorted pairs)
UNSTABLE = "unstable"  # the digest of an answer that has none: the question never matches again


class Reads:
    """Files whose content was used, and questions with the digests of their answers.

    ``derived``: questions whose answer is computed from other reads (the names a module binds,
    from its source): the digest of the answer and the reads that computed it.  While those reads
    hold, so does the answer; when one does not (the module was edited), the question is asked
    again and only a different answer counts as a change (an edit that adds a comment to a
    module re-checks no importer)."""

    __slots__ = ("files", "queries", "derived")

    def __init__(self) -> None:
        self.files: set[str] = set()
        self.queries: dict[Query, str] = {}
        self.derived: dict[Query, tuple[str, "Reads"]] = {}

    def merge(self, other: "Reads") -> None:
        self.files |= other.files
        self.queries.update(other.queries)
        self.derived.update(other.derived)

    def flat(self) -> "Reads":
        """These reads with every derived question replaced by the reads behind it."""
        out = Reads()
        out.files |= self.files
        out.queries.update(self.queries)
        for _, evidence in self.derived.values():
            inner = evidence.flat()
            out.files |= inner.files
            out.queries.update(inner.queries)
        return out


_local = threading.local()


def _top() -> Reads | None:
    stack = getattr(_local, "stack", None)
    return stack[-1] if stack else None


def active() -> bool:
    """Is an analysis being recorded in this thread?"""
    return bool(getattr(_local, "stack", None))


@contextmanager
def recording() -> Iterator[Reads]:
    """Record the reads made in this thread inside the block; nested recordings also pass what
    they saw to the enclosing one."""
    with _pushed(merge=True) as reads:
        yield reads


@contextmanager
def capture() -> Iterator[Reads]:
    """For a service computing a value it will keep: what the computation reads is captured
    apart (not passed to an enclosing recording), to be noted with :func:`note_derived` on this
    and every later use of the value."""
    with _pushed(merge=False) as reads:
        yield reads


@contextmanager
def _pushed(merge: bool) -> Iterator[Reads]:
    stack = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    reads = Reads()
    stack.append(reads)
    try:
        yield reads
    finally:
        stack.pop()
        if merge and stack:
            stack[-1].merge(reads)


def replay(reads: Reads) -> None:
    """Pass reads captured apart (:func:`capture`) on to the current recording after all."""
    top = _top()
    if top is not None:
        top.merge(reads)


def note_derived(service: str, method: str, args: tuple, answer: Any, evidence: Reads) -> None:
    top = _top()
    if top is not None:
        top.derived[(service, method, args, ())] = (safe_digest(answer), evidence)


def note_file(path: "str | os.PathLike[str] | None") -> None:
    top = _top()
    if top is not None and path is not None:
        top.files.add(os.fspath(path))


def note(service: str, method: str, args: tuple, answer: Any, kwargs: tuple = ()) -> None:
    top = _top()
    if top is not None:
        # UNSTABLE stays itself: a result that noted it is never stored (ResultCache.store)
        top.queries[(service, method, args, kwargs)] = answer if answer is UNSTABLE else safe_digest(answer)


F = TypeVar("F", bound=Callable[..., Any])


def recorded(service: str) -> Callable[[F], F]:
    """Note each call of the decorated method (its arguments must be plain values: strings,
    numbers, None, tuples) and the digest of its answer, under ``service``."""

    def decorate(func: F) -> F:
        name = func.__name__

        @functools.wraps(func)
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            answer = func(self, *args, **kwargs)
            if getattr(_local, "stack", None):
                note(service, name, args, answer, tuple(sorted(kwargs.items())))
            return answer

        return wrapper  # type: ignore[return-value]

    return decorate


class Kept:
    """Values worked out from files of the project, kept in this process across analyses (the
    calls a view module makes into others, read once for every module it calls): each is kept
    with what worked it out -- the services it was asked under (``owners``: the context's
    resolver, project facts ..., compared by identity) and every file the computation noted
    (:func:`note_file`, at the stamp it had) -- and served again only while all of those hold.
    A key names the value's own file at its version; the files it read besides (a base class's
    module) are what the key cannot see: an edit of one works the value out again.  Serving a
    kept value notes the same reads as working it out (a result cache recording the analysis
    sees the base module either way)."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._entries: dict[Any, tuple[tuple[object, ...], Any, Reads, tuple[tuple[str, list[int] | None], ...]]] = {}
        self._lock = threading.Lock()

    def get(self, key: Any, owners: tuple[object, ...], compute: Callable[[], Any]) -> Any:
        with self._lock:
            entry = self._entries.get(key)
        if entry is not None:
            kept_owners, value, used, stamps = entry
            if (len(kept_owners) == len(owners) and all(a is b for a, b in zip(kept_owners, owners))
                    and all(file_stamp(path) == stamp for path, stamp in stamps)):
                replay(used)
                return value
        with capture() as used:
            value = compute()
        replay(used)
        stamps = tuple((path, file_stamp(path)) for path in sorted(used.flat().files))
        with self._lock:
            if len(self._entries) >= self._limit:
                self._entries.clear()
            self._entries[key] = (owners, value, used, stamps)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_PACKAGE = os.path.dirname(os.path.realpath(__file__))


@functools.lru_cache(maxsize=1)
def source_stamp() -> str:
    """vetpy's own code and data (each file's size and modification time): what is kept on disk
    by vetpy's rules of today is dropped when a development checkout is edited."""
    parts = []
    for directory, dirs, names in os.walk(_PACKAGE):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            if name.endswith((".py", ".json", ".gz", ".txt", ".toml", ".bin")):  # .bin: history, worker
                stamp = file_stamp(os.path.join(directory, name))
                parts.append(f"{os.path.relpath(os.path.join(directory, name), _PACKAGE)}:{stamp}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


# Files read at another version than the work tree's: ``vetpy check --staged`` reads the project's
# own modules as the git index has them (what will be committed), not as they are on disk.  Keyed
# by real path: (content, stamp), the stamp with a negative "time" (a digest of the content) that
# no file on disk has, so that whatever is kept by stamp (parsed modules, summaries, the result
# cache on disk) never mixes the two versions.
_OVERLAY: dict[str, tuple[bytes, list[int]]] = {}


@contextmanager
def other_versions(files: dict[str, bytes]) -> Iterator[None]:
    """Within the block, :func:`file_stamp`, :func:`read_bytes` and :func:`read_text` answer for
    each path of ``files`` from its bytes there instead of the disk (processes forked within
    the block inherit them)."""
    saved = dict(_OVERLAY)
    for path, data in files.items():
        tag = int.from_bytes(hashlib.blake2b(data, digest_size=7).digest(), "big")
        _OVERLAY[os.path.realpath(path)] = (data, [len(data), -1 - tag])
    try:
        yield
    finally:
        _OVERLAY.clear()
        _OVERLAY.update(saved)


def _other_version(path: "str | os.PathLike[str]") -> tuple[bytes, list[int]] | None:
    return _OVERLAY.get(os.fspath(path)) or _OVERLAY.get(os.path.realpath(path))


def other_version(path: "str | os.PathLike[str]") -> bytes | None:
    """The content :func:`other_versions` gives ``path``; None when it gives none."""
    kept = _other_version(path) if _OVERLAY else None
    return None if kept is None else kept[0]


def read_bytes(path: "str | os.PathLike[str]") -> bytes:
    """The content of a project file at the version being checked (OSError as ``open``)."""
    if _OVERLAY and (kept := _other_version(path)) is not None:
        return kept[0]
    with open(path, "rb") as fh:
        return fh.read()


def read_text(path: "str | os.PathLike[str]", errors: str = "strict") -> str:
    """:func:`read_bytes` decoded as UTF-8 with universal newlines, as ``Path.read_text`` does
    (OSError, UnicodeDecodeError with ``errors="strict"``)."""
    if _OVERLAY and (kept := _other_version(path)) is not None:
        return kept[0].decode("utf-8", errors).replace("\r\n", "\n").replace("\r", "\n")
    with open(path, encoding="utf-8", errors=errors) as fh:
        return fh.read()


def file_stamp(path: str) -> list[int] | None:
    """What a noted file is compared by: its size and modification time; None when absent."""
    if _OVERLAY and (kept := _other_version(path)) is not None:
        return list(kept[1])
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return [st.st_size, st.st_mtime_ns]


def digest(value: Any) -> str:
    """A stable text digest of an answer: equal answers, equal digests, across processes."""
    return hashlib.blake2b(_canonical(value).encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


def safe_digest(value: Any) -> str:
    try:
        return digest(value)
    except (TypeError, RecursionError):
        return UNSTABLE


def _canonical(value: Any) -> str:
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, PurePath):
        return f"P{str(value)!r}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_canonical(v) for v in value) + "]"
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(_canonical(v) for v in value)) + "}"
    if isinstance(value, dict):
        return "{" + ",".join(sorted(f"{_canonical(k)}:{_canonical(v)}" for k, v in value.items())) + "}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = ",".join(f"{f.name}={_canonical(getattr(value, f.name))}" for f in dataclasses.fields(value))
        return f"{type(value).__name__}({fields})"
    raise TypeError(f"no stable digest for {type(value).__name__}")
