"""Blind set: httpx 0.28 (no request leaves the process: MockTransport)."""
import httpx


def handler(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"path": request.url.path})


def make_client() -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler), base_url="http://test")


def case_client_retries():
    return httpx.Client(timeout=5, retries=2)  # HAL: invented-keyword; receiver=call


def case_response_reason():
    client = make_client()
    return client.get("/").reason  # HAL: other-library-idiom; receiver=chain


async def case_async_aget():
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler), base_url="http://test") as client:
        return await client.aget("/")  # HAL: invented-member; receiver=with-target


def case_get_params_positional():
    with make_client() as client:
        return client.get("/search", {"q": "x"})  # HAL: arity; receiver=with-target


def case_url_join_path():
    url = httpx.URL("http://test/api/")
    return url.join_path("v1")  # HAL: invented-member; receiver=constructor


def case_mock_spec_send_async():
    from unittest import mock
    client = mock.Mock(spec=httpx.Client)
    return client.send_async(httpx.Request("GET", "http://test/"))  # HAL: invented-member; receiver=mock-spec
