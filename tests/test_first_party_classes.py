"""A project class rooted in builtins cannot be a subclass of an installed class (issue 15).

``def f(cmd: click.Command): cmd.run()`` was left alone whenever any class of the project had a
method ``run``: a project subclass of ``Command`` may be passed.  A class whose bases are only
builtins (``class Base:``, ``class Error(Exception)``) or such classes of its file cannot be one,
so its names no longer keep an annotated receiver of a class outside ``builtins`` open (the
fourth blind corpus: ``blind4_click::command_run``, silenced by ``valid_typing_override``'s
``class Base: def run(self)`` in another file).

Look-alikes that keep it open: a project subclass of the installed class that defines the name,
a mixin rooted in builtins used as a base of such a subclass (in another file, by name), a class
whose base is imported or written ``module.Name`` / ``Generic[T]``, a base name the file binds
otherwise, a ``def run(self)`` outside any class, and an annotated builtin (``dict``: a
``class D(dict)`` is its subclass).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from vetpy.engine import check_source
from vetpy.first_party import FirstPartyFacts
from test_hal_support import site_context

ROOTED = """
    class Base:
        def run(self):
            return 1


    class Child(Base):
        def run(self):
            self.flag = True


    class Failure(Exception):
        def explain(self):
            return "x"
"""


def _facts(root: Path, files: dict[str, str]) -> FirstPartyFacts:
    for name, text in files.items():
        (root / name).write_text(textwrap.dedent(text))
    return FirstPartyFacts(root)


def test_names_of_classes_rooted_in_builtins_are_not_a_subclass_s(tmp_path: Path):
    facts = _facts(tmp_path, {"base.py": ROOTED})
    for name in ("run", "flag", "explain"):
        assert facts.gives_instances(name)  # without a class: as before
        assert not facts.gives_instances(name, "argparse.ArgumentParser")


def test_a_subclass_of_an_installed_class_keeps_its_names(tmp_path: Path):
    facts = _facts(tmp_path, {"base.py": ROOTED, "parser.py": """
        import argparse


        class Parser(argparse.ArgumentParser):
            def run(self):
                return 2
    """})
    assert facts.gives_instances("run", "argparse.ArgumentParser")
    assert not facts.gives_instances("explain", "argparse.ArgumentParser")


def test_a_rooted_mixin_used_as_a_base_of_such_a_subclass_in_another_file_keeps_its_names(tmp_path: Path):
    facts = _facts(tmp_path, {"mixins.py": """
        class Runs:
            def run(self):
                return 1


        class Deeper(Runs):
            def deeper(self):
                return 2
    """, "parser.py": """
        import argparse
        from mixins import Deeper


        class Parser(Deeper, argparse.ArgumentParser):
            pass
    """})
    assert facts.gives_instances("run", "argparse.ArgumentParser")
    assert facts.gives_instances("deeper", "argparse.ArgumentParser")


@pytest.mark.parametrize("header", [
    "from helpers import Helper\n\n\nclass Base(Helper):",
    "import abc\n\n\nclass Base(abc.ABC):",
    "from typing import Generic, TypeVar\nT = TypeVar('T')\n\n\nclass Base(Generic[T]):",
    "Exception = object\n\n\nclass Base(Exception):",
    "def make():\n    return object\n\n\nclass Base(make()):",
])
def test_a_base_that_is_not_proven_a_builtin_keeps_the_names(tmp_path: Path, header: str):
    facts = _facts(tmp_path, {"base.py": header + "\n    def run(self):\n        return 1\n"})
    assert facts.gives_instances("run", "argparse.ArgumentParser")


def test_a_method_like_function_outside_a_class_and_builtin_receivers_stay_open(tmp_path: Path):
    facts = _facts(tmp_path, {"base.py": ROOTED + """

    def outside():
        def explain(self):
            return 1
        return explain


    class D(dict):
        def keys_sorted(self):
            return sorted(self)
    """})
    assert facts.gives_instances("explain", "argparse.ArgumentParser")
    assert not facts.gives_instances("run", "argparse.ArgumentParser")
    assert facts.gives_instances("keys_sorted", "builtins.dict")


USE = """
    import argparse


    def use(parser: argparse.ArgumentParser):
        return parser.run()
"""


@pytest.mark.slow
@pytest.mark.parametrize("files,expected", [
    ({"base.py": ROOTED}, ["6:HAL003"]),
    ({"base.py": ROOTED, "parser.py": "import argparse\n\n\nclass P(argparse.ArgumentParser):\n    def run(self):\n        return 1\n"}, []),
])
def test_an_annotated_receiver_is_checked_unless_a_project_subclass_may_have_the_name(tmp_path_factory, files, expected):
    with site_context(tmp_path_factory, {}) as context:
        for name, text in files.items():
            (context.root / name).write_text(textwrap.dedent(text))
        found = check_source(textwrap.dedent(USE), str(context.root / "snippet.py"), context)
        assert [f"{f.line}:{f.code}" for f in found if f.code.startswith("HAL")] == expected


def test_answers_are_kept_on_disk_for_the_files_as_they_are(tmp_path: Path, monkeypatch):
    """A warm run asks again to confirm what the result cache kept: the answer is read back for
    unchanged files (no file parsed), and worked out again once a file changes."""
    import os

    from vetpy import first_party

    monkeypatch.setenv("VETPY_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "proj"
    root.mkdir()
    (root / "base.py").write_text(textwrap.dedent(ROOTED))
    assert not FirstPartyFacts(root, use_disk=True).gives_instances("run", "argparse.ArgumentParser")

    def parsed(*args, **kwargs):
        raise AssertionError("parsed again for unchanged files")

    monkeypatch.setattr(first_party, "only_rooted", parsed)
    assert not FirstPartyFacts(root, use_disk=True).gives_instances("run", "argparse.ArgumentParser")
    monkeypatch.undo()
    monkeypatch.setenv("VETPY_CACHE_DIR", str(tmp_path / "cache"))
    text = textwrap.dedent(ROOTED).replace("class Base:", "import argparse\n\n\nclass Base(argparse.ArgumentParser):")
    (root / "base.py").write_text(text)
    stat = (root / "base.py").stat()
    os.utime(root / "base.py", ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    assert FirstPartyFacts(root, use_disk=True).gives_instances("run", "argparse.ArgumentParser")


def test_an_edit_of_a_file_that_does_not_give_the_name_keeps_the_answer(tmp_path: Path, monkeypatch):
    """The edited run of a large project: one file changed, not one of those giving ``run``."""
    import os

    from vetpy import first_party

    monkeypatch.setenv("VETPY_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "proj"
    root.mkdir()
    (root / "base.py").write_text(textwrap.dedent(ROOTED))
    (root / "other.py").write_text("def helper():\n    return 1\n")
    assert not FirstPartyFacts(root, use_disk=True).gives_instances("run", "argparse.ArgumentParser")
    (root / "other.py").write_text("def helper():\n    return 2  # edited\n")
    stat = (root / "other.py").stat()
    os.utime(root / "other.py", ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))

    def parsed(*args, **kwargs):
        raise AssertionError("the giving files parsed again after an edit elsewhere")

    monkeypatch.setattr(first_party, "only_rooted", parsed)
    assert not FirstPartyFacts(root, use_disk=True).gives_instances("run", "argparse.ArgumentParser")
