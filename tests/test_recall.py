"""Issue 15: know what each receiver is.  Specification written by receiver KIND, before
measuring the independent corpus: for each way a receiver is obtained, what must be reported
(the receiver is certain and the name is missing in the installed package) and the look-alike
that runs and must stay silent.  Checked against the REAL pinned packages (test_hal_support)."""

from __future__ import annotations

import textwrap

import pytest

from test_hal_support import hal_context, target_python
from vetpy.engine import check_source

pytestmark = pytest.mark.slow
HAL = ("HAL003", "HAL004", "HAL005")


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    python = target_python()
    root = tmp_path_factory.mktemp("project")
    (root / "pyproject.toml").write_text("[project]\nname = 'demo'\nversion = '0'\n")
    with pytest.MonkeyPatch.context() as mp:  # only while building: the index keeps its cache root
        mp.setenv("VETPY_CACHE_DIR", str(tmp_path_factory.mktemp("vetpy-cache")))
        context = hal_context(root, python)
    yield context
    context.members.close()


def found(ctx, code: str) -> list[tuple[int, str, str]]:
    """(line, code, missing name or keyword) of every HAL finding; lines of the dedented text."""
    text = textwrap.dedent(code)
    out = []
    for f in check_source(text, str(ctx.root / "snippet.py"), ctx):
        if f.code in HAL:
            out.append((f.line, f.code, f.message))
    return out


def flagged_lines(ctx, code: str) -> list[int]:
    return sorted(line for line, _code, _message in found(ctx, code))


def marked(code: str, mark: str = "# FLAG") -> list[int]:
    return [i for i, line in enumerate(textwrap.dedent(code).splitlines(), 1) if line.rstrip().endswith(mark)]


def check(ctx, code: str) -> None:
    """Every line ending in ``# FLAG`` gets a finding; no other line does."""
    assert flagged_lines(ctx, code) == marked(code), found(ctx, code)


# -- with targets: what __enter__ gives (stub overloads picked by the call) ------------------

def test_with_open_text_and_binary_modes(ctx):
    check(ctx, """
        def f(path, mode):
            with open(path) as fh:
                fh.readLines()  # FLAG
            with open(path, "w", encoding="utf-8") as out:
                out.writeline("x")  # FLAG
            with open(path, "rb") as raw:
                raw.readLines()  # FLAG
            with open(path) as ok:
                ok.readlines(), ok.mode, ok.name, ok.encoding
            with open(path, mode) as unknown_mode:
                unknown_mode.readLines()
            open(path).readLines()  # FLAG
    """)


def test_data_the_compiled_io_code_stores_is_known(ctx):
    # TextIOWrapper has an instance __dict__, but the compiled _io code stores only open()'s
    # `mode`, FileIO's `name` and IOBase's close flag there (checked by running on CPython 3.6 to
    # 3.13: _worker_compiled_dicts.py): any other name the class lacks is missing, read or called
    # (it was taken as possible data before recall27); a name this file stores stays silent
    check(ctx, """
        def f(path):
            with open(path) as fh:
                print(fh.mode, fh.name)
                print(fh.custom_tag)  # FLAG
                fh.custom_call()  # FLAG
                fh.stored = 1
                print(fh.stored)
    """)


def test_a_compiled_class_storing_keywords_as_attributes_stays_open(ctx):
    # SimpleNamespace(run=f) stores its keywords in its __dict__: `ns.run()` works
    check(ctx, """
        import types

        ns = types.SimpleNamespace(run=lambda: 1)
        ns.run()
        try:
            raise ValueError("x")
        except ValueError as exc:
            exc.handler()
    """)


def test_with_sqlite3_connection_self_from_the_stub(ctx):
    check(ctx, """
        import sqlite3

        def f():
            with sqlite3.connect(":memory:") as conn:
                conn.execute("select 1").fetchall()
                conn.executee("select 1")  # FLAG
    """)


def test_sqlite3_connect_with_a_factory_is_not_a_plain_connection(ctx):
    check(ctx, """
        import sqlite3

        def f(MyConnection):
            with sqlite3.connect(":memory:", factory=MyConnection) as conn:
                conn.my_helper()
    """)


# -- factories: classmethods returning an instance of the class they are called on ----------

