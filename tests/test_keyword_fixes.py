"""Fixes that add a keyword argument to a call (``rules/call_edits.insert_keyword``): SEC030
(``httponly=True``), SEC026 (``filter="data"``), SEC014 (``autoescape=select_autoescape()``),
SEC007 (``algorithms=["HS256"]``), EDGE003 (``timeout=``) and EDGE010 (``default=None``).

Specification. The keyword goes after the last argument: past the parentheses around it
(``f((a))``), before a trailing comma and a comment (multi-line calls keep both), after
``*args``/``**kwargs``; into empty parentheses as is; no fix when the call's closing parenthesis
is not where its node ends or its only argument is a generator without its own parentheses.
Property: for every argument list, each fix parses, removes its finding and adds no finding."""

from __future__ import annotations

import ast
import collections
import textwrap

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vetpy import codes
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.engine import check_source
from vetpy.findings import TextEdit, apply_edits
from vetpy.rules.call_edits import insert_keyword

CTX = AnalysisContext.bare(select=sorted(codes.default_codes() | {"EDGE003", "EDGE010"}))


def _insert(src: str) -> str | None:
    doc = Document("m.py", src)
    assert doc.tree is not None
    call = next(n for n in ast.walk(doc.tree) if isinstance(n, ast.Call))
    edit = insert_keyword(doc, call, "k=1")
    return None if edit is None else apply_edits(src, [edit])


def test_the_keyword_goes_after_the_last_argument() -> None:
    assert _insert("f(a)\n") == "f(a, k=1)\n"
    assert _insert("f()\n") == "f(k=1)\n"
    assert _insert("f(a, )\n") == "f(a, k=1, )\n"
    assert _insert("f((a))\n") == "f((a), k=1)\n"  # not inside the argument's parentheses: f((a, k=1))
    assert _insert("f(*a)\n") == "f(*a, k=1)\n"
    assert _insert("f(**kw)\n") == "f(**kw, k=1)\n"
    assert _insert("f((x for x in y))\n") == "f((x for x in y), k=1)\n"
    assert _insert("f(\n    (a\n     + b),  # (note)\n)\n") == "f(\n    (a\n     + b), k=1,  # (note)\n)\n"


def test_no_edit_where_a_keyword_cannot_go() -> None:
    assert _insert("f(x for x in y)\n") is None
    assert _insert("f (\n    x for x in y\n)\n") is None
    doc = Document("m.py", "f(a)\n")
    call = doc.tree.body[0].value  # type: ignore[union-attr]
    call.end_col_offset = 3  # the node's end is not the call's `)`: no edit
    assert insert_keyword(doc, call, "k=1") is None


# --- the property, over the rules that add a keyword ----------------------------------------------

CALLS = {
    "SEC030": ('from flask import Flask, make_response\napp = Flask(__name__)\n\n@app.route("/")\ndef view(token):\n'
               '    resp = make_response("x")\n    resp.set_cookie{args}\n    return resp\n',
               ['"session"', "token"], ["max_age=3600", 'path="/)#"', "samesite=(\"Lax\")"]),
    "SEC026": ("import tarfile\n\ndef restore(path, dest):\n    with tarfile.open(path) as tar:\n        tar.extractall{args}\n",
               [], ["numeric_owner=True"]),
    "SEC007": ("import jwt\n\ndef claims(token, key):\n    return jwt.decode{args}\n",
               ["token", "key"], ["leeway=(10)", 'audience="a)"']),
    "SEC014": ("import jinja2\n\ndef env(loader):\n    return jinja2.Environment{args}\n",
               ["loader=(loader)"], ["trim_blocks=True", "cache_size=(400)"]),
    "EDGE003": ("import requests\n\ndef get(url):\n    return requests.get{args}\n", ["url"], ["headers={}", "verify=(True)"]),
}
OPTIONAL_POSITIONAL = {"SEC026": "dest"}


@st.composite
def calls(draw):
    code = draw(st.sampled_from(sorted(CALLS)))
    template, required, extras = CALLS[code]
    args = list(required)
    if code in OPTIONAL_POSITIONAL and draw(st.booleans()):
        args.append(OPTIONAL_POSITIONAL[code])
    args += draw(st.lists(st.sampled_from(extras), unique=True, max_size=len(extras)))
    args = [f"({a})" if "=" not in a and draw(st.booleans()) else a for a in args]  # a parenthesised argument
    multiline = draw(st.booleans())
    indent = " " * (8 if code == "SEC026" else 4)
    sep = ",\n" + indent + "    " if multiline else ", "
    text = sep.join(args)
    if args and draw(st.booleans()):
        text += ","
    if multiline and args:
        comment = "  # a note (with parentheses)" if draw(st.booleans()) else ""
        text = "(\n" + indent + "    " + text + comment + "\n" + indent + ")"
    else:
        text = "(" + text + ")"
    return code, template.format(args=text)


def _counts(src: str) -> collections.Counter[str]:
    return collections.Counter(f.code for f in check_source(src, path="app.py", ctx=CTX))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(calls())
def test_every_keyword_fix_parses_removes_its_finding_and_adds_none(case: tuple[str, str]) -> None:
    code, src = case
    ast.parse(src)
    found = [f for f in check_source(src, path="app.py", ctx=CTX) if f.code == code]
    assert found, src
    before = _counts(src)
    for finding in found:
        assert finding.fixes, src
        fixed = apply_edits(src, finding.fixes[0].edits)
        ast.parse(fixed)
        after = _counts(fixed)
        assert after[code] == before[code] - 1, fixed
        assert not (after - before), (fixed, after - before)


def test_edits_are_text_edits() -> None:  # the helper's contract: one insertion, no replacement
    edit = insert_keyword(Document("m.py", "f(a)\n"), ast.parse("f(a)").body[0].value, "k=1")  # type: ignore[attr-defined]
    assert isinstance(edit, TextEdit) and (edit.line, edit.column) == (edit.end_line, edit.end_column)


def test_a_parenthesised_last_argument_is_fixed_outside_its_parentheses() -> None:
    src = textwrap.dedent("""
        import jwt

        def claims(token, key):
            return jwt.decode(token, (key))
    """)
    [finding] = [f for f in check_source(src, path="app.py", ctx=CTX) if f.code == "SEC007"]
    assert 'jwt.decode(token, (key), algorithms=["HS256"])' in apply_edits(src, finding.fixes[0].edits)
