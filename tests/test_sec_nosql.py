"""SEC041 nosql-injection (issue #20: parameterized queries for *every* clause, MongoDB's).

Spec, in web modules: flagged where the filter of a PyMongo/Motor/Beanie query method, a `$match`
stage, or a mongoengine query keyword is, or holds as a field's value, a *structure* from the
request (its parsed JSON, a value taken out of it, a FastAPI parameter typed `dict`, a query-string
dict as the whole filter), and where `$where`/`$function` code is request input. Not flagged:
values coerced to a scalar or type-checked, query-string/form values (strings), typed parameters
and model fields, constant code, non-web modules, `str.find`. `$regex` operands are SEC035's.
Every line marked `# !` carries exactly one finding of the code under test; no other line does.
"""

from __future__ import annotations

import textwrap

import pytest

from vetpy.context import AnalysisContext
from vetpy.engine import check_source

CTX = AnalysisContext.bare()

FRAMEWORKS = '''
import json

from aiohttp import web
from django.http import JsonResponse
from rest_framework.decorators import api_view
from starlette.requests import Request

from .db import db


async def aiohttp_login(request: web.Request):
    creds = await request.json()
    user = await db.users.find_one({"name": creds["name"], "pin": creds["pin"]})  # !
    return web.json_response({"ok": bool(user)})


async def starlette_count(request: Request):
    spec = await request.json()
    return {"n": await db.items.count_documents(spec)}  # !


def django_delete(request):
    data = json.loads(request.body)
    db.sessions.delete_one({"token": data.get("token")})  # !
    return JsonResponse({})


@api_view(["POST"])
def drf_update(request):
    db.users.update_many({"team": request.data["team"]}, {"$set": {"active": False}})  # !
    return JsonResponse({})


def django_spread(request):
    return JsonResponse({"n": db.items.count_documents({"owner": "me", **request.GET.dict()})})  # !


def django_expr(request):
    body = json.loads(request.body)
    return JsonResponse({"n": db.items.count_documents({"$expr": body["expr"]})})  # !


def django_js(request):
    field = request.GET.get("field", "name")
    stage = {"$addFields": {"x": {"$function": {"body": "function(d) { return d." + field + "; }", "args": ["$$ROOT"], "lang": "js"}}}}  # !
    return JsonResponse({"rows": list(db.items.aggregate([stage]))})


def django_pipeline(request):
    return JsonResponse({"rows": list(db.items.aggregate(json.loads(request.body)["pipeline"]))})  # !


def django_and(request):
    body = json.loads(request.body)
    return JsonResponse({"n": db.items.count_documents({"$and": [{"kind": "a"}, {"owner": body["owner"]}]})})  # !


# -- look-alikes --

def django_typed(request):
    body = json.loads(request.body)
    if type(body["name"]) is not str:
        return JsonResponse({}, status=400)
    return JsonResponse(db.users.find_one({"name": body["name"]}) or {})


def django_validated(request):
    body = json.loads(request.body)
    validate_login(body)
    return JsonResponse(db.users.find_one({"name": body["name"]}) or {})


def django_query_value(request):
    return JsonResponse(db.users.find_one({"name": request.GET.get("name"), "team": request.GET["team"]}) or {})


def django_in(request):
    body = json.loads(request.body)
    return JsonResponse({"n": db.items.count_documents({"sku": {"$in": body["skus"]}})})


def django_position(request):
    return JsonResponse({"at": request.GET.get("q", "").find("x")})


async def aiohttp_coerced(request: web.Request):
    creds = await request.json()
    name = str(creds["name"])
    return web.json_response(await db.users.find_one({"name": name}) or {})
'''

