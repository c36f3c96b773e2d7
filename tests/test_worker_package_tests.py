"""The introspection worker never imports a package's own tests (Twisted's ``twisted/test/``).

To list the subclasses of an installed class, the worker imports the modules of its package whose
source declares one.  A package's test folder holds scripts run as programs: Twisted's
``twisted/test/process_twisted.py`` starts the reactor on standard input when imported, which took
the worker's own input and hung it (every question about ``twisted.internet.protocol.Protocol``
timed out: "hung or crashed", 30 s per check).  Subclasses in tests are not listed anyway (no user
program meets them), so their modules are not imported: a folder named ``test`` or ``tests`` and
``test_*`` modules, as the listing already left them out, and a package's ``__main__`` (its
command line).  Beside it, the look-alike: a subclass in the package itself is still imported
and counted.  And the worker's requests are kept from a package that reads standard input when
imported (it reads nothing)."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, site_context

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory):
    marks = tmp_path_factory.mktemp("marks")
    script = f"""
        import pathlib
        from twl import Base

        class Echo(Base):
            def __init__(self):
                self.echoed = True

        pathlib.Path({str(marks / "imported")!r}).write_text("ran")
        raise SystemExit(3)  # a script: it runs (here: exits) when imported
    """
    files = {
        "twl/__init__.py": """
            class Base:
                def __init__(self):
                    self.size = 1

            class Other:
                def __init__(self):
                    self.size = 1
        """,
        "twl/test/__init__.py": "",
        "twl/test/process_script.py": script,
        "twl/tests/test_base.py": script,
        "twl/test_sample.py": script,
        "twl/__main__.py": script,
        "readsin/__init__.py": """
            import sys

            FIRST = sys.stdin.readline()  # a package that reads stdin when imported


            class Thing:
                pass
        """,
        "twl/kinds.py": """
            from twl import Other

            class Wide(Other):
                def __init__(self):
                    self.width = 2
        """,
    }
    with site_context(tmp_path_factory, files) as context:
        yield context, marks


def test_a_class_subclassed_only_in_the_packages_tests_is_checked_and_no_test_runs(scene):
    ctx, marks = scene
    assert hal_call_lines(ctx, """
        import twl

        def use(b: twl.Base):
            return b.size, b.nosuch
    """) == ["5:HAL003"]
    assert not (marks / "imported").exists()


def test_a_subclass_in_the_package_itself_still_counts(scene):
    ctx, _ = scene
    assert hal_call_lines(ctx, """
        import twl

        def use(o: twl.Other):
            return o.size, o.width, o.nosuch
    """) == ["5:HAL003"]


def test_a_package_that_reads_stdin_when_imported_reads_nothing_of_the_workers_requests(scene):
    """The worker's requests come on its standard input: a package reading it when imported took
    them (the worker then waited for a request it had eaten: "hung or crashed")."""
    ctx, _ = scene
    assert hal_call_lines(ctx, """
        import readsin

        readsin.Thing().nosuch
        readsin.Thing.__name__
    """) == ["4:HAL003"]
