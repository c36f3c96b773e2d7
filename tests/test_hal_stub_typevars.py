"""Receivers whose type the stub gives through a str/bytes type variable (issue 15, blind corpus):
``os.path.splitext("a.txt")`` is declared ``-> tuple[AnyOrLiteralStr, AnyOrLiteralStr]``, so a
``str`` argument gives two ``str``; ``tempfile.TemporaryDirectory()`` called without arguments is
a ``TemporaryDirectory[str]`` (its first ``__init__`` overload), whose ``__enter__`` returns
``AnyStr``, a ``str``.  Beside the look-alikes that stay silent: a bytes argument reading a bytes
method, an argument of unknown type or known only from an annotation (a subclass may be passed),
a path object (``PathLike[AnyStr]``), a directory made with bytes arguments, and a factory's
result (it may be declared ``TemporaryDirectory[bytes]``)."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, site_context

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, {}) as context:  # the standard library only
        yield context


def names(context, code: str) -> list[str]:
    return hal_call_lines(context, code)  # "line:CODE" of each finding


def test_a_missing_member_of_what_splitext_gives_for_a_str_or_bytes_literal_is_reported(ctx):
    assert names(ctx, """
        import os


        def use(suffix):
            _stem, ext = os.path.splitext("report.txt")
            root, _ = os.path.splitext(b"report.txt")
            name = f"report{suffix}"
            head, tail = os.path.split(name)
            return ext.strip_prefix("."), root.encode(), tail.strip_prefix("/")
    """) == ["10:HAL003", "10:HAL003", "10:HAL003"]


def test_splitext_with_real_members_unknown_annotated_or_path_arguments_stays_silent(ctx):
    assert names(ctx, """
        import os
        import pathlib


        def use(unknown, annotated: str):
            _stem, ext = os.path.splitext("report.txt")
            root, _ = os.path.splitext(b"report.txt")
            a, b = os.path.splitext(unknown)
            c, d = os.path.splitext(annotated)
            e, f = os.path.splitext(pathlib.Path("report.txt"))
            return (ext.removeprefix("."), root.decode(), a.strip_prefix("."), b.decode(),
                    c.strip_prefix("."), e.strip_prefix("."), f.decode())
    """) == []


def test_a_missing_member_of_a_temporary_directory_entered_without_arguments_is_reported(ctx):
    assert names(ctx, """
        import tempfile


        def use():
            with tempfile.TemporaryDirectory() as tmp:
                return tmp.joinpath("x")
    """) == ["7:HAL003"]


def test_temporary_directories_with_real_members_arguments_or_from_a_factory_stay_silent(ctx):
    assert names(ctx, """
        import pathlib
        import tempfile


        def make() -> "tempfile.TemporaryDirectory[bytes]":
            return tempfile.TemporaryDirectory(suffix=b"x")


        def use():
            with tempfile.TemporaryDirectory() as tmp:
                first = pathlib.Path(tmp).joinpath("x"), tmp.startswith("/")
            with tempfile.TemporaryDirectory(suffix=b"x") as raw:
                second = raw.decode()
            with make() as made:
                third = made.decode()
            return first, second, third
    """) == []
