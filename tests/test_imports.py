"""HAL001 unresolved-import and HAL002 unknown-import-name, from their documentation (issue 2 item 7).

Against the real interpreter running the tests (a real environment with real site-packages);
cases that need another Python version use a real 3.10 interpreter when one is present and a
described environment otherwise.
"""

from __future__ import annotations

import ast
import dataclasses
import sys

import pytest

from conftest import check_file, context_for
from vetpy.findings import apply_edits


def codes(findings):
    return [f.code for f in findings]


def hal(root, rel="app.py", ctx=None):
    return check_file(root, rel, ctx=ctx, select={"HAL"})


# -- HAL001: positives ---------------------------------------------------------------------------

def test_made_up_module_is_reported_with_the_environment_it_was_looked_up_in(project):
    root = project({"app.py": "import fastjsonx\n"})
    [f] = hal(root)
    assert f.code == "HAL001" and (f.line, f.column, f.end_column) == (1, 8, 17)
    assert "`fastjsonx` is not found" in f.message
    assert f"Python {sys.version_info[0]}.{sys.version_info[1]}" in f.message


def test_misspelled_module_suggests_the_real_one_and_offers_a_fix(project):
    root = project({"app.py": "import jsonn\nfrom colections import OrderedDict\n"})
    first, second = hal(root)
    assert "did you mean `json`" in first.message
    assert first.fixes and first.fixes[0].preferred
    fixed = apply_edits((root / "app.py").read_text(), first.fixes[0].edits)
    assert fixed.startswith("import json\n")
    ast.parse(fixed)
    assert "`collections`" in second.message and (second.column, second.end_column) == (6, 16)


def test_well_known_import_name_of_an_uninstalled_distribution_names_the_distribution(project):
    root = project({"app.py": "import sklearn\n"})
    [f] = hal(root)
    assert "provided by the distribution `scikit-learn`" in f.message


def test_missing_submodule_of_an_installed_package_is_reported(project):
    root = project({"app.py": "import json.fastpath\nimport email.mime.nothing\n"})
    found = hal(root)
    assert codes(found) == ["HAL001", "HAL001"]
    assert "module `json`" in found[0].message and "no submodule `fastpath`" in found[0].message
    assert "no submodule `nothing`" in found[1].message


def test_import_in_a_function_and_in_an_except_fallback_is_still_checked(project):
    root = project({"app.py": """
        def load():
            import yamlx
        try:
            import ujson_nope as j
        except ImportError:
            import jsonx as j
    """})
    assert [f.message.split("`")[1] for f in hal(root)] == ["yamlx", "jsonx"]


def test_relative_import_of_a_missing_sibling_in_a_package(project):
    root = project({"pkg/__init__.py": "", "pkg/a.py": "from .helpers import tool\nfrom . import utils\n", "pkg/utils.py": ""})
    found = hal(root, "pkg/a.py")
    assert codes(found) == ["HAL001"] and "pkg.helpers" in found[0].message or "helpers" in found[0].message


def test_relative_import_suggests_only_modules_of_its_folder(project):
    # `from .db import x` beside no db.py: not `bdb`/`dbm`/`pdb` (the fix would import another missing
    # module, or the stdlib's without `x`); a misspelt sibling is still suggested, with its fix
    root = project({"loose/views.py": "from .db import session\nfrom .modles import Row\n", "loose/models.py": "Row = 1\n"})
    first, second = hal(root, "loose/views.py")
    assert first.code == "HAL001" and "did you mean" not in first.message and not first.fixes
    assert "did you mean `models`" in second.message and [f.title for f in second.fixes] == ["Replace with `models`"]


def test_stdlib_module_newer_than_the_target_python_is_reported(project):
    root = project({"app.py": "import tomllib\n"})
    ctx = context_for(root)
    env = ctx.environment
    ctx.environment = dataclasses.replace(env, version=(3, 10, 12), stdlib_names=env.stdlib_names - {"tomllib"},
                                          top_level_modules={k: v for k, v in env.top_level_modules.items() if k != "tomllib"},
                                          sys_path=[p for p in env.sys_path if "site-packages" in p])
    ctx.resolver.environment = ctx.environment
    ctx.resolver.use_probe = False
    ctx.resolver.prefetch_specs = lambda names: None
    ctx.resolver.spec_exists = lambda name: False
    [f] = hal(root, ctx=ctx)
    assert "`tomllib`" in f.message and "Python 3.10" in f.message


