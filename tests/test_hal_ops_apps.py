"""Precision on automation, async and scientific packages (issue #16, the eleventh session's probe:
ansible-core, statsmodels, scikit-image): a package folder checked as the project, module
attributes the project replaces, fallbacks for other releases (``except AttributeError``, nested
``except ImportError``, version flags, ``contextlib.suppress``) and an index that may be a slice.
Each case has its look-alike that must still be reported."""

from __future__ import annotations

from conftest import check_file, context_for


def hal(root, rel, ctx=None) -> list[str]:
    return [f"{f.line}:{f.code}" for f in check_file(root, rel, ctx or context_for(root), {"HAL"})]


def test_a_package_folder_checked_as_the_project_hides_no_standard_module(project):
    # ansible-core 2.19's folder has `collections/` (ansible.collections): imported as a package,
    # `from collections.abc import Mapping` in its modules is the standard library's
    root = project({
        "__init__.py": "",
        "collections/__init__.py": "",
        "collections/list.py": "X = 1\n",
        "context.py": """
            import collections.abc
            from collections import defaultdict
            from collections.abc import Mapping

            from .collections.list import X
        """,
        "cli/__init__.py": "",
        "cli/config.py": "from collections.abc import Mapping\nimport json.nothere\n",
    })
    ctx = context_for(root)
    assert hal(root, "context.py", ctx) == []
    assert hal(root, "cli/config.py", ctx) == ["2:HAL001"]


def test_a_folder_beside_the_scripts_of_a_plain_project_still_shadows(project):
    # the look-alike: no __init__.py at the root, so the root is on sys.path and its
    # collections/ package is what `import collections.abc` finds
    root = project({
        "collections/__init__.py": "",
        "app.py": "from collections.abc import Mapping\n",
    })
    assert hal(root, "app.py") == ["1:HAL001"]


def test_a_module_attribute_the_project_replaces_is_what_it_put_there(project):
    # ansible's connection stub: `sys.stdout = io.StringIO()`, later `sys.stdout.getvalue()`
    root = project({
        "stub.py": """
            import io
            import sys


            def main():
                saved = sys.stdout
                sys.stdout = io.StringIO()
                try:
                    print("x")
                finally:
                    text = sys.stdout.getvalue()
                    sys.stdout = saved
                return text, sys.stderr.getvalue()
        """,
    })
    assert hal(root, "stub.py") == ["13:HAL003"]  # stderr: nothing replaces it


def test_the_attribute_error_fallback_after_methods_the_instance_has(project):
    # scikit-image's `try: im.frombytes(...) except AttributeError: im.fromstring(...)  # PIL 1.1.7`,
    # statsmodels' `try: data.map(f) except AttributeError: data.applymap(f)`
    root = project({
        "io_plugin.py": """
            import io


            def text_of(data):
                buf = io.StringIO(data)
                try:
                    return buf.getvalue()
                except AttributeError:
                    return buf.read_all()


            def text_too(data):
                buf = io.StringIO(data)
                try:
                    return buf.getvalu()
                except AttributeError:
                    return buf.read_all()
        """,
    })
    assert hal(root, "io_plugin.py") == ["17:HAL003"]  # the try reads a name the target lacks: the handler runs


def test_an_index_that_may_be_a_slice_gives_the_item_or_a_sequence(project):
    # scikit-image's ImageCollection.__getitem__: `fidx = range(n)[key]` for a slice key, then `fidx.index(...)`
    root = project({
        "frames.py": """
            def frames(n, key):
                idx = list(range(n))[key]
                return idx.index(3)


            def names(items: list[str], key):
                return items[key].uper()


            def frame(n, key: int):
                idx = list(range(n))[key]
                return idx.index(3)
        """,
    })
    assert hal(root, "frames.py") == ["7:HAL003", "12:HAL003"]  # both an item and a list lack `uper`; an int index


def test_the_fallback_of_a_try_whose_nested_fallback_imports(project):
    # statsmodels' compat: `try: try: import scipy._external.xpx except ImportError: import
    # scipy._lib.xpx ... except ImportError: from scipy._lib._util import _lazywhere`
    root = project({
        "compat.py": """
            def where(text):
                try:
                    try:
                        import jsonx_newer as j
                    except (ImportError, AttributeError):
                        import json as j
                    return j.loads(text)
                except (ImportError, AttributeError):
                    from json import loads_of_old

                    return loads_of_old(text)


            def where_too(text):
                try:
                    try:
                        import jsonx_newer as j
                    except ImportError:
                        import jsonx_older as j
                    return j.loads(text)
                except ImportError:
                    from json import loads_of_old

                    return loads_of_old(text)
        """,
    })
    assert hal(root, "compat.py") == ["22:HAL002"]  # neither alternative imports: the handler runs


def test_a_branch_under_a_version_flag_from_a_compat_module(project):
    # statsmodels: `from statsmodels.compat.numpy import NP_LT_2`, `if NP_LT_2: np.ComplexWarning`
    root = project({
        "compat.py": "import sys\nNP_LT_2 = sys.version_info < (3, 0)\nUSE_FAST = True\n",
        "arima.py": """
            import json

            from compat import NP_LT_2, USE_FAST

            if NP_LT_2:
                loads = json.loads_of_old
            else:
                loads = json.loads
            if USE_FAST:
                dumps = json.dumps_fast
        """,
    })
    assert hal(root, "arima.py") == ["10:HAL003"]  # a flag not named like a version says nothing


def test_an_import_under_contextlib_suppress_of_import_errors_is_optional(project):
    # statsmodels' tsa/mlemodel.py: `with contextlib.suppress(ImportError): import numdifftools as ndt`
    root = project({
        "mle.py": """
            import contextlib

            with contextlib.suppress(ImportError):
                import numdifftools_not_installed as ndt
            with contextlib.suppress(ValueError):
                import numdifftools_not_installed_either
        """,
    })
    assert hal(root, "mle.py") == ["6:HAL001"]
