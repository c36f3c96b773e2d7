"""blind5 / requests 2.34 (issue 15, point 3).

Sources: httpx's vocabulary on requests objects (``Client(timeout=)`` -> ``Session(timeout=)``,
``is_success``, ``iter_bytes``; https://www.python-httpx.org/compatibility/ lists the differences the
other way round), aiohttp's ``resp.status``, urllib3's ``Retry``-style ``retries=`` on
``HTTPAdapter`` (it is ``max_retries``), "TypeError: mount() missing 1 required positional argument",
``PreparedRequest.send`` (it is ``Session.send``), builtins' ``TimeoutError`` on the module, and
``json.loads`` keywords forwarded by ``Response.json(**kwargs)``.
"""

import io

import requests
from requests.adapters import HTTPAdapter
from unittest import mock


def _fake_response() -> requests.Response:
    resp = requests.Response()
    resp.status_code = 200
    resp._content = b'{"a": 1}'
    resp.encoding = "utf-8"
    resp.raw = io.BytesIO(b"")
    return resp


def case_session_timeout_keyword():
    return requests.Session(timeout=10)  # HAL: other-library-idiom; receiver=constructor


def case_request_timeout_keyword():
    return requests.Request("GET", "https://example.com", timeout=5)  # HAL: invented-keyword; receiver=constructor


def case_adapter_retries():
    return HTTPAdapter(retries=3)  # HAL: other-library-idiom; receiver=constructor


def case_helper_is_success():
    return _fake_response().is_success  # HAL: other-library-idiom; receiver=helper-return


def case_with_response_status():
    with _fake_response() as resp:
        return resp.status  # HAL: other-library-idiom; receiver=with-target


def case_mount_without_prefix():
    session = requests.Session()
    session.mount(HTTPAdapter(max_retries=3))  # HAL: arity; receiver=constructor


def case_prepared_send():
    return requests.Request("GET", "https://example.com").prepare().send()  # HAL: other-library-idiom; receiver=chain


def case_json_object_pairs():
    return _fake_response().json(object_pairs=list)  # HAL: invented-keyword; receiver=kwargs-forward


def case_loop_iter_bytes():
    chunks = []
    for resp in [_fake_response(), _fake_response()]:
        chunks.extend(resp.iter_bytes())  # HAL: other-library-idiom; receiver=loop
    return chunks


def case_module_timeout_error():
    return requests.TimeoutError  # HAL: other-library-idiom; receiver=module


def case_autospec_session_fetch():
    session = mock.create_autospec(requests.Session, instance=True)
    return session.fetch("https://example.com")  # HAL: invented-member; receiver=mock-spec
