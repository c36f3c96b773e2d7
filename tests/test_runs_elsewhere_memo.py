"""``runs_only_elsewhere`` answers each node of a document once (issue #17: HAL003/HAL004 asked it
of ~119k attributes and calls at 350k lines, each walking up to the module again), and two
exact shortcuts beside it: a module's namespace is walked only when a word it looks for is in
the source as a whole word, and a name bound to a call is followed to a function only when the
module defines one of that name at its top level.

Spec: a node's answer is its parent's, or what the step from it to its parent says (a platform,
version or TYPE_CHECKING branch, an operand of ``and``/``or`` before it, a skip mark); kept per
parent map and target, so a statement kept in a new tree (an edited document) answers for the
module around it now.  Must be flagged as elsewhere: the body of ``if sys.platform == "win32":``,
a flag bound to it, an ``and`` after such a test, a skip-marked test, a name bound to a factory
that gives None here.  Must not: the other branch, code outside any check, a name test whose
name is no flag."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

from hypothesis import given, settings, strategies as st

from vetpy.document import Document
from vetpy.resolve import static
from vetpy.semantic import none_factories, runs_elsewhere
from vetpy.semantic.runs_elsewhere import _walked, runs_only_elsewhere

_BLOCKS = (
    "if sys.platform == 'win32':\n    {s}\nelse:\n    {s}",
    "if FLAG:\n    {s}",
    "if not FLAG:\n    {s}",
    "if TYPE_CHECKING:\n    {s}",
    "if sys.version_info >= (3, 12) and {e}:\n    {s}",
    "x = {e} if ON_WINDOWS else {e}",
    "factory = _boot()\nif factory is not None:\n    {s}",
    "@pytest.mark.skipif(sys.platform != 'win32', reason='w')\ndef test_w():\n    {s}",
    "def inner():\n    LOCAL = sys.platform == 'darwin'\n    if LOCAL:\n        {s}",
    "{s}",
)

_HEADER = textwrap.dedent("""\
    import sys
    from typing import TYPE_CHECKING
    FLAG = sys.platform == "win32"
    def _boot():
        if sys.platform == "win32":
            return object()
        return None
