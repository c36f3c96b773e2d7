"""SEC034 through an ORM model class's own writes, a project helper that returns the request's
whole body, and an aiohttp class-based view (service31's ``User.create(**body)`` and
``ManageCourse.patch``, service32's ``User.filter(...).update(**await body(req))``).

Specification (peewee 3.17 ``Model.create(**query)``/``Model.update(__data=None, **update)``/
``Model.insert(__data=None, **insert)``; tortoise 0.21 ``Model.create(**kwargs)``,
``QuerySet.update(**kwargs)``; falcon 4 ``req.get_media()``/``req.media``; aiohttp 3
``web.View`` whose ``get``/``post``/``patch``... methods are the handlers):

- flagged, in a request handler: ``Model.create(**BODY)``, ``Model.update(**BODY)``,
  ``Model.insert(**BODY)``, ``Model.filter(...).update(**BODY)`` where ``Model`` is a class of a
  module that imports peewee or tortoise (this module or another module of the project) and
  ``BODY`` is the request's whole body: also falcon's ``req.get_media()``/``req.media``, and a
  call ``helper(req)`` of a function (this module or another module of the project) taking only
  the request whose every ``return`` gives its whole parsed body (directly or through a local
  bound once and not edited);
- an aiohttp ``web.View`` method named after an HTTP verb is a request handler
  (``await self.request.json()`` there is the body).

Look-alikes, silent: a helper that returns a schema's result (``schema.load(data)``) or picks
fields; a helper taking more than the request; a class of a module that imports no ORM;
``.create(**fields)`` of a mapping the program built (an allow-list comprehension); a body whose
keys the handler removes without reading them (``body.pop("role", None)``: a deny-list), while
removing a key it reads (``password = body.pop("password")``) leaves every other key; a method of
a ``web.View`` that is not an HTTP verb.
"""

from __future__ import annotations

from conftest import check_file, context_for, write

PEEWEE_MODELS = """\
import peewee


class BaseModel(peewee.Model):
    pass


class User(BaseModel):
    email = peewee.CharField()


class Course(BaseModel):
    title = peewee.CharField()
"""

AIOHTTP_VIEWS = """\
from aiohttp import web

from app.models import Course, User

routes = web.RouteTableDef()
EDITABLE = {"title"}


@routes.post("/auth/register")
async def register(request: web.Request) -> web.Response:
    body = await request.json()
    password = body.pop("password", "")
    user = User.create(password_hash=password, **body)
    return web.json_response({"id": user.id})


@routes.patch("/courses/{id}")
async def patch_course(request: web.Request) -> web.Response:
    body = await request.json()
    Course.update(**body).where(Course.id == 1).execute()
    Course.insert(**body).execute()
    return web.json_response({})


@routes.post("/v2/register")
async def register_v2(request: web.Request) -> web.Response:
    body = await request.json()
    body.pop("role", None)
    User.create(**body)
    fields = {k: v for k, v in body.items() if k in EDITABLE}
    Course.create(**fields)
    return web.json_response({})


@routes.view("/manage/courses/{course_id}")
class ManageCourse(web.View):
    async def patch(self) -> web.Response:
        course = Course.get_by_id(int(self.request.match_info["course_id"]))
        body = await self.request.json()
        for key, value in body.items():
            setattr(course, key, value)
        return web.json_response({})

    async def _apply(self, course) -> None:
        body = await self.request.json()
        for key, value in body.items():
            setattr(course, key, value)
"""

TORTOISE_MODELS = """\
from tortoise import fields
from tortoise.models import Model


class User(Model):
    email = fields.CharField(max_length=200)


class Building(Model):
    name = fields.CharField(max_length=200)
"""

FALCON_WEB = """\
import falcon


async def body(req) -> dict:
    data = await req.get_media(default_when_empty={})
    if not isinstance(data, dict):
        raise falcon.HTTPBadRequest(title="Body must be a JSON object")
    return data


async def validated(req, schema) -> dict:
    data = await body(req)
    return schema.load(data)


async def picked(req) -> dict:
    data = await req.get_media()
    return {"name": data.get("name")}


async def trimmed(req) -> dict:
    data = await req.get_media()
    data.pop("role", None)
    return data
"""

FALCON_RESOURCES = """\
import falcon

from app.models import Building, User
from app.web import body, picked, trimmed, validated


class ProfileResource:
    async def on_patch(self, req, resp):
        data = await body(req)
        await User.filter(id=req.context.user.id).update(**data)

    async def on_post(self, req, resp):
        data = await body(req)
        data["password_hash"] = "x"
        user = await User.create(**data)

    async def on_put(self, req, resp):
        building = await Building.get(id=1)
        data = await body(req)
        for key, value in data.items():
            setattr(building, key, value)
        await Building.create(**(await req.get_media()))

    async def on_patch_v2(self, req, resp):
        data = await validated(req, object())
        await User.filter(id=req.context.user.id).update(**data)
        await User.create(**(await picked(req)))
        await User.create(**(await trimmed(req)))
"""

PLAIN_CLASSES = """\
import falcon

from app.web import body


class Registry:
    @classmethod
    def create(cls, **kwargs):
        return cls()


class PingResource:
    async def on_post(self, req, resp):
        Registry.create(**(await body(req)))
"""


def _sec034(tmp_path, files: dict[str, str], rel: str) -> list[int]:
    root = write(tmp_path, {"app/__init__.py": "", **files})
    return sorted(f.line for f in check_file(root, rel, context_for(root), select={"SEC034"}))


def test_a_peewee_models_create_update_insert_of_the_whole_body_is_mass_assignment(tmp_path) -> None:
    lines = _sec034(tmp_path, {"app/models.py": PEEWEE_MODELS, "app/views.py": AIOHTTP_VIEWS}, "app/views.py")
    assert lines == [13, 20, 21, 41]


def test_a_tortoise_write_of_a_helpers_whole_body_or_of_get_media_is_mass_assignment(tmp_path) -> None:
    files = {"app/models.py": TORTOISE_MODELS, "app/web.py": FALCON_WEB, "app/resources.py": FALCON_RESOURCES}
    assert _sec034(tmp_path, files, "app/resources.py") == [10, 15, 21, 22]


def test_a_class_of_a_module_without_an_orm_is_not_a_model(tmp_path) -> None:
    files = {"app/web.py": FALCON_WEB, "app/plain.py": PLAIN_CLASSES}
    assert _sec034(tmp_path, files, "app/plain.py") == []