FASTAPI = '''
from typing import Any, Dict, Optional

from beanie import Document
from fastapi import Body, Depends, FastAPI
from pydantic import BaseModel

from .db import db

app = FastAPI()


class Login(BaseModel):
    name: str
    pin: str


class User(Document):
    name: str


@app.post("/a")
async def a(payload: Dict[str, Any]):
    return await db.users.find_one({"name": payload["name"]})  # !


@app.post("/b")
async def b(payload: Optional[dict] = None):
    return await db.users.find_one(payload)  # !


@app.post("/c")
async def c(spec: Any = Body(...)):
    return await User.find_many({"kind": "x"}, spec).to_list()  # !


# -- look-alikes --

@app.post("/d")
async def d(login: Login):
    return await db.users.find_one({"name": login.name, "pin": login.pin})


@app.get("/e")
async def e(name: Any = None, user=Depends(current_user)):
    return await db.users.find_one({"name": name, "owner": user})


@app.post("/f")
async def f(name: str = Body(...)):
    return await User.find_one({"name": name})
'''

MONGOENGINE = '''
from flask import Flask, request
from mongoengine import Document, StringField

app = Flask(__name__)


class User(Document):
    name = StringField()
    pin = StringField()


@app.post("/login")
def login():
    body = request.get_json()
    return {"ok": User.objects(name=body["name"], pin=body["pin"]).first() is not None}  # !


@app.get("/users")
def users():
    return {"n": User.objects(**request.args.to_dict()).count()}  # !


@app.post("/raw")
def raw():
    return {"n": User.objects.filter(__raw__=request.get_json()).count()}  # !


# -- look-alikes --

@app.get("/by-name")
def by_name():
    return {"n": User.objects(name=request.args.get("name", "")).count()}


@app.post("/coerced")
def coerced():
    body = request.get_json()
    return {"n": User.objects(name=str(body["name"])).count()}
'''

NOT_WEB = '''
import json
import sys

from pymongo import MongoClient

db = MongoClient().shop


def main():
    spec = json.loads(sys.argv[1])
    print(db.items.count_documents(spec))
'''


@pytest.mark.parametrize("source", [FRAMEWORKS, FASTAPI, MONGOENGINE, NOT_WEB], ids=["frameworks", "fastapi", "mongoengine", "not-web"])
def test_nosql_injection_marked_lines(source: str) -> None:
    src = textwrap.dedent(source)
    flagged = sorted(f.line for f in check_source(src, path="views.py", ctx=CTX) if f.code == "SEC041")
    marked = [i for i, line in enumerate(src.splitlines(), 1) if line.rstrip().endswith("# !")]
    assert flagged == marked


def test_regex_operand_is_sec035_not_sec041() -> None:
    src = textwrap.dedent('''
        import re
        from flask import Flask, request
        from pymongo import MongoClient

        app = Flask(__name__)
        db = MongoClient().shop


        @app.get("/search")
        def search():
            q = request.args.get("q", "")
            hits = db.items.find({"title": {"$regex": q, "$options": "i"}})
            safe = db.items.find({"title": {"$regex": re.escape(q)}})
            return {"items": list(hits) + list(safe)}
    ''')
    found = [(f.code, f.line) for f in check_source(src, path="views.py", ctx=CTX) if f.code in {"SEC035", "SEC041"}]
    assert found == [("SEC035", 13)]


def test_a_string_search_is_no_query() -> None:
    """`find` is also a string and an SDK method (pretix's `paypalrestsdk.Sale.find(sale_id)`):
    request data given whole to one is a query only where the module imports a MongoDB library,
    and never when the receiver is itself request data."""
    src = textwrap.dedent('''
        from flask import Flask, request

        app = Flask(__name__)


        @app.post("/highlight")
        def highlight():
            body = request.get_json()
            text = body["text"]
            sale = paypalrestsdk.Sale.find(body["resource"]["sale_id"])
            return {"at": text.find(body["needle"]), "hits": list(reports.find(body.get("filter"))), "sale": sale}
    ''')
    assert [f.line for f in check_source(src, path="views.py", ctx=CTX) if f.code == "SEC041"] == []
    mongo = src.replace("from flask import", "from pymongo import MongoClient\nfrom flask import")
    found = [(f.line, f.column) for f in check_source(mongo, path="views.py", ctx=CTX) if f.code == "SEC041"]
    assert found == [(12, mongo.splitlines()[11].index("body[") + 1), (13, mongo.splitlines()[12].index("body.get") + 1)]
