"""blind5 / urllib3 2.8 (issue 15, point 3).

Sources: urllib3 2.0 migration guide (``Retry(method_whitelist=)`` and
``Retry.DEFAULT_METHOD_WHITELIST`` removed for ``allowed_methods`` / ``DEFAULT_ALLOWED_METHODS``,
``urllib3.contrib.securetransport`` removed; https://urllib3.readthedocs.io/en/stable/v2-migration-guide.html),
requests' ``status_code``, httpx's ``connect_timeout``-style names, invented ``bearer_token=`` /
``query_params``.
"""

import urllib3
from urllib3.util import parse_url


def case_retry_method_whitelist():
    return urllib3.Retry(total=3, method_whitelist=["GET", "PUT"])  # HAL: version-drift; receiver=constructor


def case_retry_default_method_whitelist():
    return urllib3.Retry.DEFAULT_METHOD_WHITELIST  # HAL: version-drift; receiver=class


def case_import_securetransport():
    from urllib3.contrib import securetransport  # HAL: version-drift; receiver=import
    return securetransport


def case_response_status_code():
    resp = urllib3.HTTPResponse(body=b"{}", status=200, headers={"Content-Type": "application/json"})
    return resp.status_code  # HAL: other-library-idiom; receiver=constructor


def case_timeout_connect_timeout():
    return urllib3.Timeout(connect_timeout=2.0, read=5.0)  # HAL: other-library-idiom; receiver=constructor


def case_make_headers_bearer():
    return urllib3.make_headers(bearer_token="abc")  # HAL: invented-keyword; receiver=module


def case_parse_url_query_params():
    return parse_url("https://example.com/a?b=1").query_params  # HAL: invented-member; receiver=chain
