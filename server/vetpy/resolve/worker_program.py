"""The introspection worker's program as it is sent: its source without comments or docstrings.

The worker's source goes, compressed, through the worker's stdin (see
:func:`vetpy.resolve.members._worker_launch`), and it must fit a pipe's buffer (64 KiB on Linux):
then writing it never waits for the worker, whose interpreter may be slow to start or never read.
Comments and docstrings are two thirds of what is compressed and nothing of what runs (the
worker reads no ``__doc__``), so they are left out: a docstring becomes the statement ``0`` (a
body is never left empty).  The result must stay valid Python 3.8, as the source is: only tokens
are dropped, none is rewritten.
"""

from __future__ import annotations

import ast
import hashlib
import io
import tokenize
import zlib
from importlib import resources

from vetpy.astutil import parse


def minified(source: str) -> str:
    docstrings = set()
    for node in ast.walk(parse(source)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                docstrings.add((first.lineno, first.col_offset))
    kept: list[tuple[int, str]] = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type in (tokenize.COMMENT, tokenize.NL):
            continue
        if tok.type == tokenize.STRING and tok.start in docstrings:
            kept.append((tokenize.NUMBER, "0"))
            continue
        kept.append((tok.type, tok.string))
    return tokenize.untokenize(kept)


# The program as shipped (``data/worker.bin``): the SHA-256 of the source it was made from, a
# newline, then the compressed program.  Minifying costs 0.2-0.3 s of CPU (the tokenizer is pure
# Python) at every start of a process that introspects: on the language server's cold start it
# competes with the first analysis.  The shipped copy is used only when its source is the one
# installed; any edit of a worker module makes it stale and the program is minified here again.
# ``tests/test_worker_program.py`` fails while it is stale; rebuild it with
# ``python scripts/build_worker_program.py``.
SHIPPED = "data/worker.bin"


def payload(source: str) -> bytes:
    """``zlib.compress(minified(source).encode("utf-8"), 9)``, read from the shipped copy when it
    was made from this very source."""
    try:
        shipped = resources.files("vetpy").joinpath(SHIPPED).read_bytes()
    except OSError:
        shipped = b""
    head, _, body = shipped.partition(b"\n")
    return body if head == _digest(source) and body else _compressed(source)


def shipped_copy(source: str) -> bytes:
    """What ``data/worker.bin`` holds for ``source``."""
    return _digest(source) + b"\n" + _compressed(source)


def _digest(source: str) -> bytes:
    return hashlib.sha256(source.encode("utf-8")).hexdigest().encode("ascii")


def _compressed(source: str) -> bytes:
    return zlib.compress(minified(source).encode("utf-8"), 9)
