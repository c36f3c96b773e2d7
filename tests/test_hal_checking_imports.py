"""An instance attribute a class's code declares once with a class its module imports only for
type checking (flask's ``RequestContext.__init__``: ``self.request: Request = request``, with
``Request`` imported under ``TYPE_CHECKING``) is read as that class, found through the module
source's ``from ... import`` (issue 15, blind corpus ``ctx.request.args.getall("tag")``).  The
look-alikes stay silent: a name no import of the module gives, a name imported from a module that
does not have it, and the attribute's real members."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, pinned_context, site_context

pytestmark = pytest.mark.slow

WRAPPERS = '''
class Args:
    def get(self, key):
        return None


class Request:
    @property
    def args(self) -> Args:
        return Args()
'''

CTX = '''
from __future__ import annotations

import typing as t

if t.TYPE_CHECKING:
    from .wrappers import Ghost, Request


class RequestContext:
    def __init__(self, request):
        self.request: Request = request
        self.other: Unknown = request
        self.ghost: Ghost = request

    def __enter__(self) -> RequestContext:
        return self

    def __exit__(self, *exc):
        return None
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    files = {"ctxlib/__init__.py": "", "ctxlib/wrappers.py": WRAPPERS, "ctxlib/ctx.py": CTX}
    with site_context(tmp_path_factory, files) as context:
        yield context


names = hal_call_lines


def test_an_attribute_declared_with_a_class_imported_for_type_checking_is_that_class(ctx):
    assert names(ctx, """
        from ctxlib.ctx import RequestContext
        from ctxlib.wrappers import Request
        with RequestContext(Request()) as c:
            c.request.args.getall("x")
            c.request.args.get("x")
        plain = RequestContext(Request())
        plain.request.args.getall("x")
    """) == ["5:HAL003", "8:HAL003"]


def test_a_name_no_import_gives_or_its_module_lacks_stays_silent(ctx):
    assert names(ctx, """
        from ctxlib.ctx import RequestContext
        c = RequestContext(None)
        c.other.anything()
        c.ghost.anything()
    """) == []


@pytest.fixture(scope="module")
def pinned(tmp_path_factory: pytest.TempPathFactory):
    with pinned_context(tmp_path_factory) as context:
        yield context


def test_flasks_request_context_gives_its_request(pinned):
    assert names(pinned, """
        from flask import Flask
        app = Flask(__name__)
        with app.test_request_context("/?tag=a&tag=b") as ctx:
            ctx.request.args.getall("tag")
            ctx.request.args.getlist("tag")
    """) == ["5:HAL003"]
