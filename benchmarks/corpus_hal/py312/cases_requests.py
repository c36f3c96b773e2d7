"""requests 2.34: keywords forwarded through **kwargs, httpx/aiohttp idioms, invented members."""
from unittest import mock

import requests
from requests.adapters import HTTPAdapter

URL = "https://api.example.invalid/items"


def make_session() -> requests.Session:
    session = requests.Session()
    session.headers["User-Agent"] = "corpus"
    return session


def case_get_retries():
    return requests.get(URL, retries=3)  # HAL: invented-keyword; receiver=kwargs-forward


def case_post_verify_ssl():
    return requests.post(URL, json={"a": 1}, verify_ssl=False)  # HAL: other-library-idiom; receiver=kwargs-forward


def case_get_follow_redirects():
    return requests.get(URL, follow_redirects=True)  # HAL: other-library-idiom; receiver=kwargs-forward


def case_session_get_retry():
    session = make_session()
    return session.get(URL, max_retries=2)  # HAL: invented-keyword; receiver=helper-return


def case_response_status():
    resp = requests.Response()
    resp.status_code = 200
    return resp.status  # HAL: other-library-idiom; receiver=constructor


def case_session_set_headers():
    with requests.Session() as session:
        session.set_headers({"X-Token": "t"})  # HAL: invented-member; receiver=with-target


def case_adapter_backoff():
    session = requests.Session()
    session.mount("https://", HTTPAdapter(max_retries=3, backoff_factor=0.5))  # HAL: invented-keyword; receiver=call
    return session


def case_prepared_send():
    prepared = requests.Request("GET", URL).prepare()
    return prepared.send()  # HAL: invented-member; receiver=chain


def case_http_status_error():
    errors = (requests.exceptions.HTTPStatusError, requests.exceptions.Timeout)  # HAL: other-library-idiom; receiver=module
    return errors


def case_session_timeout_ctor():
    return requests.Session(timeout=10)  # HAL: invented-keyword; receiver=call


def case_raise_for_status_kw():
    resp = requests.Response()
    resp.status_code = 200
    resp.raise_for_status(strict=True)  # HAL: invented-keyword; receiver=constructor


def case_async_get():
    return requests.async_get(URL)  # HAL: invented-member; receiver=module


def case_mock_spec_session():
    session = mock.create_autospec(requests.Session, instance=True)
    return session.fetch(URL)  # HAL: invented-member; receiver=mock-spec


def case_response_json_data():
    resp = requests.Response()
    resp._content = b'{"a": 1}'
    return resp.json_data  # HAL: invented-member; receiver=constructor


def case_request_timeout_kw():
    return requests.Request("GET", URL, timeout=5)  # HAL: invented-keyword; receiver=call


def case_iter_bytes():
    resp = requests.Response()
    resp._content = b"abc"
    return list(resp.iter_bytes())  # HAL: other-library-idiom; receiver=constructor


def case_get_positional_arity():
    return requests.get(URL, {"q": "1"}, {"Accept": "json"})  # HAL: arity; receiver=call


def case_param_response_status():
    def summarize(resp: requests.Response) -> int:
        return resp.status  # HAL: other-library-idiom; receiver=param

    return summarize(requests.Response())


def case_annotated_local_session():
    session: requests.Session = requests.Session()
    session.set_proxy("http://proxy.invalid")  # HAL: invented-member; receiver=annotated-local
