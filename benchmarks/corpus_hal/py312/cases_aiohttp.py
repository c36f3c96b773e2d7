"""aiohttp 3.14: requests/flask idioms on sessions, responses and applications."""
import aiohttp
from aiohttp import web


async def case_session_fetch():
    async with aiohttp.ClientSession() as session:
        return await session.fetch("https://api.example.invalid/")  # HAL: invented-member; receiver=with-target


def case_timeout_read_kw():
    return aiohttp.ClientTimeout(total=10, read=5)  # HAL: invented-keyword; receiver=call


def case_json_response_status_code():
    return web.json_response({"a": 1}, status_code=201)  # HAL: other-library-idiom; receiver=call


def case_app_route_decorator():
    app = web.Application()

    @app.route("/health")  # HAL: other-library-idiom; receiver=constructor
    async def health(request):
        return web.Response(text="ok")

    return app


async def case_session_verify():
    async with aiohttp.ClientSession(verify=False) as session:  # HAL: other-library-idiom; receiver=call
        return session


def case_response_status_code():
    resp = web.Response(text="x", status=201)
    return resp.status_code  # HAL: other-library-idiom; receiver=constructor


def case_http_error():
    return aiohttp.HTTPError  # HAL: other-library-idiom; receiver=module


def case_router_add_get_methods():
    app = web.Application()

    async def handler(request):
        return web.Response()

    app.router.add_get("/", handler, methods=["GET"])  # HAL: invented-keyword; receiver=chain
    return app


async def case_connector_limit_kw():
    connector = aiohttp.TCPConnector(max_connections=10)  # HAL: invented-keyword; receiver=call
    return connector


def case_app_add_url_rule():
    app = web.Application()
    app.add_url_rule("/", "index", lambda: None)  # HAL: other-library-idiom; receiver=constructor
    return app


def case_routes_table_route():
    routes = web.RouteTableDef()

    @routes.route("/x")  # HAL: arity; receiver=constructor
    async def handler(request):
        return web.Response()

    return routes


async def case_session_get_timeout_int_kw():
    async with aiohttp.ClientSession() as session:
        return session.request_json("GET", "https://api.example.invalid/")  # HAL: invented-member; receiver=with-target
