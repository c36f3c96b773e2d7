"""haulpoint: freight dispatch and fleet telematics platform."""
import logging

from flask import Flask

from .config import Config
from .extensions import csrf, db, jwt

log = logging.getLogger("haulpoint")


def create_app(config_object=Config):
    app = Flask(__name__, template_folder="templates")
    app.config.from_object(config_object)
    db.init_app(app)
    jwt.init_app(app)
    csrf.init_app(app)

    from . import api, admin, tracking

    app.register_blueprint(api.blueprint)
    csrf.exempt(api.blueprint)
    app.register_blueprint(tracking.bp)
    app.register_blueprint(admin.bp, url_prefix="/admin")

    @app.after_request
    def security_headers(resp):
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        resp.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        return resp

    return app
