"""Precision on AI-client and service packages (issue #16, the twelfth session's probe: openai,
anthropic, alembic, sentry-sdk): a flag for a library's major release (``PYDANTIC_V1 =
pydantic.VERSION.startswith("1.")``, imported from the project's compat module) and names a
module's own stub declares that its code sets at run time (``alembic.context.config``).  Each case
has its look-alike that must still be reported."""

from __future__ import annotations

import pytest

from conftest import check_file, context_for
from test_hal_support import hal_call_lines, site_context


def hal(root, rel, ctx=None) -> list[str]:
    return [f"{f.line}:{f.code}" for f in check_file(root, rel, ctx or context_for(root), {"HAL"})]


def test_a_flag_bound_to_a_version_prefix_test_is_a_version_check(project):
    # openai/_compat.py: `PYDANTIC_V1 = pydantic.VERSION.startswith("1.")`, then `if PYDANTIC_V1:
    # from pydantic.typing import get_args` and `return field.outer_type_`
    root = project({
        "compat.py": """
            import json

            LEGACY = json.__version__.startswith("1.")
            JSONISH = json.__name__.startswith("js")

            if LEGACY:
                from json import loads_of_old
            else:
                from json import loads


            def outer(field):
                if LEGACY:
                    return json.dumps_of_old(field)
                return json.dumps(field)


            def named():
                if JSONISH:
                    return json.dumps_fast(1)
        """,
    })
    assert hal(root, "compat.py") == ["20:HAL003"]  # a prefix test of something else than a version says nothing


def test_a_major_release_flag_imported_from_a_compat_module(project):
    # openai/_models.py: `from ._compat import PYDANTIC_V1`, `if PYDANTIC_V1: field.outer_type_`;
    # anthropic: `if not PYDANTIC_V1: ... elif not TYPE_CHECKING: from pydantic.typing import ...`
    root = project({
        "compat.py": "import json\nPYDANTIC_V1 = bool(json)\nAPI_V1 = 'v1'\n",
        "models.py": """
            import json
            from typing import TYPE_CHECKING

            from compat import API_V1, PYDANTIC_V1

            if not PYDANTIC_V1:
                dumps = json.dumps
            elif not TYPE_CHECKING:
                from json import display_as_type


            def outer(field):
                if PYDANTIC_V1:
                    return json.outer_type_
                return field


            def version(field, api):
                if api == API_V1:
                    return json.loads_v1(field)
        """,
    })
    assert hal(root, "models.py") == ["20:HAL003"]  # compared with, a `_V1` name is a value, no flag


def test_an_import_behind_a_function_that_says_the_module_can_be_used(project):
    # dramatiq: `if is_gevent_active(): from gevent import getcurrent`; huggingface_hub:
    # `if not is_numpy_available(): raise ImportError(...)` then `import numpy`
    root = project({
        "probes.py": "def is_gevent_active():\n    return False\n",
        "middleware.py": """
            from probes import is_gevent_active

            if is_gevent_active():
                from gevent import getcurrent


            def load():
                if not is_torch_available():
                    raise ImportError("pip install torch")
                import torch

                return torch


            def others():
                if is_ready():
                    import torch as tensors
                if not is_torch_available():
                    print("torch is missing")
                import torch
                if is_json_available():
                    from json import loads_of_old
                return torch, tensors, loads_of_old
        """,
    })
    # a test of something else, an `if` that does not leave, an installed module: all still checked
    # (a well-known package imported in a function is reported; gevent there would not be)
    assert hal(root, "middleware.py") == ["17:HAL001", "20:HAL001", "22:HAL002"]


_RUNTIME_NAMESPACE = '''
def configure():
    pass


def _install(namespace):  # alembic's EnvironmentContext: written while a migration runs
    namespace["config"] = object()
'''


@pytest.mark.slow
def test_a_name_the_modules_own_stub_declares_is_set_at_run_time(tmp_path_factory):
    # alembic's `context.py` hands its globals() to EnvironmentContext, which writes `config` into
    # them only while a migration runs; `context.pyi` beside it declares `config: Config`.  Every
    # alembic env.py reads `context.config` at import time.
    files = {
        "migrator/__init__.py": "",
        "migrator/context.py": _RUNTIME_NAMESPACE,
        "migrator/context.pyi": "from typing import Any\nfrom os import sep as sep\n\nconfig: Any\n\ndef configure() -> None: ...\n",
        "migrator/plain.py": _RUNTIME_NAMESPACE,  # the look-alike: no stub says what appears later
    }
    with site_context(tmp_path_factory, files) as ctx:
        assert hal_call_lines(ctx, """
            from migrator import context, plain

            config = context.config
            context.configure()
            context.sep
            context.Any
            context.confg
            plain.config
        """) == ["7:HAL003", "8:HAL003", "9:HAL003"]  # a stub's own import is no name of the module


def test_a_module_of_a_package_whose_init_raises_without_the_module(project):
    # sentry-sdk's integrations/django/__init__.py: `try: from django import VERSION ...` /
    # `except ImportError: raise DidNotEnable("Django not installed")`; its asgi.py, views.py ...
    # import django unguarded: Python runs the __init__ first, so they never run without Django
    root = project({
        "__init__.py": "",
        "integrations/__init__.py": "",
        "integrations/torchy/__init__.py": """
            try:
                from torch import nn
            except ImportError:
                raise RuntimeError("torch is not installed")
        """,
        "integrations/torchy/views.py": "import torch\nfrom torch import nn\nimport gevent\n",
        "integrations/soft/__init__.py": """
            try:
                import torch
            except ImportError:
                torch = None
        """,
        "integrations/soft/views.py": "import torch\n",
    })
    ctx = context_for(root)
    assert hal(root, "integrations/torchy/views.py", ctx) == ["3:HAL001"]  # what the __init__ does not require
    assert hal(root, "integrations/soft/views.py", ctx) == ["1:HAL001"]  # a handler that does not raise
