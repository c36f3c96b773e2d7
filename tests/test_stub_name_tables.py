"""The names of a stub's top level, looked up through tables made in one pass over the stub
(issue 17: the cold run looked each name up by scanning builtins.pyi's statements again, thousands
of times): what the first statement binding a name says, in every version branch; an alias only
when nothing else binds the name."""

from __future__ import annotations

import ast
import textwrap

from vetpy.resolve.stub_names import _alias, _lookup

STUB = textwrap.dedent('''
    import os
    import os.path as osp, json
    import xml.etree
    from typing import Any, TypeAlias
    from . import sibling as sib
    from .inner import Thing as Renamed
    from ..up import Far

    class Box: ...
    Box = int  # a later assignment: the class came first

    First = list[int]
    Early = Box
    class Early: ...  # a class makes the name no alias (wherever it is)

    Twice = Box
    Twice = dict

    Plain: TypeAlias = Box
    NotAlias: int = Box
    Both = Also = Box
    Union_ = Box | None
    Attr = os.PathLike[str]

    if sys.version_info >= (3, 12):
        Branch = Box
        class InBranch: ...
    else:
        from .old import Legacy

    def func() -> None: ...
    func_alias = func
    Imported = Box
    from .elsewhere import Imported
''')


def test_lookup_follows_the_first_statement_that_binds_the_name():
    tree = ast.parse(STUB)
    look = lambda name, package=False: _lookup(tree, "pkg.mod", name, package)  # noqa: E731
    assert look("Box") == "pkg.mod.Box"  # the class before the later assignment
    assert look("First") is None and look("Twice") is None  # assignments: not one class
    assert look("os") == "os" and look("osp") == "os.path" and look("json") == "json"
    assert look("xml") == "xml"  # `import xml.etree` binds the top name
    assert look("Any") == "typing.Any"
    assert look("sib") == "pkg.sibling" and look("Renamed") == "pkg.inner.Thing"
    assert look("Far") == "up.Far" and look("Far", package=True) == "pkg.up.Far"  # relative to module or package
    assert look("InBranch") == "pkg.mod.InBranch" and look("Legacy") == "pkg.old.Legacy"  # version branches
    assert look("func") is None  # a def is not a class: looked up further, found nowhere
    assert look("Imported") is None  # the assignment came first
    assert look("int") == "builtins.int" and look("nowhere") is None


def test_the_tables_of_one_tree_answer_each_module_name_apart():
    tree = ast.parse("from . import sibling\n")
    assert _lookup(tree, "pkg.mod", "sibling", False) == "pkg.sibling"
    assert _lookup(tree, "pkg.mod", "sibling", True) == "pkg.mod.sibling"  # the same tree read as a package
    assert _lookup(tree, "other.mod", "sibling", False) == "other.sibling"


def test_an_alias_is_a_name_assigned_once_and_bound_no_other_way():
    tree = ast.parse(STUB)
    shown = lambda name: None if _alias(tree, name) is None else ast.unparse(_alias(tree, name))  # noqa: E731
    assert shown("First") == "list[int]" and shown("Plain") == "Box" and shown("Attr") == "os.PathLike[str]"
    assert shown("Branch") == "Box"  # inside a version branch
    assert shown("Box") is None  # a class, whatever follows
    assert shown("Early") is None  # a class after the assignment
    assert shown("Twice") is None  # assigned twice
    assert shown("NotAlias") is None  # annotated, but not as a TypeAlias
    assert shown("Both") is None and shown("Also") is None  # two targets
    assert shown("Union_") is None  # a union names no one class
    assert shown("Imported") is None  # imported too (after the assignment)
    assert shown("func_alias") == "func" and shown("func") is None
    assert shown("nowhere") is None


def test_the_tables_are_kept_with_the_tree():
    tree = ast.parse(STUB)
    assert _lookup(tree, "pkg.mod", "Box", False) == "pkg.mod.Box"
    tree.body.clear()  # a kept stub never changes: the answer is the table's, made once
    assert _lookup(tree, "pkg.mod", "Box", False) == "pkg.mod.Box"
    assert ast.unparse(_alias(ast.parse(STUB), "First")) == "list[int]"
