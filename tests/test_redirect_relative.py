"""SEC017 open-redirect: a target checked to be a path on this site is no finding (service37's
``admin.after_action``, a blind false positive).

Specification: a redirect target (a name) is a path on this site when, before the redirect, an
``if`` of the view

- rejects it (the body returns, raises, aborts, or rebinds the name to a value that is not request
  input) when it does not start with ``/``, or starts with ``//``, or holds a backslash
  (``"\\\\" in target``, or ``target.startswith("/\\\\")``: browsers read ``/\\`` as ``//``), each of
  the three among the tests joined by ``or``; or
- holds the redirect in its body and requires, joined by ``and``, that it starts with ``/``, does
  not start with ``//``, and has no backslash.

Werkzeug 3.1 quotes a ``Location``'s tab and newline (``iri_to_uri`` in ``get_wsgi_headers``), so
``/\\t/evil`` stays on the site.  A check missing any of the three (``startswith("/")`` alone,
``//`` but not the backslash) still lets a target leave the site and is reported, as is a target
rebound from the request after the check.
"""

from __future__ import annotations

from test_security import lines

HEAD = """
    from flask import Flask, abort, redirect, request, url_for

    app = Flask(__name__)
"""


def test_a_target_checked_to_be_a_local_path_is_not_reported() -> None:
    src = HEAD + """
    @app.get("/a")
    def after_action():
        target = request.args.get("next") or url_for("home")
        if not target.startswith("/") or target.startswith("//") or "\\\\" in target:
            target = url_for("home")
        return redirect(target)


    @app.get("/b")
    def back():
        target = request.args.get("next", "/")
        if not target.startswith("/") or target.startswith(("//", "/\\\\")):
            abort(400)
        return redirect(target)


    @app.get("/c")
    def onward():
        target = request.args.get("next", "/")
        if target.startswith("/") and not target.startswith("//") and "\\\\" not in target:
            return redirect(target)
        return redirect("/")
    """
    assert lines(src, "SEC017") == []


def test_an_incomplete_check_or_a_target_rebound_after_it_is_reported() -> None:
    src = HEAD + """
    @app.get("/a")
    def no_backslash():
        target = request.args.get("next") or url_for("home")
        if not target.startswith("/") or target.startswith("//"):
            target = url_for("home")
        return redirect(target)


    @app.get("/b")
    def slash_only():
        target = request.args.get("next", "/")
        if target.startswith("/"):
            return redirect(target)
        return redirect("/")


    @app.get("/c")
    def rebound():
        target = request.args.get("next", "/")
        if not target.startswith("/") or target.startswith("//") or "\\\\" in target:
            abort(400)
        target = request.args.get("then", "/")
        return redirect(target)


    @app.get("/d")
    def logged_only():
        target = request.args.get("next", "/")
        if not target.startswith("/") or target.startswith("//") or "\\\\" in target:
            app.logger.warning("odd target %s", target)
        return redirect(target)
    """
    assert lines(src, "SEC017") == [11, 18, 28, 36]
