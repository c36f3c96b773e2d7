"""A Django-style view routed by a decorator holding its URL pattern (wagtail's ``@route``,
``@path``, ``@re_path`` on a routable page): a parameter that the pattern can only fill with
digits (``(\\d+)``, ``<int:year>``) cannot carry markup, SQL or a path; one filled by
``<slug:title>`` (``[-a-zA-Z0-9_]+``) cannot carry markup or a path. Found on wagtail's test app
(issue #16); everything else the pattern may match stays request input."""

from __future__ import annotations

from tests.test_security import lines

HEAD = """\
from django.http import HttpResponse
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path, route
import os


class Blog(RoutablePageMixin):
"""


def test_digit_and_slug_parameters_are_not_markup() -> None:
    src = HEAD + """\
    @route(r"^archive/year/(\\d+)/$")
    def by_year(self, request, year):
        return HttpResponse("YEAR: " + str(year))

    @re_path(r"^archive/n/(?P<n>[0-9]{4})/$")
    def by_n(self, request, n):
        return HttpResponse("N: " + n)

    @path("archive/title/<slug:title>/")
    def by_title(self, request, title):
        return HttpResponse("TITLE: " + title)

    @path("archive/id/<int:ident>/")
    def by_id(self, request, ident):
        return HttpResponse("ID: %s" % ident)

    @path("archive/doc/<slug:name>/")
    def doc(self, request, name):
        return HttpResponse(open(os.path.join("/srv/docs", name)).read(), content_type="text/plain")
"""
    assert lines(src, "SEC014") == []
    assert lines(src, "SEC015") == []


def test_parameters_the_pattern_does_not_restrict_stay_untrusted() -> None:
    src = HEAD + """\
    @route(r"^archive/author/(?P<author_slug>.+)/$")
    def by_author(self, request, author_slug):
        return HttpResponse("AUTHOR: " + author_slug)

    @path("archive/title/<str:title>/")
    def by_title(self, request, title):
        return HttpResponse("TITLE: " + title)

    @path("archive/any/<rest>/")
    def by_rest(self, request, rest):
        return HttpResponse("REST: " + rest)

    @route(r"^archive/(\\w+)/(\\d+)/$")
    def two(self, request, word, number):
        return HttpResponse(word + str(number))

    @route(r"^archive/(?P<year>\\d+)/(.+)/$")
    def named_wins(self, request, year, other):
        return HttpResponse(other)

    @route(r"^x/(\\d+)/$")
    def digits_elsewhere(self, request, page, other):
        return HttpResponse(other)
"""
    assert lines(src, "SEC014") == [9, 13, 17, 21, 25, 29]


def test_a_str_parameter_still_reaches_a_path() -> None:
    src = HEAD + """\
    @path("archive/doc/<str:name>/")
    def doc(self, request, name):
        return HttpResponse(open(os.path.join("/srv/docs", name)).read(), content_type="text/plain")

    @re_path(r"^doc/(?P<name>[-\\w.]+)/$")
    def dotted(self, request, name):
        return HttpResponse(open(os.path.join("/srv/docs", name)).read(), content_type="text/plain")
"""
    assert lines(src, "SEC015") == [9, 13]


def test_a_slug_is_still_sql_input() -> None:
    src = HEAD + """\
    @path("archive/title/<slug:title>/")
    def by_title(self, request, title):
        cursor.execute("SELECT * FROM t WHERE slug = " + title)
        return HttpResponse("ok")
"""
    assert lines(src, "SEC001") == [9]
