"""The project's import statements, read once per version of each file (issue #17: the fixed cost
of a warm run, and of a run after one edit).

Specification: ``FirstPartyFacts.import_conditions``, ``imported_only_behind_guards`` and
``loaded_by_name`` give the same answers whether each file's import statements are read now or
taken from the table kept on disk; a file that changed (size or modification time) is read again,
so an edit is never answered from the kept table; a file that did not change is not parsed again
(a warm run of a 350k-line project spent 3.2 s of its 3.8 s of CPU parsing the project for them).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vetpy import first_party_imports
from vetpy.first_party import FirstPartyFacts


@pytest.fixture(autouse=True)
def cache_dir(tmp_path_factory, monkeypatch):
    path = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("VETPY_CACHE_DIR", str(path))
    return path


PROJECT = {
    "app/__init__.py": "",
    "app/connector.py": "try:\n    from app.stubs_grpc import Stub\nexcept ImportError:\n    Stub = None\n",
    "app/stubs_grpc.py": "import grpc_missing_mod\nfrom . import stubs_pb2\n",
    "app/stubs_pb2.py": "from protobuf_missing_mod.internal import wrapper\n",
    "app/platform.py": "import os, sys\nif sys.platform == 'win32':\n    from . import win\nelif os.environ.get('X'):\n"
                       "    import app.fast\nelse:\n    from app import slow\n",
    "app/typed.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from app import win\n",
    "app/win.pyi": "from app import slow\n",
    "app/loader.py": "import importlib\n\ndef load(name):\n    return importlib.import_module('app.exports.' + name)\n",
    "app/exports/__init__.py": "",
    "app/exports/csv.py": "class Export:\n    pass\n",
    "app/exports/json.py": "class Export:\n    pass\n",
    "app/exports/xml.py": "class Export:\n    pass\n",
    "tests/test_app.py": "from app import fast\nimport app.stubs_pb2\n",
    "broken.py": "import (\n",
}
MODULES = ("app", "app.stubs_grpc", "app.stubs_pb2", "app.win", "app.fast", "app.slow", "app.exports", "app.exports.csv",
           "os", "sys", "grpc_missing_mod", "protobuf_missing_mod.internal", "importlib", "typing", "nothing")


def write(root: Path, files: dict[str, str | None]) -> None:
    for name, text in files.items():
        path = root / name
        if text is None:
            if path.exists():
                path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        before = path.stat() if path.exists() else None
        path.write_text(text)
        if before is not None and before.st_mtime_ns == path.stat().st_mtime_ns:
            os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000))  # a coarse clock: still a new version


def answers(root: Path, use_disk: bool) -> list:
    facts = FirstPartyFacts(root, use_disk=use_disk)
    out = []
    for module in MODULES:
        out.append((module, facts.import_conditions(module), facts.imported_only_behind_guards(module)))
    for name in ("csv", "json", "xml"):
        out.append((name, facts.loaded_by_name(f"app.exports.{name}", str(root / "app" / "exports" / f"{name}.py"))))
    return out


def test_the_answers_read_the_import_statements_as_they_run(tmp_path):
    write(tmp_path, PROJECT)
    facts = FirstPartyFacts(tmp_path, use_disk=True)
    assert facts.import_conditions("app.win") == (("app.platform", (("sys.platform == 'win32'", True),)),)
    assert facts.import_conditions("app.slow") == (
        ("app.platform", (("sys.platform == 'win32'", False), ("os.environ.get('X')", False))),)
    assert facts.imported_only_behind_guards("app.stubs_grpc")  # inside try/except ImportError
    assert facts.imported_only_behind_guards("app.stubs_pb2")  # through the guarded module; the test's import left out
    assert facts.imported_only_behind_guards("app.fast")  # behind an environment switch; the test's left out
    assert not facts.imported_only_behind_guards("app.slow")  # the `else:` runs by default
    assert not facts.imported_only_behind_guards("nothing")  # no importer proves nothing
    assert facts.loaded_by_name("app.exports.csv", str(tmp_path / "app" / "exports" / "csv.py"))


def test_a_kept_table_gives_the_answers_of_a_fresh_reading_and_is_not_parsed_again(tmp_path, monkeypatch):
    write(tmp_path, PROJECT)
    fresh = answers(tmp_path, use_disk=False)
    assert answers(tmp_path, use_disk=True) == fresh  # the table is written

    def no_parse(*args, **kwargs):
        raise AssertionError("an unchanged file was parsed again")

    monkeypatch.setattr(first_party_imports, "parse_file", no_parse)
    assert answers(tmp_path, use_disk=True) == fresh


def test_an_edited_file_is_read_again_not_answered_from_the_kept_table(tmp_path):
    write(tmp_path, PROJECT)
    answers(tmp_path, use_disk=True)
    write(tmp_path, {"app/connector.py": "from app.stubs_grpc import Stub\n"})  # the guard is gone
    assert not FirstPartyFacts(tmp_path, use_disk=True).imported_only_behind_guards("app.stubs_grpc")
    write(tmp_path, {"app/loader.py": "import importlib\n"})  # nothing is loaded by name any more
    facts = FirstPartyFacts(tmp_path, use_disk=True)
    assert not facts.loaded_by_name("app.exports.csv", str(tmp_path / "app" / "exports" / "csv.py"))


def test_a_package_marker_that_goes_changes_relative_imports_without_a_file_edit(tmp_path):
    # `from . import stubs_pb2` names app.stubs_pb2 only while app/ is a package: the file's
    # dotted name is worked out again, never kept with its statements
    write(tmp_path, PROJECT)
    assert answers(tmp_path, use_disk=True) == answers(tmp_path, use_disk=False)
    write(tmp_path, {"app/__init__.py": None})
    assert answers(tmp_path, use_disk=True) == answers(tmp_path, use_disk=False)


EDITS = st.sampled_from([
    ("app/connector.py", "from app.stubs_grpc import Stub\n"),
    ("app/connector.py", PROJECT["app/connector.py"]),
    ("app/stubs_grpc.py", "try:\n    from .stubs_pb2 import x\nexcept ModuleNotFoundError:\n    pass\n"),
    ("app/stubs_grpc.py", PROJECT["app/stubs_grpc.py"]),
    ("app/platform.py", "import sys\nif sys.version_info >= (3, 12):\n    from app import fast, slow\n"),
    ("app/platform.py", PROJECT["app/platform.py"]),
    ("app/loader.py", "def load(name):\n    return __import__(name)\n"),
    ("app/loader.py", "import importlib\n"),
    ("app/exports/json.py", None),
    ("app/exports/json.py", "class Export:\n    pass\n"),
    ("app/new.py", "import app.exports.csv\nfrom app.exports import xml\n"),
    ("app/new.py", None),
    ("app/__init__.py", None),
    ("app/__init__.py", ""),
    ("broken.py", "from app import win\n"),
    ("broken.py", "import (\n"),
])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(EDITS, min_size=1, max_size=6))
def test_kept_equals_fresh_after_any_sequence_of_edits(tmp_path_factory, edits):
    root = tmp_path_factory.mktemp("proj")
    write(root, PROJECT)
    answers(root, use_disk=True)
    for name, text in edits:
        write(root, {name: text})
        assert answers(root, use_disk=True) == answers(root, use_disk=False)