def test_classmethod_returning_cls_instance(ctx):
    check(ctx, """
        import fractions
        fractions.Fraction.from_float(1.5).limit_denominatorr()  # FLAG
        fractions.Fraction.from_float(1.5).limit_denominator(10)
    """)


def test_classmethod_of_a_local_subclass_stays_unknown(ctx):
    check(ctx, """
        import fractions

        class Mine(fractions.Fraction):
            def half(self):
                return self / 2

        Mine.from_float(1.5).half()
    """)


# -- helper returns: what the body of this file's function returns ---------------------------

def test_helper_return_inferred_from_its_body(ctx):
    check(ctx, """
        import requests
        import numpy as np

        def fetch(url):
            resp = requests.get(url)
            return resp

        def zeros() -> np.ndarray:
            return np.zeros(3)

        fetch("u").getStatusMessage()  # FLAG
        # annotated `np.ndarray`: it may be a `numpy.ma.MaskedArray`, whose attribute set is open
        # (found whether or not the worker imported `numpy.ma` before: test_subclass_history.py)
        zeros().to_list()
        fetch("u").json(), zeros().tolist()
    """)


def test_helper_whose_returns_disagree_or_fall_back_is_unknown(ctx):
    check(ctx, """
        import requests

        def fetch(url, cached):
            if cached:
                return cached[url]
            return requests.get(url)

        def gen(url):
            yield requests.get(url)

        fetch("u", {}).getStatusMessage()
        gen("u").send(None)
    """)


# -- loops and unpacking: element types -----------------------------------------------------

def test_loop_elements_of_annotated_collections(ctx):
    check(ctx, """
        from typing import Iterator
        import pathlib
        import requests

        def responses() -> Iterator[requests.Response]:
            yield requests.get("u")

        def f(rows: list[requests.Response], by_name: dict[str, pathlib.Path]):
            for r in rows:
                r.getStatusMessage()  # FLAG
            for n, r2 in enumerate(rows):
                r2.status_code, n.bit_length()
            for name, p in by_name.items():
                p.exists_now()  # FLAG
                name.startswith("x")
            for p2 in by_name.values():
                p2.exists()
            for r3 in responses():
                r3.json_body()  # FLAG
            rows[0].getStatusMessage()  # FLAG
            by_name["x"].exists_now()  # FLAG
    """)


def test_loop_over_an_iterator_class_that_only_the_stub_declares(ctx):
    """``os.scandir`` returns typeshed's ``_ScandirIterator``, a class with no importable name at
    run time: iterating it gives what its stub's ``__next__`` says (``DirEntry``, a runtime class),
    also as the ``with`` target (``__enter__ -> Self``).  Its own members are never checked: the
    runtime class is not known by name."""
    check(ctx, """
        import os
        import re

        def f(path):
            for entry in os.scandir(path):
                entry.suffix  # FLAG
                entry.name.upper(), entry.path, entry.is_dir(), entry.stat().st_size, entry.inode()
            with os.scandir(path) as it:
                for entry in it:
                    entry.is_regular_file()  # FLAG
                it.close()
                it.not_a_member_but_unchecked
            os.scandir(path).close()
            os.scandir(path).anything_unchecked
            for root, dirs, files in os.walk(path):
                root.upper()
            for match in re.finditer("a", "aa"):
                match.group(0)
    """)


def test_tuple_unpacking_of_an_annotated_return(ctx):
    check(ctx, """
        import requests

        def pair() -> tuple[requests.Response, int]:
            return requests.get("u"), 1

        def f():
            resp, code = pair()
            resp.getStatusMessage()  # FLAG
            code.bit_length()
            first, *rest = pair()
            first.getStatusMessage()
    """)


def test_unpacking_position_must_match_the_tuple(ctx):
    check(ctx, """
        import requests

        def triple() -> tuple[requests.Response, int, str]:
            return requests.get("u"), 1, "x"

        def f():
            a, b = triple()
            a.getStatusMessage()
    """)


def test_a_mutated_collection_forgets_what_it_held(ctx):
    check(ctx, """
        import pathlib
        import requests

        def f(extra):
            items = [requests.get("u")]
            items.append(pathlib.Path("x"))
            for item in items:
                item.exists()
            fresh = [requests.get("u")]
            for response in fresh:
                response.getStatusMessage()  # FLAG
            table = {"a": requests.get("u")}
            table["b"] = extra
            table["b"].anything()
            shared = [requests.get("u")]
            extra(shared)
            shared[0].anything()
    """)


