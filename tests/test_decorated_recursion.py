"""A function of the checked file decorated by an installed decorator (``@contextlib.contextmanager``)
is what the decorator's declared result is.  Working that out calls the decorator with the
function; solving the stub's type variables from that argument asks what the function is, which
is the question being answered.  The call is made up for the question (a new node each time),
so the inference's guard by node never saw the cycle: each decorated function recursed to the
interpreter's limit and retried on the way back (click's ``_termui_impl.py``, the scale
benchmark's 10k input: minutes of CPU and gigabytes, since the inference holds the nodes it
keys).  The definition is the guard now."""

from __future__ import annotations

from conftest import check_file, context_for
from vetpy.resolve import declared

SOURCE = """
    import contextlib


    @contextlib.contextmanager
    def first(stream, color=None):
        yield stream, color


    @contextlib.contextmanager
    def second(stream, color=None):
        yield stream, color


    def choose(stream, how):
        if how:
            return first(stream, how)
        return second(stream, how)


    @contextlib.contextmanager
    def pager(stream, how=None):
        with choose(stream, how) as (out, color):
            yield out


    def use(stream):
        with pager(stream) as out:
            return out

"""


def test_a_decorated_function_is_worked_out_without_asking_about_itself_again(project, monkeypatch):
    root = project({"pagers.py": SOURCE})
    calls: list[str] = []
    original = declared.Declared._decorated

    def counted(self, node):
        calls.append(node.name)
        return original(self, node)

    monkeypatch.setattr(declared.Declared, "_decorated", counted)
    found = [f"{f.line}:{f.code}" for f in check_file(root, "pagers.py", context_for(root), {"HAL"})]
    assert found == []
    # each of the three decorated functions asked about a few times (once per use, once from
    # inside its own question), not once per level of a recursion down to the interpreter's limit
    assert len(calls) <= 4 * len({"first", "second", "pager"}), len(calls)
