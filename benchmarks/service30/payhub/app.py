"""Flask application factory."""
from __future__ import annotations

import logging
import traceback
import uuid

from flask import Flask, jsonify, render_template_string, request
from flask_wtf.csrf import CSRFError, CSRFProtect
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from . import config
from .auth import init_sso, login_manager
from .db import remove_session

log = logging.getLogger(__name__)
csrf = CSRFProtect()


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(__name__, template_folder=str(config.TEMPLATE_DIR))
    app.config.update(config.load(overrides))

    csrf.init_app(app)
    login_manager.init_app(app)
    init_sso(app)
    app.teardown_appcontext(remove_session)

    from .views_admin import bp as admin_bp
    from .views_documents import bp as documents_bp
    from .views_employees import bp as employees_bp
    from .views_expenses import bp as expenses_bp
    from .views_leave import bp as leave_bp
    from .views_payroll import bp as payroll_bp
    from .views_reports import bp as reports_bp
    from .views_sso import bp as sso_bp
    from .views_timesheets import bp as timesheets_bp
    from .views_webhooks import bp as webhooks_bp

    from .views_benefits import bp as benefits_bp

    for bp in (admin_bp, benefits_bp, documents_bp, employees_bp, expenses_bp, leave_bp, payroll_bp,
               reports_bp, sso_bp, timesheets_bp):
        app.register_blueprint(bp)
    csrf.exempt(webhooks_bp)  # SAFE: csrf-exempt-signed-webhooks
    app.register_blueprint(webhooks_bp)

    register_error_handlers(app)
    return app


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ValidationError)
    def validation_error(exc: ValidationError):
        return jsonify(error="invalid input", fields=exc.messages), 400  # SAFE: field-messages-only

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        return jsonify(error="csrf token missing or invalid"), 400

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return jsonify(error=exc.name), exc.code

    @app.errorhandler(Exception)
    def unhandled(exc: Exception):
        incident = uuid.uuid4().hex[:12]
        log.exception("unhandled error %s on %s", incident, request.path)
        if request.headers.get("X-Payhub-Debug") == "1":
            return jsonify(error=str(exc), trace=traceback.format_exc(), incident=incident), 500  # SEEDED: SEC stack-trace
        return jsonify(error="internal error", incident=incident), 500  # SAFE: incident-id-only

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    @app.get("/maintenance")
    def maintenance():
        note = request.args.get("note", "We'll be back shortly.")
        return render_template_string("<h1>Maintenance</h1><p>{{ note }}</p>", note=note)  # SAFE: template-autoescape
