"""The REST API: one Flask-RESTX ``Api`` on a blueprint, one ``Namespace`` per module."""
import logging
import traceback

from flask import Blueprint, current_app
from flask_jwt_extended.exceptions import NoAuthorizationError
from flask_restx import Api
from jwt.exceptions import ExpiredSignatureError
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from .extensions import db

log = logging.getLogger(__name__)

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
authorizations = {
    "jwt": {"type": "apiKey", "in": "header", "name": "Authorization"},
    "apikey": {"type": "apiKey", "in": "header", "name": "Authorization"},
}
api = Api(blueprint, title="haulpoint API", version="1.4", description="Dispatch, tracking and billing",
          authorizations=authorizations, security="jwt", doc="/docs")

from . import (auth_api, billing_api, carriers_api, dispatch_api, edi_api, integration_api,  # noqa: E402
               loads_api, pod_api, quotes_api, reports, retention, shippers_api, stops_api, telematics_api)

api.add_namespace(auth_api.ns, path="/auth")
api.add_namespace(shippers_api.ns, path="/shippers")
api.add_namespace(loads_api.ns, path="/loads")
api.add_namespace(stops_api.ns, path="/stops")
api.add_namespace(quotes_api.ns, path="/quotes")
api.add_namespace(billing_api.ns, path="/billing")
api.add_namespace(carriers_api.ns, path="/carriers")
api.add_namespace(telematics_api.ns, path="/telematics")
api.add_namespace(pod_api.ns, path="/pod")
api.add_namespace(edi_api.ns, path="/edi")
api.add_namespace(dispatch_api.ns, path="/dispatch")
api.add_namespace(integration_api.ns, path="/integrations")
api.add_namespace(reports.ns, path="/reports")
api.add_namespace(retention.ns, path="/privacy")


@api.errorhandler(NoAuthorizationError)
def no_auth(error):
    return {"message": "authentication required"}, 401


@api.errorhandler(ExpiredSignatureError)
def expired(error):
    return {"message": "token expired"}, 401


@api.errorhandler(IntegrityError)
def integrity(error):
    db.session.rollback()
    log.warning("integrity error: %s", error.orig)
    return {"message": "conflicting record"}, 409  # SAFE: stack-trace-exposure


@api.errorhandler(Exception)
def unhandled(error):
    if isinstance(error, HTTPException):
        return {"message": error.description}, error.code
    db.session.rollback()
    log.exception("unhandled API error")
    if current_app.debug:
        return {"message": str(error), "trace": traceback.format_exc()}, 500  # SEEDED: SEC stack-trace-exposure
    return {"message": "internal error"}, 500
