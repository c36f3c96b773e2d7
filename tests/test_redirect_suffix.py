"""SEC017 (open-redirect): a host check by a bare suffix (issue #20, service35's `payment_return`).

Specification: a redirect of request input whose function's only check of the URL's host is
``host.endswith("clinic.example")`` (a domain with no leading dot) is reported: ``evilclinic.example``
ends so too.  It is reported at the check (the defect), not at the redirect.  Not reported: a suffix with its dot (``".clinic.example"``), a host compared for
equality or membership as well, Django's ``url_has_allowed_host_and_scheme``, a suffix that is no
domain (``"localhost"``)."""

from __future__ import annotations

from test_security import lines

FLASK = """
    from urllib.parse import urlparse
    from flask import Flask, redirect, request

    app = Flask(__name__)
    ALLOWED = {"clinic.example"}
"""


def test_a_bare_domain_suffix_is_no_host_check() -> None:
    src = FLASK + """
    @app.get("/back")
    def back():
        target = request.args.get("return_to", "/")
        host = urlparse(target).hostname
        if host and not host.endswith("clinic.example"):
            target = "/"
        return redirect(target)

    @app.get("/back2")
    def back2():
        target = request.args.get("return_to", "/")
        if not urlparse(target).netloc.endswith(("clinic.example", "clinic.test")):
            target = "/"
        return redirect(target)
    """
    assert lines(src, "SEC017") == [12, 19]


def test_host_checks_that_hold_stay_silent() -> None:
    src = FLASK + """
    @app.get("/a")
    def a():
        target = request.args.get("return_to", "/")
        host = urlparse(target).hostname
        if host and not host.endswith(".clinic.example"):
            target = "/"
        return redirect(target)

    @app.get("/b")
    def b():
        target = request.args.get("return_to", "/")
        host = urlparse(target).hostname
        if host and not (host == "clinic.example" or host.endswith("clinic.example")):
            target = "/"
        return redirect(target)

    @app.get("/c")
    def c():
        target = request.args.get("return_to", "/")
        host = urlparse(target).netloc
        if host and host not in ALLOWED and not host.endswith("clinic.example"):
            target = "/"
        return redirect(target)

    @app.get("/d")
    def d():
        target = request.args.get("return_to", "/")
        host = urlparse(target).hostname
        if host and not host.endswith("localhost"):
            target = "/"
        return redirect(target)
    """
    assert lines(src, "SEC017") == []
