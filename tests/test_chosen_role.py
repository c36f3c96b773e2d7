"""SEC034: an account created with the client's own password and a role the client chooses
(service34's tornado ``User(..., password_hash=hash_password(password), role=role)``, service35's
pyramid ``INSERT INTO users (email, password_hash, role, ...)`` given ``body.get("role", "owner")``).

Specification: in a request handler, a write that creates an account -- a call of a class or of
``create``/``create_user``/``insert`` with a ``password*`` keyword, or an ``INSERT INTO table (columns) VALUES (placeholders)`` run with a
literal tuple of parameters, one per column, one column named ``password*`` -- whose password is
derived from the request, is flagged when its ``role`` (``roles``, ``is_admin``, ``is_staff``,
``is_superuser``) is a value of the request that nothing in the handler tests (no ``if``, ``in``,
comparison or conditional expression reads it).

Look-alikes, silent: a call that creates no row (``send_welcome(password=..., role=...)``, neither a
class nor ``create``/``create_user``/``insert``); the role checked against an allow-list (``if role not in ROLES: raise``, a
conditional expression); a role the server fixes (``role="student"``) or reads from a stored invite
(``invite["role"]``); a role from the request on a write that sets no password (a profile update is
another question); an account created by an administrator with a generated password; an SQL
statement whose parameters are not a literal tuple matching its columns; a function that is not a
request handler.
"""

from __future__ import annotations

from conftest import check_file, context_for, write

TORNADO = """\
import tornado.web
from pony.orm import commit, db_session

from app.models import User

ROLES = {"student", "instructor"}


class RegisterHandler(tornado.web.RequestHandler):
    def post(self) -> None:
        email = self.get_body_argument("email", "")
        password = self.get_body_argument("password", "")
        role = self.get_body_argument("role", "student")
        with db_session:
            user = User(email=email, password_hash=hash_password(password), role=role)
            commit()


class CheckedHandler(tornado.web.RequestHandler):
    def post(self) -> None:
        password = self.get_body_argument("password", "")
        role = self.get_body_argument("role", "student")
        if role not in ROLES:
            raise tornado.web.HTTPError(400)
        User(email="x", password_hash=hash_password(password), role=role)


class PickedHandler(tornado.web.RequestHandler):
    def post(self) -> None:
        password = self.get_body_argument("password", "")
        role = self.get_body_argument("role", "student")
        User(password_hash=hash_password(password), role=role if role in ROLES else "student")


class FixedHandler(tornado.web.RequestHandler):
    def post(self) -> None:
        password = self.get_body_argument("password", "")
        User(password_hash=hash_password(password), role="student")


class ProfileHandler(tornado.web.RequestHandler):
    def post(self) -> None:
        Profile(role=self.get_body_argument("role", ""), name=self.get_body_argument("name", ""))


class MailHandler(tornado.web.RequestHandler):
    def post(self) -> None:
        password = self.get_body_argument("password", "")
        send_welcome(password=password, role=self.get_body_argument("role"))


class AdminCreateHandler(tornado.web.RequestHandler):
    def post(self) -> None:
        User(email=self.get_body_argument("email"), password_hash=hash_password(make_token()),
             role=self.get_body_argument("role"))


def seed(password, role):
    User(password_hash=hash_password(password), role=role)
"""

PYRAMID = """\
from pyramid.view import view_config

from app import security


@view_config(route_name="register", request_method="POST", renderer="json")
def register(request):
    body = request.json_body
    password = body.get("password") or ""
    request.db.execute(
        "INSERT INTO users (email, password_hash, role, clinic_id) VALUES (%s, %s, %s, %s)",
        (body.get("email"), security.hash_password(password), body.get("role", "owner"), body.get("clinic_id")),
    )
    return {"ok": True}


@view_config(route_name="invite_accept", request_method="POST", renderer="json")
def invite_accept(request):
    invite = request.db.execute("SELECT * FROM invites WHERE token = %s", (request.matchdict["token"],)).fetchone()
    password = request.json_body.get("password", "")
    request.db.execute(
        "INSERT INTO users (email, password_hash, role) VALUES (%s, %s, %s)",
        (invite["email"], security.hash_password(password), invite["role"]),
    )
    return {"ok": True}


@view_config(route_name="register_v2", request_method="POST", renderer="json")
def register_v2(request):
    body = request.json_body
    role = body.get("role", "owner")
    if role != "owner":
        raise ValueError("owners only")
    request.db.execute(
        "INSERT INTO users (email, password_hash, role) VALUES (%s, %s, %s)",
        (body.get("email"), security.hash_password(body.get("password")), role),
    )
    return {"ok": True}


@view_config(route_name="staff_add", request_method="POST", renderer="json")
def staff_add(request):
    body = request.json_body
    params = (body["email"], security.hash_password(body["password"]), body["role"])
    request.db.execute("INSERT INTO users (email, password_hash, role) VALUES (%s, %s, %s)", params)
    return {"ok": True}
"""


def _lines(tmp_path, text: str, rel: str) -> list[int]:
    root = write(tmp_path, {"app/__init__.py": "", "app/models.py": "class User: ...\n", "app/security.py": "", rel: text})
    return sorted(f.line for f in check_file(root, rel, context_for(root), select={"SEC034"}))


def test_a_self_registration_that_takes_the_clients_role_unchecked_is_reported(tmp_path) -> None:
    assert _lines(tmp_path, TORNADO, "app/handlers.py") == [15]


def test_an_sql_insert_of_an_account_with_the_clients_role_is_reported(tmp_path) -> None:
    assert _lines(tmp_path, PYRAMID, "app/views.py") == [10]
