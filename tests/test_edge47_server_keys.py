"""EDGE020 for a DB-API ``fetchone()`` of a row picked by a key the server holds (session 36).

A ``SELECT ... WHERE id = %s`` whose one parameter is another row's reference
(``inv["owner_id"]``, the row an ACL context loaded: ``context.pet["id"]``) or the signed-in
principal's own id (``request.identity.id``) fetches a row that exists unless it was deleted a
moment ago (referential integrity): service 35's invoice PDF and pet detail views. asyncpg's
``fetchrow()`` already had this exception; a DB-API ``fetchone()`` now has the same one.

Spec: flagged where marked ``# !``: the key chosen by the client (``request.matchdict``, a body
read from the request, a parameter), a second condition that can exclude the row (``AND
active``), a key that is not another row's reference (``inv["owner_name"]``); silent: the keys
the server holds, with ``%s``, ``?``, ``:id`` and ``%(id)s`` placeholders.
"""

from __future__ import annotations

import textwrap

from vetpy.context import AnalysisContext
from vetpy.engine import check_source

CTX = AnalysisContext.bare(select=["EDGE020"])

FLAGGED = """\
def by_route(request):
    row = request.db.execute("SELECT * FROM pets WHERE id = %s", (request.matchdict["pet_id"],)).fetchone()
    return row["name"]  # !


def by_body(request, conn):
    body = request.json_body
    row = conn.execute("SELECT * FROM pets WHERE id = %s", (body["pet_id"],)).fetchone()
    return row["name"]  # !


def by_parsed_body(request, conn):
    data = request.get_json()
    row = conn.execute("SELECT * FROM pets WHERE id = ?", (data["owner_id"],)).fetchone()
    return row["name"]  # !


def by_parameter(conn, owner_id):
    row = conn.execute("SELECT * FROM owners WHERE id = %s", (owner_id,)).fetchone()
    return row["first_name"]  # !


def narrowed(conn, inv):
    row = conn.execute("SELECT * FROM owners WHERE id = %s AND active", (inv["owner_id"],)).fetchone()
    return row["first_name"]  # !


def not_a_reference(conn, inv):
    row = conn.execute("SELECT * FROM owners WHERE id = %s", (inv["owner_name"],)).fetchone()
    return row["first_name"]  # !
"""

ACCEPTED = """\
def invoice_pdf(request):
    inv = db.get_scoped_or_404(request.db, "invoices", int(request.matchdict["invoice_id"]), request.identity.clinic_id)
    owner = request.db.execute("SELECT * FROM owners WHERE id = %s", (inv["owner_id"],)).fetchone()
    return f"{owner['first_name']} {owner['last_name']}"


def pet_detail(context, request):
    pet = request.db.execute("SELECT * FROM pets WHERE id = %s", (context.pet["id"],)).fetchone()
    return pet["name"]


def own_profile(conn, request):
    row = conn.execute("SELECT * FROM users WHERE id = ?", (request.identity.id,)).fetchone()
    return row["email"]


def named_placeholder(session, invoice):
    row = session.execute("SELECT * FROM customers WHERE customers.id = :id", {"id": invoice["customer_id"]}).fetchone()
    return row["name"]


def pyformat(cursor, booking):
    cursor.execute("SELECT * FROM rooms WHERE id = %(id)s FOR UPDATE", {"id": booking["room_id"]})
    room = cursor.fetchone()
    return room["capacity"]
"""


def _found(src: str) -> list[int]:
    return sorted({f.line for f in check_source(textwrap.dedent(src), "svc/views.py", CTX) if f.code == "EDGE020"})


def _marked(src: str) -> list[int]:
    return [i for i, line in enumerate(src.splitlines(), 1) if line.endswith("# !")]


def test_a_row_fetched_by_a_key_the_client_chose_is_flagged() -> None:
    assert _found(FLAGGED) == _marked(FLAGGED)


def test_a_row_fetched_by_a_key_the_server_holds_is_accepted() -> None:
    assert _found(ACCEPTED) == []


def test_asyncpg_keeps_reporting_a_key_read_from_the_request_body() -> None:
    src = """\
    async def claim(request, conn):
        body = await request.json()
        row = await conn.fetchrow("SELECT * FROM vehicles WHERE id = $1", body["vehicle_id"])
        return row["plate"]  # !
    """
    assert _found(src) == _marked(textwrap.dedent(src))
