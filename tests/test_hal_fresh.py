"""An instance just made by calling its installed class, and handed to no other code, has only
what its class gives it (issue 15): not the names its package assigns on objects from outside
(Django's test client sets ``response.json``), nor those the project assigns on other objects
(``r.status_code = 200`` on a ``requests.Response`` in another module).  Each beside the
look-alike that stays silent: the instance passed to a function, stored in a container, returned,
rebound, made at module level, known only from an annotation, or a name its class does give."""

from __future__ import annotations

import pytest

from test_hal_support import hal_call_lines, site_context

pytestmark = pytest.mark.slow

OUTFIT = '''
class Response:
    def __init__(self, status):
        self.status = status

    def text(self):
        return ""


def attach(resp):
    resp.json = lambda: {}
'''


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory):
    with site_context(tmp_path_factory, {"outfit.py": OUTFIT}) as context:
        # the project assigns `status_code` on some object elsewhere
        (context.root / "elsewhere.py").write_text("def mark(r):\n    r.status_code = 200\n")
        yield context


names = hal_call_lines


def test_a_name_only_assigned_from_outside_is_missing_on_a_new_instance(ctx):
    assert names(ctx, """
        import outfit

        def made():
            r = outfit.Response(200)
            r.text()
            return r.json()

        def made_here():
            return outfit.Response(200).json

        def project_assigned():
            r = outfit.Response(201)
            return r.status_code
    """) == ["7:HAL003", "10:HAL003", "14:HAL003"]


def test_an_instance_other_code_may_have_touched_stays_silent(ctx):
    assert names(ctx, """
        import outfit

        def passed():
            r = outfit.Response(200)
            outfit.attach(r)
            return r.json(), r.status_code

        def stored():
            r = outfit.Response(200)
            kept = [r]
            return r.json(), kept

        def rebound(other):
            r = outfit.Response(200)
            if other:
                r = other
            return r.json()

        def annotated(r: outfit.Response):
            return r.json(), r.status_code

        def given():
            r = outfit.Response(200)
            return r.status, r.text()

        module_level = outfit.Response(200)
        module_level.json()
    """) == []
