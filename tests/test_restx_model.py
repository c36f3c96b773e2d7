"""Flask-RESTX 1.3 and Flask-RESTful resources as web handlers of the SEC rules (issue #20, service37).

Specification, written from flask-restx 1.3.2's source (``namespace.py``: ``Namespace.route(*urls)``
is a class decorator that calls ``add_resource(cls, *urls)``; ``resource.py``: ``Resource`` is a
``MethodView`` whose ``dispatch_request`` calls ``getattr(self, request.method.lower())`` with the
URL rule's variables as keyword arguments; ``reqparse.py``: ``RequestParser.parse_args()`` reads
the request's ``args`` / ``json`` / ``form`` / ``headers`` ... into a dict):

- a ``get``/``post``/``put``/``patch``/``delete``/``head``/``options`` method of a module-level
  class routed by ``@ns.route("/files/<name>")`` (Flask-RESTX ``Namespace.route`` / ``Api.route``,
  Flask-RESTful ``Api.resource``) or by ``ns.add_resource(Files, "/files/<name>")`` in the same
  module is a request handler whose parameters named by the rule are request input (a Flask
  ``<int:...>`` / ``<uuid:...>`` placeholder holds no text);
- a helper method of the class (not a verb), and a class the module does not route, are not handlers;
- ``ns.payload`` / ``api.payload`` of a module-level ``Namespace(...)`` / ``Api(...)`` (restx 1.3
  ``Namespace.payload``: ``return request.get_json()``) is request input;
- in a module that imports flask_restx or flask_restful, ``parser.parse_args()`` of a module-level
  ``reqparse.RequestParser()`` is request input, and an argument added with ``type=int`` (or
  ``float``, or with ``choices=``) holds no free text: only a parser of free-text arguments alone
  is a source (its result is one dict; which key is read is not followed).
"""

from __future__ import annotations

from test_edge_rules import flagged
from test_security import lines

HEAD = """
    import os
    import subprocess

    from flask import request, send_file
    from flask_restx import Namespace, Resource, reqparse
    from sqlalchemy import text

    from .extensions import db

    ns = Namespace("files")
    UPLOADS = "/srv/uploads"
"""


def test_path_parameter_of_a_routed_resource_method_is_request_input() -> None:
    src = HEAD + """
    @ns.route("/files/<name>")
    class FileResource(Resource):
        def get(self, name):
            return send_file(os.path.join(UPLOADS, name))

        def _open(self, name):
            return open(os.path.join(UPLOADS, name))


    @ns.route("/files/<int:file_id>/<path:rest>")
    class Numbered(Resource):
        def get(self, file_id, rest):
            return send_file(os.path.join(UPLOADS, str(file_id)))

        def delete(self, file_id, rest):
            os.remove(os.path.join(UPLOADS, rest))


    class NotRouted(Resource):
        def get(self, name):
            return send_file(os.path.join(UPLOADS, name))
    """
    assert lines(src, "SEC015") == [17, 29]


def test_add_resource_routes_the_class() -> None:
    src = HEAD + """
    class Report(Resource):
        def get(self, name):
            return send_file(os.path.join(UPLOADS, name))


    class Counted(Resource):
        def get(self, count):
            return send_file(os.path.join(UPLOADS, str(count)))


    ns.add_resource(Report, "/reports/<name>")
    ns.add_resource(Counted, "/counts/<int:count>")
    """
    assert lines(src, "SEC015") == [16]


def test_parse_args_of_a_text_parser_is_request_input_but_a_parser_with_typed_arguments_is_not() -> None:
    src = HEAD + """
    search = reqparse.RequestParser()
    search.add_argument("q", type=str, location="args", required=True)
    board = reqparse.RequestParser()
    board.add_argument("status", location="args")
    board.add_argument("page", type=int, location="args", default=1)
    sorting = reqparse.RequestParser()
    sorting.add_argument("sort", choices=("created", "weight"), default="created")


    @ns.route("/search")
    class Search(Resource):
        def get(self):
            q = search.parse_args()["q"]
            return db.session.execute(text(f"SELECT id FROM loads WHERE ref LIKE '%{q}%'")).all()

        def post(self):
            a = board.parse_args()
            return db.session.execute(text(f"SELECT id FROM loads WHERE status = 'x' LIMIT 50 OFFSET {a['page']}")).all()

        def put(self):
            a = sorting.parse_args()
            return db.session.execute(text(f"SELECT id FROM loads ORDER BY {a['sort']}")).all()
    """
    assert lines(src, "SEC001") == [27]


def test_jwt_extended_access_token_with_expires_delta_false_never_expires() -> None:
    """flask-jwt-extended 4.7.4 ``tokens._encode_jwt``: ``if expires_delta: token_data["exp"] = ...``;
    ``expires_delta=False`` written in the call leaves the access token without ``exp``; a refresh
    token minted so (``create_refresh_token(identity, expires_delta=False)``) mints access tokens
    for ever and is reported too.  A variable (a bot's token that may or may not expire), the
    default and a ``timedelta`` are not reported."""
    src = """
    from datetime import timedelta

    import flask_jwt_extended
    from flask_jwt_extended import create_access_token, create_refresh_token


    def kiosk_token(user):
        return create_access_token(identity=str(user.id), additional_claims={"role": "kiosk"}, expires_delta=False)


    def legacy_token(user):
        return flask_jwt_extended.create_access_token(str(user.id), False, False)


    def bot_token(person):
        expires = False
        if person.expiration_date is not None:
            expires = person.expiration_date - person.now()
        return create_access_token(identity=person.id, expires_delta=expires)


    def tokens(user):
        return (create_access_token(identity=str(user.id)),
                create_access_token(identity=str(user.id), expires_delta=timedelta(minutes=15)),
                create_refresh_token(identity=str(user.id), expires_delta=False))
    """
    assert lines(src, "SEC021") == [9, 13, 26]


