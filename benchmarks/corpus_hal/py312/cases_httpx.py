"""httpx 0.28: requests/aiohttp idioms, keywords removed in 0.28."""
import httpx


def handler(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"ok": True})


def mock_client() -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler), base_url="https://api.example.invalid")


def case_client_proxies():
    return httpx.Client(proxies="http://proxy.invalid:8080")  # HAL: version-drift; receiver=call


def case_asyncclient_app():
    async def app(scope, receive, send):
        pass
    return httpx.AsyncClient(app=app, base_url="http://test")  # HAL: version-drift; receiver=call


def case_response_status():
    client = mock_client()
    resp = client.get("/items")
    return resp.status  # HAL: other-library-idiom; receiver=helper-return


def case_response_ok():
    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        resp = client.get("https://api.example.invalid/")
        return resp.ok  # HAL: other-library-idiom; receiver=with-target


def case_get_allow_redirects():
    client = mock_client()
    return client.get("/", allow_redirects=False)  # HAL: other-library-idiom; receiver=helper-return


def case_get_data():
    with mock_client() as client:
        return client.get("/search", data={"q": "x"})  # HAL: other-library-idiom; receiver=with-target


async def case_await_json():
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        resp = await client.get("https://api.example.invalid/")
        return await resp.json()  # HAL: other-library-idiom; receiver=await


def case_json_body():
    resp = httpx.Response(200, json={"a": 1})
    return resp.json_body  # HAL: invented-member; receiver=constructor


def case_timeout_connect_timeout():
    return httpx.Timeout(5.0, connect_timeout=2.0)  # HAL: version-drift; receiver=call


def case_connection_error():
    return httpx.ConnectionError  # HAL: other-library-idiom; receiver=module


def case_iter_content():
    resp = httpx.Response(200, content=b"abcdef")
    return list(resp.iter_content(2))  # HAL: other-library-idiom; receiver=constructor


def case_request_verify():
    client = mock_client()
    return client.request("GET", "/", verify=False)  # HAL: version-drift; receiver=helper-return


async def case_async_get_retries():
    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return await client.get("https://api.example.invalid/", retries=2)  # HAL: invented-keyword; receiver=constructor


def case_headers_getlist():
    resp = httpx.Response(200, headers=[("set-cookie", "a=1"), ("set-cookie", "b=2")])
    return resp.headers.getlist("set-cookie")  # HAL: other-library-idiom; receiver=chain


def case_response_positional_content():
    return httpx.Response(200, b"body")  # HAL: arity; receiver=call


def case_param_client():
    def fetch(client: httpx.Client) -> bytes:
        return client.fetch("/").content  # HAL: invented-member; receiver=param

    return fetch(mock_client())
