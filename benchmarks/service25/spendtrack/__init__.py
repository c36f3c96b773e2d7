"""spendtrack: expense reporting and reimbursement (Flask app factory)."""
from __future__ import annotations

import logging
import traceback

from flask import Flask, jsonify
from flask_cors import CORS
from werkzeug.exceptions import HTTPException

from .config import Config


def create_app(config_object: type[Config] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_object(config_object or Config)
    app.config.from_prefixed_env("SPENDTRACK")

    from .extensions import db, init_celery, login_manager

    db.init_app(app)
    login_manager.init_app(app)
    init_celery(app)

    CORS(app, resources={r"/expenses/*": {"origins": "*"}}, supports_credentials=True)  # SEEDED: SEC cors-credentials
    CORS(app, resources={r"/public/*": {"origins": "*"}})  # SAFE: cors-credentials
    CORS(app, resources={r"/reports/*": {"origins": app.config["CORS_ORIGINS"]}}, supports_credentials=True)  # SAFE: cors-credentials

    from . import admin, auth, expenses, imports, integrations, ops, reports, storage

    for module in (auth, expenses, reports, storage, imports, integrations, ops, admin):
        app.register_blueprint(module.bp)

    app.logger.setLevel(logging.INFO)
    app.logger.info("starting with config %s", dict(app.config))  # SEEDED: SEC secret-in-log
    app.logger.info("starting spendtrack, database %s", app.config["SQLALCHEMY_DATABASE_URI"].split("@")[-1])  # SAFE: secret-in-log

    @app.get("/healthz")
    def healthz():  # SAFE: missing-authz
        return jsonify(status="ok")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return jsonify(error=exc.name), exc.code  # SAFE: stack-trace

    @app.errorhandler(Exception)
    def unhandled(exc: Exception):
        app.logger.exception("unhandled error")
        return jsonify(error="internal error", detail=traceback.format_exc()), 500  # SEEDED: SEC stack-trace

    @app.after_request
    def security_headers(resp):
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        return resp

    return app
