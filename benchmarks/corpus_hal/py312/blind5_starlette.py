"""blind5 / Starlette 1.10 (issue 15, point 3).

Sources: Starlette 0.26 deprecation of ``on_startup`` / ``on_shutdown`` and the decorators
(``@app.route``, ``@app.on_event``, ``@app.middleware``, ``@app.exception_handler``), removed in 1.0
(https://github.com/taskiq-python/taskiq-fastapi/pull/27, https://github.com/AnswerDotAI/fasthtml/pull/849),
the requests-based TestClient before 0.21 (``allow_redirects=``), Flask's ``redirect(code=)`` /
``get_json()``, aiohttp's ``web.json_response(status=)``, requests' ``.ok``, the Fetch API's
``Headers.set``, yarl's ``host``, multidict's ``getall``, httpx's ``timeout=``.
"""

from starlette.applications import Starlette
from starlette.background import BackgroundTasks
from starlette.datastructures import URL, QueryParams
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse
from starlette.routing import Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.testclient import TestClient


async def home(request):
    return JSONResponse({"q": request.query_params.get("q")})


def build_app() -> Starlette:
    return Starlette(routes=[Route("/", home)])


def case_on_startup_keyword():
    return Starlette(routes=[], on_startup=[lambda: None])  # HAL: version-drift; receiver=constructor


def case_route_decorator():
    app = Starlette()

    @app.route("/health")  # HAL: version-drift; receiver=constructor
    async def health(request):
        return PlainTextResponse("ok")

    return app


def case_on_event_helper():
    app = build_app()

    @app.on_event("startup")  # HAL: version-drift; receiver=helper-return
    async def startup():
        pass

    return app


def case_json_response_status():
    return JSONResponse({"ok": True}, status=201)  # HAL: other-library-idiom; receiver=constructor


def case_redirect_code():
    return RedirectResponse("/login", code=302)  # HAL: other-library-idiom; receiver=constructor


def case_testclient_allow_redirects():
    with TestClient(build_app()) as client:
        return client.get("/", allow_redirects=False)  # HAL: version-drift; receiver=with-target


def case_testclient_response_ok():
    resp = TestClient(build_app()).get("/")
    return resp.ok  # HAL: other-library-idiom; receiver=factory


def case_loop_get_json():
    client = TestClient(build_app())
    out = []
    for resp in (client.get("/"), client.get("/?q=1")):
        out.append(resp.get_json())  # HAL: other-library-idiom; receiver=loop
    return out


def case_response_headers_set():
    response = PlainTextResponse("ok")
    response.headers.set("X-Request-Id", "1")  # HAL: other-library-idiom; receiver=chain
    return response


def case_query_params_getall():
    params = QueryParams("tag=a&tag=b")
    return params.getall("tag")  # HAL: other-library-idiom; receiver=constructor


def case_background_tasks_add():
    tasks = BackgroundTasks()
    tasks.add(print, "sent")  # HAL: invented-member; receiver=constructor
    return tasks


def case_http_exception_message():
    return HTTPException(404, message="not found")  # HAL: invented-keyword; receiver=constructor


def case_templates_template_dir():
    return Jinja2Templates(template_dir="templates")  # HAL: invented-keyword; receiver=constructor


def case_url_host():
    return URL("https://example.com/a").host  # HAL: other-library-idiom; receiver=constructor


def case_testclient_timeout():
    return TestClient(build_app(), timeout=5)  # HAL: other-library-idiom; receiver=constructor


def case_route_method_keyword():
    return Route("/", home, method="GET")  # HAL: invented-keyword; receiver=constructor


def case_staticfiles_path():
    return StaticFiles(path="/tmp")  # HAL: invented-keyword; receiver=constructor


async def case_await_body_json():
    scope = {"type": "http", "method": "POST", "path": "/", "query_string": b"", "headers": []}

    async def receive():
        return {"type": "http.request", "body": b'{"a": 1}', "more_body": False}

    request = Request(scope, receive)
    body = await request.body()
    return body.json()  # HAL: other-library-idiom; receiver=await
