"""A helper's sink reached by request input that a view of another module passes to it: reported at
the sink, in the helper's file, naming the view.

``db.py`` builds ``f"... ORDER BY {order}"`` into ``text()`` from its parameter ``order`` (alone, a
value of unknown origin); ``api.py`` calls ``db.search(session, request.query_params["order"])``.
The defect is the query, so the finding is on the query's line in ``db.py``, under the sink rule's
code (SEC001 here), with the view's function, file and line in the message: the fix is made
there, and a second view passing input to the same helper adds nothing to fix.  Nothing is
reported at the call.

How it is found, analysing the helper's module: the modules of the project that import it and
may be web modules (:meth:`vetpy.first_party.FirstPartyFacts.web_importers`: they name a web
framework) and mention one of its functions are read; for a function a caller names whose parameters, all untrusted at once, reach a sink
(one probe: the cheap test), in each one that is a web module, the calls of this module's functions with request
input among their arguments (:func:`vetpy.rules.sec.cross_module.crossings`, once per version of
that file and of the files its reading read, in this process: :class:`vetpy.reads.Kept`); then, for each, which sinks of this document's function the input
reaches (:mod:`vetpy.rules.sec.sink_summaries`, on this document's own text: a helper that
validates, allow-lists, parameterises or contains the value is silent).  One finding per sink and
rule, naming the first caller (by file and line).  A URL requested or redirected to (SEC016,
SEC017) by a generic helper (``fetch_url``: :func:`vetpy.rules.sec.cross_module.generic`) is the
view's defect, reported there (:func:`vetpy.rules.sec.cross_module.check_call`); by a helper named
for its purpose (``fetch_avatar``), here.

The callers' files are reads of the helper's analysis: editing one re-checks the helper (result
cache), and the editor analyses the helper again when one is saved (``note_dependent``).
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator
from pathlib import Path

from vetpy import reads
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding
from vetpy.rules.sec.common import describe
from vetpy.rules.sec.body_methods import project_class
from vetpy.rules.sec.cross_module import CALLER_SIDE, KINDS, Crossing, crossings, generic, reached
from vetpy.rules.sec.sink_summaries import caller_text, may_reach, note_dependent, of_document, summarisable
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers, Walk
from vetpy.semantic.document import own_module_name

_FOUND = "_callers_into"


def _record(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    sec.__dict__.setdefault(_FOUND, []).extend(crossings(sec, site))
    return iter(())


# the walk of a caller's file: its calls, nothing reported
_CALLS = Walk([RuleModule(rules=(), handlers={ast.Call: _record}, triggers=Triggers())])
_KEPT = reads.Kept(1024)


def findings(sec: SecurityPass) -> Iterator[Finding]:
    """The sinks of this module's functions that request input from a view of another module reaches."""
    ctx = sec.ctx
    if ctx is None or ctx.resolver is None or ctx.first_party is None or not (KINDS.keys() & sec.walk.codes):
        return
    names = {f.name for f in sec.tree.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) and f.args.args}
    own = own_module_name(sec.doc, ctx) if names else None
    if not own:
        return
    here = os.path.realpath(sec.doc.path)
    mod = of_document(sec.doc)
    reaching: dict[str, bool] = {}

    def may(name: str) -> bool:
        """Could a caller's input reach a sink in ``name`` (one probe, all parameters untrusted)?"""
        if name not in reaching:
            func = summarisable(mod, name)
            codes = frozenset(KINDS.keys() - CALLER_SIDE if generic(name) else KINDS.keys())
            reaching[name] = func is not None and may_reach(mod, func, sec.walk, codes)
        return reaching[name]

    # only a web module's calls carry request input: an importer that names no web framework has
    # none (the question is recorded, not the importers' files: an edit of one that leaves it
    # naming none re-checks nothing here), and a module imported by no web module is not probed
    importers = ctx.first_party.web_importers(own)
    if not importers or not any(may(n) for n in sorted(names)):
        # no function here whose parameters could reach a sink: whatever a caller's text says,
        # nothing is reported, so no caller's file is a read of this analysis (an edit of one
        # re-checks nothing here)
        return
    first: dict[tuple[str, int], Finding] = {}
    for importer in importers:
        found = ctx.resolver.find(importer, sec.doc.path)
        path = found.path
        if found.kind != "first-party" or path is None or path.suffix != ".py" or os.path.realpath(path) == here:
            continue
        reads.note_file(path)  # the caller's text decides: an edit of it re-checks this file (result cache)
        note_dependent(path, sec.doc.path)  # ... and in the editor, when it is saved
        text = caller_text(path)
        wanted = {n for n in names if n in text and may(n)} if text is not None else set()
        for crossing in sorted(_calls(path, importer, wanted, ctx), key=lambda c: c.line):
            if crossing.name not in wanted or os.path.realpath(crossing.path) != here:
                continue
            for rule, value, sink in reached(mod, crossing, sec.walk):
                key = (sink.code, sink.line)
                if key in first or sink.span[0] == 0 or (rule.code in CALLER_SIDE and generic(crossing.name)):
                    continue
                what = sink.what.replace("{param}", f"its parameter `{sink.param}`")
                message = (f"{describe(value)} is passed to `{crossing.name}` by `{crossing.caller}` "
                           f"({path.name}, line {crossing.line}): {what}")
                first[key] = rule.finding(sec.doc, sink.span, message, caller=(str(path), crossing.line), sink_line=sink.line)
    yield from sorted(first.values(), key=lambda f: f.sort_key)


def _calls(path: Path, module: str, names: set[str], ctx: AnalysisContext) -> tuple[Crossing, ...]:
    """The calls carrying request input into other modules' functions in the web module at
    ``path`` (none asked when ``names`` is empty), once per version of the file and of every
    file their reading read (a base handler's module: ``self.json_body()``), under the same
    services (:class:`vetpy.reads.Kept`)."""
    if not names:
        return ()
    key = (str(path), repr(reads.file_stamp(str(path))))
    owners = (ctx.config, ctx.environment, ctx.resolver, ctx.stubs, ctx.first_party)
    return _KEPT.get(key, owners, lambda: _read_calls(path, module, ctx))  # type: ignore[no-any-return]


def _read_calls(path: Path, module: str, ctx: AnalysisContext) -> tuple[Crossing, ...]:
    text = caller_text(path)
    if text is None:
        return ()
    doc = Document(str(path), text, module)
    if doc.tree is None:
        return ()
    sec = SecurityPass(doc, doc.tree, _CALLS)
    if not sec.flow.web:
        return ()
    sec.ctx = ctx
    # `self.json_body()` of a base handler of another module is request input here too
    sec.flow.source_methods.project_class = lambda name: project_class(sec, name)
    for _ in sec.run():
        pass
    return tuple(sec.__dict__.get(_FOUND, ()))
