"""``parser.add_argument(...)`` passes its keywords to the action class (issue 15, stdlib keywords
newer than the target; branch recall29, rules/hal/argparse_actions.py).

Written first as what must be reported (each raises TypeError at the call, checked by running it
below) and what must stay silent: real keywords of each default action, an installed action class,
a class of this file or a variable as ``action=``, a file that registers its own actions, a parser
known only by an annotation (a subclass may register others: it does here), a package's subclass,
a spread ``**options``; each runs."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from test_hal_support import hal_call_lines, site_context

pytestmark = pytest.mark.slow

REPORTED = """
    import argparse


    def use():
        parser = argparse.ArgumentParser()
        parser.add_argument("--name", helptext="the name")
        parser.add_argument("-v", action="store_true", type=int)
        group = parser.add_argument_group("extra")
        group.add_argument("--level", hlep="x")
        parser.add_argument("--old", deprecated=True)
        return parser.parse_args([])
"""

SILENT = """
    import argparse


    class Upper(argparse.Action):
        def __init__(self, option_strings, dest, shout=False, **kwargs):
            super().__init__(option_strings, dest, **kwargs)

        def __call__(self, parser, namespace, values, option_string=None):
            setattr(namespace, self.dest, values.upper())


    def use(options, kind):
        parser = argparse.ArgumentParser()
        parser.add_argument("--n", type=int, default=1, help="n", metavar="N", required=False, choices=[1],
                            dest="count", nargs="?")
        parser.add_argument("--flag", action="store_true", default=False, help="a flag")
        parser.add_argument("--verbose", action="count", default=0)
        parser.add_argument("--version", action="version", version="1.0")
        parser.add_argument("--color", action=argparse.BooleanOptionalAction, default=True)
        parser.add_argument("--tag", action="append", const="x", nargs="?")
        parser.add_argument("--up", action=Upper, shout=True)
        parser.add_argument("--other", action=kind, shout=True)
        parser.add_argument("--spread", **options)
        parser.add_argument("files", nargs="*")
        return parser
"""

SUBCLASSED = """
    import argparse

    from cliparsers import Parser


    def use(annotated: argparse.ArgumentParser):
        annotated.add_argument("--x", custom=1)
        Parser().add_argument("--y", custom=1)
"""

# a package's parser that registers its own default action: the annotated parser may be one
CLIPARSERS = """
import argparse


class Store(argparse._StoreAction):
    def __init__(self, *args, custom=None, **kwargs):
        super().__init__(*args, **kwargs)


class Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.register("action", None, Store)
"""

REGISTERED = """
    import argparse


    class Store(argparse._StoreAction):
        def __init__(self, *args, secret=False, **kwargs):
            super().__init__(*args, **kwargs)


    def use():
        parser = argparse.ArgumentParser()
        parser.register("action", None, Store)
        parser.add_argument("--token", secret=True)
        return parser
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, {"cliparsers/__init__.py": CLIPARSERS}) as context:
        yield context


def test_keywords_no_action_class_takes_are_reported(site):
    expected = ["7:HAL004", "8:HAL004", "10:HAL004"]
    if site.environment.version[:2] < (3, 13):
        expected.append("11:HAL004")  # `deprecated=` is Python 3.13's
    assert hal_call_lines(site, REPORTED) == expected


def test_real_keywords_and_registries_that_may_differ_stay_silent(site):
    assert hal_call_lines(site, SILENT) == []
    assert hal_call_lines(site, SUBCLASSED) == []
    assert hal_call_lines(site, REGISTERED) == []


@pytest.mark.parametrize("line", [7, 8, 10, 11])
def test_each_reported_call_raises_type_error(line):
    if line == 11 and sys.version_info >= (3, 13):
        pytest.skip("`deprecated=` is taken from Python 3.13 on")
    source = textwrap.dedent(REPORTED).splitlines()
    body = "\n".join(source[:6] + [source[8], source[line - 1]])  # the parser, the group, the call
    run = subprocess.run([sys.executable, "-c", body + "\ntry:\n    use()\nexcept TypeError as e:\n    print('TypeError', e)\n"],
                         capture_output=True, text=True, check=True)
    assert run.stdout.startswith("TypeError"), run.stdout + run.stderr


def test_the_silent_code_runs(tmp_path):
    (tmp_path / "cliparsers.py").write_text(CLIPARSERS)
    for code, call in ((SILENT, "use({'default': 1}, Upper)"), (REGISTERED, "use()"),
                       (SUBCLASSED, "use(Parser())")):
        subprocess.run([sys.executable, "-c", textwrap.dedent(code) + f"\n{call}\n"], check=True, cwd=tmp_path)


def test_a_register_call_of_another_registry_leaves_a_fresh_parser_checked(site):
    # `atexit.register(f)` names no action; a parser made here and seen by no other code keeps
    # the default registry, while one whose group goes to other code may not
    assert hal_call_lines(site, """
        import argparse
        import atexit


        def use(customise):
            atexit.register(print)
            parser = argparse.ArgumentParser()
            parser.add_argument("--name", helptext="the name")
            other = argparse.ArgumentParser()
            customise(other.add_argument_group("g"))
            other.add_argument("--token", secret=True)
            return parser.parse_args([])
    """) == ["9:HAL004"]
