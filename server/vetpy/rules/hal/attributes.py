"""HAL003 unknown-attribute, HAL004 unknown-keyword, HAL005 bad-arity.

What an expression is comes from :mod:`vetpy.resolve.infer`; whether a member, keyword or
argument count is valid comes from the real installed package (:mod:`vetpy.resolve.members`).
Silent whenever the receiver is not certain.
"""

from __future__ import annotations

import ast
import weakref
from typing import Any, Iterable, Iterator

from vetpy.suggest import closest
from vetpy import history as release_history
from vetpy.history import Change, library_of
from vetpy.rules.hal.metaclass import makes_classes
from vetpy.rules.hal.fresh import exactly, fresh_receiver
from vetpy.rules.hal.operands import method_operand
from vetpy.rules.hal.narrowed import narrowed_after_exit, narrowed_in_branch
from vetpy.rules.hal.cached import CACHED, CELERY_TASK, cached_missing, cached_wrapper
from vetpy.rules.hal.overloads import accepts, rejected
from vetpy.rules.hal.protocols import unawaitable, unentered
from vetpy.rules.hal.probes import for_type_checkers_only, guarded, imported_modules, runs_only_without_probed, visits_only
from vetpy.rules.hal.deprecated import selected
from vetpy.rules.hal.key_patterns import names_only, takes
from vetpy.rules.hal.deprecated_uses import deprecated_attribute, deprecated_keywords
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, Fix, FixSafety, Severity, TextEdit
from vetpy.resolve.members import DeferringMembers
from vetpy.resolve.mocks import MOCK, mock_missing
from vetpy.resolve.infer import ANNOTATED, INSTANCE, LOCAL_CLASS, LOCAL_INSTANCE, METHOD, OBJECT, Value
from vetpy.resolve.value import AWS_CLIENT, EXACT, LOCAL_FUNCTION, UNION, aws_subject
from vetpy.rules.hal.project_facts import open_receiver, overridable_forwards, overridden_by_the_project, set_by_the_project, written_by_the_project
from vetpy.rules.hal.replaced import REPLACERS, replace_signature
from vetpy.rules.hal.argparse_actions import action_signature
from vetpy.rules.hal.frame_labels import serves_nothing
from vetpy.rules.hal.called_values import uncallable_attribute
from vetpy.rules.hal.call_forms import is_partial, partial_signature, positional_limit
from vetpy.rules.hal.signatures import LocalSignatures, stub_constructor, stub_positional
from vetpy.rules.hal.union_calls import union_keyword_findings
from vetpy.semantic.document import document_inference
from vetpy.semantic.imports import imported_only_elsewhere, provenance, runs_only_after_elsewhere_exit
from vetpy.semantic.runs_elsewhere import runs_only_elsewhere
from vetpy.semantic.model import semantic
from vetpy.rules.registry import REGISTRY, rule

UNKNOWN_ATTRIBUTE = rule(
    code="HAL003",
    name="unknown-attribute",
    family="HAL",
    severity=Severity.ERROR,
    summary="An attribute of a module, class or instance that does not exist in the installed version.",
    rationale="""AI assistants write methods that other libraries have (`getStatusMessage`), names
    removed in a major release (`np.float_` in NumPy 2, `DataFrame.append` in pandas 2,
    `Engine.execute` in SQLAlchemy 2) and standard-library names newer than the target Python
    (`itertools.batched` before 3.12). vetpy infers what the receiver is and asks the installed
    package, in a subprocess of the target interpreter, whether the name exists; when the package
    explains a removal, the explanation is quoted; otherwise vetpy's release-history database
    (docs/versions.md) says in which release the name was removed, with the deprecation text of
    the last release that had it, or in which later release it is new, and a one-word successor
    that text names is the first suggestion. A `with` (`async with`) whose value's class lacks
    `__enter__` (`__aenter__`) is reported the same way (`with var.set(v):` before Python 3.14's
    `Token.__enter__`), and so is `await f(...)` of a plain installed function, or a method of an
    instance known exactly, that is no `async def`, wraps nothing and is annotated to return a
    concrete class that neither it nor a subclass can be awaited (`await resp.raise_for_status()`
    on httpx). A mock made with a spec known exactly (`create_autospec(Session)`,
    `Mock(spec=[...])`) has only the spec's names, its own and those set on it. A function of the
    file decorated with `functools.lru_cache` or `functools.cache` alone, read by its name, is the
    `_lru_cache_wrapper` they make (`get_settings.cache_reset()`). A name rebound to the result of a call that works in place and returns None (`items = items.sort()` on a list made there, `random.shuffle(cards)`, `heapq.heapify(h)`, pandas' `df.drop(..., inplace=True)` where its source declares `inplace: Literal[True]` gives `None`) is None: an attribute read of it later in the same block, with nothing between that tests or rebinds the name, is reported. A class of the checked file named by its own name, and an instance made
    by calling it, is exactly that class, whatever its bases (`Config("x").replace(...)` on an
    attrs or dataclass record; `self` and `cls` in its methods may be of a subclass). Reported only when the receiver is certain:
    one known type (or a union, `A | B`, whose every member lacks the name: `None` aside, which
    lacks it too), installed, without a permissive `__getattr__` (one whose source limits what it serves is not: arrow's `Arrow`
    serves its `datetime`'s names; pandas' `DataFrameGroupBy` columns, uncallable, so a called missing method is reported), whose attribute set is proven
    closed (not `setattr` with computed names, not names its package or the project assigns from
    outside, unless the instance was just made in the function by calling its class and handed to
    no other code, not names the class's own methods read on `self`, not names a module's functions write onto the
    module itself, not names the interpreter binds only in some states (`sys.ps1` in an interactive session,
    `sys.last_value` after an unhandled exception, `sys.tracebacklimit` once set), not a subclass passed where a base is annotated, not data its package fills
    into instances it makes, such as `logging`'s `extra={...}` on a `LogRecord`, not data of a
    subclass a compiled metaclass makes, such as `raw` of the `c_char * n` array that
    `ctypes.create_string_buffer()` returns; a missing method is still reported on those two);
    code guarded by `hasattr`, `try/except AttributeError`, `getattr(obj, name, default)` or a
    platform check that is false for the target (`if sys.platform == "win32": os.startfile(p)`,
    also in a conditional expression) or that cannot be evaluated (a project's own flag: `if ON_WINDOWS:`, a library's
    version compared with a release) is left alone, and so is the fallback of a `hasattr` probe of a
    name the target has (`if hasattr(np, "trapezoid"): return np.trapezoid(y)`, then
    `np.trapz(y)`), the `except AttributeError:` after a `try` that reads only names the target has,
    code after an import in the same function of a module the target cannot import (an optional
    tool's code) and `pkg.sub` where the file imports `pkg.sub` (HAL001 reports the import).""",
    bad="""
        import requests

        print(requests.get("https://example.org").getStatusMessage())
    """,
    good="""
        import requests

        print(requests.get("https://example.org").reason)
    """,
    needs="requests installed in the target environment (vetpy asks the installed package).",
    fix_safety=FixSafety.UNSAFE,
)

