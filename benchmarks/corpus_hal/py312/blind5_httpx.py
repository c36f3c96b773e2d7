"""blind5 / httpx 0.28 (issue 15, point 3).

Sources: httpx 0.28.0 changelog ("The deprecated ``proxies`` argument has now been removed", "The
deprecated ``app`` argument has now been removed"; https://github.com/encode/httpx/blob/master/CHANGELOG.md),
0.20's ``allow_redirects`` -> ``follow_redirects``, pre-0.18 ``Timeout(connect_timeout=)``;
requests' vocabulary (``get(data=)``, ``.reason``, ``iter_content``, ``ConnectionError``; the httpx
"Requests compatibility" page), werkzeug's ``getlist``, Starlette's ``query_params``, invented
``BearerAuth`` / ``pool_size`` / ``codes.SUCCESS``.
"""

import httpx


def handler(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"ok": True}, headers={"Set-Cookie": "a=1"})


def case_client_proxies():
    return httpx.Client(proxies="http://proxy.local:8080")  # HAL: version-drift; receiver=constructor


async def case_async_client_app():
    async with httpx.AsyncClient(app=None, base_url="http://test") as client:  # HAL: version-drift; receiver=constructor
        return client


def case_client_allow_redirects():
    return httpx.Client(allow_redirects=False)  # HAL: version-drift; receiver=constructor


def case_timeout_connect_timeout():
    return httpx.Timeout(connect_timeout=5.0)  # HAL: version-drift; receiver=constructor


def case_get_data_keyword():
    return httpx.get("https://example.com", data={"q": "x"})  # HAL: other-library-idiom; receiver=module


def case_client_retries():
    return httpx.Client(retries=3)  # HAL: other-library-idiom; receiver=constructor


def case_url_query_params():
    url = httpx.URL("https://example.com/?a=1")
    return url.query_params  # HAL: other-library-idiom; receiver=constructor


def case_query_params_getlist():
    return httpx.QueryParams("a=1&a=2").getlist("a")  # HAL: other-library-idiom; receiver=constructor


def case_with_client_headers_getlist():
    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        resp = client.get("https://example.com")
        return resp.headers.getlist("set-cookie")  # HAL: other-library-idiom; receiver=chain


def case_stream_reason():
    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        with client.stream("GET", "https://example.com") as resp:
            return resp.reason  # HAL: other-library-idiom; receiver=with-target


def case_limits_pool_size():
    return httpx.Limits(pool_size=10)  # HAL: invented-keyword; receiver=constructor


async def case_await_iter_content():
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        resp = await client.get("https://example.com")
        return list(resp.iter_content(1024))  # HAL: other-library-idiom; receiver=await


def case_bearer_auth():
    return httpx.BearerAuth("token")  # HAL: invented-member; receiver=module


def case_codes_success():
    return httpx.codes.SUCCESS  # HAL: invented-member; receiver=class


def case_connection_error():
    try:
        raise RuntimeError("offline")
    except RuntimeError:
        raise httpx.ConnectionError("offline")  # HAL: other-library-idiom; receiver=module
