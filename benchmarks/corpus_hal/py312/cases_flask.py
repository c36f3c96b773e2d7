"""flask 3.1: names removed in 2.x/3.0, requests/dash idioms, test-client receivers."""
import flask
from flask import Blueprint, Flask, jsonify, request


def create_app() -> Flask:
    app = Flask(__name__)

    @app.get("/data")
    def data():
        return {"items": [1, 2]}

    return app


def case_escape_import():
    from flask import escape  # HAL: version-drift; receiver=import
    return escape("<b>")


def case_markup_import():
    from flask import Markup  # HAL: version-drift; receiver=import
    return Markup("<b>x</b>")


def case_json_encoder():
    return flask.json.JSONEncoder  # HAL: version-drift; receiver=module


def case_before_first_request():
    app = Flask(__name__)

    @app.before_first_request  # HAL: version-drift; receiver=constructor
    def init():
        pass

    return app


def case_run_server():
    app = create_app()
    app.run_server(debug=True)  # HAL: other-library-idiom; receiver=helper-return


def case_add_route():
    app = Flask(__name__)
    app.add_route("/", lambda: "x")  # HAL: other-library-idiom; receiver=constructor


def case_test_client_json_call():
    app = create_app()
    with app.test_client() as client:
        resp = client.get("/data")
        return resp.json()  # HAL: other-library-idiom; receiver=with-target


def case_args_get_list():
    app = create_app()
    with app.test_request_context("/?tag=a&tag=b"):
        return request.args.get_list("tag")  # HAL: other-library-idiom; receiver=module


def case_static_path_kw():
    return Flask(__name__, static_path="/s")  # HAL: version-drift; receiver=call


def case_app_ctx_stack():
    from flask import _app_ctx_stack  # HAL: version-drift; receiver=import
    return _app_ctx_stack


def case_send_file_attachment_filename():
    import io
    app = create_app()
    with app.test_request_context():
        return flask.send_file(io.BytesIO(b"x"), attachment_filename="x.txt")  # HAL: version-drift; receiver=call


def case_blueprint_before_app_first_request():
    bp = Blueprint("admin", __name__)

    @bp.before_app_first_request  # HAL: version-drift; receiver=constructor
    def warm():
        pass

    return bp


def case_jsonify_status():
    app = create_app()
    with app.app_context():
        return jsonify({"a": 1}, status=201)  # HAL: invented-keyword; receiver=call


def case_config_from_json():
    app = Flask(__name__)
    app.config.from_json("settings.json")  # HAL: version-drift; receiver=chain


def case_response_status_code_call():
    app = create_app()
    resp = app.test_client().get("/data")
    return resp.status_code()  # HAL: invented-member; receiver=chain


def case_request_get_json_kw():
    app = create_app()
    with app.test_request_context("/", json={"a": 1}):
        return request.get_json(strict=True)  # HAL: invented-keyword; receiver=module


def case_route_methods_positional():
    app = Flask(__name__)

    @app.route("/", ["GET", "POST"])  # HAL: arity; receiver=constructor
    def index():
        return "x"

    return app