UNKNOWN_KEYWORD = rule(
    code="HAL004",
    name="unknown-keyword",
    family="HAL",
    severity=Severity.ERROR,
    summary="A keyword argument the installed callee does not accept.",
    rationale="""A keyword that the function does not take raises `TypeError` at the call.
    When the callee takes `**kwargs`, vetpy reports only when every use of `**kwargs` passes it on
    to callables whose keywords are closed, followed through the installed source
    (`json.dumps(**kw)` forwards to `JSONEncoder.__init__`; `requests.get` to `request`, then to
    `Session.request`; `super().__init__(**kw)`; a dict handed back and passed on; a dict a
    method of `self` dispatches to `set_<key>` methods, raising for others), so the accepted set
    is known; kwargs stored, tested or passed to something unknown leave it open, and so does passing them inside a
    `try` whose handler may catch the TypeError or a `with` whose manager may swallow it. A compiled callable whose `**kwargs`
    no source shows (`ndarray.mean(axis, dtype, out, **kwargs)`) is checked against the keywords
    its stub lists, when no def of it in the stub takes `**kwargs` and the receiver cannot be of
    a subclass. A decorator's wrapper that binds the call to the wrapped signature
    (`inspect.signature(func).bind(*args, **kwargs)`) is checked by that signature. The project's
    own functions called by name are checked the same way. A keyword a release removed is named with that release
    (`json.loads(encoding=...)`: removed in Python 3.9). A callee that takes `*args`/`**kwargs`
    and declares the calls it accepts with `@typing.overload` is checked against those overloads:
    a keyword that none of them names, in a call that none of them accepts, is reported
    (`pytest.raises(ValueError, message="x")`, `tenacity.retry(retries=3)`). `parser.add_argument(...)`
    on an `argparse.ArgumentParser` made in the project (or one of its argument groups) passes its
    keywords to the action class its `action=` names in the default registry (`_StoreAction` when
    absent, `_StoreTrueAction` for `"store_true"`) or an installed action class, so a keyword that
    class's `__init__` lacks is reported (`deprecated=` before Python 3.13, `type=` with
    `action="store_true"`), unless its registry may differ: `register("action", ...)` in the file, or a
    parser (or group of it) that other code may see in a project calling a method named `register`.""",
    bad="""
        import json
        json.dumps(data, indentation=2)
    """,
    good="""
        import json
        json.dumps(data, indent=2)
    """,
    fix_safety=FixSafety.UNSAFE,
)

BAD_ARITY = rule(
    code="HAL005",
    name="bad-arity",
    family="HAL",
    severity=Severity.ERROR,
    summary="Too many positional arguments, or a required argument missing, for the installed callee.",
    rationale="""Signatures change between versions and assistants mix up libraries. vetpy
    compares the call with the installed callee's signature (`inspect.signature` in the target
    interpreter), or with the `def` of a function of the checked file called by name. Decorated
    callables are checked against the wrapped signature only when the wrapper passes every call on
    unchanged (`functools.wraps` around `return fn(*args, **kwargs)`, or `fn(self, *args,
    **kwargs)` for a method's wrapper such as Flask's `setupmethod`, numpy's dispatchers,
    `functools.lru_cache`; before passing the call on, the wrapper may read `args`/`kwargs` and
    raise, as a validating wrapper does; it may pass the call on inside a `with` whose manager lets the error out:
    botocore's `with_current_context` around `s3.upload_file`); an instance made by calling its class is checked through `__call__`.
    A property of an installed class whose value is of a builtin type that is never callable
    (`resp.status_code()`: an `int`; `img.size()`: a `tuple[int, int]`, whose subclasses are not
    callable either) is reported when called, unless the receiver is known only
    from an annotation (a subclass may make it a method).
    A method of such an instance used as a number or string in arithmetic is reported too
    (`arrow.utcnow().timestamp + 60`: a method since arrow 1.0; the call's parentheses are missing).
    Calls that spread `*args` or `**kwargs`, and calls inside `try`/`pytest.raises` expecting
    `TypeError`, are not checked.""",
    bad="""
        import os
        os.getcwd("/tmp")
    """,
    good="""
        import os
        os.getcwd()
    """,
    fix_safety=FixSafety.NONE,
)

_ATTRIBUTE_GUARDS = {"AttributeError", "Exception", "BaseException"}