def test_mixed_literal_elements_are_unknown(ctx):
    check(ctx, """
        import requests
        import pathlib

        for x in [requests.get("u"), pathlib.Path("p")]:
            x.exists()
    """)


# -- keywords forwarded through **kwargs -----------------------------------------------------

def test_keywords_forwarded_into_a_with_target_method(ctx):
    check(ctx, """
        import requests
        requests.get("u", retries=3)  # FLAG
        requests.post("u", verify_ssl=False)  # FLAG
        requests.get("u", timeout=3, verify=False, allow_redirects=True, headers={})
        requests.request("GET", "u", stream=True)
    """)


# -- methods of compiled classes: signatures and returns ------------------------------------

def test_builtin_method_arity_and_keywords(ctx):
    check(ctx, """
        d = {"a": 1}
        d.get("a", 0, 1)  # FLAG
        d.get("a", 0)
        "a,b".split(",", maxsplit=1)
        "a,b".split(",", max_split=1)  # FLAG
        [3, 1].sort(key=None, reverse=True)
    """)


# -- generic returns of installed code: stubs and runtime annotations -----------------------

def test_elements_of_generic_stub_returns(ctx):
    check(ctx, """
        import pathlib
        import re
        import zipfile

        def f(z: zipfile.ZipFile, text: str):
            for p in pathlib.Path(".").iterdir():
                p.exists_now()  # FLAG
            for info in z.infolist():
                info.file_sizee  # FLAG
                info.file_size
            for part in text.split(","):
                part.strp()  # FLAG
                part.strip()
            for m in re.finditer("a", text):
                m.groupp()  # FLAG
                m.group(0)
    """)


def test_iterating_an_instance_gives_what_next_returns(ctx):
    check(ctx, """
        def f(path, text: str):
            for line in open(path):
                line.strp()  # FLAG
                line.strip()
            for ch in text:
                ch.upperr()  # FLAG
    """)


def test_protocol_elements_are_not_a_class(ctx):
    # DataFrame.__iter__ yields Hashable labels: a column label may be a str (or anything)
    check(ctx, """
        import pandas as pd

        def f(df: pd.DataFrame):
            for col in df:
                col.lower()
            for key in df.keys():
                key.lower()
    """)


def test_compiled_classes_with_the_generic_attribute_lookup_are_closed(ctx):
    # datetime.date sets CPython's generic lookup explicitly (a slot wrapper in its __dict__);
    # a proxy's custom lookup (weakref.proxy) stays open
    check(ctx, """
        import datetime
        import weakref

        datetime.date.today().to_string()  # FLAG
        datetime.datetime.now().isoformatt()  # FLAG
        datetime.date.today().isoformat()

        class Box:
            pass

        box = Box()
        weakref.proxy(box).anything()
    """)


# -- attribute chains: annotated fields of installed classes ---------------------------------

def test_chain_through_annotated_fields_of_an_installed_dataclass(ctx):
    check(ctx, """
        import pstats

        def f(p: pstats.StatsProfile):
            p.func_profiles["x"].tottimee  # FLAG
            p.func_profiles["x"].tottime
            for name, prof in p.func_profiles.items():
                prof.ncallss  # FLAG
                name.upper()
    """)


def test_a_float_annotation_may_hold_an_int(ctx):
    check(ctx, """
        import pstats

        def f(p: pstats.StatsProfile, ratio: float):
            p.total_tt.bit_length()
            ratio.bit_length()
    """)


def test_classmethod_returning_a_name_bound_to_cls(ctx):
    # ZipInfo.from_file: `zinfo = cls(arcname, date_time); ...; return zinfo`
    check(ctx, """
        import zipfile
        zipfile.ZipInfo.from_file("a.txt").compres_type  # FLAG
        zipfile.ZipInfo.from_file("a.txt").compress_type
    """)


def test_keywords_forwarded_through_self_methods(ctx):
    # Session.get(url, **kw) -> self.request("GET", url, **kw): closed for a Session itself
    check(ctx, """
        import logging
        import requests

        session = requests.Session()
        session.get("u", retries=3)  # FLAG
        session.get("u", timeout=3, stream=True)
        logging.getLogger("x").info("m", colour=1)  # FLAG
        logging.getLogger("x").info("m", exc_info=True, extra={}, stacklevel=2)
    """)


