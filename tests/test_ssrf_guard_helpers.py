"""SEC016 (server-side-request-forgery): a helper of the module that checks the URL's host guards it.

Specification (issue #20, service36's ``if not _public_address(callback_url): return False`` before
``requests.post(callback_url, ...)``, where ``_public_address`` parses the URL, resolves its host with
``socket.getaddrinfo`` and requires ``ipaddress.ip_address(...).is_global``): a function of the module
given the URL, whose body checks its host or scheme (what vetpy accepts inline: ``urlparse``,
``.hostname``, ``.netloc``, an allow-list helper, or the address's ``is_global``/``is_private``) and
whose answer decides a condition before the request, checks the URL as much as the same lines written
inline.  Still reported: a helper that checks nothing of a URL (``_describe(url)``), a checking helper
given another value, and a check called after the request.
"""

from __future__ import annotations

from test_security import lines

SRC = """
import ipaddress
import socket
from urllib.parse import urlparse

import requests
from flask import Flask, request

app = Flask(__name__)


def _public_address(url):
    parsed = urlparse(url)
    if parsed.scheme != "https" or not parsed.hostname:
        return False
    infos = socket.getaddrinfo(parsed.hostname, 443)
    return all(ipaddress.ip_address(info[4][0]).is_global for info in infos)


def _describe(url):
    return f"<{url}>"


def notify_partner(callback_url, payload):
    if not _public_address(callback_url):
        return False
    return requests.post(callback_url, json=payload, timeout=5).ok


def notify_other(callback_url, payload):
    if not _describe(callback_url):
        return False
    return requests.post(callback_url, json=payload, timeout=5).ok


def notify_late(callback_url, payload):
    ok = requests.post(callback_url, json=payload, timeout=5).ok
    if not _public_address(callback_url):
        return False
    return ok


@app.post("/cb")
def set_callback():
    notify_partner(request.json["url"], {})
    notify_other(request.json["url"], {})
    notify_late(request.json["url"], {})
    return "ok"


@app.post("/cb2")
def set_callback_inline():
    url = request.json["url"]
    if not _public_address(url):
        return "no", 400
    requests.post(url, timeout=5)
    return "ok"


@app.post("/cb3")
def set_callback_other_value():
    url = request.json["url"]
    if not _public_address(request.json["home"]):
        return "no", 400
    requests.post(url, timeout=5)
    return "ok"
"""


def test_a_helper_checking_the_host_guards_the_request():
    assert lines(SRC, "SEC016") == [33, 37, 65]
