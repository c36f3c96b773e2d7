"""When a name left or arrived: vetpy's release-history database.

``data/history.bin`` is built by ``scripts/build_history.py`` from real releases (the
standard library of each Python from 3.8 on, and the newest patch of the minor releases of
widely used packages) and lists, per library, the *transitions* of module members, class
members and keyword parameters between consecutive releases ("-2.0": removed in 2.0, "+3.12":
new in 3.12), with the deprecation text the last release before a removal gave.  See
docs/versions.md.

The rules ask only about names the installed package has already been found to lack, so the
history adds the *why* ("removed in pandas 2.0, deprecated in 1.4: use pandas.concat") and never
decides by itself that a name is missing.
"""

from __future__ import annotations

import json
import re
import zlib
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Iterator, Mapping

Version = tuple[int, ...]

# import name -> names a project commonly binds it to (`np.float64` in a message names numpy)
_ALIASES = {"numpy": ("np",), "pandas": ("pd",), "matplotlib": ("mpl", "plt"), "sqlalchemy": ("sa",)}


def render(message: str, subject: str) -> str:
    """A deprecation text as the build script read it, with ``{__name__}`` (an f-string's
    ``type(self).__name__``) replaced by the class of ``subject`` (```DataFrame.swapaxes```)."""
    owner = subject.strip("`").split(".")[0]
    return message.replace("{__name__}", owner) if owner else message


def _short(key: str) -> str:
    """``top:module.Class.member(kw)`` -> ``top:Class.member(kw)`` (a class key's short form)."""
    top, sep, rest = key.partition(":")
    if not sep:
        return key
    head, paren, tail = rest.partition("(")
    parts = head.split(".")
    return f"{top}:{'.'.join(parts[-2:])}{paren}{tail}" if len(parts) > 2 else key


def parse_version(text: str) -> Version:
    return tuple(int(x) for x in re.findall(r"\d+", text)[:3])


@dataclass(frozen=True)
class Change:
    """What happened to a name: ``removed`` in ``version`` (else it is new in ``version``)."""

    library: str  # "pandas", "Python"
    version: str  # "2.0"
    removed: bool
    deprecated_since: str | None = None
    message: str | None = None  # the deprecation text of the last release that had the name

    def replacement(self, owner: str, candidates: list[str] | set[str] | tuple[str, ...], is_class: bool = False) -> str | None:
        """The member the deprecation text names as the replacement (``Use `np.float64` instead``,
        ``Use .items instead``), when it is a real member of the same owner (the module or class
        path ``owner``): a one-word rename, nothing else."""
        if not self.removed or not self.message:
            return None
        found = re.findall(r"\b[Uu]se\s+`?\.?([A-Za-z_][\w.]*?)(?:\(\))?`?\s+instead\b", self.message)
        if len(set(found)) != 1:
            return None
        prefix, _, name = found[0].rpartition(".")
        parts = owner.split(".")
        if is_class:
            allowed = {"", parts[-1]}
        else:
            allowed = {"", owner, parts[-1]} | (set(_ALIASES.get(owner, ())) if len(parts) == 1 else set())
        if prefix not in allowed or name not in candidates:
            return None
        return name

    def describe(self, subject: str, target: Version | None = None) -> str:
        """"`DataFrame.append` was removed in pandas 2.0 (deprecated in 1.4: Use pandas.concat instead)"."""
        if not self.removed:
            text = f"{subject} is new in {self.library} {self.version}"
            if target:
                python = self.library == "Python"
                what = "this project targets" if python else "the installed version is"
                text += f"; {what} {'.'.join(map(str, target[:2] if python else target))}"
            return text
        text = f"{subject} was removed in {self.library} {self.version}"
        if self.deprecated_since or self.message:
            inner = f"deprecated in {self.deprecated_since}" if self.deprecated_since else "deprecated"
            if self.message:
                inner += f": {render(self.message, subject.split(' of ')[-1]).rstrip('.')}"
            text += f" ({inner})"
        return text


