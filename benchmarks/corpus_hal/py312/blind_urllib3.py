"""Blind set (written without running vetpy or reading its rules): urllib3 2.8."""
import urllib3


def case_urllib3_request_params():
    http = urllib3.PoolManager()
    return http.request("GET", "http://example.invalid/", params={"q": "1"})  # HAL: other-library-idiom; receiver=kwargs-forward


def case_urllib3_timeout_write():
    return urllib3.util.Timeout(connect=1.0, read=2.0, write=3.0)  # HAL: invented-keyword; receiver=call


def case_urllib3_response_text():
    resp = urllib3.response.HTTPResponse(body=b"x", status=200)
    return resp.text  # HAL: other-library-idiom; receiver=constructor
