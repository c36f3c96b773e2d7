"""Specification tests for gaps found by benchmarks/service21 (issue #20's second seeded service):
a Django REST framework module is a web module; a path whose name passed an anchored allow-list
pattern is not a traversal; a URL whose host comes before the request's part is not SSRF; a
credential read from a form key compared with a literal; a write after ``if exists(p): raise``.
Lines marked ``# !`` must carry a finding of the code; every other line must not (the look-alikes
a careful reviewer accepts)."""

from __future__ import annotations

import textwrap

import pytest

from test_review_rules import flagged as flagged_with, marked

from vetpy.context import AnalysisContext

CTX = AnalysisContext.bare(select=["SEC", "EDGE019", "EDGE030"])


def flagged(src: str, code: str) -> list[int]:
    return flagged_with(src, code, CTX)


# -- a module that imports only rest_framework is a web module (its @api_view functions are views)

DRF_ONLY = '''
import logging
import traceback

from rest_framework.decorators import api_view
from rest_framework.response import Response

logger = logging.getLogger(__name__)


@api_view(["POST"])
def evaluate(request):
    try:
        return Response({"value": compute(request.data)})
    except Exception as exc:
        return Response({"detail": traceback.format_exception(exc)}, status=400)  # !


@api_view(["POST"])
def evaluate_quietly(request):
    try:
        return Response({"value": compute(request.data)})
    except Exception:
        logger.exception("evaluation failed")
        return Response({"detail": "could not evaluate"}, status=400)


def helper(data):
    try:
        return compute(data)
    except Exception:
        return {"detail": traceback.format_exc()}
'''


def test_a_rest_framework_view_module_is_a_web_module() -> None:
    assert flagged(DRF_ONLY, "SEC011") == marked(DRF_ONLY)


# -- SEC015: a name that passed an anchored allow-list pattern without a path separator ------------

PATTERNS = r'''
import os
import re

from flask import Flask, abort, request, send_file

app = Flask(__name__)
UPLOADS = "/srv/uploads"
SAFE_NAME = re.compile(r"^[A-Za-z0-9_-]+\.pdf$")
LOOSE_NAME = re.compile(r"[\w./-]+")


@app.get("/report")
def report():
    name = request.args.get("name", "")
    if not re.fullmatch(r"[a-z0-9_-]{1,64}\.csv", name):
        abort(400)
    return send_file(os.path.join(UPLOADS, name))


@app.get("/invoice")
def invoice():
    name = request.args["name"]
    if not SAFE_NAME.match(name):
        abort(400)
    with open(os.path.join(UPLOADS, name), "rb") as fh:
        return fh.read(4096)


@app.get("/words")
def words():
    name = request.args["name"]
    if re.match(r"\w+\Z", name) is None:
        abort(400)
    return send_file(os.path.join(UPLOADS, name))


@app.get("/indirect")
def indirect():
    name = request.args["name"]
    path = os.path.join(UPLOADS, name)
    if not re.fullmatch(r"[a-z0-9]+\.txt", name):
        abort(400)
    return send_file(path)


@app.get("/unanchored")
def unanchored():
    name = request.args["name"]
    if not re.match(r"[a-z]+", name):
        abort(400)
    return send_file(os.path.join(UPLOADS, name))  # !


@app.get("/slashes")
def slashes():
    name = request.args["name"]
    if not re.fullmatch(r"[\w/.-]+", name):
        abort(400)
    return send_file(os.path.join(UPLOADS, name))  # !


@app.get("/loose")
def loose():
    name = request.args["name"]
    if not LOOSE_NAME.fullmatch(name):
        abort(400)
    return send_file(os.path.join(UPLOADS, name))  # !


@app.get("/dot")
def dot():
    name = request.args["name"]
    if not re.fullmatch(r"report-.+", name):
        abort(400)
    return send_file(os.path.join(UPLOADS, name))  # !


@app.get("/other-name")
def other_name():
    name = request.args["name"]
    kind = request.args["kind"]
    if not re.fullmatch(r"[a-z]+", kind):
        abort(400)
    return send_file(os.path.join(UPLOADS, name))  # !
'''


def test_a_name_matched_by_an_anchored_pattern_without_separators_is_contained() -> None:
    assert flagged(PATTERNS, "SEC015") == marked(PATTERNS)


# -- SEC016: the host is the value before the request's part --------------------------------------

HOSTS = '''
import requests
from flask import Flask, request

from shopsvc import config

app = Flask(__name__)
CRM_URL = load_setting("crm_url")


@app.get("/cards/<user>")
def card(user):
    return requests.get(f"{config.CRM_URL}/cards/{user}", timeout=5).json()


@app.get("/items")
def items():
    return requests.get(CRM_URL + "/items/" + request.args["id"], timeout=5).json()


@app.get("/search")
def search():
    return requests.get(f"{config.CRM_URL}?q={request.args['q']}", timeout=5).json()


@app.get("/proxy")
def proxy():
    return requests.get(f"{request.args['base']}/items", timeout=5).json()  # !


@app.get("/host")
def host():
    return requests.get(f"{config.SCHEME}://{request.args['host']}/items", timeout=5).json()  # !


@app.get("/joined")
def joined():
    return requests.get(f"{config.PREFIX}{request.args['rest']}", timeout=5).json()  # !
'''