def test_keywords_forwarded_through_self_stay_open_for_subclasses(ctx):
    # an annotated receiver may be a subclass whose override of the target takes more
    check(ctx, """
        import requests

        class Retrying(requests.Session):
            def request(self, method, url, retries=0, **kwargs):
                return super().request(method, url, **kwargs)

        def fetch(session: requests.Session):
            session.get("u", retries=3)

        Retrying().get("u", retries=3)
    """)


def test_protocol_annotations_say_nothing_of_other_members(ctx):
    # a parameter annotated IO[str] or Mapping may be a TextIOWrapper, a dict ...: they have more
    check(ctx, """
        from typing import IO, Mapping

        def f(fh: IO[str], table: Mapping[str, int], plain: IO):
            fh.reconfigure(encoding="utf-8")
            table.copy()
            plain.reconfigure()
            for line in fh:
                line.strp()
    """)


# -- with targets of context-manager functions, async with, decorators that keep the result ---

def test_contextmanager_function_target_is_what_it_yields(ctx):
    check(ctx, """
        import contextlib
        from pathlib import Path
        from typing import Iterator, Generator
        from sqlalchemy import create_engine, text

        @contextlib.contextmanager
        def opened(p) -> Iterator[Path]:
            yield Path(p)

        @contextlib.contextmanager
        def session(p) -> Generator[Path, None, None]:
            yield Path(p)

        def f(p):
            with opened(p) as q:
                q.exists_now()  # FLAG
                q.exists()  # the yielded Path, not the manager: runs
            with session(p) as s:
                s.read_txt()  # FLAG
            with create_engine("sqlite://").begin() as conn:
                conn.rollback_all()  # FLAG
                conn.execute(text("select 1"))  # a Connection (not the Engine): runs
        """)


def test_contextmanager_without_a_yield_type_gives_what_it_yields(ctx):
    """No return annotation: the with-target is what the generator yields (resolve/yielded.py;
    both lines fail at run time: AttributeError, and TypeError for `with` of an async manager)."""
    check(ctx, """
        import contextlib
        from pathlib import Path

        @contextlib.contextmanager
        def opened(p):
            yield Path(p)

        @contextlib.asynccontextmanager
        async def aopened(p):
            yield Path(p)

        def f(p):
            with opened(p) as q:
                q.anything()  # FLAG
            with aopened(p) as r:  # FLAG
                r.anything()
        """)


def test_async_with_target_is_what_aenter_gives(ctx):
    check(ctx, """
        import asyncio
        import contextlib
        from pathlib import Path
        from typing import AsyncIterator

        @contextlib.asynccontextmanager
        async def aopened(p) -> AsyncIterator[Path]:
            yield Path(p)

        async def f(p):
            async with asyncio.timeout(1) as t:
                t.expired_at()  # FLAG
                t.reschedule(None)
            async with aopened(p) as q:
                q.exists_now()  # FLAG
                q.exists()
        """)


def test_async_with_of_an_annotated_manager_stays_unknown(ctx):
    check(ctx, """
        import asyncio

        async def f(t: asyncio.Timeout, lock: asyncio.Lock):
            async with t as entered:  # a subclass may enter another way
                entered.anything()
            async with lock as held:  # __aenter__ gives None here: nothing to say
                held.anything()
        """)


def test_decorator_with_functools_wraps_keeps_the_return(ctx):
    check(ctx, """
        import functools
        from pathlib import Path

        def logged(fn):
            @functools.wraps(fn)
            def wrapper(*args, **kwargs):
                print(fn.__name__)
                return fn(*args, **kwargs)
            return wrapper

        def retry(times):
            def decorator(fn):
                @functools.wraps(fn)
                def inner(*a, **kw):
                    for _ in range(times):
                        try:
                            return fn(*a, **kw)
                        except OSError:
                            pass
                    return fn(*a, **kw)
                return inner
            return decorator

        @logged
        def home() -> Path:
            return Path("/")

        @retry(3)
        def other() -> Path:
            return Path("/")

        def use():
            home().exists_now()  # FLAG
            other().exists_now()  # FLAG
            home().exists()
        """)