def _in_decorator(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    parent = parents.get(node)
    return isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node in parent.decorator_list


_CALL_GUARDS = {"TypeError", "Exception", "BaseException"}
_POSITIONAL_ONLY, _POSITIONAL_OR_KEYWORD, _VAR_POSITIONAL, _KEYWORD_ONLY, _VAR_KEYWORD = range(5)


_PREFETCHED: "weakref.WeakSet[Any]" = weakref.WeakSet()  # member indexes already asked to prefetch


def prefetch_members(doc: Document, ctx: AnalysisContext) -> None:
    """Once per member index (the first analysis after start-up): start introspecting, in the
    background, the installed modules whose attributes ``doc`` reads, so that the worker imports
    them (seconds for a big package) while the other checkers run.  Changes no answer: the
    checker asks the same questions later and finds them answered."""
    from vetpy.resolve import warm

    members, resolver = ctx.members, ctx.resolver
    if members is None or resolver is None or ctx.environment is None or doc.tree is None or members in _PREFETCHED:
        return
    if isinstance(members, DeferringMembers):
        return  # the language server imports what the analysis defers after publishing it
    _PREFETCHED.add(members)
    imports = semantic(doc).imports
    wanted: dict[str, None] = {}
    for node in doc.nodes:
        if type(node) is ast.Attribute and type(node.value) is ast.Name:  # type: ignore[attr-defined]
            target = imports.names.get(node.value.id)  # type: ignore[attr-defined]
            if target and not target.startswith("."):
                wanted[target] = None
    installed = [t for t in wanted if resolver.find(t.split(".")[0], doc.path).kind in ("stdlib", "site")]
    if installed:
        warm(members, tuple(installed))


FLUSH_EVERY = 10.0  # seconds between writes of new introspection answers to disk during a run


# local: a finding at a node reads the node, the inference of the names it mentions (their bindings
# in its function and outside it), file-wide facts (attributes set or probed by name, `global`s, the
# file's classes and signatures), the blocks around it and the `if`s before it in those blocks; an
# edit of one simple statement elsewhere in the function changes these only through the names it
# mentions or binds (vetpy.incremental_inner's dirty statements).
@REGISTRY.checker("HAL003", "HAL004", "HAL005", "HAL006", introspection=True, prepare=prefetch_members, local=True)
def check_hallucinations(doc: Document, ctx: AnalysisContext) -> Iterable[Finding]:
    members, resolver = ctx.members, ctx.resolver
    if members is None or resolver is None or ctx.environment is None or doc.tree is None:
        return
    try:
        found = list(_Checker(doc, ctx, members).run())
        if found and not imported_only_elsewhere(doc, ctx):  # paramiko's Windows-only win_openssh.py
            yield from found
    finally:
        members.flush(at_most_every=FLUSH_EVERY)


class _Checker:
    def __init__(self, doc: Document, ctx: AnalysisContext, members: Any) -> None:
        assert doc.tree is not None and ctx.resolver is not None
        self.doc, self.ctx = doc, ctx
        self.inference = document_inference(doc, ctx, members)
        self.members = self.inference.members  # memoised for this analysis
        self.deprecations = selected(ctx)  # HAL006 is opt-in: without it the database is not read for it
        self.local = LocalSignatures(self.inference, self._callee)
        self._dotted_imports: frozenset[str] | None = None
        self._probe_blocks: dict[ast.AST, Any] = {}  # runs_only_without_probed's, for this tree only

    def _has(self, expr: ast.expr, name: str) -> bool:
        """Does the module, class or object ``expr`` names, or an instance of an installed class
        (its class has ``name``: so does every subclass), certainly have ``name`` in the target?"""
        owner = self.inference.infer(expr)
        info = self.members.describe(owner.path) if owner is not None and owner.kind in (OBJECT, INSTANCE) else None
        if not info or not info.get("found") or owner.kind == INSTANCE and info.get("kind") != "class":  # type: ignore[union-attr]
            return False
        if info.get("kind") == "module":
            return self.members.module_attribute(owner.path, name).exists is True  # type: ignore[union-attr]
        return info.get("kind") in ("class", "other") and name in (info.get("members") or ())

    def _subclass_self(self, receiver: ast.expr | None, local: Any) -> bool:
        """Is ``receiver`` the ``self`` of a method of a class that may be subclassed (not an enum)?"""
        if not isinstance(receiver, ast.Name) or any((self.members.describe(b.path) or {}).get("is_enum")
                                                     for b in local.bases):
            return False
        bindings = self.inference.lookup(receiver.id, receiver)
        return bool(bindings) and all(b.kind == "self" for b in bindings)

    def _importable(self, module: str) -> bool:
        resolver = self.ctx.resolver
        return resolver is None or resolver.find(module, self.doc.path).found

    def _imports_submodule(self, dotted: str) -> bool:
        """Does the file ``import dotted`` (or a module below it)?"""
        if self._dotted_imports is None:
            memo, tree = self.doc.memo, self.doc.tree
            assert tree is not None
            # per top-level statement, kept across versions for the statements an edit did not touch
            self._dotted_imports = frozenset().union(
                *(memo.get(stmt, "hal.imported-modules", lambda stmt=stmt: imported_modules(stmt)) for stmt in tree.body))
        return any(m == dotted or m.startswith(dotted + ".") for m in self._dotted_imports)

    def run(self) -> Iterator[Finding]:
        reports = self.doc.reports_local  # every finding lies at (within) the node checked
        parents, env = self.inference.parents, self.ctx.environment
        for node in self.inference.attributes:
            finding = self.attribute(node) or method_operand(self, node, BAD_ARITY, _CALL_GUARDS) if reports(node) else None
            if finding is not None and not runs_only_after_elsewhere_exit(node, parents, env):
                yield finding
        for call in self.inference.calls:
            found = list(self.call(call)) if reports(call) else []
            if found and not runs_only_after_elsewhere_exit(call, parents, env):
                yield from found
        for node in self.doc.nodes:
            if type(node) in (ast.With, ast.AsyncWith) and reports(node):
                found = list(unentered(self, UNKNOWN_ATTRIBUTE, node))  # type: ignore[arg-type]
            elif type(node) is ast.Await and reports(node):
                found = list(unawaitable(self, UNKNOWN_ATTRIBUTE, node))  # type: ignore[arg-type]
            else:
                continue
            if found and not runs_only_after_elsewhere_exit(node, parents, env):
                yield from found

    # -- HAL003 ------------------------------------------------------------------------------
    def attribute(self, node: ast.Attribute) -> Finding | None:
        name = node.attr
        inference = self.inference
        if name in inference.assigned_attrs or name in inference.probed_attrs or self._guarded(node, _ATTRIBUTE_GUARDS):
            return None
        if name in ("setter", "getter", "deleter") and _in_decorator(node, inference.parents):
            return None  # `@value.setter`: the property defined just above (its name may shadow anything)
        owner = cached_wrapper(inference, node.value, inference.infer(node.value))  # `@lru_cache def f`: f's wrapper
        if owner is None or owner.kind == METHOD or owner.path == "ast" and owner.kind == OBJECT \
                and visits_only(node, inference.parents, name):  # `ast.TypeAlias` in `visit_TypeAlias`
            return None
        called = isinstance(self.inference.parents.get(node), ast.Call) and self.inference.parents[node].func is node  # type: ignore[attr-defined]
        verdict = self._missing(owner, name, called, node.value)
        deprecated = deprecated_attribute(self, node, owner, name) if verdict is None else None
        # whether the code runs here at all is asked only of what would be reported (walks up
        # the tree for each of a module's attributes otherwise: a tenth of a cold check, issue #17)
        if verdict is None and deprecated is None or self._runs_only_elsewhere_or_probed(node):
            return None
        if verdict is None:
            return deprecated
        if narrowed_after_exit(node, inference.parents, self._is_class):
            return None  # `if not isinstance(node, nodes.ClassDef): return` above it
        if owner.kind == OBJECT and self.ctx.stubs is not None and self._is_module(owner) \
                and for_type_checkers_only(node, inference.parents, self.doc.path) and self.ctx.stubs.binds(owner.path, name):
            return None  # a name of the stubs where only type checkers look (`-> hashlib._Hash`, a `.pyi`)
        subject, candidates, explanation = verdict
        if owner.kind == UNION:  # missing on every type it may be
            message = f"`{subject}` ({self._union_provenance(owner)}) has no attribute `{name}` on any of its types"
        elif owner.kind in (LOCAL_INSTANCE, LOCAL_CLASS):
            local = self.inference.local_class(owner.path)
            assert local is not None
            bases = ", ".join(f"`{b.path.rsplit('.', 1)[-1]}` in {provenance(self.ctx, b.path.split('.')[0])}"
                              for b in local.bases if b.path != "builtins.object")
            message = f"`{subject}`" + (f" (a subclass of {bases})" if bases else "") + f" has no attribute `{name}`"
        elif owner.kind == MOCK:
            spec = f"`{subject}` in {provenance(self.ctx, owner.path.split('.')[0])}" if owner.path else "its list of names"
            message = f"a mock specced with {spec} has no attribute `{name}` (reading it raises AttributeError)"
        elif (aws := aws_subject(owner.path)) is not None:
            message = f"{aws[0]} in {provenance(self.ctx, aws[1])} has no attribute `{name}`"
        else:
            module = owner.path.split(".")[0]
            message = f"`{subject}` in {provenance(self.ctx, module)} has no attribute `{name}`"
        if explanation:
            message += f": {explanation.rstrip('.')}"
        change, target = self._history(owner, name)
        if change is not None and not change.removed and owner.kind == INSTANCE and (self.members.describe(owner.path) or {}).get("protocol"):
            return None  # a Protocol declaring it later names what implementations had (PackageMetadata.get, 3.12)
        is_class = not (owner.kind == OBJECT and self._is_module(owner))
        if change is not None and not (explanation and change.removed):  # the package's own words say it already
            short = owner.path.rsplit(".", 1)[-1] if is_class else owner.path
            message += "; " + change.describe(f"`{short}.{name}`", target if not change.removed else None)
        suggestions = closest(name, candidates)
        replacement = change.replacement(owner.path, candidates, is_class) if change is not None else None
        if replacement:  # the release that removed it names its successor: rank it first
            suggestions = [replacement] + [s for s in suggestions if s != replacement][:2]
        elif change is not None and change.removed and change.message and not explanation:
            suggestions = []  # its own release said what replaces it: a look-alike name (`pipe`) is no advice
        line, col, end_line, end_col = self.doc.node_range(node)
        rng = (end_line, end_col - len(name), end_line, end_col)
        fixes: list[Fix] = []
        if called:
            # A replacement must work where the name stands: a callable that accepts the call's
            # arguments (`json.dumps`, not `json.dump`, for `json.dumsp(obj)`); data (a property,
            # an attribute) only for a call without arguments, and then without the parentheses
            # (`resp.statuscode()` -> `resp.status_code`, never `resp.status_code()`).
            call = self.inference.parents[node]
            assert isinstance(call, ast.Call)
            fits = {s: self._call_fit(owner, s, call) for s in suggestions}
            bare = not call.args and not call.keywords
            suggestions = [s for s in suggestions if fits[s] == "fits" or (fits[s] == "data" and bare)]
            _cl, _cc, call_end_line, call_end_col = self.doc.node_range(call)
            for i, s in enumerate(suggestions):
                if fits[s] == "data":
                    edit = TextEdit(rng[0], rng[1], call_end_line, call_end_col, s)
                    fixes.append(Fix(f"Replace `{name}()` with `{s}`", (edit,), safe=False, preferred=i == 0))
                else:
                    fixes.append(Fix(f"Replace with `{s}`", (TextEdit(*rng, s),), safe=False, preferred=i == 0))
        else:
            fixes = [Fix(f"Replace with `{s}`", (TextEdit(*rng, s),), safe=False, preferred=i == 0)
                     for i, s in enumerate(suggestions)]
        if suggestions:
            message += "; did you mean " + ", ".join(f"`{s}`" for s in suggestions) + "?"
        receiver = " | ".join(m.path for m in owner.args) if owner.kind == UNION else owner.path  # type: ignore[union-attr]
        return UNKNOWN_ATTRIBUTE.finding(self.doc, rng, message, fixes, receiver=receiver, name=name)

    def _union_provenance(self, owner: Value) -> str:
        """Where the members of a union come from: ``pendulum 3.1.0``, ``this file``, ..."""
        places: list[str] = []
        for m in owner.args:
            assert m is not None
            place = "this file" if m.kind in (LOCAL_INSTANCE, LOCAL_CLASS) else provenance(self.ctx, m.path.split(".")[0])
            if place not in places:
                places.append(place)
        return ", ".join(places)

    def _is_module(self, owner: Value) -> bool:
        info = self.members.describe(owner.path)
        return info is not None and info.get("kind") == "module"

    def _history(self, owner: Value, name: str) -> tuple[Change | None, tuple[int, ...] | None]:
        """What the release history says about ``owner.name`` (already known to be missing here)."""
        if owner.kind not in (OBJECT, INSTANCE):
            return None, None
        history = release_history.shipped()
        found = library_of(history, self.ctx.environment, owner.path)
        if found is None:
            return None, None
        library, installed = found
        is_class = owner.kind == INSTANCE or not self._is_module(owner)
        return history.member(library, owner.path, name, installed, is_class=is_class), installed

    def _call_fit(self, owner: Value, name: str, call: ast.Call) -> str:
        """How ``owner.name`` fits in place of the called name: ``"fits"`` (callable with
        ``call``'s arguments, or it cannot tell), ``"data"`` (the installed package says it is
        not callable: a property, data set on the instance), ``"no"`` (a module, or a signature
        that rejects the arguments)."""
        if owner.kind == OBJECT:
            info = self.members.describe(f"{owner.path}.{name}")
            if info is None:
                return "fits"
            kind = info.get("kind")
            if kind == "module":
                return "no"
            if kind == "other" and info.get("type") in _DATA_TYPES:
                return "data"  # `math.pi`, a module's str or dict constant
            sig = info.get("signature") if kind in ("function", "class") else None
        elif owner.kind == INSTANCE:
            info = self.members.method(owner.path, name)
            if info is None:
                return "fits"
            if not info.get("found") or info.get("kind") == "property":
                return "data"  # data on the instance, or a property's value
            sig = info.get("signature")
        else:
            return "fits"
        return "fits" if sig is None or accepts(sig.get("params") or [], call) else "no"

    def _missing(self, owner: Value, name: str, called: bool,
                 receiver: ast.expr | None = None) -> tuple[str, list[str], str | None] | None:
        """(what was looked up, real names, the package's explanation) when ``name`` is missing."""
        if owner.kind == UNION:  # `A | B`: missing only when missing on every member
            verdicts = [self._missing(m, name, called) for m in owner.args if m is not None]
            if not verdicts or any(v is None for v in verdicts):
                return None
            shared = set.intersection(*(set(v[1]) for v in verdicts))  # type: ignore[index]
            return " | ".join(v[0] for v in verdicts), sorted(shared), None  # type: ignore[index]
        if owner.kind == MOCK:  # `create_autospec(Session)`: the spec's names and the mock's own
            return mock_missing(self.inference, owner, name)
        if owner.kind == OBJECT:
            info = self.members.describe(owner.path)
            if info is None or not info.get("found"):
                return None
            kind = info.get("kind")
            if kind == "module":
                if self._imports_submodule(f"{owner.path}.{name}"):
                    return None  # `import pkg.sub`: whether it exists is the import's finding, not each use's
                verdict = self.members.module_attribute(owner.path, name)
                if verdict.exists is not False or written_by_the_project(self.ctx, owner.path, name):
                    return None
                return owner.path, verdict.candidates, verdict.explanation
            if kind in ("class", "other") and info.get("getattr") == "none":
                names = info.get("members") or []
                if name in names or "." in owner.path and written_by_the_project(self.ctx, *owner.path.rsplit(".", 1)):
                    return None  # `sys.stdout = io.StringIO()`: what the project put there, not the installed value
                subject = owner.path.rsplit(".", 1)[-1]
                return subject, names, None
            return None
        if owner.kind in (LOCAL_INSTANCE, LOCAL_CLASS):
            local = self.inference.local_class(owner.path)
            if local is None or name in local.members or not local.bases:
                return None
            if owner.kind == LOCAL_INSTANCE and makes_classes(self, local):
                return None  # `cls` of a metaclass: a class it made has what that class defines
            exact = owner.name == EXACT and exactly(self, owner, local, name)  # the class itself, or made by it
            if owner.kind == LOCAL_CLASS and not local.model and not exact:
                return None  # class attributes may be added by a metaclass or later assignments
            if all(b.path == "builtins.object" for b in local.bases) and not exact:
                return None  # a plain class may be a template for subclasses in other files
            if owner.kind == LOCAL_INSTANCE and self._subclass_self(receiver, local) and (not called or (
                    self.ctx.first_party is not None and self.ctx.first_party.subclass_defines(local.name, name))):
                return None  # `self` may be a subclass's that supplies the data (wagtail's `settings_model`)
                # or the method: kombu's `self.__missing__(key)`, which its subclass `PoolGroup` defines
            return local.name, sorted(local.members), None
        if owner.kind == INSTANCE:
            if owner.name in (CACHED, CELERY_TASK):  # a function of this file that lru_cache wraps, a celery task
                return cached_missing(self.members, name, set_by_the_project(self.ctx, owner.path, name), owner.name)
            info = self.members.describe(owner.path)
            if info is None or info.get("kind") != "class":
                return None
            getattr_kind = info.get("instance_getattr")
            if getattr_kind == "any" or (getattr_kind == "data" and not called and not serves_nothing(
                    self.inference, info.get("canonical") or owner.path, receiver, name)):
                return None  # (`pd.Series([1, 2]).is_monotonic`: a RangeIndex serves no name)
            instance = self.members.instance(owner.path) or {}
            # a class whose __getattr__ serves data gets a finding for a called missing method
            # even when its attribute set is open: stored data is not called
            # so does a called name on an instance whose set is open only because a compiled
            # class stores data in its __dict__ (`open()`'s TextIOWrapper gets `mode`)
            if not instance.get("complete") and getattr_kind != "data" and not (called and instance.get("calls_closed")):
                return None
            names = instance.get("members") or []
            fresh = receiver is not None and owner.name != ANNOTATED and fresh_receiver(self.inference, receiver)
            if fresh and instance.get("foreign"):  # just made here: nothing outside its class set those
                names = sorted(set(names) - set(instance["foreign"]))
            if name in names or owner.receiver is not None and owner.receiver.kind == OBJECT:
                # a package's proxy (flask's `session: SessionMixin`): the instance it stands for
                # may be of a subclass from another package (Flask-Session's `sid`), and the proxy
                # has members of its own; only what its members give and take is checked
                return None
            opened_by = instance.get("opened_by")
            if opened_by and (self.ctx.first_party is None or self.ctx.first_party.calls_any(tuple(opened_by))):
                return None  # the project calls a method that setattr()s computed names on the instance
            if not fresh and set_by_the_project(self.ctx, owner.path, name):
                return None
            if owner.name == ANNOTATED and (instance.get("subclasses") is None or name in instance["subclasses"]):
                return None  # the annotated class is a lower bound: a subclass may have it
            if owner.name == ANNOTATED and self.ctx.first_party is not None and self.ctx.first_party.gives_instances(name, owner.path):
                return None  # ... and a subclass of the project's own may be passed
            return owner.path.rsplit(".", 1)[-1], names, None
        return None

    def _runs_only_elsewhere_or_probed(self, node: ast.Attribute) -> bool:
        """Does the attribute ``node`` run only where it is not what the target has: on another
        platform (``if sys.platform == "win32": os.startfile(p)``), in the fallback of a probe
        (``if hasattr(np, "trapezoid"): return np.trapezoid(y)``), in a branch of a type test
        (``if attrs.has(cls): cls.__attrs_attrs__``, ``if dtype == nw.Datetime``)?"""
        parents = self.inference.parents
        return runs_only_elsewhere(node, parents, self.ctx.environment) \
            or runs_only_without_probed(node, parents, self._has, self._importable, self._probe_blocks, self._fits) \
            or narrowed_in_branch(node, parents, self._is_class)

    # -- HAL004 / HAL005 ---------------------------------------------------------------------
    def call(self, node: ast.Call) -> Iterator[Finding]:
        if self._guarded(node, _CALL_GUARDS):
            return
        found = list(self._call_findings(node))
        # whether the call runs here at all is asked only when something would be reported (issue #17)
        if found and not runs_only_elsewhere(node, self.inference.parents, self.ctx.environment) \
                and not runs_only_without_probed(node, self.inference.parents, self._has, self._importable,
                                                 self._probe_blocks, self._fits):
            yield from found

    def _fits(self, node: ast.Call) -> bool:
        """Does the target certainly accept ``node``'s arguments: its signature is known and
        nothing about the call would be reported (whatever guards it)?"""
        func = self.inference.infer(node.func)
        if func is None or func.kind == UNION or self._callee(func, node)[0] is None:
            return False
        return next(iter(self._call_findings(node)), None) is None

    def _call_findings(self, node: ast.Call, given: Value | None = None) -> Iterator[Finding]:
        func = given or self.inference.infer(node.func)
        if func is not None and func.kind == UNION:
            one = self._one_method(func)
            if one is None:  # `df["k"].value_counts(top=1)`: a keyword every member rejects
                yield from union_keyword_findings(node, func, self._call_findings)
            func = one
        if func is None:
            return
        if func.kind == INSTANCE and func.path in _DATA_TYPES:
            # a property's value declared as a builtin data type (`-> tuple[int, int]` too: a
            # subclass of it may be returned, but none of them is callable)
            yield from self._called_property(node, func)
            return
        if func.kind == INSTANCE:  # `ax.title("x")`: an attribute holding a `Text`
            yield from uncallable_attribute(self, node, func, BAD_ARITY)
        sig, label, module = self._callee(func, node)
        if sig is None:
            return
        params: list[list[Any]] = sig.get("params") or []
        where = provenance(self.ctx, module) if module else "this file"
        spread_args = any(isinstance(a, ast.Starred) for a in node.args)
        spread_kwargs = any(k.arg is None for k in node.keywords)
        by_name = {p[0]: p for p in params if p[1] not in (_VAR_POSITIONAL, _VAR_KEYWORD)}  # `headers=` is not `*headers`
        var_kw = any(p[1] == _VAR_KEYWORD for p in params)
        accepted = {p[0] for p in params if p[1] in (_POSITIONAL_OR_KEYWORD, _KEYWORD_ONLY)}
        closed = not var_kw
        forwards = sig.get("forwards")
        given = {k.arg for k in node.keywords if k.arg}
        if var_kw and forwards and not (set(forwards.get("depends") or ()) & given):
            accepted |= set(forwards.get("accepted") or ())
            closed = True
        elif var_kw and sig.get("compiled"):  # compiled: where **kwargs go, only its stub says
            stubbed = self._stub_keywords(func)
            if stubbed is not None:
                accepted |= stubbed
                closed = True
        unknown = [k for k in node.keywords if k.arg and not takes(accepted, k.arg) and k.arg not in by_name
                   and len(node.args) >= sig.get("unnamed", 0)]  # a C parser's names for `start_or_stop, /`
        if closed:
            for kw in unknown:
                suggestions = closest(kw.arg or "", names_only(accepted))
                message = f"`{label}()` in {where} has no keyword `{kw.arg}`"
                change = self._keyword_history(func, kw.arg or "")
                if change is not None:
                    message += "; " + change.describe(f"keyword `{kw.arg}` of `{label}`")
                if suggestions:
                    message += "; did you mean " + ", ".join(f"`{s}`" for s in suggestions) + "?"
                line, col, _el, _ec = self.doc.node_range(kw)
                rng = (line, col, line, col + len(kw.arg or ""))
                fixes = [Fix(f"Replace with `{s}`", (TextEdit(*rng, s),), safe=False, preferred=i == 0)
                         for i, s in enumerate(suggestions)]
                yield UNKNOWN_KEYWORD.finding(self.doc, rng, message, fixes, callee=label, keyword=kw.arg)
        var_pos = any(p[1] == _VAR_POSITIONAL for p in params)
        if not closed or var_pos and not unknown:  # what the signature itself rejects is reported below
            yield from self._overloads(sig, node, label, where, arity=var_pos)
        if unknown and closed:  # (open: the keyword goes to **kwargs and fills no parameter)
            return  # one problem at a time: a misspelt keyword also looks like a missing argument
        if not var_kw:  # `"aaa".replace("a", "b", count=1)` before Python 3.13: `count` is positional-only
            by_position = [k for k in node.keywords if k.arg in by_name and by_name[k.arg][1] == _POSITIONAL_ONLY]
            for kw in by_position:
                line, col, _el, _ec = self.doc.node_range(kw)
                message = (f"`{label}()` in {where} takes `{kw.arg}` only by position "
                           f"(it comes before `/` in the signature)")
                yield UNKNOWN_KEYWORD.finding(self.doc, (line, col, line, col + len(kw.arg or "")), message,
                                              callee=label, keyword=kw.arg)
            if by_position:
                return
        yield from deprecated_keywords(self, node, func, label)
        positional = [p for p in params if p[1] in (_POSITIONAL_ONLY, _POSITIONAL_OR_KEYWORD)]
        count = positional_limit(self.ctx, func, sig, len(positional))  # None: `*args` takes any number
        if not spread_args and count is not None and len(node.args) > count:
            message = (f"`{label}()` in {where} takes {count} positional argument{'s' if count != 1 else ''} "
                       f"but {len(node.args)} {'were' if len(node.args) != 1 else 'was'} given")
            yield BAD_ARITY.finding(self.doc, node.args[count], message, callee=label)
            return
        if spread_args or spread_kwargs:
            return
        filled = {p[0] for p in positional[: len(node.args)]} | given
        missing = [p[0] for p in params
                   if p[1] in (_POSITIONAL_ONLY, _POSITIONAL_OR_KEYWORD, _KEYWORD_ONLY) and not p[2] and p[0] not in filled]
        if missing:
            names = ", ".join(f"`{m}`" for m in missing)
            message = f"`{label}()` in {where} is missing required argument{'s' if len(missing) > 1 else ''} {names}"
            yield BAD_ARITY.finding(self.doc, node.func, message, callee=label)

    def _overloads(self, sig: dict[str, Any], node: ast.Call, label: str, where: str, arity: bool) -> Iterator[Finding]:
        """HAL004 / HAL005 for a call of an open signature that none of its overloads accepts."""
        overloads = sig.get("overloads")
        if not overloads:
            return
        keywords, most = rejected(overloads, node)
        for kw in keywords:
            line, col, _el, _ec = self.doc.node_range(kw)
            message = f"`{label}()` in {where} has no keyword `{kw.arg}` in any of its overloads"
            yield UNKNOWN_KEYWORD.finding(self.doc, (line, col, line, col + len(kw.arg or "")), message,
                                          callee=label, keyword=kw.arg)
        if most is not None and arity:  # without *args the signature's own count is reported
            message = (f"`{label}()` in {where} takes at most {most} positional argument{'s' if most != 1 else ''} "
                       f"in any of its overloads but {len(node.args)} were given")
            yield BAD_ARITY.finding(self.doc, node.args[most], message, callee=label)

    def _called_property(self, node: ast.Call, value: Value) -> Iterator[Finding]:
        """HAL005 for ``resp.status_code()``: a property of an installed class (or a computed
        attribute of a compiled class, ``arr.size(0)``) whose value is of a builtin type that is
        never callable (``int``, ``tuple``...) is called."""
        attr = node.func
        if not isinstance(attr, ast.Attribute):
            return
        owner = self.inference.infer(attr.value)
        if owner is None or owner.kind != INSTANCE or owner.name == ANNOTATED:
            return  # an annotated value may be of a subclass that makes it a method
        found = self.members.method(owner.path, attr.attr)
        if not found or found.get("kind") != "property" and not found.get("getset"):
            return  # a property, or a compiled class's computed attribute (`ndarray.size`, `date.year`)
        kind = value.path.rsplit(".", 1)[-1]
        cls = (found.get("owner") or owner.path).rsplit(".", 1)[-1]
        message = (f"`{cls}.{attr.attr}` in {provenance(self.ctx, owner.path.split('.')[0])} is a property "
                   f"(its value is of type `{kind}`), not a method: it cannot be called")
        yield BAD_ARITY.finding(self.doc, node, message, callee=f"{cls}.{attr.attr}")

    def _one_method(self, func: Value) -> Value | None:
        """The method that every member of a union of methods calls, when they are all the same
        function (inherited from one class): its signature is the call's; else None."""
        owners = set()
        for m in func.args:
            found = self.members.method(m.path, m.name) if m is not None and m.kind == METHOD else None
            owners.add((found or {}).get("owner"))
        if len(owners) != 1 or None in owners or len({m.name for m in func.args if m is not None}) != 1:
            return None
        # an annotated receiver first: a subclass may override what the keywords go to
        return min(func.args, key=lambda m: m is None or m.receiver is None or m.receiver.name != ANNOTATED)

    def _stub_keywords(self, func: Value) -> frozenset[str] | None:
        """The keywords the stub of a compiled callee takes (``ndarray.mean``: ``keepdims``,
        ``where`` behind its ``**kwargs``); None when unknown, or when the receiver may be of a
        subclass that overrides the method."""
        stubs = self.ctx.stubs
        if stubs is None:
            return None
        if func.kind == METHOD:
            found = self.members.method(func.path, func.name)
            if open_receiver(self.ctx, func) or not found or not found.get("owner"):
                return None
            return stubs.keywords(f"{found['owner']}.{func.name}")
        if func.kind == OBJECT:
            info = self.members.describe(func.path) or {}
            return stubs.keywords(info.get("canonical") or func.path) if info.get("kind") == "function" else None
        return None

    def _keyword_history(self, func: Value, keyword: str) -> Change | None:
        """When a keyword the callee lacks was removed (or is new in a later release)."""
        history = release_history.shipped()
        found = library_of(history, self.ctx.environment, func.path)
        if found is None:
            return None
        library, installed = found
        if func.kind == METHOD:
            return history.keyword(library, func.name, keyword, installed, method_of=func.path)
        if func.kind == OBJECT:
            return history.keyword(library, func.path, keyword, installed)
        return None

    def _callee(self, func: Value, node: ast.Call) -> tuple[dict[str, Any] | None, str, str]:
        """The signature ``node`` calls ``func`` with, its label and its top-level module."""
        sig, label, module = self._signature(func, node)
        facts = self.ctx.first_party
        if sig is not None and func.path.startswith(AWS_CLIENT) and facts is not None and facts.extends_aws_clients():
            return None, label, module  # a creating-client-class handler of the project may replace the method
        if sig is not None and sig.get("forwards") and overridable_forwards(self.ctx, func, sig["forwards"]):
            sig = {**sig, "forwards": None}  # a subclass may override the method the keywords go to
        return sig, label, module

    def _signature(self, func: Value, node: ast.Call) -> tuple[dict[str, Any] | None, str, str]:
        if func.kind == OBJECT and func.path in REPLACERS and (made := replace_signature(self.inference, node))[0]:
            return made  # dataclasses.replace(obj, ...) calls obj's class with the keywords
        if is_partial(func) and (made := partial_signature(self.inference, self._callee, node))[0]:
            return made  # functools.partial(f, ...) passes what it binds to f on every call
        if func.kind == LOCAL_FUNCTION:
            return self.local.function(func, node.func)
        if func.kind == LOCAL_INSTANCE:
            return self.local.callable_instance(func, node.func)
        if func.kind == INSTANCE and (kept := self.local.decorated(node.func))[0] is not None:
            return kept  # a def of this file whose decorators are declared to keep its parameters
        if func.kind == INSTANCE and func.name != ANNOTATED:  # a callable object: its class's __call__
            found = self.members.method(func.path, "__call__")
            if not found or found.get("kind") != "function" or found.get("owner") in ("builtins.type", "builtins.object"):
                return None, "", ""
            return found.get("signature"), f"{func.path.rsplit('.', 1)[-1]}.__call__", func.path.split(".")[0]
        if func.kind == METHOD:
            if overridden_by_the_project(self.ctx, func):
                return None, "", ""
            if (made := action_signature(self, func, node))[0] is not None:
                return made  # `parser.add_argument(...)`: the keywords go to the action class
            found = self.members.method(func.path, func.name) or {}
            label = f"{func.path.rsplit('.', 1)[-1]}.{func.name}"
            sig = found.get("signature")
            if sig is None and found.get("kind") == "function" and func.receiver is not None \
                    and func.receiver.kind == INSTANCE and func.receiver.name != ANNOTATED:  # compiled: its stub's count
                sig = stub_positional(self.ctx.stubs, found.get("owner"), func.name)
            return sig, label, func.path.split(".")[0]
        if func.kind == OBJECT:
            info = self.members.describe(func.path)
            if info is None or info.get("kind") not in ("function", "class", "other") or info.get("is_enum"):
                return None, "", ""  # other: an object whose class defines __call__ (its signature, if any)
            if info.get("kind") == "class" and info.get("getattr") != "none":
                return None, "", ""
            label, sig = func.path.rsplit(".", 1)[-1], info.get("signature")
            if sig is None and info.get("kind") == "class":  # compiled: its stub's
                canonical = info.get("canonical") or func.path
                sig = stub_constructor(self.ctx.stubs, info.get("canonical"), func.path,
                                       lambda p: (self.members.describe(p) or {}).get("canonical") == canonical)
            return sig, label, func.path.split(".")[0]
        if func.kind == LOCAL_CLASS:
            generated = self.inference.constructor(func.path)  # @dataclass / @attrs.define of this file
            if generated is not None:
                return {"params": generated, "forwards": None}, func.path.split("@")[0], ""
            # a pydantic model of this file: BaseModel.__init__(self, /, **data)
            local = self.inference.local_class(func.path)
            if local is not None and not local.model and not local.own_init:  # an installed base's constructor
                return self.local.installed_subclass(local)
            if local is None or not local.model or local.own_init:
                return None, "", ""
            init = self.members.method(local.bases[0].path, "__init__")  # (self, /, **data): not the class's own
            return (init or {}).get("signature"), local.name, local.bases[0].path.split(".")[0]
        return None, "", ""

    # -- guards ------------------------------------------------------------------------------
    def _is_class(self, expr: ast.expr) -> bool:
        value = self.inference.infer(expr)
        if value is None or value.kind not in (OBJECT, LOCAL_CLASS):
            return False
        return value.kind == LOCAL_CLASS or (self.members.describe(value.path) or {}).get("kind") == "class"

    def _guarded(self, node: ast.AST, errors: set[str]) -> bool:
        return guarded(node, self.inference.parents, errors)


# Types of module-level values that are never callable.
_DATA_TYPES = frozenset(
    f"builtins.{t}" for t in ("int", "float", "complex", "str", "bytes", "bool", "list", "dict", "tuple", "set",
                              "frozenset", "NoneType", "bytearray")
)