@pytest.mark.skipif(not __import__("pathlib").Path("/root/.pyenv/versions/3.10.13/bin/python").exists(),
                    reason="no real Python 3.10 interpreter here")
def test_stdlib_module_newer_than_a_real_python_310_target(project):
    root = project({"app.py": "import tomllib\nimport json\n"})
    ctx = context_for(root, python="/root/.pyenv/versions/3.10.13/bin/python")
    found = hal(root, ctx=ctx)
    assert codes(found) == ["HAL001"]
    assert "`tomllib`" in found[0].message and "Python 3.10" in found[0].message


# -- HAL001: negatives (what a careful reviewer accepts) ---------------------------------------------

@pytest.mark.slow
def test_guarded_optional_imports_are_not_reported(project):
    root = project({"app.py": """
        import sys
        from typing import TYPE_CHECKING
        try:
            import ujson_not_installed
        except ImportError:
            ujson_not_installed = None
        try:
            from fastjsonx import loads
        except (ModuleNotFoundError, ValueError):
            loads = None
        if TYPE_CHECKING:
            from types_only_pkg import Thing
        if sys.version_info >= (4, 0):
            import py4_only_module
        if sys.version_info < (3, 0):
            import py2_only_module
        if sys.platform == "win32":
            import winreg_like_missing
        if sys.platform.startswith("darwin"):
            import mac_only_missing
    """})
    assert hal(root) == []


def test_true_version_branch_is_checked_and_false_else_branch_is_not(project):
    root = project({"app.py": """
        import sys
        if sys.version_info >= (3, 8):
            import made_up_in_true_branch
        else:
            import made_up_in_false_branch
    """})
    [f] = hal(root)
    assert "made_up_in_true_branch" in f.message


def test_first_party_modules_packages_src_layout_and_namespace_packages_resolve(project):
    root = project({
        "pyproject.toml": "[project]\nname='x'\nversion='0'\n",
        "src/mylib/__init__.py": "",
        "src/mylib/core.py": "",
        "tools/helper.py": "",
        "nspkg/sub/mod.py": "",
        "tools/run.py": "import helper\nimport mylib.core\nfrom mylib import core\nimport nspkg.sub.mod\nfrom . import x\n",
    })
    assert hal(root, "tools/run.py") == []


def test_real_installed_and_stdlib_modules_resolve(project):
    root = project({"app.py": """
        import os.path
        import xml.etree.ElementTree as ET
        import concurrent.futures
        import importlib.metadata
        import jedi
        import packaging.version
        from lsprotocol import types
        from os import path
        from __future__ import annotations
    """.replace("from __future__ import annotations\n", "")})
    assert hal(root) == []


def test_without_a_target_environment_nothing_is_guessed(project):
    root = project({"app.py": "import fastjsonx\n"})
    ctx = context_for(root, python=str(root / "missing" / "python"))
    assert ctx.environment is None
    assert hal(root, ctx=ctx) == []


# -- HAL002 ----------------------------------------------------------------------------------------------

def test_unknown_name_in_a_pure_python_module_with_suggestion_and_fix(project):
    root = project({"app.py": "from json import loads_fast, dumps\n"})
    [f] = hal(root)
    assert f.code == "HAL002"
    assert "`json` in the standard library of Python" in f.message and "no name `loads_fast`" in f.message
    assert "did you mean `loads`" in f.message
    assert (f.column, f.end_column) == (18, 28)
    fixed = apply_edits((root / "app.py").read_text(), f.fixes[0].edits)
    assert fixed == "from json import loads, dumps\n"


