"""EDGE009 for installed functions whose signature or stub says they return None sometimes.

Two real environments: the interpreter running the tests (standard library only: its answers
come from the typeshed stubs that ship with jedi, a runtime dependency of vetpy), and the pinned
environment of the hallucination tests (SQLAlchemy's own inline annotations, read at run time by
the introspection worker).  Nothing here depends on what else happens to be installed."""

from __future__ import annotations

import ast
import sys
import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from test_edge_fixes import WRAPPERS, _compose
from test_hal_support import hal_context, target_python
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.engine import check_source
from vetpy.rules import REGISTRY, load_all


@pytest.fixture(scope="module")
def stdlib_ctx(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("stdlib-project")
    (root / "helpers.py").write_text("def find_spec(name):\n    return name\n")
    (root / "pyproject.toml").write_text('[tool.vetpy]\nselect = ["HAL", "EDGE"]\n')  # EDGE009 is opt-in
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VETPY_CACHE_DIR", str(tmp_path_factory.mktemp("vetpy-cache")))
        context = hal_context(root, sys.executable)
    yield context
    context.members.close()


def none_findings(ctx: AnalysisContext, src: str, code: str = "EDGE009") -> list[tuple[int, str]]:
    text = textwrap.dedent(src)
    return [(f.line, f.message) for f in check_source(text, str(ctx.root / "app.py"), ctx) if f.code == code]


def marked(src: str) -> list[int]:
    return [i for i, line in enumerate(textwrap.dedent(src).splitlines(), 1) if line.rstrip().endswith("# !")]


STDLIB_POSITIVE = [
    """
    import xml.etree.ElementTree as ET
    def title(text):
        root = ET.fromstring(text)
        node = root.find("title")
        return node.text  # !
    """,
    """
    import xml.etree.ElementTree as ET
    def title(text):
        return ET.fromstring(text).find("title").text  # !
    """,
    """
    import importlib.util
    def origin(name):
        spec = importlib.util.find_spec(name)
        return spec.origin  # !
    """,
    """
    import http.client
    def content_type(conn: http.client.HTTPConnection):
        return conn.getresponse().getheader("Content-Type").split(";")[0]  # !
    """,
    """
    from ast import get_docstring
    def summary(tree):
        return get_docstring(tree).splitlines()[0]  # !
    """,
    """
    import xml.etree.ElementTree as ET
    def names(text):
        root = ET.fromstring(text)
        item = root.find("item")
        if item is not None:
            print(item.text)
        return item.attrib  # !
    """,
]

STDLIB_NEGATIVE = [
    """
    import xml.etree.ElementTree as ET
    def title(text):
        node = ET.fromstring(text).find("title")
        if node is None:
            raise ValueError("no title")
        return node.text
    """,
    """
    import xml.etree.ElementTree as ET
    def title(text):
        root = ET.fromstring(text)
        if (node := root.find("title")) is not None:
            return node.text
        return [n.text for n in root.findall("item")], root.findtext("title", default="")
    """,
    """
    import importlib.util
    def origin(name):
        spec = importlib.util.find_spec(name)
        return spec.origin if spec else None
    """,
    """
    import ast, os
    def f(source, path):
        tree = ast.parse(source)
        return tree.body, os.path.basename(path).upper(), os.environ.get("HOME", "/").strip()
    """,
    """
    import os
    TABLE = {"a": 1}
    def f():
        return TABLE.get("a").bit_length(), os.getenv("HOME", "/").strip()
    """,
    """
    import inspect
    def caller():
        return inspect.currentframe().f_back  # None only on Pythons without frames
    """,
    """
    import inspect
    def cache(filter):
        cls = type(filter)
        mod = inspect.getmodule(cls)  # issue #16 (xonsh): a class's module
        return (mod.__name__, cls.__name__)
    """,
    """
    from helpers import find_spec
    def f(name):
        return find_spec(name).upper()  # first-party: never judged from the environment
    """,
    """
    import xml.etree.ElementTree as ET
    def f(text):
        try:
            return ET.fromstring(text).find("title").text
        except AttributeError:
            return None
    """,
]


@pytest.mark.parametrize("src", STDLIB_POSITIVE)
def test_stdlib_optional_returns_are_flagged(stdlib_ctx, src: str) -> None:
    found = none_findings(stdlib_ctx, src)
    assert [line for line, _ in found] == marked(src), found
    assert all("declared to return" in message and "None" in message for _, message in found), found


@pytest.mark.parametrize("src", STDLIB_NEGATIVE)
def test_stdlib_look_alikes_are_silent(stdlib_ctx, src: str) -> None:
    assert none_findings(stdlib_ctx, src) == []


def test_message_quotes_the_stub(stdlib_ctx) -> None:
    [(_, message)] = none_findings(stdlib_ctx, STDLIB_POSITIVE[2])
    assert "`importlib.util.find_spec()` is declared to return `importlib.machinery.ModuleSpec | None`" in message


def test_without_environment_it_is_silent() -> None:
    src = textwrap.dedent(STDLIB_POSITIVE[0])
    assert [f for f in check_source(src, "app.py", AnalysisContext.bare(select=["EDGE"])) if f.code == "EDGE009"] == []


SNIPPETS = sorted({textwrap.dedent(s).strip("\n") for s in STDLIB_POSITIVE + STDLIB_NEGATIVE})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(SNIPPETS), min_size=1, max_size=3), st.sampled_from(WRAPPERS))
def test_checker_never_raises_with_an_environment(stdlib_ctx, parts: list[str], wrapper: str) -> None:
    src = _compose(parts, wrapper)
    try:
        ast.parse(src)
    except SyntaxError:
        return
    load_all()
    [checker] = [e.func for e in REGISTRY.checkers if "EDGE009" in e.codes]
    doc = Document(str(stdlib_ctx.root / "app.py"), src)
    for finding in checker(doc, stdlib_ctx):  # called directly: an exception fails the test
        assert finding.code.startswith("EDGE")


