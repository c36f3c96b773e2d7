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


HELPERS = PYRAMID + """
    from pyramid.httpexceptions import HTTPForbidden

    def _owner_in_clinic(request, owner_id):
        row = request.db.execute("SELECT * FROM owners WHERE id = %s AND clinic_id = %s", (owner_id, request.identity.clinic_id)).fetchone()
        if row is None:
            raise HTTPNotFound()
        return row

    def _owner_by_id(request, owner_id):
        row = request.db.execute("SELECT * FROM owners WHERE id = %s", (owner_id,)).fetchone()
        if row is None:
            raise HTTPNotFound()
        return row

    def _owner_checked(request, owner_id):
        row = request.db.execute("SELECT * FROM owners WHERE id = %s", (owner_id,)).fetchone()
        if row is None or row["clinic_id"] != request.identity.clinic_id:
            raise HTTPNotFound()
        return row

    def _erase(request, owner_id):
        request.db.execute("UPDATE owners SET email = NULL WHERE id = %s", (owner_id,))
        request.db.execute("DELETE FROM devices WHERE owner_id = %s", (owner_id,))
        audit(request.db, request.authenticated_userid, f"erase:{owner_id}")

    def _pick(request, owner_id, other_id):
        return request.db.execute("SELECT * FROM owners WHERE id = %s", (owner_id,)).fetchone()
"""


def test_a_call_of_the_modules_helper_that_fetches_its_parameters_row_unscoped_is_a_fetch_of_it() -> None:
    src = HELPERS + """
    @view_config(route_name="owner", request_method="GET", renderer="json", permission="staff")
    def detail(request):
        return _owner_in_clinic(request, int(request.matchdict["owner_id"]))

    @view_config(route_name="owner_ins", request_method="GET", renderer="json", permission="staff")
    def insurance(request):
        return _owner_checked(request, int(request.matchdict["owner_id"]))

    @view_config(route_name="owner_notes", request_method="POST", renderer="json", permission="staff")
    def notes(request):
        owner = _owner_by_id(request, int(request.matchdict["owner_id"]))
        return {"id": owner["id"]}

    @view_config(route_name="owner_erase", request_method="POST", renderer="json", permission="staff")
    def erase(request):
        owner_id = int(request.matchdict["owner_id"])
        _erase(request, owner_id)
        return {"ok": True}
    """
    assert lines(src, "SEC036") == [44, 50]


def test_helper_calls_look_alikes_stay_silent() -> None:
    src = HELPERS + """
    @view_config(route_name="owner", request_method="GET", renderer="json", permission="staff")
    def detail(request):
        return _owner_in_clinic(request, int(request.matchdict["owner_id"]))

    @view_config(route_name="owner_ins", request_method="GET", renderer="json", permission="staff")
    def insurance(request):
        return _owner_in_clinic(request, int(request.matchdict["owner_id"]))

    @view_config(route_name="me", request_method="GET", renderer="json", permission="staff")
    def mine(request):
        return _owner_by_id(request, request.identity.owner_id)

    @view_config(route_name="two", request_method="GET", renderer="json", permission="staff")
    def two(request):
        return _pick(request, int(request.matchdict["owner_id"]), 3)

    @view_config(route_name="adm", request_method="GET", renderer="json", permission="admin")
    def admin_view(request):
        return _owner_by_id(request, int(request.matchdict["owner_id"]))

    @view_config(route_name="adm_erase", request_method="POST", renderer="json", permission="admin")
    def admin_erase(request):
        _erase(request, int(request.matchdict["owner_id"]))
        return {"ok": True}
    """
    assert lines(src, "SEC036") == []


PRINCIPAL = PYRAMID + """
    import security

    def _api_owner(request):
        ident = security.require_any_token(request)
        row = request.db.execute("SELECT owner_id FROM users WHERE id = %s", (ident.user_id,)).fetchone()
        if row is None:
            raise HTTPNotFound()
        return row["owner_id"]
"""


def test_the_modules_helper_given_only_the_request_that_returns_the_principals_id_reads_the_user() -> None:
    src = PRINCIPAL + """
    @view_config(route_name="pet", request_method="GET", renderer="json", permission="api")
    def pet(request):
        return request.db.execute("SELECT * FROM pets WHERE id = %s AND owner_id = %s",
                                  (int(request.matchdict["pet_id"]), _api_owner(request))).fetchone()

    @view_config(route_name="pet", request_method="DELETE", renderer="json", permission="api")
    def delete_pet(request):
        owner_id = _api_owner(request)
        request.db.execute("DELETE FROM pets WHERE id = %s AND owner_id = %s", (int(request.matchdict["pet_id"]), owner_id))
        return {"ok": True}

    @view_config(route_name="pet_card", request_method="GET", renderer="json", permission="api")
    def card(request):
        _api_owner(request)
        return db.get_or_404(request.db, "pets", int(request.matchdict["pet_id"]))

    @view_config(route_name="pet_checked", request_method="GET", renderer="json", permission="api")
    def checked(request):
        owner_id = _api_owner(request)
        pet = db.get_or_404(request.db, "pets", int(request.matchdict["pet_id"]))
        if pet["owner_id"] != owner_id:
            raise HTTPNotFound()
        return pet
    """
    assert lines(src, "SEC036") == [29]


def test_an_insert_recording_the_author_is_no_check_of_the_row_and_a_helper_naming_its_owner_in_an_action_is_read() -> None:
    src = HELPERS + """
    def _forget(request, owner_id):
        request.db.execute("UPDATE owners SET email = NULL WHERE id = %s", (owner_id,))
        delete_owner_files(owner_id)

    @view_config(route_name="owner", request_method="GET", renderer="json", permission="staff")
    def detail(request):
        return _owner_in_clinic(request, int(request.matchdict["owner_id"]))

    @view_config(route_name="owner", request_method="PUT", renderer="json", permission="staff")
    def edit(request):
        return _owner_in_clinic(request, int(request.matchdict["owner_id"]))

    @view_config(route_name="owner_notes", request_method="POST", renderer="json", permission="staff")
    def notes(request):
        owner = _owner_by_id(request, int(request.matchdict["owner_id"]))
        request.db.execute("INSERT INTO notes (owner_id, author_id) VALUES (%s, %s)", (owner["id"], request.authenticated_userid))
        return {"ok": True}

    @view_config(route_name="owner_forget", request_method="POST", renderer="json", permission="staff")
    def forget(request):
        _forget(request, int(request.matchdict["owner_id"]))
        return {"ok": True}

    @view_config(route_name="owner_tag", request_method="POST", renderer="json", permission="staff")
    def tag(request):
        owner = _owner_by_id(request, int(request.matchdict["owner_id"]))
        if not request.has_permission("tag-owners"):
            raise HTTPForbidden()
        return {"ok": True}
    """
    assert lines(src, "SEC036") == [48, 54]