def test_unknown_name_in_an_installed_distribution_names_the_version(project):
    import packaging

    root = project({"app.py": "from packaging.version import parse_version\n"})
    [f] = hal(root)
    assert f.code == "HAL002"
    from importlib.metadata import version

    assert f"packaging {version('packaging')} (installed" in f.message


@pytest.mark.slow
def test_names_that_exist_in_odd_ways_are_not_reported(project):
    root = project({
        "lib/__init__.py": """
            import sys
            from .impl import *
            from .computed import *
            if sys.platform == "win32":
                WIN = True
            else:
                POSIX = True
            try:
                from _speedups import fast
            except ImportError:
                def fast(): ...
            for _name in ("a", "b"):
                pass
            def _set():
                global LATE
                LATE = 1
        """,
        "lib/impl.py": "__all__ = ['exported']\nexported = 1\n_hidden = 2\n",
        "lib/computed.py": "names = ['x']\n__all__ = [n for n in names]\n",
        "lib/sub.py": "",
        "lazy/__init__.py": "def __getattr__(name):\n    raise AttributeError(name)\n",
        "app.py": """
            from lib import exported, WIN, POSIX, fast, LATE, sub, _name
            from lazy import anything_goes
            from os import path, getcwd
            from concurrent import futures
            from collections import abc
        """,
    })
    assert hal(root) == []


@pytest.mark.slow
def test_a_module_that_makes_names_at_run_time_anywhere_in_its_tree_is_not_closed(project):
    """Each way a module can gain names at run time, deep in a function or at the top, makes its
    namespace open; the look-alike without one of them (same shape, plain code) stays closed."""
    root = project({
        "dyn1.py": "def _install():\n    for n in ('a',):\n        globals()[n] = n\n_install()\n",
        "dyn2.py": "import sys\ndef _f():\n    setattr(sys.modules[__name__], 'made', 1)\n_f()\n",
        "dyn3.py": "def _f():\n    vars()['x'] = 1\n    exec('y = 2')\n",
        "dyn4.py": "import sys as _sys\n_sys.modules[__name__].__dict__.update(z=1)\n",
        "plain.py": "def _install():\n    for n in ('a',):\n        print(n)\n_install()\n",
        "app.py": "from dyn1 import a\nfrom dyn2 import made\nfrom dyn3 import y\nfrom dyn4 import z\nfrom plain import a\n",
    })
    found = hal(root)
    assert [(f.code, f.line) for f in found] == [("HAL002", 5)], found


def test_star_import_with_literal_all_only_exports_listed_names(project):
    root = project({
        "lib/__init__.py": "from .impl import *\n",
        "lib/impl.py": "__all__ = ['exported']\nexported = 1\nnot_exported = 2\n",
        "app.py": "from lib import not_exported\n",
    })
    [f] = hal(root)
    assert f.code == "HAL002" and "not_exported" in f.message


def test_name_from_first_party_module_is_checked_statically(project):
    root = project({"mymod.py": "def helper(): ...\n", "app.py": "from mymod import helpr\n"})
    [f] = hal(root)
    assert "first-party" in f.message and "did you mean `helper`" in f.message


def test_from_import_of_module_with_getattr_first_party_is_silent(project):
    root = project({"mymod.py": "def __getattr__(n): ...\n", "app.py": "from mymod import whatever\n"})
    assert hal(root) == []


def test_a_submodule_that_an_import_hook_may_load_from_another_file_is_not_reported(project):
    # xonsh's tests: `from xpack import sample` loads `xpack/sample.xsh` through xonsh's import
    # hook; a `.pyx` is built into a module, a `.hy` is loaded by Hy's hook
    root = project({
        "xpack/__init__.py": "",
        "xpack/sample.xsh": "x = 1\n",
        "xpack/fast.pyx": "def f(): pass\n",
        "app.py": "from xpack import sample, fast\nimport xpack.sample\n",
    })
    assert hal(root) == []


