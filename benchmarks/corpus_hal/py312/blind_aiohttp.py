"""Blind set: aiohttp 3.14."""
import aiohttp
from aiohttp import web


async def case_session_follow_redirects():
    async with aiohttp.ClientSession() as session:
        return session.get("http://test.invalid/", follow_redirects=True)  # HAL: other-library-idiom; receiver=with-target


def case_response_mimetype():
    return web.Response(body=b"x", mimetype="text/plain")  # HAL: other-library-idiom; receiver=call


def case_import_timeout_error():
    from aiohttp import ClientTimeoutError  # HAL: invented-member; receiver=import
    return ClientTimeoutError


def case_app_add_route_method():
    app = web.Application()
    return app.add_route("GET", "/", lambda request: web.Response())  # HAL: other-library-idiom; receiver=constructor
