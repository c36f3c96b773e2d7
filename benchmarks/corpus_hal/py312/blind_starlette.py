"""Blind set (written without running vetpy or reading its rules): Starlette 1.10."""
from starlette.requests import Request
from starlette.responses import RedirectResponse

SCOPE = {"type": "http", "method": "GET", "path": "/", "headers": [], "query_string": b"a=1"}


def case_redirect_status():
    return RedirectResponse("/login", status=302)  # HAL: other-library-idiom; receiver=call


def case_request_remote_addr():
    def client_ip(request: Request) -> str:
        return request.remote_addr  # HAL: other-library-idiom; receiver=param

    return client_ip(Request(SCOPE))


def case_request_args():
    request = Request(SCOPE)
    return request.args.get("a")  # HAL: other-library-idiom; receiver=constructor