# -- a third-party package with inline annotations (pinned test environment) ------------------------
@pytest.fixture(scope="module")
def sqlalchemy_ctx(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("sa-project")
    (root / "pyproject.toml").write_text('[tool.vetpy]\nselect = ["HAL", "EDGE"]\n')  # EDGE009 is opt-in
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VETPY_CACHE_DIR", str(tmp_path_factory.mktemp("vetpy-cache")))
        context = hal_context(root, target_python())
    yield context
    context.members.close()


@pytest.mark.slow
def test_sqlalchemy_session_get_is_optional(sqlalchemy_ctx) -> None:
    src = """
    from sqlalchemy import select
    from sqlalchemy.orm import Session
    def name(s: Session, user_id):
        user = s.get(User, user_id)
        return user.name  # !
    def guarded(s: Session, user_id):
        user = s.get(User, user_id)
        if user is None:
            raise LookupError(user_id)
        return user.name
    def overloaded(s: Session):
        return s.scalar(select(User)).name  # overloads: the worker can't tell, silent
    """
    # a lookup by key is EDGE031 (on by default, session 33); a receiver not named a session
    # (`s`) is known to be one by its annotation, through the target environment
    found = none_findings(sqlalchemy_ctx, src, "EDGE031")
    assert [line for line, _ in found] == marked(src), found
    assert "`Session.get()` is declared to return `Optional[_O]`" in found[0][1]


def test_hal_and_edge_share_one_inference_per_analysis(stdlib_ctx, monkeypatch) -> None:
    from vetpy.resolve.infer import Inference

    built = []
    original = Inference.__init__

    def counting(self, *args, **kwargs):
        built.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(Inference, "__init__", counting)
    src = "import json\nimport xml.etree.ElementTree as ET\ndef f(t):\n    json.dumsp(t)\n    return ET.fromstring(t).find('x').text\n"
    codes = sorted(f.code for f in check_source(src, str(stdlib_ctx.root / "app.py"), stdlib_ctx))
    assert "HAL003" in codes and "EDGE009" in codes, codes
    assert len(built) == 1
    check_source(src, str(stdlib_ctx.root / "app.py"), stdlib_ctx)
    assert len(built) == 2  # a new document (a new version) gets its own


@pytest.mark.slow
def test_sqlalchemy_session_of_a_dependency_or_a_sessionmaker(sqlalchemy_ctx) -> None:
    """Issue #20 (service23's misses): a route's ``session: Session = Depends(get_session)`` (a
    decorated function, whose annotations the inference does not trust in general) and a session
    of the project's ``sessionmaker`` (``with SessionLocal() as session``) are sessions too.
    Look-alikes: a route parameter without ``Depends`` (Flask passes strings whatever the
    annotation), a dependency parameter bound again, a row fetched by a loaded row's foreign key.
    The sessions are named `s` here: a receiver named a session (`session.get(User, key)`) is a
    lookup by its name alone (EDGE031, session 33); this test is about the target environment."""
    src = """
    from fastapi import APIRouter, Depends
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session, sessionmaker

    router = APIRouter()
    SessionLocal = sessionmaker(bind=create_engine("sqlite://"))

    def get_session():
        with SessionLocal() as session:
            yield session

    @router.get("/users/{user_id}")
    def user_name(user_id: int, s: Session = Depends(get_session)):
        user = s.get(User, user_id)
        return {"name": user.name}  # !

    def render(user_id):
        with SessionLocal() as s:
            user = s.get(User, user_id)
            return user.name  # !

    @router.get("/plain/{user_id}")
    def plain(user_id: int, s: Session):
        user = s.get(User, user_id)
        return user.name

    @router.get("/rebound/{user_id}")
    def rebound(user_id: int, s: Session = Depends(get_session)):
        s = make_other()
        user = s.get(User, user_id)
        return user.name

    @router.get("/team/{user_id}")
    def team_name(user_id: int, s: Session = Depends(get_session)):
        user = s.get(User, user_id)
        if user is None:
            raise LookupError(user_id)
        team = s.get(Team, user.team_id)
        return team.name

    @router.get("/statement/{user_id}")
    def statement(user_id: int, s: Session = Depends(get_session)):
        user = s.get(User, user_id)
        return [n for n in names(user.org_id)], user.name  # !
    """
    found = none_findings(sqlalchemy_ctx, src, "EDGE031")
    assert [line for line, _ in found] == marked(src), found
