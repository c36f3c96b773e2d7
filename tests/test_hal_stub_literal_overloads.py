"""Overloads a str or bytes literal argument selects (issue 15, blind2 corpus): typeshed declares
``shutil.which(cmd: StrPath) -> str | None`` beside ``which(cmd: bytes) -> bytes | None``, and a
branch ``if sys.platform == "win32" and sys.version_info < (3, 12)`` that no 3.12 target takes.
A ``str`` literal (or f-string) is certainly not taken by a parameter annotated only ``bytes``
(``bytes | int``, ``None``), so ``which("sh")`` gives a ``str``; a version test inside ``and`` /
``or`` decides the branch when the version alone decides it.  Beside the look-alikes that stay
silent: a bytes literal reading a bytes method, an argument of unknown type, the list an overload
taking a type variable gives.  (A name bound to a string is read since argument_overloads.py.)"""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, one_package, site_context

pytestmark = pytest.mark.slow

SOURCE = '''
import os


def find(cmd, mode=1):
    return os.environ.get(cmd)


def pick(value):
    return os.environ.get(value)


def gated(value):
    return os.environ.get(value)
'''

STUB = '''
import sys
from typing import AnyStr, NoReturn, overload

if sys.platform == "win32" and sys.version_info < (3, 0):
    @overload
    def find(cmd: int, mode: int = 1) -> NoReturn: ...

@overload
def find(cmd: str, mode: int = 1) -> str | None: ...
@overload
def find(cmd: bytes, mode: int = 1) -> bytes | None: ...

@overload
def pick(value: AnyStr) -> list[AnyStr]: ...
@overload
def pick(value: int) -> dict[str, int]: ...

if sys.version_info >= (3, 0) or sys.platform == "win32":
    def gated(value: str) -> str: ...
else:
    def gated(value: str) -> bytes: ...
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    files = one_package("fakefind", SOURCE)
    files["fakefind/__init__.pyi"] = STUB
    with site_context(tmp_path_factory, files) as context:
        yield context


def test_the_overload_a_str_or_bytes_literal_selects_gives_the_receiver(ctx):
    assert hal_call_lines(ctx, """
        import fakefind


        def use(prefix):
            command = "sh"
            fakefind.find(command).exists()  # a name bound to a str: argument_overloads reads its class
            found = fakefind.find("sh")
            if found:
                found.exists()
            fakefind.find(f"{prefix}sh").is_file()
            fakefind.find(b"sh").exists()
            fakefind.find("sh", 1).exists()
    """) == ["7:HAL003", "10:HAL003", "11:HAL003", "12:HAL003", "13:HAL003"]


def test_real_members_unknown_arguments_and_undecided_parameters_stay_silent(ctx):
    assert hal_call_lines(ctx, """
        import fakefind


        def use(name, annotated: str):
            command = "sh"
            found = fakefind.find("sh")
            if found:
                found.upper()
            fakefind.find(b"sh").decode()
            fakefind.find(name).exists()
            fakefind.find(annotated).exists()
            fakefind.pick("a").append("b")
    """) == []


def test_a_version_test_inside_or_and_decides_the_branch(ctx):
    assert hal_call_lines(ctx, """
        import fakefind


        def use():
            fakefind.gated("a").decode()
            return fakefind.gated("a").upper()
    """) == ["6:HAL003"]
