"""Blind set 4 (written without running vetpy or reading its rules): FastAPI / Starlette."""
from fastapi import APIRouter, Depends, FastAPI, HTTPException
from fastapi.testclient import TestClient
from starlette.responses import JSONResponse


def _get_db():
    return "db"


def _app() -> FastAPI:
    app = FastAPI()

    @app.get("/")
    def home():
        return {"ok": True}

    return app


def case_route_decorator_result_path():
    app = FastAPI()

    @app.get("/health")
    def health():
        return {"ok": True}

    # the decorator returns the function itself, not a route object
    return health.path  # HAL: invented-member; receiver=decorator


def case_add_api_route_method():
    router = APIRouter()
    router.add_api_route("/x", _get_db, method="GET")  # HAL: invented-keyword; receiver=constructor


def case_depends_cached():
    return Depends(_get_db, cached=False)  # HAL: invented-keyword; receiver=call


def case_json_response_json():
    response = JSONResponse({"a": 1})
    return response.json()  # HAL: other-library-idiom; receiver=constructor


def case_http_exception_message():
    raise HTTPException(status_code=404, message="missing")  # HAL: invented-keyword; receiver=call


def case_testclient_status():
    with TestClient(_app()) as client:
        return client.get("/").body  # HAL: other-library-idiom; receiver=with-target


def case_testclient_get_json():
    client = TestClient(_app())
    response = client.get("/")
    # Flask's test response has get_json(); the TestClient's is an httpx Response
    return response.get_json()  # HAL: other-library-idiom; receiver=factory


def case_app_include_router_prefixes():
    app = _app()
    app.include_router(APIRouter(), prefixes=["/v1"])  # HAL: invented-keyword; receiver=helper-return
