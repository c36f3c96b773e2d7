"""Exception views: JSON for the API, HTML for the browser."""
from __future__ import annotations

import logging
import traceback
import uuid

from pyramid.httpexceptions import HTTPException, HTTPForbidden, HTTPNotFound
from pyramid.view import exception_view_config, forbidden_view_config, notfound_view_config

from .config import get_settings

log = logging.getLogger(__name__)


@notfound_view_config(renderer="json", path_info=r"^/api/")
def api_not_found(request):
    request.response.status = 404
    return {"error": "not_found"}


@notfound_view_config(renderer="templates/error.jinja2")
def html_not_found(request):
    request.response.status = 404
    return {"title": "Page not found", "message": "We could not find that page."}


@forbidden_view_config(renderer="json", path_info=r"^/api/")
def api_forbidden(request):
    request.response.status = 403 if request.identity is not None else 401
    return {"error": "forbidden" if request.identity is not None else "unauthorized"}


@forbidden_view_config()
def html_forbidden(request):
    from pyramid.httpexceptions import HTTPFound

    if request.identity is None:
        return HTTPFound(location=request.route_url("login", _query={"next": request.path}))  # SAFE: relative-next
    return HTTPForbidden()


@exception_view_config(HTTPException)
def http_exception(exc, request):
    return exc


@exception_view_config(Exception, renderer="json", path_info=r"^/api/")
def api_error(exc, request):
    incident = uuid.uuid4().hex[:12]
    log.exception("api error %s", incident)
    request.response.status = 500
    return {"error": "internal_error", "incident": incident}  # SAFE: no-stack-trace


@exception_view_config(Exception, renderer="templates/error.jinja2")
def html_error(exc, request):
    request.response.status = 500
    log.exception("unhandled error on %s", request.path)
    detail = traceback.format_exc() if get_settings().debug else None  # SAFE: trace-only-in-debug
    return {"title": "Something went wrong", "message": "Please try again.", "detail": detail}


@exception_view_config(ValueError, renderer="json", path_info=r"^/webhooks/")
def webhook_value_error(exc, request):
    request.response.status = 400
    return {"error": "bad_request", "detail": str(exc), "trace": traceback.format_exc()}  # SEEDED: SEC stack-trace-exposure


@exception_view_config(KeyError, renderer="json", path_info=r"^/api/")
def api_missing_field(exc, request):
    request.response.status = 400
    return {"error": "missing_field", "field": str(exc).strip("'")}  # SAFE: field-name-only


def not_found():
    return HTTPNotFound()
