"""A module that puts another object in its place in ``sys.modules`` at import (twisted's
``twisted.internet.reactor`` installs the default reactor; a program installs another one
first, scrapy the asyncio reactor): what the object has depends on the program, so a missing
attribute is not reported (scrapy 2.19's ``reactor._asyncioEventloop``).  An object a module
merely binds as an attribute, and the module's own names, stay checked."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, site_context

pytestmark = pytest.mark.slow

LOOPS = {
    "loops/__init__.py": """
        class DefaultLoop:
            def call_later(self, delay, f):
                return f
    """,
    "loops/reactor.py": """
        import sys

        from loops import DefaultLoop

        del sys.modules["loops.reactor"]
        sys.modules["loops.reactor"] = DefaultLoop()
    """,
    "loops/plain.py": """
        from loops import DefaultLoop

        loop = DefaultLoop()
    """,
}

USES = """
import loops.plain
from loops import reactor


def run():
    reactor._asyncio_loop
    loops.plain.loop._asyncio_loop
    loops.plain.lop
"""


def test_the_object_a_module_put_in_its_place_is_open(tmp_path_factory):
    with site_context(tmp_path_factory, LOOPS) as context:
        assert hal_call_lines(context, USES) == ["8:HAL003", "9:HAL003"]
