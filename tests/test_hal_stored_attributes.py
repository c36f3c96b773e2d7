"""What an installed class's own code stores on an instance, once, is known by its type (issue 15,
chains of attributes): ``self.x: T = ...`` (the declared type), ``self.x = self.make_x()`` (what
that method is annotated to return) and ``self.x = DEFAULTS.copy()`` of a module-level dict.  Each
is read like an annotated property: the value may be of a subclass, so a name is missing only when
no loaded subclass has it either.  Every "must flag" line fails when run; every look-alike runs
or is unknown."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, site_context

STORELIB = '''
from __future__ import annotations

import collections
import typing as t

if t.TYPE_CHECKING:
    from storelib.hidden import Hidden


class Settings:
    def __init__(self) -> None:
        self.debug = False

    def reload(self) -> None:
        self.debug = True


class Config(dict):
    def from_file(self, path: str) -> bool:
        return True


DEFAULTS = {"upper": str.upper}
ORDERED = collections.OrderedDict(a=1)


def load() -> Settings:
    return Settings()


class App:
    def __init__(self) -> None:
        self.settings: Settings = load()
        self.maybe: t.Optional[Settings] = None
        self.hidden: Hidden = t.cast("Hidden", None)  # its class is imported for type checkers only
        self.config = self.make_config()
        self.plain = self.make_plain()
        self.filters = DEFAULTS.copy()
        self.ordered = ORDERED.copy()
        self.twice = self.make_config()

    def make_config(self) -> Config:
        return Config()

    def make_plain(self):  # unannotated, and what it makes is not known either
        return getattr(self, "config_class", Config)()

    def reset(self) -> None:
        self.twice = Config()


class Picture:
    @property
    def size(self) -> tuple[int, int]:
        return (1, 2)

    @property
    def labels(self) -> dict[str, str]:
        return {}

    @property
    def opener(self) -> t.Callable[[], int]:
        return lambda: 1
'''

WRAPLIB = '''
import functools


def required(*names):
    """Validates what was given, then passes the call on unchanged."""
    def inner(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            given = set()
            for i, _ in enumerate(args):
                try:
                    given.add(("a", "b")[i])
                except IndexError:
                    raise TypeError("too many") from None
            for key in kwargs.keys():
                given.add(key)
            for name in names:
                if name in given:
                    break
            else:
                raise TypeError("missing")
            return func(*args, **kwargs)
        return wrapper
    return inner


def renaming(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if "old" in kwargs:
            kwargs["new"] = kwargs.pop("old")
        return func(*args, **kwargs)
    return wrapper


def forgiving(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except TypeError:  # a call the function rejects gives None
            return None
    return wrapper


class Client:
    @required("model")
    def create(self, *, model: str, messages: list) -> str:
        return model

    @renaming
    def update(self, *, new: int = 0) -> int:
        return new

    @forgiving
    def delete(self, *, key: str) -> str:
        return key
'''

FIELDLIB = '''
from __future__ import annotations

import typing as t

if t.TYPE_CHECKING:
    from fieldlib_types import Field  # for type checkers only: the annotation is a string


class classdata:
    """Reads like data on the class: what the class method it wraps returns."""

    def __init__(self, fget):
        self.fget = fget

    def __get__(self, instance, owner):
        return self.fget.__get__(instance, owner)()


class Model:
    @classdata
    @classmethod
    def fields(cls) -> t.Dict[str, Field]:
        from fieldlib_types import Field

        return {"id": Field()}

    @classdata
    @classmethod
    def names(cls) -> t.List[str]:
        return (1, 2)  # not what it says: nothing is taken from the annotation

    @property
    def size(self) -> int:
        return 1
'''

FIELDLIB_TYPES = '''
class Field:
    def __init__(self) -> None:
        self.required = True
'''

SITE = {
    "storelib/__init__.py": STORELIB,
    "fieldlib.py": FIELDLIB,
    "fieldlib_types.py": FIELDLIB_TYPES,
    "wraplib.py": WRAPLIB,
    "storelib-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: storelib\nVersion: 1.0\n",
    "storelib-1.0.dist-info/RECORD": "storelib/__init__.py,,\nstorelib-1.0.dist-info/METADATA,,\n",
}


@pytest.fixture(scope="module")
def store_ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, SITE) as context:
        yield context


@pytest.mark.slow
def test_an_attribute_declared_with_a_type_in_init_is_of_that_type(store_ctx):
    assert hal_call_lines(store_ctx, """
        from storelib import App
        app = App()
        app.settings.relaod()
        app.settings.reload()
        app.settings.debug
        app.maybe.relaod()
        app.hidden.anything()
    """) == ["4:HAL003", "7:HAL003"]


@pytest.mark.slow
def test_an_attribute_set_to_what_a_method_is_annotated_to_return(store_ctx):
    assert hal_call_lines(store_ctx, """
        from storelib import App
        app = App()
        app.config.from_json("settings.json")
        app.config.from_file("settings.json")
        app.config.update(a=1)
        app.plain.from_json("settings.json")
        app.twice.from_json("settings.json")
    """) == ["4:HAL003"]


@pytest.mark.slow
def test_an_attribute_set_to_a_copy_of_a_module_level_dict(store_ctx):
    assert hal_call_lines(store_ctx, """
        from storelib import App
        app = App()
        app.filters.register("up", str.upper)
        app.filters.update(up=str.upper)
        app.ordered.move_to_end("a")
    """) == ["4:HAL003"]


@pytest.mark.slow
def test_what_an_annotated_receiver_stores_may_differ(store_ctx):
    # a subclass of App may store another kind of object: only an App itself is followed
    assert hal_call_lines(store_ctx, """
        from storelib import App

        def use(app: App):
            app.config.from_json("settings.json")
            app.filters.register("up", str.upper)
    """) == []


@pytest.mark.slow
def test_a_called_property_declared_as_a_generic_data_type(store_ctx):
    # `-> tuple[int, int]` may give a subclass of tuple (a namedtuple): none is callable
    assert hal_call_lines(store_ctx, """
        from storelib import Picture
        pic = Picture()
        width, height = pic.size()
        pic.labels()
        pic.opener()
        width, height = pic.size

        def show(p: Picture):
            return p.size()
    """) == ["4:HAL005", "5:HAL005"]


@pytest.mark.slow
def test_a_wrapper_that_validates_then_passes_the_call_on_keeps_the_signature(store_ctx):
    # reading *args/**kwargs and raising does not change what the wrapped function is given
    assert hal_call_lines(store_ctx, """
        from wraplib import Client
        client = Client()
        client.create("gpt", [])
        client.create(model="gpt", messages=[])
        client.create(model="gpt", messages=[], stream=True)
        client.update(old=1)
        client.delete(key="k", force=True)
    """) == ["4:HAL005", "6:HAL004"]


@pytest.mark.slow
def test_a_class_descriptor_reads_as_what_its_function_is_annotated_to_return(store_ctx):
    # the annotation is a string naming a class imported for type checkers only; reading the
    # descriptor on the class gave a dict, which is what the annotation says
    assert hal_call_lines(store_ctx, """
        from fieldlib import Model

        class User(Model):
            pass

        User.fields.iteritems()
        User.fields["id"].is_required
        User.fields["id"].required
        for name, field in User.fields.items():
            field.outer_type_
        User.names.count("a")
        for n in User.names:
            n.bit_length()
        Model.size.fget
    """) == ["7:HAL003", "8:HAL003", "11:HAL003"]
