"""The worker's program as sent: the same code as its source, without comments or docstrings."""

import ast
import hashlib
import subprocess
import zlib
from pathlib import Path

from vetpy.resolve import worker_program
from vetpy.resolve.members import _worker_source
from vetpy.resolve.worker_program import minified

PYTHON_38 = Path("/root/.pyenv/versions/3.8.18/bin/python")


def _without_docstrings(tree: ast.AST) -> str:
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                first.value.value = 0
    return ast.dump(tree)


def test_comments_and_docstrings_go_and_nothing_else_changes():
    source = '''"""module doc"""
import os  # a comment
def f(x):
    """only a docstring"""
class C:
    """doc"""
    y = "not a docstring"  # kept
    def g(self):
        s = """a string statement later is kept"""
        return s
'''
    out = minified(source)
    assert "# a comment" not in out and "# kept" not in out
    assert "module doc" not in out and "only a docstring" not in out and '"""doc"""' not in out
    assert "not a docstring" in out and "a string statement later is kept" in out
    assert _without_docstrings(ast.parse(source)) == ast.dump(ast.parse(out))


def test_the_worker_program_is_the_worker_source_less_its_docstrings():
    source = _worker_source()
    out = minified(source)
    assert len(out) < len(source)
    assert _without_docstrings(ast.parse(source)) == ast.dump(ast.parse(out))
    if PYTHON_38.exists():  # the worker runs on every interpreter a project may target
        done = subprocess.run([str(PYTHON_38), "-c", "import sys; compile(sys.stdin.read(), 'w', 'exec')"],
                              input=out, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr


def test_the_shipped_program_was_made_from_the_installed_source():
    # data/worker.bin spares every process that introspects the minifying (0.2-0.3 s of CPU, on
    # the language server's cold start too); stale after any edit of a worker module
    shipped = (Path(worker_program.__file__).resolve().parent.parent / worker_program.SHIPPED).read_bytes()
    source = _worker_source()
    assert shipped == worker_program.shipped_copy(source) or (
        shipped.partition(b"\n")[0] == hashlib.sha256(source.encode()).hexdigest().encode()
        and zlib.decompress(shipped.partition(b"\n")[2]).decode() == minified(source)
    ), "data/worker.bin is stale: run `python scripts/build_worker_program.py`"
    assert zlib.decompress(worker_program.payload(source)).decode() == minified(source)


def test_a_source_the_shipped_program_was_not_made_from_is_minified_here():
    source = _worker_source() + "\n# an edit\nEXTRA = 1  # not in the shipped copy\n"
    out = zlib.decompress(worker_program.payload(source)).decode()
    assert out == minified(source) and "EXTRA =1" in out and "an edit" not in out
    assert worker_program.payload("x = 1  # c\n") == zlib.compress(minified("x = 1  # c\n").encode(), 9)


def test_a_missing_or_damaged_shipped_copy_only_costs_the_minifying(monkeypatch):
    source = _worker_source()
    for name in ("data/no-such-file.bin", "py.typed"):  # absent; present but not a program
        monkeypatch.setattr(worker_program, "SHIPPED", name)
        assert zlib.decompress(worker_program.payload(source)).decode() == minified(source)


def test_no_two_worker_modules_define_the_same_name():
    """The worker's modules run as one program: a second ``def _name`` silently replaces the first
    (recall32 named a helper like ``_worker_passes.py``'s ``_passes_first`` and lost four cases)."""
    defined: dict[str, list[str]] = {}
    for path in sorted((Path(worker_program.__file__).parent).glob("_worker*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names = [node.name]
            else:
                names = [t.id for t in getattr(node, "targets", []) if isinstance(t, ast.Name)]
            for name in names:
                defined.setdefault(name, []).append(path.name)
    assert {name: files for name, files in defined.items() if len(files) > 1} == {}
