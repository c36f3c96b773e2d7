"""Blind set (written without running vetpy or reading its rules): requests 2.34."""
import requests
from requests.adapters import HTTPAdapter


URL = "https://api.example.invalid/items"


def canned(status: int = 200, body: bytes = b'{"ok": true}') -> requests.Response:
    resp = requests.Response()
    resp.status_code = status
    resp._content = body
    resp.url = URL
    return resp


def fetch_pair() -> tuple[requests.Response, dict]:
    return canned(), {"attempt": 1}


def case_session_get_json():
    with requests.Session() as s:
        return s.get_json(URL)  # HAL: invented-member; receiver=with-target


def case_response_text_called():
    return canned().text()  # HAL: other-library-idiom; receiver=helper-return


def case_loop_is_success():
    out = []
    for r in [canned(200), canned(404)]:
        out.append(r.is_success)  # HAL: other-library-idiom; receiver=loop
    return out


def case_post_max_redirects():
    return requests.post(URL, data={"a": 1}, max_redirects=3)  # HAL: invented-keyword; receiver=kwargs-forward


def case_adapter_retries():
    return HTTPAdapter(pool_maxsize=4, retries=3)  # HAL: other-library-idiom; receiver=call


def case_unpack_reason_phrase():
    resp, _meta = fetch_pair()
    return resp.reason_phrase  # HAL: other-library-idiom; receiver=unpack
