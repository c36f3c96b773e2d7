"""starlette 1.10: APIs removed in 1.0, flask/aiohttp idioms."""
from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient


async def homepage(request):
    return PlainTextResponse("hi")


def make_request() -> Request:
    scope = {"type": "http", "method": "GET", "path": "/", "query_string": b"q=1", "headers": []}
    return Request(scope)


def case_on_startup_kw():
    return Starlette(debug=True, routes=[], on_startup=[lambda: None])  # HAL: version-drift; receiver=call


def case_route_decorator():
    app = Starlette()

    @app.route("/")  # HAL: version-drift; receiver=constructor
    async def index(request):
        return PlainTextResponse("x")

    return app


def case_add_event_handler():
    app = Starlette()
    app.add_event_handler("startup", lambda: None)  # HAL: version-drift; receiver=constructor


def case_json_response_status():
    return JSONResponse({"ok": True}, status=201)  # HAL: other-library-idiom; receiver=call


def case_request_args():
    request = make_request()
    return request.args.get("q")  # HAL: other-library-idiom; receiver=helper-return


def case_route_method_kw():
    return Route("/", homepage, method="GET")  # HAL: invented-keyword; receiver=call


def case_headers_get_all():
    headers = Headers(raw=[(b"x-a", b"1"), (b"x-a", b"2")])
    return headers.get_all("x-a")  # HAL: other-library-idiom; receiver=constructor


def case_testclient_allow_redirects():
    client = TestClient(Starlette(routes=[Route("/", homepage)]))
    return client.get("/", allow_redirects=False)  # HAL: version-drift; receiver=constructor


def case_ujson_response():
    from starlette.responses import UJSONResponse  # HAL: version-drift; receiver=import
    return UJSONResponse


def case_request_query_params_getlist_typo():
    request = make_request()
    return request.query_params.get_list("q")  # HAL: invented-member; receiver=chain


def case_middleware_decorator():
    app = Starlette()

    @app.middleware("http")  # HAL: version-drift; receiver=constructor
    async def mw(request, call_next):
        return await call_next(request)

    return app
