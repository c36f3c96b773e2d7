"""The parsed trees of the last few files a process read, shared between the analysis of a file
(its :class:`vetpy.document.Document`) and the reading of the same file as an imported module's
source (:func:`vetpy.environment.modules.parse_module_source`: the names a module binds, what it
writes).

A whole-project check analyses a file and, for its neighbours that import it, reads it again as a
module: before, each was a parse of its own (a third of a cold check's parses on a 350k-line
project).  A tree is kept with the text it was parsed from, under the file's absolute path, and
given back only for that same path and that same text, so that nothing is shared between two
files (however alike) and a changed file is parsed anew.  The trees are read-only for everyone,
as they already were for the module readers (see ``_parsed`` there).

A module's bytes are compared as the text they decode to only where ``ast.parse`` of the bytes and
of that text are the same tree: UTF-8 (declared or not), no byte-order mark.  The few last trees
are kept (by count and total size), since the files read together are mostly neighbours.

Besides those, the trees of the files a run analyses (:func:`expect`) are kept longer: the last
:data:`MAX_EXPECTED_CHARS` of their text.  With the last few alone, a process of the pool parsed a
file again for its own analysis when it had read it as a neighbour's import a while before, and
read a file it had analysed as a module again later (on a cold check of a 100k-line project about
a fifth of the project's files were parsed twice in the same process).
"""

from __future__ import annotations

import ast
import io
import os
import threading
import tokenize
from collections import OrderedDict

from vetpy.astutil import parse

MAX_TREES = 64
MAX_CHARS = 1_000_000  # of source text, all kept trees together (about 12 MB of trees)
# Off in the language server (:func:`disable_sharing`): its documents are parsed with their
# re-parse records (``Parses``), never through here, so a kept module tree would be shared with
# nothing and only held.
SHARING = True

MAX_EXPECTED_CHARS = 6_000_000  # of source text, the kept trees of the run's own files together (about 180 MB)

_KEPT: OrderedDict[str, tuple[str, ast.Module]] = OrderedDict()
_LOCK = threading.Lock()
_size = 0
_EXPECTED: set[str] = set()  # the files the run analyses (their keys)
_HELD: OrderedDict[str, tuple[str, ast.Module]] = OrderedDict()  # trees of expected files, the last used last
_held_size = 0


def _key(path: str) -> str:
    return os.path.normcase(os.path.abspath(path))


def kept(path: str, text: str) -> ast.Module | None:
    """The tree kept for ``path`` if it was parsed from exactly ``text``."""
    key = _key(path)
    with _LOCK:
        held = _HELD.get(key)
        if held is not None and held[0] == text:
            _HELD.move_to_end(key)
            return held[1]
        hit = _KEPT.get(key)
        if hit is None or hit[0] != text:
            return None
        _KEPT.move_to_end(key)
        return hit[1]


def keep(path: str, text: str, tree: ast.Module) -> None:
    """Keep ``tree``, parsed from ``text`` (the content of ``path``), for the next reader."""
    global _size, _held_size
    key = _key(path)
    with _LOCK:
        if key in _EXPECTED:
            old_held = _HELD.pop(key, None)
            if old_held is not None:
                _held_size -= len(old_held[0])
            if len(text) <= MAX_EXPECTED_CHARS // 4:
                _HELD[key] = (text, tree)
                _held_size += len(text)
                while _held_size > MAX_EXPECTED_CHARS:
                    _, (dropped, _tree) = _HELD.popitem(last=False)
                    _held_size -= len(dropped)
                return
    if len(text) > MAX_CHARS // 4:
        return
    with _LOCK:
        old = _KEPT.pop(key, None)
        if old is not None:
            _size -= len(old[0])
        _KEPT[key] = (text, tree)
        _size += len(text)
        while len(_KEPT) > MAX_TREES or _size > MAX_CHARS:
            _, (dropped, _tree) = _KEPT.popitem(last=False)
            _size -= len(dropped)


def expect(paths: "list[str] | tuple[str, ...]") -> None:
    """The files this run analyses, instead of those expected before: their trees are kept longer
    (see :data:`MAX_EXPECTED_CHARS`); ``()`` at the end of the run."""
    global _held_size
    keys = {_key(path) for path in paths} if SHARING else set()
    with _LOCK:
        _EXPECTED.clear()
        _EXPECTED.update(keys)
        for key in [key for key in _HELD if key not in keys]:
            _held_size -= len(_HELD.pop(key)[0])


def disable_sharing() -> None:
    """Keep no tree from now on in this process (the language server: see :data:`SHARING`)."""
    global SHARING
    SHARING = False
    clear()


def clear() -> None:
    global _size, _held_size
    with _LOCK:
        _KEPT.clear()
        _size = 0
        _EXPECTED.clear()
        _HELD.clear()
        _held_size = 0


def source_text(data: bytes) -> str | None:
    """The text whose ``ast.parse`` is the same tree as that of the bytes ``data``: their UTF-8
    decoding when they are UTF-8 without a byte-order mark or another declared encoding; else None."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        if encoding != "utf-8":
            return None
        return data.decode("utf-8")
    except (SyntaxError, UnicodeDecodeError):
        return None


def parse_file(path: str, text: str, filename: str = "<unknown>") -> ast.Module:
    """``parse(text)`` of the file ``path`` (whose content is ``text``): the kept tree if there is
    one, else parsed and kept.  Raises what :func:`vetpy.astutil.parse` raises."""
    if not SHARING:
        return parse(text, filename=filename)
    tree = kept(path, text)
    if tree is None:
        tree = parse(text, filename=filename)
        keep(path, text, tree)
    return tree


def parse_bytes_file(path: str, data: bytes) -> ast.Module:
    """``parse(data)`` of the file ``path`` whose bytes are ``data``: shared as :func:`parse_file`
    where their text parses the same (:func:`source_text`)."""
    text = source_text(data)
    return parse(data) if text is None else parse_file(path, text)
