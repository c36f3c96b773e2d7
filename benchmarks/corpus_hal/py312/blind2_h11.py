"""Blind set 2 (written without running vetpy or reading its rules): h11 0.16 / httpcore 1.0."""
import h11
import httpcore


def case_h11_request_url():
    return h11.Request(method="GET", url="/", headers=[("Host", "example.org")])  # HAL: other-library-idiom; receiver=constructor


def case_httpcore_request_params():
    with httpcore.ConnectionPool() as pool:
        # httpx's params=; httpcore takes the query in the URL
        return pool.request("GET", "https://example.org/", params={"q": "1"})  # HAL: other-library-idiom; receiver=with-target