def test_a_missing_submodule_beside_other_files_is_still_reported(project):
    # the look-alike: files of other names (a README, data, a differently named .xsh) prove nothing
    root = project({
        "xpack/__init__.py": "",
        "xpack/sample.xsh": "x = 1\n",
        "xpack/samples.json": "{}\n",
        "app.py": "from xpack import sampel\nimport xpack.sampel\n",
    })
    found = hal(root)
    assert sorted(codes(found)) == ["HAL001", "HAL002"]
    assert all("sampel" in f.message for f in found)


def test_files_that_extend_sys_path_are_not_guessed_at(project):
    root = project({"bench.py": """
        import sys
        sys.path.insert(0, "../tests")
        import helper_from_elsewhere
        import json.nothing_here
    """})
    found = hal(root, "bench.py")
    assert [f.message for f in found if "helper_from_elsewhere" in f.message] == []
    assert codes(found) == ["HAL001"]  # a submodule of an installed package is still certain


@pytest.mark.parametrize("edit", [
    "monkeypatch.syspath_prepend(tmp_path)",  # pytest: a test writes a module and imports it
    "sys.path[:0] = [str(tmp_path)]",
    "sys.path += [str(tmp_path)]",
])
def test_other_ways_of_extending_sys_path_are_recognised(project, edit):
    root = project({"test_apps.py": f"""
        import sys
        def test_app(monkeypatch, tmp_path):
            (tmp_path / "site_app.py").write_text("app = 1")
            {edit}
            from site_app import app
        import fastjsonx
    """})
    assert [f.message.split("`")[1] for f in hal(root, "test_apps.py")] == []


def test_a_look_alike_that_does_not_touch_sys_path_keeps_the_finding(project):
    root = project({"app.py": """
        import sys
        paths = sys.path[:]
        monkeypatch = None
        def prepend(x): return x
        prepend(sys.path)
        import fastjsonx
    """})
    assert [f.message.split("`")[1] for f in hal(root, "app.py")] == ["fastjsonx"]


def test_fallback_import_runs_only_when_the_tried_import_is_missing(project):
    root = project({"app.py": """
        try:
            from urllib.parse import urlparse
        except ImportError:
            from urlparse import urlparse  # Python 2 fallback: never runs on the target
        try:
            import ujson_not_installed as fastjson
        except ImportError:
            import fastjsonx as fastjson  # runs, and does not exist
        try:  # celery's chain: a nested handler runs only when every enclosing `try` failed
            from ujson_not_installed import get_ident
        except ImportError:
            try:
                from _thread import get_ident  # always there
            except ImportError:
                try:
                    from _dummy_thread import get_ident
                except ImportError:
                    from dummy_thread import get_ident  # never runs
        try:
            import ujson_not_installed
        except ImportError:
            try:
                import simplejson_not_installed
            except ImportError:
                import fastjsony  # runs: both tried modules are missing
    """})
    found = hal(root)
    assert [f.message.split("`")[1] for f in found] == ["fastjsonx", "fastjsony"]


def test_a_module_that_exists_elsewhere_in_the_project_is_not_a_hallucination(project):
    root = project({
        "pyproject.toml": "[project]\nname='x'\nversion='0'\n",
        "tests/test_apps/blueprintapp/__init__.py": "",
        "tests/test_apps/helperapp.py": "",
        # (module level: inside a function, a module no installed one is a misspelling of is an
        # optional tool's import, not reported)
        "tests/test_blueprints.py": "import nowhere_at_all\n\ndef test_app():\n    import blueprintapp\n    import helperapp\n",
    })
    found = hal(root, "tests/test_blueprints.py")
    assert [f.message.split("`")[1] for f in found] == ["nowhere_at_all"]


def test_spec_answers_are_cached_on_disk_for_the_next_run(project, monkeypatch):
    from vetpy.environment import modules

    root = project({"app.py": "import fastjsonx_cached\n"})
    assert len(hal(root)) == 1
    calls = []
    real = modules.run_probe
    monkeypatch.setattr(modules, "run_probe", lambda *a, **k: calls.append(a) or real(*a, **k))
    assert len(hal(root)) == 1  # a new context, same environment: answered from the disk cache
    assert calls == []
