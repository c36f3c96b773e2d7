"""Precision on library folders checked as projects (issue #16, the eleventh session's second
probe: paramiko, django-filter, django-import-export): a module the project imports only on
another platform, a package root's folder named like a library it imports, and a relative
``try`` import whose fallback never runs.  Each case has its look-alike that must still be
reported."""

from __future__ import annotations

import sys

from conftest import check_file, context_for


def hal(root, rel, ctx=None) -> list[str]:
    return [f"{f.line}:{f.code}" for f in check_file(root, rel, ctx or context_for(root), {"HAL"})]


WINDOWS_ONLY = """
    import os


    def open_pipe(name):
        return os.open(name, os.O_RDWR | os.O_BINARY)
"""


def test_a_module_imported_only_on_another_platform_is_not_checked_against_this_one(project):
    # paramiko 5.1's agent.py: `elif sys.platform == "win32": from . import win_openssh, win_pageant`,
    # and win_pageant's `from . import _winapi` (`class WindowsError(builtins.WindowsError)`)
    root = project({
        "__init__.py": "",
        "agent.py": """
            import os
            import sys


            def connect():
                if "SSH_AUTH_SOCK" in os.environ and sys.platform != "win32":
                    return None
                elif sys.platform == "win32":
                    from . import win_openssh, win_pageant
                    return win_openssh, win_pageant
        """,
        "win_openssh.py": WINDOWS_ONLY,
        "win_pageant.py": "from . import _winapi\n",
        "_winapi.py": "import builtins\n\n\nclass WindowsError(builtins.WindowsError):\n    pass\n",
    })
    ctx = context_for(root)
    assert sys.platform != "win32"
    assert hal(root, "win_openssh.py", ctx) == []
    assert hal(root, "_winapi.py", ctx) == []


def test_a_module_imported_on_this_platform_or_by_nothing_is_still_checked(project):
    root = project({
        "__init__.py": "",
        "agent.py": """
            import sys

            if sys.platform != "win32":
                from . import posix_pipe
            if sys.platform == "win32":
                from . import win_pipe
            from . import win_pipe2
        """,
        "posix_pipe.py": WINDOWS_ONLY,  # imported where the target runs it
        "win_pipe.py": "",
        "win_pipe2.py": WINDOWS_ONLY,  # also imported without a check
        "script.py": WINDOWS_ONLY,  # imported by nothing: an entry point
    })
    ctx = context_for(root)
    assert hal(root, "posix_pipe.py", ctx) == ["5:HAL003"]
    assert hal(root, "win_pipe2.py", ctx) == ["5:HAL003"]
    assert hal(root, "script.py", ctx) == ["5:HAL003"]


def test_a_package_roots_folder_named_like_a_library_hides_nothing(project, tmp_path):
    # django-filter 26.2's folder has `rest_framework/` (django_filters.rest_framework), and its
    # utils.py imports DRF's `from rest_framework.exceptions import ValidationError`
    project({
        "filters/__init__.py": "",
        "filters/restlib/__init__.py": "",
        "filters/restlib/backends.py": "X = 1\n",
        "filters/utils.py": """
            def translate():
                from restlib.exceptions import ValidationError
                from .restlib.nothere import Y
                from .restlib.backends import X
                return ValidationError, X, Y
        """,
    })
    root = tmp_path / "filters"
    assert hal(root, "utils.py") == ["3:HAL001"]  # the package's own submodule is missing


def test_a_folder_of_a_plain_project_root_is_still_what_it_imports(project):
    root = project({
        "restlib/__init__.py": "",
        "app.py": "from restlib.exceptions import ValidationError\n",
    })
    assert hal(root, "app.py") == ["1:HAL001"]


def test_the_fallback_of_a_relative_import_that_is_there_never_runs(project):
    # django-import-export 4.4's __init__.py: `try: from ._version import version` /
    # `except ImportError: from setuptools_scm import get_version` (_version.py is in the wheel)
    init = """
        try:
            from ._version import version
        except ImportError:
            from setuptools_scm_not_installed import get_version
            version = get_version()
        try:
            from . import _compiled_speedups
        except ImportError:
            import slow_fallback_not_installed
    """
    root = project({"pkg/__init__.py": init, "pkg/_version.py": "version = '1.0'\n"})
    assert hal(root, "pkg/__init__.py") == ["9:HAL001"]  # `_compiled_speedups` is absent: the fallback runs
    other = project({"other/__init__.py": init})
    assert hal(other, "other/__init__.py") == ["4:HAL001", "9:HAL001"]  # a checkout without _version.py


def test_the_fallback_of_an_import_that_may_be_there_is_not_reported(project, tmp_path):
    # the probe's setup: django-import-export's folder checked against a venv that also installs it,
    # so `import_export._version` is "which one runs depends on how it is started"; `packaging`
    # (installed with vetpy) plays its part
    project({
        "packaging/__init__.py": """
            try:
                from ._version import version
            except ImportError:
                from setuptools_scm_not_installed import get_version
            try:
                import json_not_there_at_all
            except ImportError:
                import fallback_not_installed
        """,
    })
    root = tmp_path / "packaging"
    assert hal(root, "__init__.py") == ["8:HAL001"]  # a missing module's fallback runs