""")


def _program(blocks: list[int]) -> str:
    body = []
    for i, block in enumerate(blocks):
        code = _BLOCKS[block].format(s=f"os.startfile{i}(p)", e=f"obj{i}.attr")
        body.append(textwrap.indent(code, "    "))
    return _HEADER + "def f(p):\n" + "\n".join(body) + "\n"


def _nodes(tree: ast.Module) -> list[ast.AST]:
    return [n for n in ast.walk(tree) if isinstance(n, (ast.Attribute, ast.Call, ast.Name))]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, len(_BLOCKS) - 1), min_size=1, max_size=5))
def test_each_kept_answer_is_the_answer_worked_out_for_the_node_alone(blocks):
    doc = Document(path="m.py", text=_program(blocks))
    parents = dict(doc.parents)  # a map of its own: nothing kept from another example
    expected = {id(n): _walked(n, parents, None, frozenset()) for n in _nodes(doc.tree)}
    # asked in a shuffled order (innermost first, then outermost): the kept answers do not depend on it
    for node in reversed(_nodes(doc.tree)):
        assert runs_only_elsewhere(node, parents, None) == expected[id(node)]
    for node in _nodes(doc.tree):
        assert runs_only_elsewhere(node, parents, None) == expected[id(node)]


def _call(tree: ast.Module, name: str) -> ast.Call:
    return next(n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "attr", "") == name)


def test_what_is_flagged_and_what_is_not():
    source = _HEADER + textwrap.dedent("""\
        def f(p):
            if sys.platform == "win32":
                os.startfile(p)
            else:
                os.linux_only(p)
            if FLAG:
                os.flagged(p)
            if sys.version_info >= (3, 99) and os.after_and(p):
                pass
            factory = _boot()
            if factory is not None:
                os.from_factory(p)
            if p:
                os.plain_test(p)
            os.everywhere(p)
    """)
    tree = ast.parse(source)
    doc = Document(path="m.py", text=source)
    tree = doc.tree
    for name in ("startfile", "flagged", "after_and", "from_factory"):
        assert runs_only_elsewhere(_call(tree, name), doc.parents, None), name
    for name in ("plain_test", "everywhere"):
        assert not runs_only_elsewhere(_call(tree, name), doc.parents, None), name


def test_every_step_up_is_worked_out_once_per_document(monkeypatch):
    doc = Document(path="m.py", text=_program(list(range(len(_BLOCKS))) * 3))
    parents = dict(doc.parents)
    steps: list[ast.AST] = []
    real = runs_elsewhere._step

    def step(child, cur, scopes, module, parents, env, within, flags):  # noqa: ANN001, PLR0913
        if not within:  # (a name followed through a factory is worked out on its own, keeping nothing)
            steps.append(child)
        return real(child, cur, scopes, module, parents, env, within, flags)
    monkeypatch.setattr(runs_elsewhere, "_step", step)
    for node in _nodes(doc.tree):
        runs_only_elsewhere(node, parents, None)
    # one look at each (child, parent) step, however many nodes below it are asked about
    assert steps and len(steps) == len(set(map(id, steps)))


def test_a_kept_statement_in_a_new_tree_answers_for_its_new_module():
    source = "import sys\nFLAG = sys.platform == 'win32'\ndef f(p):\n    if FLAG:\n        os.flagged(p)\n"
    doc = Document(path="m.py", text=source)
    call = _call(doc.tree, "flagged")
    assert runs_only_elsewhere(call, doc.parents, None)
    # the edited document: FLAG is no longer a platform check, the function's statement is kept
    edited = ast.Module(body=[doc.tree.body[0], ast.parse("FLAG = compute()").body[0], doc.tree.body[2]], type_ignores=[])
    parents = {child: node for node in ast.walk(edited) for child in ast.iter_child_nodes(node)}
    assert not runs_only_elsewhere(call, parents, None)
    assert runs_only_elsewhere(call, doc.parents, None)


def test_a_tree_that_is_not_a_module_answers_nothing():
    tree = ast.parse("if sys.platform == 'win32':\n    os.startfile(p)\n")
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    call = _call(tree, "startfile")
    parents.pop(tree.body[0])  # the `if` is the top: no module around it
    assert not runs_only_elsewhere(call, parents, None)


# -- a module's namespace: the whole-tree look only when a word it looks for is a whole word ----

def _namespace(tmp_path: Path, source: str) -> static.ModuleNamespace:
    path = tmp_path / "mod.py"
    path.write_text(source)
    return static._module_namespace(None, "mod", path, None, 0, frozenset())  # type: ignore[arg-type]


def test_words_inside_other_words_do_not_walk_the_tree(tmp_path, monkeypatch):
    real = static.walk

    def walk(node):  # noqa: ANN001, ANN202
        assert not isinstance(node, ast.Module), "the whole tree walked"
        return real(node)
    monkeypatch.setattr(static, "walk", walk)
    ns = _namespace(tmp_path, '"""Loads submodules; see setattribute(), globalize, exec_path, varsity."""\nx = 1\n')
    assert ns.complete and "x" in ns.names


def test_an_incomplete_namespace_without_global_stops_walking(tmp_path):
    ns = _namespace(tmp_path, "def f(o):\n    setattr(o, 'a', 1)\n    return vars(o)\nimport sys\nsys.modules['m'] = 1\n")
    assert not ns.complete and ns.reason == "uses setattr()"


def test_the_dynamic_writes_are_still_found(tmp_path):
    assert _namespace(tmp_path, "import sys\ndef f():\n    sys.modules['x'] = 1\n").reason == "touches sys.modules"
    assert _namespace(tmp_path, "import _sys\nd = _sys.__dict__\n").reason == "touches sys.modules"
    assert _namespace(tmp_path, "def f():\n    exec('y = 1')\n").reason == "uses exec()"
    # `global` names count even after the namespace is known incomplete
    ns = _namespace(tmp_path, "def f():\n    setattr(a, 'b', 1)\n    def g():\n        global late\n        late = 1\n")
    assert not ns.complete and "late" in ns.names
    ns = _namespace(tmp_path, "def f():\n    global late\n    late = 1\n")
    assert ns.complete and "late" in ns.names


# -- a name bound to a call: followed only to a module-level def of that name -------------------

def test_no_module_level_def_lists_no_bindings(monkeypatch):
    tree = ast.parse("import sys\ndef launch():\n    factory = make()\n    if factory is not None:\n        pass\n")
    monkeypatch.setattr(none_factories, "_bound_in", lambda module: (_ for _ in ()).throw(AssertionError("listed")))
    assert not none_factories.holds_only_none("factory", tree.body[-1], tree, lambda ret: True)
