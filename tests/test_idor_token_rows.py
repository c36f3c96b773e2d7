"""SEC036 (insecure-direct-object-reference): a token the client names is a row, not the principal.

Specification (issue #20): the words that make a name read the signed-in user for SEC023
(``token``, ``role``, ``scope``...) do not make a row the principal for SEC036:
- a route parameter named for a row's key (``token_id``, ``role_id``) is client input, so a fetch
  by it is judged like any other fetch by a request id;
- a model whose name holds such a word (``ApiToken``, ``AccessToken``) is a table like any other:
  its own fetch (``ApiToken.query.get(token_id)``) is not scoped by it, nor does naming it elsewhere
  in the handler excuse the fetch.
Still silent: the signed-in user's own token through ``current_user.tokens``, a fetch scoped by
``user_id=current_user.id``, a token read from the session's cookie or header (that *is* the
caller's credential), ``request.user.auth_token``, and a token fetched by an id no sibling scopes.
"""

from __future__ import annotations

from test_review_rules import marked
from test_security import lines

TOKENS = """
from flask import Blueprint, abort, jsonify, request
from flask_login import current_user, login_required
from .models import ApiToken, db

bp = Blueprint("tokens", __name__)

@bp.get("/tokens/<int:token_id>")
@login_required
def show_token(token_id):
    token = ApiToken.query.filter_by(id=token_id, user_id=current_user.id).first_or_404()
    return jsonify(label=token.label)

@bp.delete("/tokens/<int:token_id>")
@login_required
def revoke_token(token_id):
    token = ApiToken.query.get(token_id)  # !
    token.revoked = True
    db.session.commit()
    return "", 204

@bp.post("/tokens/<int:token_id>/rename")
@login_required
def rename_token(token_id):
    token = ApiToken.query.get_or_404(token_id)  # !
    token.label = request.json["label"]
    db.session.commit()
    return "", 204

@bp.get("/my/tokens/<int:token_id>")
@login_required
def my_token(token_id):
    token = current_user.tokens.filter_by(id=token_id).first_or_404()
    return jsonify(label=token.label)

@bp.get("/tokens/<int:token_id>/owner")
@login_required
def owned_token(token_id):
    token = ApiToken.query.get_or_404(token_id)
    if token.user_id != current_user.id:
        abort(404)
    return jsonify(label=token.label)

@bp.get("/session")
def session_token():
    token = ApiToken.query.filter_by(token=request.cookies.get("session_token")).first_or_404()
    return jsonify(user=token.user_id)

@bp.get("/whoami")
def whoami():
    token = ApiToken.query.filter_by(token=request.headers["X-Api-Token"]).first_or_404()
    return jsonify(user=token.user_id)
"""

DJANGO = """
from django.http import JsonResponse
from rest_framework.authtoken.models import Token
from rest_framework.decorators import api_view

@api_view(["POST"])
def rotate(request):
    token = request.user.auth_token
    token.delete()
    return JsonResponse({"key": Token.objects.create(user=request.user).key})
"""


def test_a_token_fetched_by_the_urls_id_is_judged_like_any_row() -> None:
    assert marked(TOKENS) == [17, 25]
    assert lines(TOKENS, "SEC036") == marked(TOKENS)


def test_each_word_alone_hid_the_fetch() -> None:
    # the model's name alone (a parameter named `key`), then the parameter's alone (a model named `Share`)
    for src in (TOKENS.replace("token_id", "key"), TOKENS.replace("ApiToken", "Share")):
        assert lines(src, "SEC036") == marked(TOKENS)


def test_a_model_no_sibling_scopes_stays_silent() -> None:
    src = TOKENS.replace("filter_by(id=token_id, user_id=current_user.id)", "filter_by(id=token_id)").replace(
        "current_user.tokens.filter_by", "ApiToken.query.filter_by").replace("token.user_id != current_user.id", "token.hidden")
    assert lines(src, "SEC036") == []


def test_the_callers_own_token_is_the_principal() -> None:
    assert lines(DJANGO, "SEC036") == []


def test_what_reads_the_principal() -> None:
    import ast

    from vetpy.rules.sec.principal_reads import inputs, reads_user

    def reads(src: str) -> bool:
        return reads_user(ast.parse(src, mode="eval").body)

    assert not reads("ApiToken.query.get(token_id)") and not reads("AccessToken") and not reads("role_id")
    assert reads("Auth.current_user.id") and reads("g.token_id") and reads("request.user.auth_token") and reads("current_user.id")
    func = ast.parse("def f(token_id, role_id, current_user_id, auth_user_id, token, user, invoice_id): pass").body[0]
    assert inputs(func) == {"token_id", "role_id", "invoice_id"}  # type: ignore[arg-type]
