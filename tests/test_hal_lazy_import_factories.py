"""An unannotated factory of an installed package that builds the class it returns from an import
inside its own body, to break an import cycle, gives an instance of that class (issue 15, blind3
corpus: kombu's ``Connection.SimpleQueue`` runs ``from .simple import SimpleQueue`` then
``return SimpleQueue(...)``, and ``conn.SimpleQueue("q").empty()`` is queue.Queue's vocabulary).
Beside the look-alikes that stay silent: a member the class has, a name imported twice in the
body (from two places), a plain ``import`` of a module binding the name, a name rebound after
its import, and a class whose instances serve names through ``__getattr__``.  The flagged lines
raise AttributeError at run time and the look-alikes run (both proven below)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from test_hal_support import hal_call_lines, site_context

pytestmark = pytest.mark.slow

FILES = {
    "fakelazy/__init__.py": '''
        from fakelazy.connection import Connection
    ''',
    "fakelazy/simple.py": '''
        class SimpleQueue:
            def __init__(self, conn, name):
                self.name = name

            def qsize(self):
                return 0


        class Other:
            def qsize(self):
                return 1


        class Served:
            def __getattr__(self, name):
                return name
    ''',
    "fakelazy/connection.py": '''
        class Connection:
            def SimpleQueue(self, name):
                from .simple import SimpleQueue
                return SimpleQueue(self, name)

            def module_chain(self, name):
                from fakelazy import simple
                return simple.SimpleQueue(self, name)

            def twice(self, flag):
                if flag:
                    from .simple import SimpleQueue as Made
                else:
                    from .simple import Other as Made
                return Made() if not flag else Made(self, "x")

            def rebound(self, name):
                from .simple import SimpleQueue
                SimpleQueue = dict
                return SimpleQueue(name=name)

            def served(self):
                from .simple import Served
                return Served()
    ''',
    "fakelazy-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: fakelazy\nVersion: 1.0\n",
    "fakelazy-1.0.dist-info/RECORD": "fakelazy/__init__.py,,\n",
}

FLAGGED = '''
import fakelazy


def use():
    fakelazy.Connection().SimpleQueue("q").empty()


def use2():
    queue = fakelazy.Connection().SimpleQueue("q")
    return queue.get_nowait()
'''

SILENT = '''
import fakelazy


def use():
    conn = fakelazy.Connection()
    conn.SimpleQueue("q").qsize()
    conn.module_chain("q").qsize()
    conn.twice(False).qsize()
    conn.rebound("q").keys()
    return conn.served().anything
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, FILES) as context:
        yield context


def _run(tmp_path, code: str, call: str) -> str:
    for rel, text in FILES.items():
        if rel.endswith(".py"):
            (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / rel).write_text(textwrap.dedent(text))
    script = textwrap.dedent(code) + f"\ntry:\n    {call}()\nexcept AttributeError as e:\n    print('AttributeError', e)\n"
    return subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(tmp_path)!r})\n" + script],
                          capture_output=True, text=True, check=True).stdout


def test_the_flagged_lines_raise_and_the_look_alikes_run(tmp_path):
    assert _run(tmp_path, FLAGGED, "use").startswith("AttributeError")
    assert _run(tmp_path, FLAGGED, "use2").startswith("AttributeError")
    assert _run(tmp_path, SILENT, "use") == ""


def test_the_class_a_factory_imports_in_its_body_gives_the_instance(ctx):
    assert hal_call_lines(ctx, FLAGGED) == ["6:HAL003", "11:HAL003"]


def test_members_it_has_ambiguous_or_rebound_imports_and_getattr_stay_silent(ctx):
    assert hal_call_lines(ctx, SILENT) == []
