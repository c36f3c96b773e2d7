"""What the project's own code does to objects it does not own (vetpy.first_party), and what HAL003
makes of it: the project's middleware sets ``request.event``; the project makes ``getLogger()``
return its Logger subclass.  Both were false positives on real applications (benchmarks/realapps.md,
N1: 74 findings, N12: 24); a look-alike that no code can have set is still reported."""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pathlib import Path

from conftest import check_file, context_for
from vetpy import first_party
from vetpy.first_party import FirstPartyFacts


def _write(root: Path, files: dict[str, str]) -> None:
    (root / "pyproject.toml").write_text("[project]\nname = 'app'\nversion = '0'\n")
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def test_the_summary_reads_assignments_on_other_objects(tmp_path):
    _write(tmp_path, {
        "app/middleware.py": """
            def handle(request, obj):
                request.event = 1
                request.session.cart: list = []
                setattr(obj, "organizer", 2)
                self_like.value == 3
                self.own = 4
                cls.shared = 5
        """,
        "build/generated.py": "thing.generated = 1\n",  # a default exclude
        "app/log.py": "import logging\nlogging.setLoggerClass(object)\n",
    })
    facts = FirstPartyFacts(tmp_path)
    assert facts.assigned_attributes == {"event", "cart", "organizer"}
    assert facts.sets_logger_class()
    assert facts.assigns("event") and not facts.assigns("own")
    assert not FirstPartyFacts(tmp_path, exclude=["app/log.py"]).sets_logger_class()


def test_the_summary_reads_within_its_budget(tmp_path, monkeypatch):
    _write(tmp_path, {"a.py": "x.first = 1\n" + "#" * 100 + "\n", "b.py": "y.second = 2\n"})
    monkeypatch.setattr(first_party, "BYTE_BUDGET", 50)
    assert len(FirstPartyFacts(tmp_path).assigned_attributes) == 1


def test_attributes_the_project_sets_on_installed_instances_are_not_reported(tmp_path):
    _write(tmp_path, {
        "app/__init__.py": "",
        "app/middleware.py": """
            def middleware(get_response):
                def handle(request):
                    request.event = "e"
                    return get_response(request)
                return handle
        """,
        "app/views.py": """
            import subprocess
            from email.message import EmailMessage

            def view(request: EmailMessage, text: str):
                proc = subprocess.Popen(["true"])
                return request.event, request.evnt, proc.evnt, text.event
        """,
    })
    found = {(f.line, f.message.split("`")[3]) for f in check_file(tmp_path, "app/views.py", context_for(tmp_path), {"HAL"})}
    # `event` is set by the project's middleware: any instance with a __dict__ may have it; a str cannot
    assert found == {(7, "evnt"), (7, "event")}
    assert {line for line, _ in found} == {7}


def test_a_project_logger_class_opens_logger_instances(tmp_path):
    view = """
        import logging
        log = logging.getLogger(__name__)
        log.trace("x")
    """
    _write(tmp_path, {"app/views.py": view})
    assert [f.code for f in check_file(tmp_path, "app/views.py", context_for(tmp_path), {"HAL"})] == ["HAL003"]
    _write(tmp_path, {"app/logger.py": """
        import logging

        class TraceLogger(logging.Logger):
            def trace(self, msg, *args, **kwargs):
                self.log(5, msg, *args, **kwargs)

        logging.setLoggerClass(TraceLogger)
    """})
    assert check_file(tmp_path, "app/views.py", context_for(tmp_path), {"HAL"}) == []


def test_a_method_patched_onto_a_standard_class_through_cast_is_known(tmp_path):
    """bokeh's `util/logconfig.py`: `cast(Any, logging).Logger.trace = trace` (the cast only quiets a
    type checker) gives every Logger a `trace`; a name nothing assigns is still reported."""
    _write(tmp_path, {
        "app/logconfig.py": """
            import logging
            import typing
            from typing import Any, cast

            def trace(self, message, *args, **kws):
                self._log(9, message, args, **kws)

            cast(Any, logging).Logger.trace = trace
            typing.cast("Any", logging).Logger.verbose = trace
        """,
        "app/views.py": """
            import logging
            log = logging.getLogger(__name__)
            log.trace("x")
            log.verbose("x")
            log.trace3("x")
        """,
    })
    facts = FirstPartyFacts(tmp_path)
    assert facts.assigns("trace") and facts.assigns("verbose") and not facts.assigns("trace3")
    found = [(f.line, f.code) for f in check_file(tmp_path, "app/views.py", context_for(tmp_path), {"HAL"})]
    assert found == [(6, "HAL003")]


