"""Blind set 4 (written without running vetpy or reading its rules): httpx."""
import httpx


def _handler(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"ok": True}, headers={"content-type": "application/json"})


def _client() -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(_handler), base_url="http://test")


def case_get_json_body_keyword():
    with _client() as client:
        # requests.get(url, json=...) is accepted; httpx's get() has no json=
        return client.get("/", json={"a": 1})  # HAL: other-library-idiom; receiver=with-target


def case_stream_iter_chunks():
    with _client() as client:
        with client.stream("GET", "/") as response:
            return list(response.iter_chunks())  # HAL: invented-member; receiver=with-target


def case_response_content_type():
    response = httpx.Response(200, headers={"content-type": "text/plain"})
    # aiohttp's resp.content_type; httpx keeps it in headers
    return response.content_type  # HAL: other-library-idiom; receiver=constructor


def case_url_query_params():
    url = httpx.URL("http://a/b?x=1")
    return url.query_params  # HAL: other-library-idiom; receiver=constructor


def case_limits_max_keepalive():
    return httpx.Limits(max_connections=5, max_keepalive=2)  # HAL: version-drift; receiver=call


async def case_async_response_text_call():
    async with httpx.AsyncClient(transport=httpx.MockTransport(_handler)) as client:
        response = await client.get("http://test/")
        # aiohttp's await resp.text(); httpx's text is a property
        return await response.text()  # HAL: other-library-idiom; receiver=await


def case_headers_loop_decode():
    out = []
    for _name, value in httpx.Headers({"a": "1"}).items():
        out.append(value.decode())  # HAL: other-library-idiom; receiver=loop
    return out


def case_helper_send_request_keyword():
    return _client().request("GET", "/", allow_redirect=False)  # HAL: invented-keyword; receiver=helper-return


def case_client_event_hooks_attr():
    client = _client()
    return client.hooks  # HAL: invented-member; receiver=helper-return
