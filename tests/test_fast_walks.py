"""Faster tree walks on the critical path of a cold check (issue 17), with the same answers:
the introspection worker's instance model (``resolve/_worker_instances.py``) works out a class's
attributes once per class, and both it and :func:`vetpy.astutil.walk` visit the nodes
``ast.walk`` visits, in the same order, without a generator per node."""

from __future__ import annotations

import ast
import json
import importlib.util
import runpy
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import vetpy.resolve

SOURCE = Path(vetpy.resolve.__file__).with_name("_worker_instances.py")
FACTS = Path(vetpy.resolve.__file__).with_name("_worker_facts.py")  # run before it in the worker
SETATTR = Path(vetpy.resolve.__file__).with_name("_worker_setattr.py")  # run after it in the worker
SUBCLASSES = Path(vetpy.resolve.__file__).with_name("_worker_subclasses.py")  # run after it in the worker
METHODS = Path(vetpy.resolve.__file__).with_name("_worker_methods.py")  # run after it in the worker
BUILDERS = Path(vetpy.resolve.__file__).with_name("_worker_builders.py")  # run after it in the worker


def worker_namespace(tmp_path: Path) -> tuple[dict, types.ModuleType]:
    """The instance model's functions (run as in the worker: its source executed, with the
    worker's ``_module_tree``), and a module of classes written to ``tmp_path``."""
    # the setattr-name readers run after it in the one worker program, in the same globals
    program = tmp_path / "worker_part.py"
    program.write_text("\n\n".join(p.read_text(encoding="utf-8") for p in (SOURCE, SUBCLASSES, SETATTR, METHODS, BUILDERS)),
                       encoding="utf-8")
    namespace = runpy.run_path(str(program), init_globals={
        **runpy.run_path(str(FACTS)), "_import": importlib.import_module,  # _worker.py's, without its first-party guard
        "_module_tree": lambda path: ast.parse(Path(path).read_text(encoding="utf-8")), "_TREES": {}})
    code = textwrap.dedent('''
        def helper(obj, value):
            obj.from_helper = value

        class Base:
            def __init__(self):
                self.a = 1
                (self.b, [self.c, *self.d]) = (2, [3, 4])
                with open(__file__) as self.e:
                    pass
                helper(self, 5)

                def nested(inner):
                    inner.not_self = 1
                for self.f in range(2):
                    self.g: int = self.f

        class Child(Base):
            def more(self):
                self.h = lambda: [self.i for self.j in ()]
                if True:
                    self.k += 1

        class Open(Base):
            def _fill(self, key, value):
                setattr(self, key, value)

        class Opening(Base):
            def load(self, key, value):  # public, and nothing here calls it: open once a project does
                setattr(self, key, value)

        class Loaded(Base):
            def load_all(self, key, value):
                setattr(self, key, value)

        class Literal(Base):
            def _fill(self, key):
                setattr(self, key, 1)  # a literal: data, never a method

        Loaded().load_all("x", 1)
        ''')
    path = tmp_path / "worker_subject.py"
    path.write_text(code, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("worker_subject", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["worker_subject"] = module  # where the instance model looks a class's module up
    spec.loader.exec_module(module)
    return namespace, module


def test_nodes_visits_what_ast_walk_visits(tmp_path):
    namespace, _ = worker_namespace(tmp_path)
    for path in (SOURCE, Path(ast.__file__)):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert list(map(id, namespace["_nodes"](tree))) == list(map(id, ast.walk(tree)))  # in the same order
    lone = ast.Name("x", ast.Load())
    assert list(namespace["_nodes"](lone)) == list(ast.walk(lone))


def test_source_attributes_are_worked_out_once_per_class_and_as_before(tmp_path):
    namespace, module = worker_namespace(tmp_path)
    try:
        source_attrs, uncached = namespace["_source_attrs"], namespace["_source_attrs_of"]
        base = source_attrs(module.Base)
        # a nested function's first parameter is not the instance (`nested(inner)` is never given
        # `self`): what it sets is not the class's (tests/test_hal_held_values_nested_functions.py)
        assert base == {"a", "b", "c", "d", "e", "f", "g", "from_helper"}
        assert source_attrs(module.Base) is base  # the second time from the memo
        # `self.j` bound by a comprehension is not assigned; `self.i` is read by the class's own
        # code, which makes it part of the class's contract (it is among the names too)
        assert source_attrs(module.Child) == uncached(module.Child) == {"h", "i", "k"}
        assert source_attrs(module.Open) is None  # setattr of a computed name: unknowable
        assert source_attrs(module.Loaded) is None  # ... in a public method its own module calls
        assert source_attrs(module.Opening) == set() and namespace["_opened_by"](module.Opening) == ["load"]
        assert source_attrs(module.Literal) == set() and module.Literal in namespace["_DATA_OPEN"]
        assert uncached(module.Base) == base
    finally:
        sys.modules.pop("worker_subject", None)


def test_astutil_walk_is_ast_walk_in_the_same_order():
    from vetpy.astutil import walk

    for path in (SOURCE, Path(ast.__file__), Path(textwrap.__file__)):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assert list(map(id, walk(tree))) == list(map(id, ast.walk(tree)))
        for node in list(ast.walk(tree))[::97]:
            assert list(map(id, walk(node))) == list(map(id, ast.walk(node)))
    partial = ast.FunctionDef(name="f", body=[ast.Pass()])  # fields left unset are skipped, as ast.walk does
    assert list(map(type, walk(partial))) == list(map(type, ast.walk(partial)))


def test_the_worker_program_is_not_on_its_command_line():
    # the worker's source (over 128 KiB once merged) was passed with `-c`: past Linux's limit for
    # one argument the worker could not start (E2BIG) and nothing installed was verified, silently.
    # A small loader goes on the command line (Windows allows 32 KiB for the whole line) and the
    # compressed source on stdin, which the worker's own reading of requests then continues.
    import zlib

    from vetpy.resolve.members import _worker_launch, _worker_source
    from vetpy.resolve.worker_program import minified

    loader, program = _worker_launch()
    assert len(loader) < 1024 and zlib.decompress(program).decode("utf-8") == minified(_worker_source())
    assert len(program) < 60 * 1024  # fits a pipe's buffer: writing it never waits for the worker
    done = subprocess.run([sys.executable, "-c", loader], input=program + b'{"op": "ping", "id": 7}\n',
                          capture_output=True, timeout=120)
    assert done.returncode == 0 and json.loads(done.stdout.splitlines()[-1])["id"] == 7


def test_the_worker_sources_define_each_top_level_name_once():
    # the three sources run as one program: a second `def _global_value` in a later file silently
    # replaces the first for every caller (a bug the instance model once had)
    from vetpy.resolve.members import _WORKER_SOURCES

    seen: dict[str, str] = {}
    clashes = []
    for path in _WORKER_SOURCES:
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names = [node.name]
            elif isinstance(node, ast.Assign):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            else:
                continue
            for name in names:
                if name in seen and seen[name] != path.name:
                    clashes.append(f"{name}: {seen[name]} and {path.name}")
                seen.setdefault(name, path.name)
    assert clashes == []
