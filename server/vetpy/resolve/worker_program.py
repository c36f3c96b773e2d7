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
import io
import tokenize

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
