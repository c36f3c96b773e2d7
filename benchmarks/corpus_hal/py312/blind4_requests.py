"""Blind set 4 (written without running vetpy or reading its rules): requests."""
import requests
from requests.adapters import HTTPAdapter
from requests.auth import HTTPBasicAuth

URL = "http://test.invalid/"


def case_get_timeout_sec():
    return requests.get(URL, params={"a": 1}, timeout_sec=3)  # HAL: invented-keyword; receiver=kwargs-forward


def case_response_is_ok():
    response = requests.Response()
    response.status_code = 200
    return response.is_ok  # HAL: invented-member; receiver=constructor


def case_session_headers_set():
    with requests.Session() as session:
        session.headers.set("X-Token", "t")  # HAL: other-library-idiom; receiver=with-target


def case_exceptions_timeout_error():
    return requests.exceptions.TimeoutError  # HAL: other-library-idiom; receiver=module


def case_adapter_pool_size():
    return HTTPAdapter(pool_size=10)  # HAL: invented-keyword; receiver=call


def case_basic_auth_encode():
    return HTTPBasicAuth("u", "p").encode()  # HAL: invented-member; receiver=constructor


def case_prepared_request_body_json():
    prepared = requests.Request("POST", URL, json={"a": 1}).prepare()
    return prepared.json()  # HAL: invented-member; receiver=chain


def case_session_mount_adapter_list():
    session = requests.Session()
    return session.adapters_for(URL)  # HAL: invented-member; receiver=constructor