class _Libraries(Mapping[str, Any]):
    """Library name -> its data; a library given as a JSON string (format 2) is parsed on first
    use.  The shipped file (format 3, :func:`load`) gives each library as a dict of lazy tables."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self._raw = dict(raw)
        self._parsed: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        if key not in self._parsed:
            value = self._raw[key]
            self._parsed[key] = json.loads(value) if isinstance(value, str) else value
        return self._parsed[key]

    def __contains__(self, key: object) -> bool:
        return key in self._raw

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


class _Table(Mapping[str, Any]):
    """One table of one library of the shipped file (format 3): its items in sorted key order,
    cut into zlib-compressed JSON shards (``[first key, offset, length]`` in the index); a shard
    is decoded when a key of its range is asked for, and kept."""

    def __init__(self, blobs: memoryview, spec: Mapping[str, Any]) -> None:
        self._blobs = blobs
        self._firsts = [first for first, _, _ in spec["shards"]]
        self._spans = [(offset, length) for _, offset, length in spec["shards"]]
        self._count = int(spec["count"])
        self._shards: dict[int, dict[str, Any]] = {}

    @property
    def shards(self) -> int:
        return len(self._spans)

    @property
    def decoded(self) -> int:
        """How many of its shards have been decoded so far."""
        return len(self._shards)

    def _shard(self, i: int) -> dict[str, Any]:
        shard = self._shards.get(i)
        if shard is None:
            offset, length = self._spans[i]
            shard = self._shards[i] = json.loads(zlib.decompress(self._blobs[offset:offset + length]))
        return shard

    def __getitem__(self, key: str) -> Any:
        i = bisect_right(self._firsts, key) - 1 if isinstance(key, str) else -1
        if i < 0:
            raise KeyError(key)
        return self._shard(i)[key]

    def __iter__(self) -> Iterator[str]:
        for i in range(len(self._spans)):
            yield from self._shard(i)

    def __len__(self) -> int:
        return self._count


_MAGIC = b"vetpy-history\n"


def load(raw: bytes) -> "History":
    """The database in the bytes of a shipped file (format 3, written by the build script's
    ``serialise``): only the index is decoded here, each table's shards when asked."""
    if not raw.startswith(_MAGIC):
        raise ValueError("not a vetpy history file")
    start = raw.index(b"\n", len(_MAGIC)) + 1
    end = start + int(raw[len(_MAGIC):start])
    view = memoryview(raw)  # no copy of the shards: each is decompressed from its slice
    index = json.loads(zlib.decompress(view[start:end]))
    blobs = view[end:]
    index["libraries"] = {
        name: {**lib["head"], **{field: _Table(blobs, spec) for field, spec in lib["tables"].items()}}
        for name, lib in index["libraries"].items()
    }
    return History(index)


class History:
    """Look-ups into the database (``data`` as the build script writes it)."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.libraries: Mapping[str, Any] = _Libraries(data.get("libraries", {}))

    def releases(self, library: str) -> list[str]:
        return list(self.libraries.get(library, {}).get("releases", []))

    def _label(self, library: str) -> str:
        return "Python" if library == "python" else self.libraries[library].get("label", library)

    def _change(self, library: str, events: list[str], key: str, installed: Version) -> Change | None:
        """The state of a name at ``installed`` from its transitions."""
        parsed = sorted(((parse_version(e[1:]), e[0]) for e in events), key=lambda p: p[0])
        before = [p for p in parsed if p[0][:2] <= installed[:2]]
        after = [p for p in parsed if p[0][:2] > installed[:2]]
        lib = self.libraries[library]
        if before and before[-1][1] == "-":
            version = ".".join(map(str, before[-1][0]))
            since, message = (lib.get("messages", {}).get(key) or lib.get("messages", {}).get(_short(key)) or [None, None])
            return Change(self._label(library), version, True, since, message)
        if not before and after and after[0][1] == "+":
            return Change(self._label(library), ".".join(map(str, after[0][0])), False)
        return None

    def class_keys(self, library: str, class_path: str) -> list[str]:
        """The database's keys for the class ``class_path``, most specific first:
        ``pandas:pandas.core.frame.DataFrame`` where that path has entries of its own, and
        ``pandas:DataFrame`` when the class of that name is the one defined in that module (two
        classes may share a name)."""
        lib = self.libraries.get(library)
        if lib is None or "." not in class_path:
            return []
        module, _, name = class_path.rpartition(".")
        top = module.split(".")[0]
        known = lib.get("classes", {})
        full, short = f"{top}:{class_path}", f"{top}:{name}"
        keys = [k for k in (full, short) if known.get(k) == module]
        # a class given a package's public module (pandas 3: `DataFrame.__module__ == "pandas"`)
        # is the class of that name defined below it (`pandas.core.frame`)
        if not keys and str(known.get(short, "")).startswith(module + "."):
            keys.append(short)
        # and the other way: a release that defined it in a private module below the recorded
        # public one (Python 3.13's `pathlib._local.Path`, `pathlib.Path` in 3.12 and 3.14)
        recorded = str(known.get(short, ""))
        if not keys and recorded and module.startswith(recorded + ".") \
                and all(part.startswith("_") for part in module[len(recorded) + 1:].split(".")):
            keys.append(short)
        return keys

    def class_key(self, library: str, class_path: str) -> str | None:
        keys = self.class_keys(library, class_path)
        return keys[-1] if keys else None

    def entry(self, library: str, table: str, owner: str, rest: str, is_class: bool) -> tuple[str, Any] | None:
        """(key, value) of ``owner`` + ``rest`` in ``table``, trying each of the class's keys."""
        lib = self.libraries.get(library)
        if lib is None:
            return None
        for base in self.class_keys(library, owner) if is_class else [owner]:
            key = f"{base}{rest}"
            value = lib.get(table, {}).get(key)
            if value is not None:
                return key, value
        return None

    def member(self, library: str, owner: str, name: str, installed: Version, is_class: bool = False) -> Change | None:
        """What happened to ``owner.name`` (``owner`` a module path, or a class path when ``is_class``)."""
        found = self.entry(library, "members", owner, f".{name}", is_class)
        return self._change(library, found[1], found[0], installed) if found else None

    def keyword(self, library: str, function: str, keyword: str, installed: Version, method_of: str | None = None) -> Change | None:
        """What happened to keyword ``keyword`` of ``function`` (a module function's path, or the
        method name ``function`` of the class path ``method_of``)."""
        if method_of is not None:
            found = self.entry(library, "keywords", method_of, f".{function}", True)
        else:
            found = self.entry(library, "keywords", function, "", False)
        if found is None or keyword not in found[1]:
            return None
        return self._change(library, found[1][keyword], f"{found[0]}({keyword})", installed)


