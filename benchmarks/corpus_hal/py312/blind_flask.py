"""Blind set: Flask 3.1 (test client, nothing leaves the process)."""
from flask import Blueprint, Flask


def create_app() -> Flask:
    app = Flask(__name__)

    @app.get("/")
    def index():
        return {"ok": True}

    return app


def case_test_client_params():
    app = create_app()
    with app.test_client() as client:
        return client.get("/", params={"a": "1"})  # HAL: other-library-idiom; receiver=with-target


def case_config_from_dotenv():
    app = create_app()
    app.config.from_dotenv(".env")  # HAL: invented-member; receiver=chain


def case_args_getall():
    app = create_app()
    with app.test_request_context("/?tag=a&tag=b") as ctx:
        return ctx.request.args.getall("tag")  # HAL: other-library-idiom; receiver=with-target


def case_blueprint_prefix():
    return Blueprint("api", __name__, prefix="/api")  # HAL: invented-keyword; receiver=call


def case_app_add_middleware():
    create_app().add_middleware(object)  # HAL: other-library-idiom; receiver=helper-return