def test_decorator_that_changes_the_result_stays_unknown(ctx):
    check(ctx, """
        import functools
        from pathlib import Path

        def as_text(fn):
            @functools.wraps(fn)
            def wrapper(*args, **kwargs):
                return str(fn(*args, **kwargs))
            return wrapper

        def swapped(fn):
            @functools.wraps(fn)
            def wrapper(*args, **kwargs):
                return fn(*args, **kwargs)
            fn = print
            return wrapper

        def plain(fn):
            def wrapper(*args, **kwargs):
                return fn(*args, **kwargs)
            return wrapper

        @as_text
        def a() -> Path:
            return Path("/")

        @swapped
        def b() -> Path:
            return Path("/")

        @plain
        def c() -> Path:
            return Path("/")

        def use():
            a().upper()
            b().anything()
            c().exists()
        """)


def test_property_of_a_class_of_this_file_gives_its_getter_return(ctx):
    check(ctx, """
        import functools
        from pathlib import Path

        class Config:
            def __init__(self, root):
                self.root = root
                self._other = None

            @property
            def home(self) -> Path:
                return Path(self.root)

            @functools.cached_property
            def data(self):
                return Path(self.root)

            @property
            def other(self):
                return self._other

            @other.setter
            def other(self, value):
                self._other = value

            def use(self):
                self.home.exists_now()  # FLAG
                self.data.exists_now()  # FLAG
                self.home.exists()
                self.other.anything()

        def outside(root):
            Config(root).home.exists_now()  # FLAG
        """)


# -- pydantic models of this file: their attribute set is closed unless extra="allow" ------------

def test_pydantic_model_of_this_file_members_keywords_and_arity(ctx):
    check(ctx, """
        from pydantic import BaseModel, ConfigDict, PrivateAttr

        class User(BaseModel):
            model_config = ConfigDict(frozen=True, extra="forbid")
            id: int
            name: str = "anon"
            _token: str = PrivateAttr(default="")

            def label(self) -> str:
                return f"{self.id}:{self.name}"

        def load(data: dict) -> User:
            return User.model_validate(data)

        def f(data):
            user = User(id=1)
            user.fields  # FLAG
            user.to_dict()  # FLAG
            user.model_dump(skip_defaults=True)  # FLAG
            User.model_validate_file("u.json")  # FLAG
            User(1, "ann")  # FLAG
            load(data).model_dump_yaml()  # FLAG
            user.name, user._token, user.label(), user.model_dump(exclude_defaults=True)
            User.model_validate(data).model_fields_set
            return User(id=2, name="b")
        """)


def test_pydantic_models_that_take_other_names_stay_open(ctx):
    check(ctx, """
        from pydantic import BaseModel, ConfigDict

        class Loose(BaseModel):
            model_config = ConfigDict(extra="allow")
            id: int

        class Keyword(BaseModel, extra="allow"):
            id: int

        class Old(BaseModel):
            id: int

            class Config:
                extra = "allow"

        class Dynamic(BaseModel):
            id: int

            def __getattr__(self, name):
                return name

        class Forced(BaseModel):
            id: int

            def model_post_init(self, context):
                object.__setattr__(self, "cache", {})

        EXTRA = "allow"

        class Computed(BaseModel):
            model_config = ConfigDict(extra=EXTRA)
            id: int

        def f():
            Loose(id=1, colour="red").colour
            Keyword(id=1, colour="red").colour
            Old(id=1, colour="red").colour
            Dynamic(id=1).anything
            Forced(id=1).cache
            Computed(id=1, colour="red").colour

        class Custom(BaseModel):
            id: int

            def __init__(self, id, **data):
                super().__init__(id=id, **data)

        def g():
            return Custom(1)  # its own __init__ takes a positional argument
        """)


# -- installed decorators: what their declared result is ---------------------------------------

def test_installed_decorator_declared_to_give_an_instance(ctx):
    check(ctx, """
        import functools
        import click
        from flask import Flask

        app = Flask(__name__)

        @click.group()
        def cli():
            pass

        @app.route("/")
        def index():
            return "x"

        @functools.lru_cache(maxsize=None)
        def square(n: int) -> int:
            return n * n

        def f():
            cli.add_subcommand(index)  # FLAG
            cli.add_command(index)
            index.anything  # the route decorator gives the function back (a TypeVar): unknown
            square(2).bit_lenth()  # FLAG
            square.cache_clear()
        """)