@dataclass(frozen=True)
class Deprecation:
    """A name (or a keyword) that the installed release has and deprecates."""

    library: str
    since: str  # the first release read whose source warns
    message: str
    removed_in: str | None = None  # the release that removed it, when the database knows one


def _within(installed: Version, first: str, last: str, newest: str | None) -> bool:
    """Is the installed release inside the run ``first``..``last`` of warning releases?  Past
    ``last`` only when ``last`` is the newest release read (nothing says the warning went)."""
    v = installed[:2]
    if v < parse_version(first)[:2]:
        return False
    return v <= parse_version(last)[:2] or (newest is not None and parse_version(last)[:2] == parse_version(newest)[:2])


def _deprecation(history: "History", library: str, entry: list[Any], installed: Version,
                 events: list[str] | None) -> Deprecation | None:
    lib = history.libraries[library]
    releases = lib.get("releases") or []
    if not _within(installed, entry[0], entry[1], releases[-1] if releases else None):
        return None
    removal = None
    for event in sorted(events or (), key=lambda e: parse_version(e[1:])):
        if parse_version(event[1:])[:2] > installed[:2] and event[0] == "-":
            removal = event[1:]
            break
    return Deprecation(history._label(library), entry[0], entry[2], removal)


def _about_an_argument(text: str, name: str) -> bool:
    """Does the warning deprecate a way of calling the name rather than the name: it speaks of an
    argument, parameter, keyword or flag and never names the name itself (numpy's `save`: "The
    'fix_imports' flag is deprecated"; SciPy's `interval`: "Parameter `alpha` is replaced by
    parameter `confidence`")?"""
    return bool(re.search(r"\b(?:arguments?|parameters?|keywords?|flags?)\b", text, re.I)) \
        and not re.search(r"(?<![\w])%s(?![\w])" % re.escape(name), text)


def deprecated_member(history: "History", library: str, owner: str, name: str, installed: Version,
                      is_class: bool = False) -> Deprecation | None:
    """Is ``owner.name`` deprecated in the installed release (an unconditional warning,
    ``.. deprecated::`` or ``@deprecated`` in its source)?"""
    found = history.entry(library, "deprecated", owner, f".{name}", is_class)
    if found is None or _about_an_argument(found[1][2], name):
        return None
    events = history.entry(library, "members", owner, f".{name}", is_class)
    return _deprecation(history, library, found[1], installed, events[1] if events else None)


def deprecated_keyword(history: "History", library: str, function: str, keyword: str, installed: Version,
                       method_of: str | None = None) -> Deprecation | None:
    """Is passing ``keyword`` to ``function`` deprecated in the installed release?  Only when the
    deprecation text names the keyword and no other (`'method'`, "the loop argument")."""
    if method_of is not None:
        found = history.entry(library, "deprecated", method_of, f".{function}({keyword})", True)
        events = history.entry(library, "keywords", method_of, f".{function}", True)
    else:
        found = history.entry(library, "deprecated", function, f"({keyword})", False)
        events = history.entry(library, "keywords", function, "", False)
    if found is None:
        return None
    result = _deprecation(history, library, found[1], installed, (events[1] if events else {}).get(keyword))
    if result is None:
        return None
    # the text names this keyword and no other (`'freq' together with 'fill_value'` is about a combination)
    quoted = set(re.findall(r"[`'\"]([A-Za-z_]\w*)[`'\"]", result.message))
    named = quoted == {keyword} or (not quoted and re.search(
        r"\b[Tt]he %s (argument|parameter|keyword)\b" % re.escape(keyword), result.message))
    return result if named else None


@lru_cache(maxsize=1)
def shipped() -> History:
    """The database shipped with vetpy (empty when the data file is absent)."""
    try:
        raw = resources.files("vetpy").joinpath("data/history.bin").read_bytes()
    except (FileNotFoundError, OSError):
        return History({})
    return load(raw)


def library_of(history: History, env: Any, module: str) -> tuple[str, Version] | None:
    """(the database's library, the installed version) for the module path ``module`` in the
    target environment ``env``: the standard library and the target Python's version, or an
    installed distribution the database has read releases of."""
    if env is None:
        return None
    top = module.split(".")[0]
    if env.is_stdlib(top):
        return ("python", tuple(env.version[:3])) if "python" in history.libraries else None
    lib = history.libraries.get(top)
    if lib is None:
        return None
    wanted = re.sub(r"[-_.]+", "-", str(lib.get("distribution", top))).lower()
    for dist in env.dists_for_module(top):
        if dist.key == wanted:
            return top, parse_version(dist.version)
    return None
