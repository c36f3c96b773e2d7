"""HAL004 through ``**kwargs`` forwarded to a method of a local bound once to the result of a
getter with a declared return (issue 15, kwargs-forward): aiohttp's ``UrlDispatcher.add_get``
does ``resource = self.add_resource(path)`` (declared ``-> Resource``, an abstract class) and then
``resource.add_route(..., **kwargs)``.  Every "must flag" call fails with TypeError when run;
every look-alike runs, or its receiver is not known from a declaration."""

from __future__ import annotations

import textwrap

import pytest

from test_hal_support import hal_call_lines, one_package, site_context

pytestmark = pytest.mark.slow

FWDLOCAL = '''
import abc


class Resource(abc.ABC):  # abstract: an instance is of a subclass, none of which overrides add_route
    @abc.abstractmethod
    def url(self):
        ...

    def add_route(self, method, handler, *, expect_handler=None):
        return method, handler


class Plain(Resource):
    def url(self):
        return "/"


class Loose(abc.ABC):  # a subclass of the package overrides add_route: it may take more
    @abc.abstractmethod
    def url(self):
        ...

    def add_route(self, method, handler, *, expect_handler=None):
        return method


class LooseImpl(Loose):
    def url(self):
        return "/"

    def add_route(self, method, handler, *, expect_handler=None, name=None):
        return method


class Router:
    def add_resource(self, path) -> Resource:
        return Plain()

    def add_get(self, path, handler, *, allow_head=True, **kwargs):  # aiohttp's UrlDispatcher.add_get
        resource = self.add_resource(path)
        if allow_head:
            resource.add_route("HEAD", handler, **kwargs)
        return resource.add_route("GET", handler, **kwargs)

    def add_loose(self, path) -> Loose:
        return LooseImpl()

    def add_get_loose(self, path, handler, **kwargs):
        resource = self.add_loose(path)
        return resource.add_route("GET", handler, **kwargs)

    def add_untyped(self, path):  # no declaration, and not always one class
        if path == "/":
            return Any_()
        return Plain()

    def add_get_untyped(self, path, handler, **kwargs):
        resource = self.add_untyped(path)
        return resource.add_route("GET", handler, **kwargs)

    def add_get_swapped(self, path, handler, **kwargs):  # `self` rebound: not the router's method
        self = Other()
        resource = self.add_resource(path)
        return resource.add_route("GET", handler, **kwargs)


class Any_:
    def add_route(self, method, handler, **options):
        return options


class Other:
    def add_resource(self, path):
        return Any_()


RESOURCES = [Plain()]


def make_resource(path) -> Resource:
    return RESOURCES[-1]


def add_get(path, handler, **kwargs):  # a module function: the local comes from a declared getter
    resource = make_resource(path)
    return resource.add_route("GET", handler, **kwargs)
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, one_package("fwdlocal", FWDLOCAL)) as context:
        yield context



def test_keywords_followed_to_a_local_bound_from_a_declared_getter(ctx):
    """``self.add_resource()`` and the module's ``make_resource()`` are declared to return
    ``Resource``; no subclass of the package overrides ``add_route``, which takes no ``methods``."""
    assert hal_call_lines(ctx, """
        import fwdlocal
        fwdlocal.Router().add_get("/", print, methods=["GET"])
        fwdlocal.add_get("/", print, methods=["GET"])
    """) == ["3:HAL004", "4:HAL004"]


def test_keywords_the_declared_method_takes_are_silent(ctx):
    assert hal_call_lines(ctx, """
        import fwdlocal
        fwdlocal.Router().add_get("/", print, expect_handler=None)
        fwdlocal.add_get("/", print, expect_handler=None)
    """) == []


def test_a_subclass_override_or_an_undeclared_getter_keeps_the_keywords_open(ctx):
    """``LooseImpl.add_route`` (a subclass of the declared ``Loose``) takes ``name``; ``add_untyped``
    declares nothing; ``add_get_swapped`` rebinds ``self`` to another object."""
    assert hal_call_lines(ctx, """
        import fwdlocal
        fwdlocal.Router().add_get_loose("/", print, name="x")
        fwdlocal.Router().add_get_untyped("/", print, name="x")
        fwdlocal.Router().add_get_swapped("/", print, name="x")
    """) == []


def test_a_project_subclass_overriding_the_getter_keeps_the_keywords_open(ctx):
    """The project's router returns another resource, whose ``add_route`` takes any keyword."""
    assert hal_call_lines(ctx, """
        import fwdlocal

        class Mine(fwdlocal.Router):
            def add_resource(self, path):
                return fwdlocal.Any_()

        Mine().add_get("/", print, name="x")
    """) == []


def test_a_project_class_defining_the_method_keeps_the_keywords_open(tmp_path_factory):
    """The getter may return an instance of a project subclass whose ``add_route`` takes more."""
    with site_context(tmp_path_factory, one_package("fwdlocal", FWDLOCAL)) as context:
        (context.root / "resources.py").write_text(textwrap.dedent("""
            import fwdlocal

            class Mine(fwdlocal.Resource):
                def url(self):
                    return "/"

                def add_route(self, method, handler, **options):
                    return options

            fwdlocal.RESOURCES.append(Mine())
        """))
        assert hal_call_lines(context, "import fwdlocal\nfwdlocal.add_get('/', print, methods=['GET'])\n") == []