# -- dataclasses of this file: the generated __init__ ----------------------------------------

def test_dataclass_of_this_file_constructor_keywords_and_arity(ctx):
    check(ctx, """
        import dataclasses
        from dataclasses import KW_ONLY, dataclass, field
        from typing import ClassVar

        @dataclass
        class Job:
            name: str
            retries: int = field(default=1)
            tags: list = field(default_factory=list)
            started: float = field(init=False, default=0.0)
            registry: ClassVar[dict] = {}
            _: KW_ONLY
            timeout: int = 5

        @dataclasses.dataclass(frozen=True, kw_only=True)
        class Options:
            verbose: bool

        def f():
            Job("a", retry=3)  # FLAG
            Job("a", 1, [], 2.0)  # FLAG
            Job("a", started=1.0)  # FLAG
            Job()  # FLAG
            Options(True)  # FLAG
            Job("a", 1, [], timeout=3)
            Job(name="a", retries=2, tags=["x"])
            Options(verbose=False)
        """)


def test_dataclass_whose_init_is_not_the_generated_one_stays_open(ctx):
    check(ctx, """
        from dataclasses import dataclass, field

        @dataclass(init=False)
        class Manual:
            name: str

            def __init__(self, *parts, **extra):
                self.name = "".join(parts)

        @dataclass
        class Own:
            name: str

            def __init__(self, name, colour="red"):
                self.name = name

        @dataclass
        class Base:
            name: str

        @dataclass
        class Child(Base):
            age: int = 0

        def transform(cls):
            return cls

        @transform
        class Other:
            name: str

        @dataclass
        class Quoted:
            name: "ClassVar[str]"

        def f():
            Manual("a", "b", colour=1)
            Own("a", colour="blue")
            Child("a", 3)
            Other(anything=1)
            Quoted()
        """)


def test_callable_objects_are_checked_against_their_call_signature(ctx):
    check(ctx, """
        import builtins

        def f():
            builtins.exit(status=1)  # FLAG
            builtins.copyright(1)  # FLAG
            builtins.exit(code=0)
            builtins.exit(0)
            builtins.help(len)  # __call__(self, *args, **kwds): open
        """)


def test_items_of_annotated_sequences_and_mappings(ctx):
    check(ctx, """
        from pathlib import Path
        from typing import Mapping, Sequence

        def f(seq: Sequence[Path], table: Mapping[str, Path], fixed: tuple[Path, ...], i: int):
            seq[0].exists_now()  # FLAG
            table["a"].exists_now()  # FLAG
            fixed[i].exists_now()  # FLAG
            seq[1:].index(Path("/"))  # a slice is a Sequence again, not an item
            seq[-1].exists()
        """)


def test_instance_attribute_its_class_assigns_once_to_a_new_instance(ctx):
    check(ctx, """
        import queue
        import requests

        def f(given: queue.Queue):
            q = queue.Queue()
            q.not_empty.notify_everyone()  # FLAG
            q.not_empty.notify_all()
            given.not_empty.notify_everyone()  # a subclass of Queue may store another thing
            requests.Response().headers.getlist("x")  # requests' adapters also assign `response.headers`
            requests.Session().hooks.anything  # made by a function, not a class
        """)


def test_a_manager_annotated_as_an_abstract_base_enters_as_its_argument(ctx):
    check(ctx, """
        import click

        def f():
            with click.termui.raw_terminal() as fd:  # -> AbstractContextManager[int]: some subclass
                fd.bit_length()  # an int, not the abstract base's `return self`
                fd.bit_lenth()  # FLAG
        """)


def test_pydantic_1_models_are_not_followed(ctx):
    # pydantic 1's generated signature lists the fields (BaseModel's own: none); the pinned
    # environment has pydantic 2, so this guards only the constructor's signature source:
    # BaseModel.__init__(self, /, **data), keywords open
    check(ctx, """
        from pydantic import BaseModel

        class Frame(BaseModel):
            timestamp: int

        def f():
            Frame(timestamp=1, requests=2)  # extra="ignore": unknown keywords are dropped
            Frame(1)  # FLAG
        """)