def test_the_truth_of_a_project_class_in_another_module(tmp_path):
    """pymongo's ``_apply_local_threshold``: ``if not selection: return []`` proves the selection's
    servers non-empty because ``Selection.__bool__`` (another module) returns their truth; a loop
    over them that adds one time per server leaves ``len()`` non-zero. The same loop over an
    attribute the class's truth does not come from is still reported (EDGE010; EDGE011 leaves a
    list filled once per element of a parameter's data to the caller's contract)."""
    _write(tmp_path, {
        "app/__init__.py": "",
        "app/selectors.py": """
            class Selection:
                def __init__(self, servers, backups):
                    self.servers = servers
                    self.backups = backups

                def __bool__(self):
                    return bool(self.servers)


            class Counted:
                def __len__(self):
                    return self.count
        """,
        "app/topology.py": """
            from __future__ import annotations

            from app.selectors import Counted, Selection


            def fastest(selection: Selection | None):
                if not selection:
                    return None
                times = []
                for server in selection.servers:
                    times.append(server.rtt)
                return sum(times) / len(times)


            def fastest_backup(selection: Selection | None):
                if not selection:
                    return None
                times = []
                for server in selection.backups:
                    times.append(server.rtt)
                return sum(times) / len(times)


            def fastest_counted(counted: Counted):
                if not counted:
                    return None
                times = []
                for server in counted.count:
                    times.append(server)
                return sum(times) / len(times)
        """,
    })
    facts = FirstPartyFacts(tmp_path)
    assert facts.truth_of("Selection") == "servers"
    assert facts.truth_of("Counted") is None  # `return self.count`: a number, not a length
    assert facts.truth_of("Missing") is None
    found = [f.line for f in check_file(tmp_path, "app/topology.py", context_for(tmp_path), {"EDGE010"})]
    assert found == [22, 31]  # fastest_backup, fastest_counted; not fastest (line 14)


_ON_OWN_FUNCTION_TEXTS = [
    # the attribute is the function's own: taken out
    ("def handler():\n    pass\n\nhandler.route = '/x'\n", set()),
    ("async def job():\n    pass\njob.retries: int = 3\n", set()),
    # also set on something else, or on a name rebound: stays
    ("def handler():\n    pass\n\nhandler.route = '/x'\nrequest.route = 1\n", {"route"}),
    ("def handler():\n    pass\nhandler = wrap(handler)\nhandler.route = '/x'\n", {"route"}),
    # no function of that name here: stays, and nothing is parsed for it
    ("request.user = None\nobj.a.b = 1\n", {"user", "b"}),
    ("x = 1\nlogging.Logger.trace = trace\n", {"trace"}),
]


@pytest.mark.parametrize(("text", "foreign"), _ON_OWN_FUNCTION_TEXTS)
def test_attributes_set_only_on_the_files_own_functions_are_not_foreign(tmp_path, monkeypatch, text, foreign):
    """The file is parsed for it only when a store's receiver is a name a ``def`` of it gives;
    the answer is the parse's either way."""
    path = tmp_path / "m.py"
    path.write_text(text)
    parsed = []
    real = first_party._set_only_on_own_functions
    monkeypatch.setattr(first_party, "_set_only_on_own_functions", lambda t: parsed.append(t) or real(t))
    facts = FirstPartyFacts._facts_of(path, 10**6, None)
    assert set(facts[2]) == foreign
    stores = list(first_party._FOREIGN_ASSIGN.finditer(text))
    assert {m.group(1) for m in stores} - real(text) == foreign  # what the parse alone says
    assert bool(parsed) == ("def " in text and any(m.group(0).lstrip().split(".")[0] in {"handler", "job"} for m in stores))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([
    "def f():\n    pass\n", "async def g():\n    pass\n", "f.a = 1\n", "g.b: int = 2\n", "x.a = 3\n", "f = 1\n",
    "class f:\n    pass\n", "y.z.b = 4\n", "'''\n    f.c = 5\n'''\n", "import f\n", "def h(f):\n    f.a = 6\n",
    "if x: f.b = 7\n", "f.c, x.d = 8, 9\n", "'" "''\n    y.b = 10\n'" "''\n",
]), max_size=8))
def test_the_unparsed_files_answer_is_the_parsed_ones(tmp_path_factory, parts):
    """Equal, but for a store the pattern finds inside a string (``y.b = 10`` in a docstring)
    while the file's only real store of that name is on its own function, off the line's start
    (``if x: f.b = 7``): then the name stays foreign, which opens instances to it (fewer
    findings, never more)."""
    text = "".join(parts)
    path = tmp_path_factory.mktemp("f") / "m.py"
    path.write_text(text)
    stores = list(first_party._FOREIGN_ASSIGN.finditer(text))
    parsed = {m.group(1) for m in stores} - first_party._set_only_on_own_functions(text)
    fast = set(FirstPartyFacts._facts_of(path, 10**6, None)[2])
    assert fast >= parsed
    if "y.b" not in text:
        assert fast == parsed
