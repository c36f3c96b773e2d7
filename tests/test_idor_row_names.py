"""SEC036 (insecure-direct-object-reference): the name a route binds the fetched row to is not the
signed-in user.

Specification (issue #20, service34's ``user = User.get(id=int(user_id))`` then ``if user is
None: raise HTTPError(404)``): a row fetched by a request id and bound to a name that reads like the
principal (``user``, ``token``) is still the client's choice of row:
- checking it against nothing (``if user is None``) is no check of its owner;
- its later uses (``user.enrolments``) are no read of the signed-in user that would excuse the
  handler (the excuse is for a handler that reads who is calling: a role check, a check vetpy does
  not follow);
so such a fetch is judged like any other, by the module's convention.  Still silent: the row
compared with the signed-in user (``if user.id != current_user.id``, ``user.school_id !=
current_user.school_id``), a handler that reads the signed-in user elsewhere (a role check), and a
model no sibling scopes.
"""

from __future__ import annotations

from test_security import lines

FLASK = """
    from flask import Blueprint, abort, jsonify
    from flask_login import current_user, login_required
    from .models import User

    bp = Blueprint("people", __name__)

    @bp.get("/users/<int:user_id>")
    @login_required
    def profile(user_id):
        user = User.query.filter_by(id=user_id, school_id=current_user.school_id).first_or_404()
        return jsonify(name=user.name)

    @bp.get("/users/<int:user_id>/card")
    @login_required
    def card(user_id):
        user = User.query.get_or_404(user_id)
        if user.school_id != current_user.school_id:
            abort(404)
        return jsonify(card=user.card)

    @bp.get("/users/<int:user_id>/grades")
    @login_required
    def grades(user_id):
        user = User.query.get_or_404(user_id)
        if user is None:
            abort(404)
        return jsonify(grades=[e.grade for e in user.enrolments])

    @bp.get("/users/<int:user_id>/email")
    @login_required
    def email(user_id):
        user = User.query.get_or_404(user_id)
        if user != current_user:
            abort(404)
        return jsonify(email=user.email)

    @bp.get("/users/<int:user_id>/report")
    @login_required
    def report(user_id):
        if not current_user.is_teacher:
            abort(403)
        user = User.query.get_or_404(user_id)
        return jsonify(report=user.report)
"""


def test_a_row_named_user_is_no_check_of_its_owner() -> None:
    assert lines(FLASK, "SEC036") == [25]


TOKENS = """
    from flask import Blueprint, abort, jsonify
    from flask_login import current_user, login_required
    from .models import Share

    bp = Blueprint("tokens", __name__)

    @bp.get("/tokens/<int:id>")
    @login_required
    def show(id):
        return jsonify(Share.query.filter_by(id=id, owner_id=current_user.id).first_or_404().label)

    @bp.delete("/tokens/<int:id>")
    @login_required
    def revoke(id):
        token = Share.query.filter_by(id=id, owner_id=current_user.id).first_or_404()
        token.revoked = True
        return "", 204

    @bp.get("/tokens/<int:id>/secret")
    @login_required
    def secret(id):
        token = Share.query.get_or_404(id)
        if token is None:
            abort(404)
        return jsonify(secret=token.secret)

    @bp.get("/tokens/<int:id>/mine")
    @login_required
    def mine(id):
        token = Share.query.get_or_404(id)
        if token.owner_id != current_user.id:
            abort(404)
        return jsonify(secret=token.secret)
"""


def test_a_row_named_token_is_no_check_either() -> None:
    assert lines(TOKENS, "SEC036") == [23]


def test_a_model_no_sibling_scopes_stays_silent() -> None:
    src = FLASK.replace("filter_by(id=user_id, school_id=current_user.school_id)", "filter_by(id=user_id)").replace(
        "if user.school_id != current_user.school_id:", "if user.hidden:")
    assert lines(src, "SEC036") == []
