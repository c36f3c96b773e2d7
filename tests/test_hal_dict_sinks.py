"""HAL004 through a ``**kwargs`` dict handed on whole to a method of ``self`` that dispatches each
key to an attribute named after it and raises for any other (matplotlib's artists:
``self._internal_update(kwargs)`` -> ``_update_props``: ``getattr(self, f"set_{k}")``), and a
``__signature__`` that leaves out the ``**kwargs`` the code takes (matplotlib's generated
``Artist.set``, which does not list the aliases it accepts).  Every "must flag" case raises
TypeError/AttributeError when run; every look-alike runs.

The package ``sinklib`` copies those shapes, small, in a bare virtual environment."""

from __future__ import annotations

import textwrap

import pytest

from test_hal_support import site_context
from vetpy.engine import check_source

pytestmark = pytest.mark.slow

CODES = ("HAL003", "HAL004", "HAL005")

SINKLIB = '''
import inspect


def aliases(table):
    def decorate(cls):
        for name, others in table.items():
            for other in others:
                setattr(cls, "set_" + other, getattr(cls, "set_" + name))
        return cls
    return decorate


class Artist:
    def __init_subclass__(cls):
        # a generated signature: each property, not its aliases (the code takes **kwargs)
        def set(self, **kwargs):
            return Artist.set(self, **kwargs)
        set.__signature__ = inspect.Signature(
            [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
            + [inspect.Parameter(n[4:], inspect.Parameter.KEYWORD_ONLY, default=None)
               for n in sorted(vars(cls)) if n.startswith("set_")])
        cls.set = set

    def __init__(self):
        self.axes = None

    def set_alpha(self, a):
        self.alpha = a

    def set(self, **kwargs):
        return self._internal_update(kwargs)

    def _update_props(self, props, errfmt):
        ret = []
        for k, v in props.items():
            if k == "axes":
                ret.append(setattr(self, k, v))
            else:
                func = getattr(self, f"set_{k}", None)
                if not callable(func):
                    raise AttributeError(errfmt.format(cls=type(self), prop_name=k))
                ret.append(func(v))
        return ret

    def _internal_update(self, kwargs):
        return self._update_props(kwargs, "{cls.__name__}.set() got an unexpected keyword argument {prop_name!r}")

    def lenient(self, props):
        for k, v in props.items():
            func = getattr(self, "set_" + k, None)
            if callable(func):  # an unknown key is skipped, not refused
                func(v)

    def guarded(self, props):
        for k, v in props.items():
            try:
                func = getattr(self, f"set_{k}", None)
                if not callable(func):
                    raise AttributeError(k)
            except AttributeError:
                continue


@aliases({"linewidth": ["lw"], "color": ["c"]})
class Patch(Artist):
    def __init__(self, *, color=None, linewidth=None, **kwargs):
        super().__init__()
        self.set_color(color)
        self.set_linewidth(linewidth)
        if len(kwargs):
            self._internal_update(kwargs)

    def set_color(self, c):
        self.color = c

    def set_linewidth(self, w):
        self.linewidth = w

    def set_hatch(self, h):
        self.hatch = h


class Rectangle(Patch):
    def __init__(self, xy, width, height, *, angle=0.0, **kwargs):
        super().__init__(**kwargs)
        self.xy = xy


class Opened(Patch):
    def __init__(self, extra=None, **kwargs):
        if extra:  # Opened(extra="set_colour", colour="r") runs: the instance has the setter
            setattr(self, extra, lambda value: None)
        super().__init__(**kwargs)


class Loose(Artist):
    def __init__(self, **kwargs):
        super().__init__()
        self.lenient(kwargs)


class Caught(Artist):
    def __init__(self, **kwargs):
        super().__init__()
        self.guarded(kwargs)


class Dynamic(Artist):
    def __init__(self, **kwargs):
        super().__init__()
        self._internal_update(kwargs)

    def __getattr__(self, name):  # any set_<name> exists
        if name.startswith("set_"):
            return lambda value: None
        raise AttributeError(name)


class Kept(Artist):
    def __init__(self, **kwargs):
        super().__init__()
        self.options = kwargs
        self._internal_update({})


class Legend:
    def __init__(self, parent, handles, labels, *, loc=None, frameon=None):
        self.loc = loc


def _parse(axs, *args, handles=None, labels=None, **kwargs):  # hands its **kwargs back
    handlers = kwargs.get("handler_map")
    if args and handles is not None:
        raise TypeError("both")
    return handles or handlers, labels, kwargs


def _parse_pop(axs, **kwargs):
    kwargs.pop("frame", None)  # takes `frame` itself
    return axs, kwargs


def _parse_maybe(axs, **kwargs):
    if not kwargs:
        return {}
    return kwargs


def legend(*args, **kwargs):
    handles, labels, kwargs = _parse([], *args, **kwargs)
    return Legend(None, handles, labels, **kwargs)


def legend_popped(**kwargs):
    axs, kwargs = _parse_pop([], **kwargs)
    return Legend(None, axs, [], **kwargs)


def legend_elsewhere(**kwargs):  # the dict handed back is not the one passed on
    handles, labels, other = _parse([], **kwargs)
    return Legend(None, handles, labels, **other)


def legend_maybe(**kwargs):
    kwargs = _parse_maybe([], **kwargs)
    return Legend(None, [], [], **kwargs)


class Session:
    def client(self, service, region_name=None, *, config=None):
        return service


class Tuned(Session):
    def client(self, service, region_name=None, *, config=None, retries=0):
        return service


DEFAULT_SESSION = None
OTHER = None
MIXED = None
PRESET = Tuned()  # bound at import to another class than the module makes later


def setup_default_session(**kwargs):
    global DEFAULT_SESSION, MIXED, PRESET
    DEFAULT_SESSION = Session(**kwargs)
    MIXED = Session()
    PRESET = Session()


def setup_mixed(tuned=False):
    global MIXED
    if tuned:
        MIXED = Tuned()


def _default_session():
    if DEFAULT_SESSION is None:
        setup_default_session()
    return DEFAULT_SESSION


def _mixed():
    return MIXED


def _preset():
    return PRESET


def client(*args, **kwargs):  # forwarded to the module's one default session
    return _default_session().client(*args, **kwargs)


def mixed_client(*args, **kwargs):
    return _mixed().client(*args, **kwargs)


def preset_client(*args, **kwargs):
    return _preset().client(*args, **kwargs)


def new_rectangle() -> Rectangle:
    return Rectangle((0, 0), 1, 1)
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, {
        "sinklib/__init__.py": SINKLIB,
        "sinklib-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: sinklib\nVersion: 1.0\n",
        "sinklib-1.0.dist-info/RECORD": "sinklib/__init__.py,,\nsinklib-1.0.dist-info/METADATA,,\n",
    }) as context:
        yield context


def found(context, code: str) -> list[tuple[int, str]]:
    text = textwrap.dedent(code)
    return [(f.line, f.code) for f in check_source(text, str(context.root / "snippet.py"), context) if f.code in CODES]


def test_keywords_no_setter_takes_are_flagged_through_the_chain(ctx):
    assert found(ctx, """
        from sinklib import Patch, Rectangle
        Rectangle((0, 0), 1, 1, colour="red")
        Patch(hatchh="/")
        Rectangle((0, 0), 1, 1, angel=3)
    """) == [(3, "HAL004"), (4, "HAL004"), (5, "HAL004")]


def test_setters_aliases_and_named_keys_are_accepted(ctx):
    assert found(ctx, """
        from sinklib import Patch, Rectangle
        Rectangle((0, 0), 1, 1, color="red", lw=2, c="b", linewidth=1, hatch="/", alpha=0.5, angle=3)
        Patch(axes=None, hatch="x")
    """) == []


def test_a_subclass_adding_a_setter_stays_silent(ctx):
    assert found(ctx, """
        from sinklib import Rectangle

        class Tinted(Rectangle):
            def set_colour(self, c):
                self.set_color(c)

        Tinted((0, 0), 1, 1, colour="red")
    """) == []


def test_sinks_that_skip_catch_or_answer_any_name_stay_open(ctx):
    assert found(ctx, """
        from sinklib import Caught, Dynamic, Kept, Loose, Opened
        Opened(extra="set_colour", colour="red")
        Loose(colour="red")
        Caught(colour="red")
        Dynamic(colour="red")
        Kept(colour="red")
    """) == []


def test_generated_signature_without_the_aliases_is_open(ctx):
    # `set`'s __signature__ lists the properties; its code takes **kwargs (aliases too)
    assert found(ctx, """
        from sinklib import Rectangle
        r = Rectangle((0, 0), 1, 1)
        r.set(lw=2)
        r.set(c="red", linewidth=3)
    """) == []


def test_annotated_receiver_of_a_self_dispatch_stays_open(ctx):
    # `-> Rectangle` may be a subclass with more setters: `set` goes through `self`
    assert found(ctx, """
        from sinklib import new_rectangle
        new_rectangle().set(colour="red")
    """) == []


def test_a_dict_handed_back_and_passed_on_is_checked_by_the_next_callee(ctx):
    assert found(ctx, """
        from sinklib import legend, legend_popped
        legend(loc="best", frame=False)
        legend(["a"], loc="best", frameon=False, handler_map={})
        legend(handles=[], labels=[])
        legend_popped(bogus=1)
    """) == [(3, "HAL004"), (6, "HAL004")]


def test_a_dict_handed_back_stays_open_unless_exactly_rebound(ctx):
    assert found(ctx, """
        from sinklib import _parse, legend_elsewhere, legend_maybe, legend_popped
        _parse([], frame=False)
        legend_popped(frame=False, loc=1)
        legend_elsewhere(frame=False)
        legend_maybe(frame=False)
    """) == []


def test_keywords_forwarded_to_a_lazily_made_module_singleton(ctx):
    assert found(ctx, """
        import sinklib
        sinklib.client("s3", region="us-east-1")
        sinklib.client("s3", region_name="us-east-1", config=None)
        sinklib.client("s3", "us-east-1")
    """) == [(3, "HAL004")]


def test_a_singleton_bound_to_more_than_one_class_stays_open(ctx):
    assert found(ctx, """
        import sinklib
        sinklib.mixed_client("s3", retries=3)
        sinklib.preset_client("s3", retries=3)
    """) == []
