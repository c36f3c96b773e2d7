"""SEC036 (insecure-direct-object-reference) over the DB-API's SQL (issue #20, service35's misses).

Specification:
- psycopg's and sqlite3's ``execute(sql, params)`` (``%s`` and ``?`` with a tuple or list,
  ``%(name)s`` with a dict of constant keys) is read as asyncpg's ``$n`` is: a query of one table whose
  ``WHERE`` names a row by a key column bound to request input is a fetch of that table's row, scoped
  when an argument of the ``WHERE`` reads the signed-in user (``request.identity.owner_id``); an
  argument of ``SET`` does not scope it;
- Pyramid's ``request.matchdict[...]`` and ``request.json_body[...]`` are request input;
- a join (``FROM appointments a JOIN pets p ... WHERE a.id = %s AND p.owner_id = %s``, ``UPDATE ... FROM``)
  whose key is the main table's is a fetch of that table: scoped when any of its arguments outside
  ``SET`` reads the user; an unscoped one is counted among the siblings but never reported (its ``ON``
  may scope it in a way not read);
- the project's one-row helpers named ``get_scoped_or_404`` and the like take a table by name;
- not reported: a table no sibling scopes, a route with other guards, a query whose placeholders
  and arguments do not agree, a handler that reads the user elsewhere.
"""

from __future__ import annotations

from test_security import lines

PYRAMID = """
    from pyramid.view import view_config
    from pyramid.httpexceptions import HTTPNotFound
    import db
"""


def test_psycopg_percent_s_fetches_by_a_request_id_among_owner_scoped_siblings_are_reported() -> None:
    src = PYRAMID + """
    @view_config(route_name="pref", request_method="GET", renderer="json", permission="owner")
    def show(request):
        return request.db.execute("SELECT * FROM prefs WHERE id = %s AND owner_id = %s",
                                  (int(request.matchdict["pref_id"]), request.identity.owner_id)).fetchone()

    @view_config(route_name="pref", request_method="DELETE", renderer="json", permission="owner")
    def delete(request):
        request.db.execute("DELETE FROM prefs WHERE id = %s AND owner_id = %s", (int(request.matchdict["pref_id"]), request.identity.owner_id))
        return {"ok": True}

    @view_config(route_name="pref", request_method="PATCH", renderer="json", permission="owner")
    def update(request):
        pref_id = int(request.matchdict["pref_id"])
        request.db.execute("UPDATE prefs SET channel = %s WHERE id = %s", (request.json_body.get("channel"), pref_id))
        return {"ok": True}

    @view_config(route_name="pref_copy", request_method="POST", renderer="json", permission="owner")
    def copy(request):
        row = request.db.execute("SELECT * FROM prefs WHERE id = %s", (int(request.json_body["pref_id"]),)).fetchone()
        return {"id": row["id"]}
    """
    assert lines(src, "SEC036") == [19, 24]


def test_named_and_qmark_parameters_are_read_too() -> None:
    src = PYRAMID + """
    @view_config(route_name="a", request_method="GET", renderer="json", permission="owner")
    def a(request):
        return request.db.execute("SELECT * FROM notes WHERE id = %(id)s AND owner_id = %(me)s",
                                  {"id": int(request.matchdict["note_id"]), "me": request.identity.owner_id}).fetchone()

    @view_config(route_name="b", request_method="GET", renderer="json", permission="owner")
    def b(request):
        return request.db.execute("SELECT * FROM notes WHERE id = ? AND owner_id = ?",
                                  [int(request.matchdict["note_id"]), request.identity.owner_id]).fetchone()

    @view_config(route_name="c", request_method="GET", renderer="json", permission="owner")
    def c(request):
        return request.db.execute("SELECT * FROM notes WHERE id = %(id)s", {"id": int(request.matchdict["note_id"])}).fetchone()
    """
    assert lines(src, "SEC036") == [18]


