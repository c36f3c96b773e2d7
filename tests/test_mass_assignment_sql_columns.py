"""SEC034: the SQL ``SET``/column list built from the keys of the request's whole body
(service33's sanic ``", ".join(f"{k} = ${i}" for i, k in enumerate(changes, start=2))`` with
``changes = request.json``, service35's pyramid ``", ".join(f"{c} = %s" for c in columns)`` with
``columns = list(request.json_body.keys())``).

Specification: in a request handler, ``SEP.join(...)`` of a comprehension whose element is an
f-string starting with the loop's key followed by `` = `` and a placeholder (``%s``, ``?``,
``$N``, ``:name``, ``%(name)s``), looping over the request's whole body (the mapping itself, its
``.keys()``, ``enumerate(...)`` of it, or a local bound once to ``list(...)``/``sorted(...)`` of
one of these), is flagged: every key the client sends becomes a column the statement sets.

Look-alikes, silent: a comprehension that filters the keys (``if k in ALLOWED``); keys of a
mapping the program built or a schema returned; an f-string that is not ``column = placeholder``
(a log line); a function that is not a request handler.
"""

from __future__ import annotations

from conftest import check_file, context_for, write

SANIC = """\
from sanic import Blueprint
from sanic.response import json

bp = Blueprint("members")
ALLOWED = {"phone", "name"}


@bp.patch("/me/mobile")
async def update_me_mobile(request):
    changes = request.json or {}
    sets = ", ".join(f"{k} = ${i}" for i, k in enumerate(changes, start=2))
    await request.app.ctx.db.execute(f"UPDATE members SET {sets} WHERE id = $1", 1, *changes.values())
    return json({})


@bp.patch("/me/v2")
async def update_me_v2(request):
    changes = request.json or {}
    sets = ", ".join(f"{k} = ${i}" for i, k in enumerate([c for c in changes if c in ALLOWED], start=2))
    cols = ", ".join(f"{k} = ${i}" for i, k in enumerate(changes, start=2) if k in ALLOWED)
    note = ", ".join(f"{k} changed" for k in changes)
    fixed = {"phone": 1}
    built = ", ".join(f"{k} = ${i}" for i, k in enumerate(fixed, start=2))
    return json({})


def helper(changes):
    return ", ".join(f"{k} = %s" for k in changes)
"""

PYRAMID = """\
from pyramid.view import view_config


@view_config(route_name="my_profile", request_method="PUT", renderer="json")
def replace_my_profile(request):
    body = request.json_body
    columns = list(body.keys())
    assignments = ", ".join(f"{c} = %s" for c in columns)
    request.db.execute(f"UPDATE owners SET {assignments} WHERE id = %s", [*body.values(), 1])
    names = ", ".join([f"{c} = %({c})s" for c in request.json_body])
    return {"updated": True}
"""


def _lines(tmp_path, text: str, rel: str) -> list[int]:
    root = write(tmp_path, {"app/__init__.py": "", rel: text})
    return sorted(f.line for f in check_file(root, rel, context_for(root), select={"SEC034"}))


def test_a_set_clause_built_from_the_keys_of_a_sanic_body_is_mass_assignment(tmp_path) -> None:
    assert _lines(tmp_path, SANIC, "app/routes.py") == [11]


def test_a_set_clause_built_from_the_keys_of_a_pyramid_body_is_mass_assignment(tmp_path) -> None:
    assert _lines(tmp_path, PYRAMID, "app/views.py") == [8, 10]
