"""A statement-level flow walker for the EDGE rules.

It walks one scope's statements in order and keeps, per path, the *proven* facts of
:mod:`.narrowing` and the *tracked* values (``none:<name>`` for values that are ``None`` on failure,
``maybe-empty:<name>`` and ``filtered:<name>`` for collections that may be empty).  A domain object
inspects every expression node with the current state and records findings.  Branches merge by
intersecting proven facts and uniting tracked values, so a use is flagged only when no path proves
it safe.  Kept free of rule specifics so that it can later move into a shared data-flow module.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Callable, Iterable, Protocol

from vetpy.astutil import child_nodes, dotted_name
from vetpy.document import Document
from vetpy.rules.edge.narrowing import handler_names, iteration_facts, narrow


# The proven fact that makes a tracked value safe.
GUARD_OF = {"none": "nn", "maybe-empty": "ne", "filtered": "ne", "zero": "ne"}

# Calls after which control never continues (the statement terminates its block).
TERMINATING_CALLS = frozenset(
    {
        "sys.exit",
        "os._exit",
        "exit",
        "quit",
        "pytest.fail",
        "pytest.skip",
        "pytest.exit",
        "abort",
        "flask.abort",
        "self.fail",
        "self.skipTest",
        "typing.assert_never",
        "assert_never",
    }
)
ASSERTING_METHODS = frozenset({"assertIsNotNone", "assertTrue", "assert_"})
ADDING_METHODS = frozenset({"append", "add", "insert", "appendleft", "setdefault"})


@dataclass
class FlowState:
    proven: set[str] = field(default_factory=set)
    tracked: dict[str, ast.AST] = field(default_factory=dict)

    def copy(self) -> "FlowState":
        return FlowState(set(self.proven), dict(self.tracked))

    def with_facts(self, facts: Iterable[str]) -> "FlowState":
        new = self.copy()
        new.proven |= set(facts)
        return new

    def kill(self, name: str) -> None:
        """Forget everything known about ``name`` (and ``name.attr...``)."""
        prefix = name + "."
        self.proven = {f for f in self.proven if not _fact_about(f, name, prefix)}
        for key in [k for k in self.tracked if _fact_about(k, name, prefix)]:
            del self.tracked[key]
        for key in [k for k, cond in self.tracked.items() if k.startswith("given:") and _mentions(cond, name, prefix)]:
            del self.tracked[key]  # `entry = f() if user else None`, then `user` rebound: `entry` proves nothing of it


def _mentions(node: ast.AST, name: str, prefix: str) -> bool:
    return any(isinstance(n, (ast.Name, ast.Attribute)) and ((d := dotted_name(n)) == name or (d or "").startswith(prefix))
               for n in ast.walk(node))


def _given(value: ast.expr) -> ast.expr | None:
    """The condition a value is computed under, None otherwise (``x if cond else None``, ``None if
    cond else x``): where the value is not None, the condition held."""
    if not isinstance(value, ast.IfExp):
        return None
    if isinstance(value.orelse, ast.Constant) and value.orelse.value is None:
        return value.test
    if isinstance(value.body, ast.Constant) and value.body.value is None:
        return ast.UnaryOp(op=ast.Not(), operand=value.test)
    return None


def _fact_about(fact: str, name: str, prefix: str) -> bool:
    subject = fact.split(":", 1)[1]
    return subject == name or subject.startswith(prefix)


def merge(states: Iterable[FlowState | None]) -> FlowState | None:
    live = [s for s in states if s is not None]
    if not live:
        return None
    proven = set.intersection(*(s.proven for s in live))
    tracked: dict[str, ast.AST] = {}
    for s in live:
        for key, value in s.tracked.items():
            kind, _, subject = key.partition(":")
            if kind in ("alias", "given"):  # a condition alias holds only if every path assigned the same one
                if all(other.tracked.get(key) is value for other in live):
                    tracked[key] = value
            elif f"{GUARD_OF.get(kind, kind)}:{subject}" not in s.proven:  # still unsafe on this path
                tracked.setdefault(key, value)
    return FlowState(proven, tracked)


class Domain(Protocol):
    """What a rule family does at each expression and assignment."""

    def visit(self, node: ast.AST, state: FlowState, caught: frozenset[str]) -> None: ...

    def assign(self, name: str, value: ast.expr | None, state: FlowState) -> None: ...


@dataclass
class FlowWalker:
    """Walks one scope's statements in order, keeping :class:`FlowState` per path."""

    domain: Domain
    terminating: frozenset[str] = TERMINATING_CALLS
    statement: ast.stmt | None = None
    # Are the findings in a class body taken?  A class body is walked on a copy of the state (what
    # it binds is the class's), so the only thing walking it gives is its own findings: an
    # incremental view (``Document.reports``) skips the bodies of classes whose findings it keeps.
    reports: Callable[[ast.AST], bool] | None = None
    _caught: list[frozenset[str]] = field(default_factory=list)
    _breaks: list[list[FlowState]] = field(default_factory=list)
    _continues: list[list[FlowState]] = field(default_factory=list)

    @property
    def caught(self) -> frozenset[str]:
        out: frozenset[str] = frozenset()
        for names in self._caught:
            out |= names
        return out

    def narrow(self, test: ast.expr, truth: bool, state: FlowState) -> set[str]:
        aliases = {
            k[6:]: v for k, v in state.tracked.items() if k.startswith("alias:") and isinstance(v, ast.expr)
        }
        facts = narrow(test, truth, aliases)
        for key, cond in list(state.tracked.items()):
            # `entry = cache.get(k) if user else None`: a test proving `entry` is not None proves `user`
            if key.startswith("given:") and f"nn:{key[6:]}" in facts and isinstance(cond, ast.expr):
                facts |= narrow(cond, True, aliases)
        return facts

    # statements
    def block(self, stmts: list[ast.stmt], state: FlowState | None) -> FlowState | None:
        for stmt in stmts:
            if state is None:
                return None
            state = self.stmt(stmt, state)
        return state

    def stmt(self, node: ast.stmt, state: FlowState) -> FlowState | None:
        self.statement = node  # the statement being evaluated (domains may anchor fixes on it)
        method = getattr(self, "_" + type(node).__name__, None)
        if method is not None:
            return method(node, state)
        for child in child_nodes(node):
            if isinstance(child, ast.expr):
                self.expr(child, state)
        return state

    def _FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef, state: FlowState) -> FlowState:
        for expr in [*node.decorator_list, *node.args.defaults, *(d for d in node.args.kw_defaults if d)]:
            self.expr(expr, state)
        self.domain.assign(node.name, None, state)
        return state

    _AsyncFunctionDef = _FunctionDef

    def _ClassDef(self, node: ast.ClassDef, state: FlowState) -> FlowState:
        for expr in [*node.decorator_list, *node.bases]:
            self.expr(expr, state)
        if self.reports is None or self.reports(node):
            self.block(node.body, state.copy())
        self.domain.assign(node.name, None, state)
        return state

    def _Return(self, node: ast.Return, state: FlowState) -> None:
        if node.value is not None:
            self.expr(node.value, state)
        return None

    def _Raise(self, node: ast.Raise, state: FlowState) -> None:
        for child in (node.exc, node.cause):
            if child is not None:
                self.expr(child, state)
        return None

    def _Continue(self, node: ast.Continue, state: FlowState) -> None:
        if self._continues:
            self._continues[-1].append(state)
        return None

    def _Break(self, node: ast.Break, state: FlowState) -> None:
        if self._breaks:
            self._breaks[-1].append(state)
        return None

    def _Expr(self, node: ast.Expr, state: FlowState) -> FlowState | None:
        self.expr(node.value, state)
        call = node.value.value if isinstance(node.value, ast.Await) else node.value
        if isinstance(call, ast.Call):
            if self._terminates(call):
                return None
            if isinstance(call.func, ast.Attribute):
                receiver = dotted_name(call.func.value)
                if call.func.attr in ASSERTING_METHODS and call.args:
                    state.proven |= self.narrow(call.args[0], True, state)
                elif call.func.attr in ADDING_METHODS and receiver:
                    state.proven |= {f"ne:{receiver}", f"nn:{receiver}"}
                elif receiver and call.func.attr in ("extend", "update"):
                    state.proven.add(f"nn:{receiver}")
            # a dict handed to a call as a statement (`fill(details, options)`) may come back
            # filled: what its `.get()` finds is no longer known (killed when the name is rebound)
            for arg in [*call.args, *(k.value for k in call.keywords)]:
                if (name := dotted_name(arg)) is not None:
                    state.proven.add(f"filled:{name}")
        return state

    def _terminates(self, call: ast.Call) -> bool:
        """``sys.exit()``, ``pytest.fail()``, ``parser.error()``, ``raise_for(...)``: control stops here."""
        name = dotted_name(call.func) or ""
        last = name.rsplit(".", 1)[-1].lower()
        if name in self.terminating or last.startswith(("raise_", "_raise")):
            return True
        receiver = name.rsplit(".", 1)[0].lower() if "." in name else ""
        return (
            bool(receiver)
            and "log" not in receiver
            and any(w in last for w in ("error", "fail", "abort", "die"))
        )

    def _Assign(self, node: ast.Assign, state: FlowState) -> FlowState:
        self.expr(node.value, state)
        for target in node.targets:
            self._bind(target, node.value, state)
        if len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) and _is_condition(node.value):
            state.tracked[f"alias:{node.targets[0].id}"] = node.value
        if len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) and (given := _given(node.value)) is not None:
            state.tracked[f"given:{node.targets[0].id}"] = given
        return state

    def _AnnAssign(self, node: ast.AnnAssign, state: FlowState) -> FlowState:
        if node.value is not None:
            self.expr(node.value, state)
            self._bind(node.target, node.value, state)
        return state

    def _AugAssign(self, node: ast.AugAssign, state: FlowState) -> FlowState:
        self.expr(node.value, state)
        if isinstance(node.target, ast.Name):
            name = node.target.id
            nonempty = f"ne:{name}" in state.proven
            self.domain.assign(name, None, state)
            if nonempty or (isinstance(node.value, (ast.List, ast.Tuple)) and node.value.elts):
                state.proven |= {f"ne:{name}", f"nn:{name}"}
        else:
            self.expr(node.target, state)
        return state

    def _bind(self, target: ast.expr, value: ast.expr | None, state: FlowState) -> None:
        if isinstance(target, ast.Name):
            self.domain.assign(target.id, value, state)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for elt in target.elts:
                self._bind(elt.value if isinstance(elt, ast.Starred) else elt, None, state)
        elif isinstance(target, ast.Attribute):
            self.expr(target, state)  # `row.status = x` reads `row`: None has no attribute to set either
            dotted = dotted_name(target)
            if dotted:
                state.kill(dotted)
        elif isinstance(target, ast.Subscript):
            self.expr(target, state)
            container = dotted_name(target.value)
            if container:  # d[k] = v: the container now holds an element
                state.proven |= {f"ne:{container}", f"nn:{container}"}

    def _Delete(self, node: ast.Delete, state: FlowState) -> FlowState:
        for target in node.targets:
            if isinstance(target, ast.Name):
                self.domain.assign(target.id, None, state)
            else:
                self.expr(target, state)
        return state

    def _Import(self, node: ast.Import | ast.ImportFrom, state: FlowState) -> FlowState:
        for alias in node.names:
            self.domain.assign((alias.asname or alias.name).split(".")[0], None, state)
        return state

    _ImportFrom = _Import

    def _Assert(self, node: ast.Assert, state: FlowState) -> FlowState | None:
        self.expr(node.test, state)
        if isinstance(node.test, ast.Constant) and not node.test.value:
            return None
        state.proven |= self.narrow(node.test, True, state)
        return state

    def _If(self, node: ast.If, state: FlowState) -> FlowState | None:
        self.expr(node.test, state)
        body = self.block(node.body, state.with_facts(self.narrow(node.test, True, state)))
        orelse = self.block(node.orelse, state.with_facts(self.narrow(node.test, False, state)))
        return merge([body, orelse])

    def _While(self, node: ast.While, state: FlowState) -> FlowState | None:
        self.expr(node.test, state)
        self._breaks.append([])
        self._continues.append([])
        body_end = self.block(node.body, state.with_facts(self.narrow(node.test, True, state)))
        breaks = self._breaks.pop()
        self._continues.pop()
        forever = isinstance(node.test, ast.Constant) and bool(node.test.value)
        normal_exit = None if forever else merge([state, body_end])
        if normal_exit is not None:
            normal_exit = normal_exit.with_facts(self.narrow(node.test, False, state))
            normal_exit = self.block(node.orelse, normal_exit)
        return merge([normal_exit, *breaks])

    def _For(self, node: ast.For | ast.AsyncFor, state: FlowState) -> FlowState | None:
        self.expr(node.iter, state)
        self.domain.visit(node, state, self.caught)
        inside = state.copy()
        self._bind(node.target, None, inside)
        inside.proven |= iteration_facts(node.iter)
        self._breaks.append([])
        self._continues.append([])
        body_end = self.block(node.body, inside)
        breaks = self._breaks.pop()
        continues = self._continues.pop()
        # over an iterable proven non-empty the body runs at least once: the loop is left after
        # an iteration (its end or a `continue`), never straight from the entry
        runs = getattr(self.domain, "runs_at_least_once", None)
        if runs is not None and runs(node.iter, state):
            after = merge([body_end, *continues])
        else:
            after = merge([state, body_end])
            filled = getattr(self.domain, "filled_per_iteration", None)
            iterated = merge([body_end, *continues])
            if filled is not None and after is not None and iterated is not None:
                filled(node.iter, state, iterated, after)
        if after is not None:
            self._bind(node.target, None, after)
            after = self.block(node.orelse, after)
        return merge([after, *breaks])

    _AsyncFor = _For

    def _With(self, node: ast.With | ast.AsyncWith, state: FlowState) -> FlowState | None:
        suppressed: set[str] = set()
        for item in node.items:
            self.expr(item.context_expr, state)
            if item.optional_vars is not None:
                self._bind(item.optional_vars, item.context_expr, state)
            call = item.context_expr
            if isinstance(call, ast.Call) and (dotted_name(call.func) or "").endswith("suppress"):
                suppressed |= {(dotted_name(a) or "").rsplit(".", 1)[-1] for a in call.args}
        if suppressed:
            self._caught.append(frozenset(suppressed))
            end = self.block(node.body, state)
            self._caught.pop()
            return merge([end, state])
        return self.block(node.body, state)

    _AsyncWith = _With

    def _Try(self, node: ast.Try, state: FlowState) -> FlowState | None:
        names: set[str] = set()
        for handler in node.handlers:
            names |= handler_names(handler)
        self._caught.append(frozenset(names))
        body_end = self.block(node.body, state.copy())
        self._caught.pop()
        outcomes: list[FlowState | None] = []
        for handler in node.handlers:
            start = merge([state, body_end]) or state.copy()
            if handler.name:
                self.domain.assign(handler.name, None, start)
            outcomes.append(self.block(handler.body, start))
        outcomes.append(self.block(node.orelse, body_end.copy()) if body_end is not None else None)
        after = merge(outcomes)
        if node.finalbody:
            final_start = after.copy() if after is not None else merge([state, body_end]) or state.copy()
            final_end = self.block(node.finalbody, final_start)
            if final_end is None:
                return None
        return after

    _TryStar = _Try

    def _Match(self, node: ast.Match, state: FlowState) -> FlowState | None:
        self.expr(node.subject, state)
        outcomes: list[FlowState | None] = [state]
        for case in node.cases:
            start = state.copy()
            for sub in ast.walk(case.pattern):
                bound = getattr(sub, "name", None)
                if isinstance(bound, str):
                    self.domain.assign(bound, None, start)
            if case.guard is not None:
                self.expr(case.guard, start)
                start.proven |= self.narrow(case.guard, True, state)
            outcomes.append(self.block(case.body, start))
        return merge(outcomes)

    def _Global(self, node: ast.Global | ast.Nonlocal, state: FlowState) -> FlowState:
        for name in node.names:
            self.domain.assign(name, None, state)
        return state

    _Nonlocal = _Global

    # expressions
    def expr(self, node: ast.AST, state: FlowState) -> None:
        if isinstance(node, ast.Lambda):
            return
        if isinstance(node, ast.BoolOp):
            earlier: set[str] = set()
            truth = isinstance(node.op, ast.And)
            for value in node.values:
                self._scoped(value, state, earlier)
                earlier |= self.narrow(value, truth, state)
            return
        if isinstance(node, ast.IfExp):
            self.expr(node.test, state)
            self._scoped(node.body, state, self.narrow(node.test, True, state))
            self._scoped(node.orelse, state, self.narrow(node.test, False, state))
            return
        if isinstance(node, ast.NamedExpr):
            self.expr(node.value, state)
            self.domain.assign(node.target.id, node.value, state)
            return
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            self._comprehension(node, state)
            return
        self.domain.visit(node, state, self.caught)
        for child in child_nodes(node):
            if isinstance(child, (ast.expr, ast.keyword, ast.comprehension, ast.arguments)):
                self.expr(child, state)

    def _scoped(self, node: ast.AST, state: FlowState, facts: set[str]) -> None:
        added = facts - state.proven
        state.proven |= added
        self.expr(node, state)
        state.proven -= added

    def _comprehension(
        self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp, state: FlowState
    ) -> None:
        self.domain.visit(node, state, self.caught)
        self.expr(node.generators[0].iter, state)  # evaluated in the enclosing scope, once
        inner = state.copy()
        for index, gen in enumerate(node.generators):
            if index:
                self.expr(gen.iter, inner)
            self._bind(gen.target, None, inner)
            inner.proven |= iteration_facts(gen.iter)
            for cond in gen.ifs:
                self.expr(cond, inner)
                inner.proven |= self.narrow(cond, True, inner)
        parts = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
        for part in parts:
            self.expr(part, inner)


def _is_condition(value: ast.expr) -> bool:
    if isinstance(value, (ast.Compare, ast.BoolOp)) or (
        isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.Not)
    ):
        return True
    return (
        isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in ("bool", "len")
    )


def scope_bodies(tree: ast.Module, nodes: Iterable[ast.AST]) -> Iterable[tuple[ast.AST, list[ast.stmt]]]:
    """The module and every function (from ``nodes``, all nodes of ``tree``), each with its body."""
    yield tree, tree.body
    for node in nodes:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node, node.body


def reported_prefix(doc: Document, body: list[ast.stmt]) -> list[ast.stmt]:
    """``body`` (the module's statements) up to its last statement whose findings ``doc`` reports:
    in an incremental view the module code after the edited definitions is context only.  The
    walk of a module goes forward (no loop encloses its statements) and a finding lies at the
    node being visited, so what the walk of the statements after that one adds is findings
    nobody takes and a state nothing reads."""
    last = len(body)
    while last and not doc.reports(body[last - 1]):
        last -= 1
    return body[:last]
