"""A class whose ``__new__`` picks a subclass before making the instance takes what the
``__init__`` of one of the classes it may make takes (issue 15, recall30).

pandas' ``Grouper.__new__(cls, *args, **kwargs)`` sets ``cls = TimeGrouper`` when ``freq`` is given
and returns ``super().__new__(cls)``; pathlib's ``PurePath.__new__`` picks ``PurePosixPath`` or
``PureWindowsPath`` the same way.  ``inspect.signature`` reads ``(*args, **kwargs)``, so every
keyword looked accepted.  Python runs the made instance's ``__init__`` with the same arguments
(it is an instance of the class called: a subclass), so a keyword that no ``__init__`` of those
classes takes raises TypeError whichever is picked: reported (HAL004).  ``Grouper(key="t",
freq="D", base=2)`` raises ``Grouper.__init__() got an unexpected keyword argument 'base'``.

Look-alikes stay silent: a keyword only the picked subclass's ``__init__`` takes; one its
``**kwargs`` passes on to the base's ``__init__``; a ``__new__`` that may pick a class that is not
a subclass (its ``__init__`` does not run), or a class named by a local variable; a subclass of
the project (``__new__`` may then make an instance of another class, whose ``__init__`` Python does
not run); an ``__init__`` whose ``**kwargs`` stays open.  Positional arguments are not judged
(``*args`` may fill any of them)."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, one_package, run_with_package, site_context

pytestmark = pytest.mark.slow

SOURCE = '''
import os


class Grouper:
    def __new__(cls, *args, **kwargs):
        if kwargs.get("freq") is not None:
            from picking import Timed

            cls = Timed
        return super().__new__(cls)

    def __init__(self, key=None, level=None, freq=None, sort=False):
        self.key = key


class Timed(Grouper):
    def __init__(self, obj=None, freq="Min", key=None, closed=None, **kwargs):
        kwargs["sort"] = True
        super().__init__(freq=freq, key=key, **kwargs)
        self.closed = closed


class Pure:
    def __new__(cls, *args, **kwargs):
        if cls is Pure:
            cls = Windows if os.name == "nt" else Posix
        return object.__new__(cls)

    def __init__(self, *parts):
        self.parts = parts


class Posix(Pure):
    pass


class Windows(Pure):
    pass


class Elsewhere:
    def __init__(self, anything=None):
        self.anything = anything


class Strange:
    def __new__(cls, *args, **kwargs):
        if kwargs.get("other"):
            cls = Elsewhere
        return object.__new__(cls)

    def __init__(self, name=None):
        self.name = name


class Chosen:
    def __new__(cls, *args, **kwargs):
        picked = kwargs.get("kind") or cls
        cls = picked
        return object.__new__(cls)

    def __init__(self, kind=None):
        self.kind = kind


class Loose:
    def __new__(cls, *args, **kwargs):
        return super().__new__(cls)

    def __init__(self, name=None, **options):
        self.options = options
'''


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, one_package("picking", SOURCE)) as context:
        yield context


def test_a_keyword_no_init_of_the_classes_new_may_make_takes_is_reported(site):
    assert hal_call_lines(site, """
        from picking import Grouper, Pure, Timed


        def use():
            print(Grouper(key="t", freq="D", base=2))
            print(Pure("a", strict=True))
            return Timed(freq="D", bins=3)
    """) == ["6:HAL004", "7:HAL004", "8:HAL004"]


def test_keywords_some_picked_class_takes_and_undecided_news_stay_silent(site):
    assert hal_call_lines(site, """
        from picking import Chosen, Elsewhere, Grouper, Loose, Pure, Strange


        class Mine(Grouper):
            pass


        def use():
            print(Grouper(key="t", freq="D", closed="left", obj=None), Grouper("t", 0))
            print(Grouper(level=0, sort=True), Pure("a", "b", "c"))
            print(Strange(other=True, anything=1), Chosen(kind=Elsewhere, anything=1), Loose(name="n", anything=2))
            return Mine(freq="D", bad=1)
    """) == []


def test_the_reported_call_raises_and_the_look_alikes_run(tmp_path):
    out = run_with_package(tmp_path, "picking", SOURCE, """
        from picking import Chosen, Elsewhere, Grouper, Loose, Pure, Strange

        class Mine(Grouper):
            pass

        def use():
            print(Grouper(key="t", freq="D", closed="left", obj=None), Grouper(level=0, sort=True))
            print(Pure("a", "b"), Strange(other=True, anything=1), Loose(name="n", anything=2))
            print(Mine(freq="D", bad=1), Chosen(kind=Elsewhere, anything=1), Grouper("t", 0))
            for make in (lambda: Grouper(key="t", freq="D", base=2), lambda: Pure("a", strict=True)):
                try:
                    make()
                except TypeError as exc:
                    print("TypeError", exc)
    """)
    assert out.splitlines()[-2:] == ["TypeError Grouper.__init__() got an unexpected keyword argument 'base'",
                                     "TypeError Pure.__init__() got an unexpected keyword argument 'strict'"]