def test_module_counter_in_a_routed_resource_method_is_a_race_but_not_in_a_helper_or_under_a_lock() -> None:
    """EDGE018: a routed resource's verb method runs in the server's threads, as a Flask view does."""
    src = """
    import threading

    from flask import request
    from flask_restx import Namespace, Resource

    ns = Namespace("pings")
    _seen = 0
    _total = 0
    _lock = threading.Lock()


    @ns.route("/legacy/ping")
    class LegacyPing(Resource):
        def post(self):
            global _seen
            _seen += 1
            return {}

        def _note(self):
            global _seen
            _seen += 1


    @ns.route("/locked")
    class Locked(Resource):
        def post(self):
            global _total
            with _lock:
                _total += 1
            return {}


    class Unrouted(Resource):
        def post(self):
            global _seen
            _seen += 1
    """
    assert flagged(src, "EDGE018") == [17]


def test_namespace_payload_is_request_input() -> None:
    src = HEAD + """
    class Event:
        payload = {}


    @ns.route("/import")
    class Import(Resource):
        def post(self):
            name = ns.payload["name"]
            return send_file(os.path.join(UPLOADS, name))

        def put(self):
            name = Event().payload["name"]
            return send_file(os.path.join(UPLOADS, name))
    """
    assert lines(src, "SEC015") == [22]


def test_a_row_fetched_by_a_helper_asked_for_update_is_locked() -> None:
    """EDGE018 (service37's ``scoped_load_or_404(load_id, for_update=True)``, whose body adds
    ``with_for_update()`` when asked): a call given ``for_update=True`` locks the row it returns;
    the same helper called without it does not."""
    src = """
    from flask_restx import Namespace, Resource

    from .extensions import db
    from .security import scoped_load_or_404

    ns = Namespace("loads")


    @ns.route("/<int:load_id>/cancel")
    class CancelLoad(Resource):
        def post(self, load_id):
            load = scoped_load_or_404(load_id, for_update=True)
            load.version = load.version + 1
            db.session.commit()


    @ns.route("/<int:load_id>/bump")
    class Bump(Resource):
        def post(self, load_id):
            load = scoped_load_or_404(load_id)
            load.version = load.version + 1
            db.session.commit()
    """
    assert flagged(src, "EDGE018") == [22]


AUTHZ = """
    from flask_jwt_extended import jwt_required
    from flask_restx import Namespace, Resource

    from .extensions import db
    from .models import Item

    ns = Namespace("items")


    @ns.route("/a/<int:item_id>")
    class A(Resource):
        @jwt_required()
        def post(self, item_id):
            db.session.delete(db.session.get(Item, item_id))
            db.session.commit()


    @ns.route("/b/<int:item_id>")
    class B(Resource):
        @jwt_required()
        @ns.doc(security="jwt")
        def post(self, item_id):
            db.session.delete(db.session.get(Item, item_id))
            db.session.commit()


    @ns.route("/c/<int:item_id>")
    class C(Resource):
        @jwt_required()
        def delete(self, item_id):
            db.session.delete(db.session.get(Item, item_id))
            db.session.commit()


    @ns.route("/d/<int:item_id>")
    class D(Resource):
        def delete(self, item_id):
            db.session.delete(db.session.get(Item, item_id))
            db.session.commit()


    @ns.route("/e/<int:item_id>")
    class E(Resource):
        method_decorators = [jwt_required()]

        def delete(self, item_id):
            db.session.delete(db.session.get(Item, item_id))
            db.session.commit()


    @ns.route("/f/<int:item_id>")
    @ns.audited
    class F(Resource):
        def delete(self, item_id):
            db.session.delete(db.session.get(Item, item_id))
            db.session.commit()
"""


def test_missing_authorization_among_routed_resources() -> None:
    """SEC023: ``@ns.route(...)`` on a resource class registers it and checks nothing (restx 1.3
    ``Namespace.route`` only calls ``add_resource``): the class's write methods are judged by their
    own decorators and the class's ``method_decorators``; a class decorator vetpy does not know
    (``@ns.audited``) may check access and keeps the class out.  The one unguarded method of a
    routed resource is reported at the method (the guards of a resource are its methods' own)."""
    assert lines(AUTHZ, "SEC023") == [38]


def test_an_api_key_guard_is_no_user_login_among_role_guarded_resources() -> None:
    """service37's ``edi_api.Tender``: ``@api_key_required("loads:write")`` admits a shipper's
    integration by its key and scope, not a signed-in user: it is not judged as a login-only guard
    against siblings that require a role; a ``@jwt_required()`` write among them is."""
    src = """
    from flask_jwt_extended import jwt_required
    from flask_restx import Namespace, Resource

    from .extensions import db
    from .security import api_key_required, roles_required

    ns = Namespace("edi")


    @ns.route("/204")
    class Tender(Resource):
        @api_key_required("loads:write")
        def post(self):
            db.session.commit()


    @ns.route("/a")
    class A(Resource):
        @roles_required("dispatcher", "admin")
        def post(self):
            db.session.commit()


    @ns.route("/b")
    class B(Resource):
        @roles_required("dispatcher")
        def post(self):
            db.session.commit()


    @ns.route("/c")
    class C(Resource):
        @roles_required("admin")
        def delete(self):
            db.session.commit()


    @ns.route("/d")
    class D(Resource):
        @jwt_required()
        def delete(self):
            db.session.commit()
    """
    assert lines(src, "SEC023") == [42]
