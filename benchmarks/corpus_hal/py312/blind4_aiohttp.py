"""Blind set 4 (written without running vetpy or reading its rules): aiohttp."""
import aiohttp
from aiohttp import web


async def case_session_get_timeout_seconds():
    async with aiohttp.ClientSession() as session:
        return session.get("http://test.invalid/", timeout_seconds=5)  # HAL: invented-keyword; receiver=with-target


def case_router_add_static_route():
    app = web.Application()
    return app.router.add_static_route("/static", ".")  # HAL: invented-member; receiver=chain


def case_json_response_json():
    response = web.json_response({"a": 1})
    return response.json()  # HAL: other-library-idiom; receiver=factory


def case_formdata_add_file():
    form = aiohttp.FormData()
    form.add_file("f", b"x", filename="a.txt")  # HAL: invented-member; receiver=constructor


def case_basic_auth_encode_header():
    return aiohttp.BasicAuth("u", "p").encode_header()  # HAL: invented-member; receiver=constructor


def case_web_response_media_type():
    # Starlette's media_type=; aiohttp's keyword is content_type=
    return web.Response(text="x", media_type="text/plain")  # HAL: other-library-idiom; receiver=call


async def case_session_headers_update_header():
    async with aiohttp.ClientSession(headers={"a": "1"}) as session:
        return session.headers.set("b", "2")  # HAL: invented-member; receiver=with-target