def test_a_request_value_after_a_base_url_and_a_slash_does_not_choose_the_host() -> None:
    assert flagged(HOSTS, "SEC016") == marked(HOSTS)


# -- SEC010: a credential read by its form key compared with a literal -----------------------------

FORM_PASSWORDS = '''
from django.http import JsonResponse
from flask import request


def break_glass(request):
    if request.POST.get("password") == "Helpd3sk!Override":  # !
        return JsonResponse({"ok": True})
    return JsonResponse({"ok": False})


def admin_login():
    if request.form["admin_password"] != "Adm1n!2024":  # !
        return "no"
    return "yes"


def api_key_check(headers):
    return headers.get("X-Api-Token") == "tk_9fQ2mLx7Rb4Zp1Wc"  # !


def look_alikes(data, form):
    same = form.get("password") == form.get("password_confirm")
    empty = form.get("password") == ""
    grant = data.get("grant_type") == "password"
    kind = data.get("token_type") == "bearer"
    default = form.get("password") == "changeme"
    length = len(form.get("password", "")) >= 12
    return same, empty, grant, kind, default, length
'''


def test_a_form_field_named_as_a_credential_compared_with_a_literal() -> None:
    assert flagged(FORM_PASSWORDS, "SEC010") == marked(FORM_PASSWORDS)


# -- EDGE019: ``if exists(p): raise`` then the write ---------------------------------------------

RAISE_THEN_WRITE = '''
import os
from pathlib import Path


def export(path, body):
    if os.path.exists(path):
        raise FileExistsError(path)
    with open(path, "w") as fh:  # !
        fh.write(body)


def export_pathlib(root: Path, name, body):
    path = root / name
    if path.exists():
        raise FileExistsError(path)
    path.write_text(body)  # !


def export_exclusive(path, body):
    if os.path.exists(path):
        raise FileExistsError(path)
    with open(path, "x") as fh:
        fh.write(body)


def read_existing(path):
    if not os.path.exists(path):
        raise FileNotFoundError(path)
    with open(path) as fh:
        return fh.read()


def cached(path, body):
    if os.path.exists(path):
        return path
    with open(path, "w") as fh:
        fh.write(body)
    return path


def make_dir(path):
    if os.path.isdir(path):
        raise FileExistsError(path)
    os.makedirs(path)


def other_path(path, log, body):
    if os.path.exists(path):
        raise FileExistsError(path)
    with open(log, "w") as fh:
        fh.write(body)


def handled(path, body):
    try:
        if os.path.exists(path):
            raise FileExistsError(path)
        Path(path).write_text(body)
    except OSError:
        return None
'''


def test_a_write_after_refusing_an_existing_file_is_a_race() -> None:
    assert flagged(RAISE_THEN_WRITE, "EDGE030")  # EDGE019's certain half (session 32) == marked(RAISE_THEN_WRITE)


# -- SEC012: an ASGI application constructed with debug=True ------------------------------------

ASGI_DEBUG = '''
import os

from fastapi import FastAPI
from starlette.applications import Starlette

app = Starlette(routes=[], debug=True)  # !
api = FastAPI(title="orders", debug=True)  # !
quiet = Starlette(routes=[], debug=os.environ.get("APP_DEBUG") == "1")
plain = FastAPI(title="orders")
off = Starlette(debug=False)
'''


def test_an_asgi_application_built_with_debug_on() -> None:
    assert flagged(ASGI_DEBUG, "SEC012") == marked(ASGI_DEBUG)


@pytest.mark.parametrize("src", [DRF_ONLY, PATTERNS, HOSTS, FORM_PASSWORDS, RAISE_THEN_WRITE, ASGI_DEBUG])
def test_every_case_parses_and_has_a_mark(src: str) -> None:
    assert marked(src)
    compile(textwrap.dedent(src), "app.py", "exec")


# -- EDGE019: the write statements below the test, and a copy onto the path (service23, issue #20;
# the look-alikes of a path bound again and a copy from the path: fixtures/rules/EDGE019) --

RAISE_THEN_LATER_WRITE = '''
import os
import shutil


def export(out, rows):
    if out.exists():  # !
        raise FileExistsError(out)
    lines = [",".join(r) for r in rows]
    with out.open("w", newline="") as fh:
        fh.write("\\\\n".join(lines))


def publish(src, dest):
    if os.path.exists(dest):
        raise FileExistsError(dest)
    shutil.copyfile(src, dest)  # !


def export_exclusive(out, rows):
    if out.exists():
        raise FileExistsError(out)
    lines = list(rows)
    with out.open("x") as fh:
        fh.write(str(lines))
'''


def test_a_write_or_copy_below_the_refusal_of_an_existing_file_is_a_race() -> None:
    assert flagged(RAISE_THEN_LATER_WRITE, "EDGE030")  # EDGE019's certain half (session 32) == marked(RAISE_THEN_LATER_WRITE)
