"""Iterating ``map(f, xs)`` gives what calling ``f`` gives (issue 15, recall26): ``for url in
map(URL, raw): url.hostname`` (yarl's ``URL`` has ``host``; ``hostname`` is urllib's) is reported,
as are a missing name on the results of a function annotated to return a class and of ``str``.

Look-alikes stay silent: real members; a function whose result is not known (unannotated, a
lambda); a ``map`` whose callable comes from a starred argument; ``map`` with one argument (a
TypeError of its own, not a member question)."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, one_package, run_with_package, site_context

pytestmark = pytest.mark.slow

SOURCE = '''
class Link:
    def __init__(self, raw):
        self.raw = raw

    @property
    def host(self):
        return self.raw.split("/")[2]


def parse(raw) -> Link:
    return Link(raw)


def anything(raw):
    return raw
'''


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, one_package("links", SOURCE)) as context:
        yield context


def test_a_missing_member_of_what_map_gives_is_reported(site):
    assert hal_call_lines(site, """
        from links import Link, parse


        def use(raw):
            for link in map(Link, raw):
                print(link.hostname)
            for link in map(parse, raw):
                print(link.hostname)
            for text in map(str, raw):
                print(text.decode())
    """) == ["7:HAL003", "9:HAL003", "11:HAL003"]


def test_real_members_and_unknown_results_of_map_stay_silent(site):
    assert hal_call_lines(site, """
        from links import Link, anything


        def use(raw, pairs):
            for link in map(Link, raw):
                print(link.host, link.raw)
            for text in map(str, raw):
                print(text.upper())
            for value in map(anything, raw):
                print(value.hostname)
            for value in map(lambda r: r, raw):
                print(value.hostname)
            for value in map(*pairs):
                print(value.hostname)
    """) == []


def test_the_reported_line_raises_and_the_look_alikes_run(tmp_path):
    flagged = run_with_package(tmp_path, "links", SOURCE, """
        from links import Link, anything

        def use():
            raw = ["https://a.example.com/x"]
            for link in map(Link, raw):
                print(link.host, link.raw)
            for value in map(anything, raw):
                print(value.upper())
            for link in map(Link, raw):
                print(link.hostname)
    """)
    assert flagged.splitlines()[-1] == "AttributeError 'Link' object has no attribute 'hostname'"
