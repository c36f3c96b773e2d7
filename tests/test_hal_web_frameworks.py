"""Precision on web frameworks (issue #16, the thirteenth session's second probe: bottle, sanic):
a module-level flag bound to a version check through an alias (bottle's ``py = sys.version_info``,
``py3k = py.major > 2``) and a platform flag named ``OS_IS_WINDOWS`` (sanic's compat module).  Each
case has its look-alike that must still be reported."""

from __future__ import annotations

import sys

from conftest import check_file, context_for


def hal(root, rel) -> list[str]:
    return [f"{f.line}:{f.code}" for f in check_file(root, rel, context_for(root), {"HAL"})]


def test_a_flag_bound_to_an_alias_of_the_version_is_a_version_check(project):
    # bottle 0.13: `py = sys.version_info`, `py3k = py.major > 2`, `if py3k: ... else:  # 2.x
    # from urllib import urlencode` and `from itertools import imap`
    root = project({
        "app.py": """
            import sys

            py = sys.version_info
            py3k = py.major > 2
            settings = dict(sys.modules)
            many = len(settings) > 2

            if py3k:
                from itertools import chain
                from itertools import chainn
            else:
                from urllib import urlencode
                from itertools import imap

            if many:
                from itertools import izip
        """,
    })
    # the branch the target takes is still judged, and a flag bound to something else says nothing
    assert hal(root, "app.py") == ["10:HAL002", "16:HAL002"]


def test_a_platform_flag_named_os_is_windows_from_a_compat_module(project):
    # sanic 25: `OS_IS_WINDOWS = os.name == "nt"` in compat.py, then `if not OS_IS_WINDOWS:
    # ... return` before `asyncio.WindowsSelectorEventLoopPolicy()`
    root = project({
        "compat.py": "import os\n\nOS_IS_WINDOWS = os.name == 'nt'\nOS_IS_READY = True\n",
        "loop.py": """
            import asyncio

            from compat import OS_IS_READY, OS_IS_WINDOWS


            def try_windows_loop():
                if not OS_IS_WINDOWS:
                    return
                asyncio.set_event_loop_policy(asyncio.WindowsSelectorEventLoopPolicy())


            def ready_loop():
                if not OS_IS_READY:
                    return
                asyncio.set_event_loop_policy(asyncio.WindowsSelectorEventLoopPolicy())
        """,
    })
    found = hal(root, "loop.py")
    # on a Linux or macOS target the Windows-only policy is missing: a flag of something else is data
    assert found == (["15:HAL003"] if sys.platform != "win32" else [])


def test_a_flag_named_for_the_module_its_branch_imports_says_it_is_present(project):
    # openpyxl 3.1: `LXML = lxml_available() and lxml_env_set()` in openpyxl/xml/__init__.py, then
    # `if LXML is True: from lxml.etree import Element` and `if DEFUSEDXML is True: from
    # defusedxml.ElementTree import fromstring` (neither installed here)
    root = project({
        "flags.py": """
            def lxml_available():
                try:
                    from lxml.etree import LXML_VERSION
                except ImportError:
                    return False
                return LXML_VERSION >= (3, 3, 1, 0)


            LXML = lxml_available()
            DEFUSEDXML = False
            DEBUG = True
        """,
        "functions.py": """
            from flags import DEBUG, DEFUSEDXML, LXML

            if LXML is True:
                from lxml.etree import Element
            else:
                from xml.etree.ElementTree import Element
                if DEFUSEDXML:
                    from defusedxml.ElementTree import fromstring

            if DEBUG:
                from defusedxml import lxml

            if LXML:
                from lxmll.etree import SubElement
        """,
    })
    # a flag named for something else guards nothing; a module the flag does not name is checked
    assert hal(root, "functions.py") == ["11:HAL001", "14:HAL001"]
