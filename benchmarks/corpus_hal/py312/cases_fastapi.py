"""fastapi 0.165: flask/aiohttp idioms, invented keywords on routers and exceptions."""
from fastapi import APIRouter, FastAPI, HTTPException
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient


def build_app() -> FastAPI:
    app = FastAPI()

    @app.get("/ping")
    def ping():
        return {"pong": True}

    return app


def case_http_exception_status():
    raise HTTPException(status=404, detail="missing")  # HAL: other-library-idiom; receiver=call


def case_router_tag_kw():
    return APIRouter(prefix="/users", tag="users")  # HAL: invented-keyword; receiver=call


def case_include_router_url_prefix():
    app = build_app()
    router = APIRouter()
    app.include_router(router, url_prefix="/v1")  # HAL: other-library-idiom; receiver=helper-return


def case_import_json_response_top():
    from fastapi import JSONResponse  # HAL: invented-member; receiver=import
    return JSONResponse


def case_import_background_task():
    from fastapi import BackgroundTask  # HAL: invented-member; receiver=import
    return BackgroundTask


def case_testclient_status():
    client = TestClient(build_app())
    resp = client.get("/ping")
    return resp.status  # HAL: other-library-idiom; receiver=chain


def case_response_status_kw():
    return JSONResponse({"a": 1}, status=201)  # HAL: other-library-idiom; receiver=call


def case_route_status_kw():
    app = FastAPI()

    @app.get("/", status=201)  # HAL: invented-keyword; receiver=constructor
    def index():
        return {}

    return app


def case_app_register_blueprint():
    app = build_app()
    app.register_blueprint(APIRouter())  # HAL: other-library-idiom; receiver=helper-return


def case_testclient_with_json_method():
    with TestClient(build_app()) as client:
        return client.get("/ping").json_body  # HAL: invented-member; receiver=with-target


def case_router_errorhandler():
    router = APIRouter()

    @router.errorhandler(404)  # HAL: other-library-idiom; receiver=constructor
    def not_found(exc):
        return {}

    return router


def case_fastapi_extra_kwargs():
    return FastAPI(title="svc", custom_setting=1)  # HAL: version-drift; receiver=call