def test_a_join_scoped_by_the_user_is_a_scoped_sibling_and_an_unscoped_join_is_never_reported() -> None:
    src = PYRAMID + """
    @view_config(route_name="appt", request_method="DELETE", renderer="json", permission="owner")
    def cancel(request):
        appt = request.db.execute(
            "SELECT a.* FROM appointments a JOIN pets p ON p.id = a.pet_id WHERE a.id = %s AND p.owner_id = %s",
            (int(request.matchdict["appt_id"]), request.identity.owner_id),
        ).fetchone()
        return {"ok": appt is not None}

    @view_config(route_name="appt", request_method="PUT", renderer="json", permission="owner")
    def move(request):
        cur = request.db.execute(
            "UPDATE appointments a SET starts_at = %s FROM pets p WHERE a.id = %s AND p.id = a.pet_id AND p.owner_id = %s",
            (request.json_body["starts_at"], int(request.matchdict["appt_id"]), request.identity.owner_id),
        )
        return {"ok": cur.rowcount == 1}

    @view_config(route_name="appt", request_method="PATCH", renderer="json", permission="owner")
    def reschedule(request):
        appt_id = int(request.matchdict["appt_id"])
        appt = request.db.execute("SELECT * FROM appointments WHERE id = %s", (appt_id,)).fetchone()
        return {"appt": appt}

    @view_config(route_name="appt_pet", request_method="GET", renderer="json", permission="owner")
    def pet_of(request):
        return request.db.execute("SELECT p.* FROM appointments a JOIN pets p ON p.id = a.pet_id WHERE a.id = %s",
                                  (int(request.matchdict["appt_id"]),)).fetchone()
    """
    assert lines(src, "SEC036") == [25]


def test_a_scoped_table_helper_of_another_name_is_the_modules_convention() -> None:
    src = PYRAMID + """
    @view_config(route_name="claim_xml", request_method="GET", permission="billing-view")
    def claim_xml(request):
        return db.get_scoped_or_404(request.db, "claims", int(request.matchdict["claim_id"]), request.identity.clinic_id)

    @view_config(route_name="claim_status", request_method="GET", renderer="json", permission="billing-view")
    def status(request):
        return db.get_scoped_or_404(request.db, "claims", int(request.matchdict["claim_id"]), request.identity.clinic_id)

    @view_config(route_name="claim", request_method="GET", renderer="json", permission="billing-view")
    def claim(request):
        return request.db.execute("SELECT * FROM claims WHERE id = %s", (int(request.matchdict["claim_id"]),)).fetchone()
    """
    assert lines(src, "SEC036") == [16]


def test_look_alikes_stay_silent() -> None:
    src = PYRAMID + """
    @view_config(route_name="pref", request_method="GET", renderer="json", permission="owner")
    def show(request):
        return request.db.execute("SELECT * FROM prefs WHERE id = %s AND owner_id = %s",
                                  (int(request.matchdict["pref_id"]), request.identity.owner_id)).fetchone()

    @view_config(route_name="pref", request_method="DELETE", renderer="json", permission="owner")
    def delete(request):
        request.db.execute("DELETE FROM prefs WHERE id = %s AND owner_id = %s", (int(request.matchdict["pref_id"]), request.identity.owner_id))
        return {"ok": True}

    @view_config(route_name="staff_pref", request_method="GET", renderer="json", permission="manage")
    def staff_show(request):
        return request.db.execute("SELECT * FROM prefs WHERE id = %s", (int(request.matchdict["pref_id"]),)).fetchone()

    @view_config(route_name="clinic", request_method="GET", renderer="json", permission="owner")
    def clinic(request):
        return request.db.execute("SELECT * FROM clinics WHERE id = %s", (int(request.matchdict["clinic_id"]),)).fetchone()

    @view_config(route_name="pref_bad", request_method="GET", renderer="json", permission="owner")
    def mismatched(request):
        return request.db.execute("SELECT * FROM prefs WHERE id = %s AND kind = %s", (int(request.matchdict["pref_id"]),)).fetchone()

    @view_config(route_name="pref_pct", request_method="GET", renderer="json", permission="owner")
    def percent(request):
        return request.db.execute("SELECT * FROM prefs WHERE name LIKE 'a%%' AND id = %s AND owner_id = %s",
                                  (int(request.matchdict["pref_id"]), request.identity.owner_id)).fetchone()

    @view_config(route_name="pref_me", request_method="GET", renderer="json", permission="owner")
    def checked(request):
        pref = request.db.execute("SELECT * FROM prefs WHERE id = %s", (int(request.matchdict["pref_id"]),)).fetchone()
        if pref["owner_id"] != request.identity.owner_id:
            raise HTTPNotFound()
        return pref
    """
    assert lines(src, "SEC036") == []
