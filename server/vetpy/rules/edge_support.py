"""Small local analyses behind the EDGE rules: guard narrowing, a statement-level flow walker,
and text-edit helpers for their quick-fixes.

Everything here is deliberately intraprocedural and conservative.  The flow walker tracks
*facts* as short strings:

* ``nn:<dotted>``  the value is proven not ``None`` (``if x:``, ``x is not None``, ``assert x``,
  an early ``return``/``raise``/``continue`` in the opposite branch, ...);
* ``ne:<dotted>``  the collection is proven non-empty (``if xs:``, ``len(xs) > 0``, inside
  ``for _ in xs:``, after ``xs.append(...)``, a non-empty literal, ...);

and *tracked* values (``none:<name>`` for values that are ``None`` on failure, ``maybe-empty:<name>``
and ``filtered:<name>`` for collections that may be empty).  A domain object inspects every
expression node with the current state and records findings.  Branches merge by intersecting
proven facts and uniting tracked values, so a use is flagged only when no path proves it safe.
These functions are kept free of rule specifics so they can later move into a shared data-flow
module.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Iterable, Protocol

from vetpy.astutil import child_nodes, dotted_name
from vetpy.document import Document
from vetpy.findings import TextEdit

# The proven fact that makes a tracked value safe.
GUARD_OF = {"none": "nn", "maybe-empty": "ne", "filtered": "ne"}
CATCH_ALL = frozenset({"*", "Exception", "BaseException"})

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


# -- narrowing ---------------------------------------------------------------------------------
Aliases = dict[str, ast.expr]


def narrow(test: ast.expr, truth: bool, aliases: Aliases | None = None) -> set[str]:
    """Facts proven when ``test`` evaluates to ``truth`` (see the module docstring).

    ``aliases`` maps local names to the condition they were assigned (``ok = bool(xs)``)."""
    aliases = aliases or {}
    if isinstance(test, ast.NamedExpr):
        return narrow(test.target, truth, aliases)
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return narrow(test.operand, not truth, aliases)
    if isinstance(test, ast.Name) and test.id in aliases:
        return narrow(aliases[test.id], truth) | narrow(ast.Name(id=test.id), truth)
    subject = dotted_name(test)
    if subject is not None:
        return {f"nn:{subject}", f"ne:{subject}"} if truth else set()
    if isinstance(test, ast.BoolOp):
        conj = isinstance(test.op, ast.And)
        if conj == truth:  # every operand had this truth value
            out: set[str] = set()
            for value in test.values:
                out |= narrow(value, truth, aliases)
            return out
        # Some operand decided the result; the earlier ones had the opposite value.
        options: list[set[str]] = []
        earlier: set[str] = set()
        for value in test.values:
            options.append(narrow(value, truth, aliases) | earlier)
            earlier |= narrow(value, not truth, aliases)
        return set.intersection(*options) if options else set()
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        left = test.left
        if isinstance(left, ast.Name) and isinstance(aliases.get(left.id), ast.Call):
            left = aliases[left.id]  # n = len(xs); if n == 0: ...
        return _narrow_compare(left, test.ops[0], test.comparators[0], truth)
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.args:
        name = test.func.id
        first = test.args[0]
        subject = dotted_name(_unwalrus(first))
        if name in ("isinstance", "callable", "hasattr") and truth and subject:
            if name == "isinstance" and _mentions_none_type(test.args[1:]):
                return set()
            return {f"nn:{subject}"}
        if name in ("len", "bool") and subject:
            return {f"nn:{subject}", f"ne:{subject}"} if truth else set()
        if name in ("all", "any") and isinstance(first, (ast.List, ast.Tuple)) and truth:
            if name == "any" and len(first.elts) != 1:
                return set()
            facts: set[str] = set()
            for elt in first.elts:
                facts |= narrow(elt, True, aliases)
            return facts
        if name == "any" and isinstance(first, ast.GeneratorExp) and truth:
            # any(c for x in xs) proves that next(x for x in xs if c) finds an element
            key = generator_key(first)
            return {f"ne:{key}", f"ne:{key} if {ast.unparse(first.elt)}"}
    if isinstance(test, ast.Call) and truth:
        return {f"nn:{ast.unparse(test)}"}  # `if pat.search(s): pat.search(s).group()`
    return set()


def generator_key(node: ast.GeneratorExp | ast.ListComp) -> str:
    """A key naming what a generator iterates and filters (its element expression aside)."""
    return "gen:" + "".join(ast.unparse(g) for g in node.generators)


def _unwalrus(node: ast.expr) -> ast.expr:
    return node.target if isinstance(node, ast.NamedExpr) else node


def _mentions_none_type(nodes: list[ast.expr]) -> bool:
    for node in nodes:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Constant) and sub.value is None:
                return True
            if isinstance(sub, (ast.Name, ast.Attribute)) and (dotted_name(sub) or "").endswith("NoneType"):
                return True
    return False


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _narrow_compare(left: ast.expr, op: ast.cmpop, right: ast.expr, truth: bool) -> set[str]:
    # len(x) <op> N
    if isinstance(left, ast.Call) and isinstance(left.func, ast.Name) and left.func.id == "len" and left.args:
        subject = dotted_name(_unwalrus(left.args[0]))
        if subject and isinstance(right, ast.Constant) and isinstance(right.value, int):
            if _len_nonempty(op, right.value, truth):
                return {f"nn:{subject}", f"ne:{subject}"}
        return {f"nn:{subject}"} if subject else set()
    subject = dotted_name(_unwalrus(left))
    if subject is None and _is_none(left):
        subject, right = dotted_name(_unwalrus(right)), left
    if subject is None:
        return set()
    if _is_none(right):
        negative = isinstance(op, (ast.IsNot, ast.NotEq))
        return {f"nn:{subject}"} if negative == truth else set()
    if truth and isinstance(op, (ast.Eq, ast.Is)) and isinstance(right, ast.Constant):
        return {f"nn:{subject}"}
    if truth and isinstance(op, ast.In) and isinstance(right, (ast.Tuple, ast.List, ast.Set)):
        if not any(_is_none(e) for e in right.elts):
            return {f"nn:{subject}"}
    if truth and isinstance(op, (ast.Gt, ast.GtE, ast.Lt, ast.LtE)):
        return {f"nn:{subject}"}
    return set()


def _len_nonempty(op: ast.cmpop, n: int, truth: bool) -> bool:
    """Does ``len(x) <op> n`` having value ``truth`` prove ``len(x) > 0``?"""
    if not truth:
        op = {
            ast.Eq: ast.NotEq(),
            ast.NotEq: ast.Eq(),
            ast.Lt: ast.GtE(),
            ast.LtE: ast.Gt(),
            ast.Gt: ast.LtE(),
            ast.GtE: ast.Lt(),
        }.get(type(op), op)
    if isinstance(op, ast.Gt):
        return n >= 0
    if isinstance(op, ast.GtE):
        return n >= 1
    if isinstance(op, ast.Eq):
        return n >= 1
    if isinstance(op, ast.NotEq):
        return n == 0
    return False


# -- flow walker -------------------------------------------------------------------------------
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
            if kind == "alias":  # a condition alias holds only if every path assigned the same one
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
    _caught: list[frozenset[str]] = field(default_factory=list)
    _breaks: list[list[FlowState]] = field(default_factory=list)

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
        return narrow(test, truth, aliases)

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
            self.expr(target.value, state)
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
        body_end = self.block(node.body, state.with_facts(self.narrow(node.test, True, state)))
        breaks = self._breaks.pop()
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
        body_end = self.block(node.body, inside)
        breaks = self._breaks.pop()
        after = merge([state, body_end])
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
        inner = state.copy()
        for gen in node.generators:
            self.expr(gen.iter, inner)
            self._bind(gen.target, None, inner)
            inner.proven |= iteration_facts(gen.iter)
            for cond in gen.ifs:
                self.expr(cond, inner)
                inner.proven |= self.narrow(cond, True, inner)
        parts = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
        for part in parts:
            self.expr(part, inner)


# Calls whose result has an element only when their (first) argument has one.
ELEMENT_PRESERVING = frozenset(
    {"enumerate", "sorted", "reversed", "list", "tuple", "set", "frozenset", "iter", "Counter",
     "collections.Counter", "OrderedDict", "collections.OrderedDict", "dict.fromkeys"}
)
VIEW_METHODS = frozenset({"items", "keys", "values", "most_common", "copy"})


def iteration_facts(iterable: ast.expr) -> set[str]:
    """Facts proven inside a loop over ``iterable``: what it iterates has an element.

    ``for c, n in Counter(s).items()`` proves ``s`` non-empty, like ``for x in s`` does; so do
    ``enumerate(s)``, ``sorted(s)``, ``zip(a, b)`` (both), ``map(f, s)``, ``range(len(s))``."""
    facts: set[str] = set()
    stack = [iterable]
    while stack:
        node = stack.pop()
        subject = dotted_name(node)
        if subject:
            facts |= {f"ne:{subject}", f"nn:{subject}"}
            continue
        if not isinstance(node, ast.Call) or any(isinstance(a, ast.Starred) for a in node.args):
            continue
        func = dotted_name(node.func) or ""
        if isinstance(node.func, ast.Attribute) and node.func.attr in VIEW_METHODS and not node.args:
            stack.append(node.func.value)
        elif func in ELEMENT_PRESERVING and len(node.args) == 1:
            stack.append(node.args[0])
        elif func in ("zip", "itertools.product") and not node.keywords:
            stack.extend(node.args)
        elif func in ("map", "filter", "itertools.starmap") and len(node.args) == 2:
            stack.append(node.args[1])
        elif func == "range" and len(node.args) == 1:
            stack.append(node.args[0])
        elif func == "len" and len(node.args) == 1:  # range(len(s))
            stack.append(node.args[0])
    return facts


def _is_condition(value: ast.expr) -> bool:
    if isinstance(value, (ast.Compare, ast.BoolOp)) or (
        isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.Not)
    ):
        return True
    return (
        isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id in ("bool", "len")
    )


def handler_names(handler: ast.ExceptHandler) -> set[str]:
    """Unqualified exception names an ``except`` clause catches (``*`` for a bare ``except``)."""
    if handler.type is None:
        return {"*"}
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return {(dotted_name(t) or "?").rsplit(".", 1)[-1] for t in types}


def is_protected(caught: frozenset[str], names: Iterable[str]) -> bool:
    return bool(caught & CATCH_ALL) or any(n in caught for n in names)


def scope_bodies(tree: ast.Module, nodes: Iterable[ast.AST]) -> Iterable[tuple[ast.AST, list[ast.stmt]]]:
    """The module and every function (from ``nodes``, all nodes of ``tree``), each with its body."""
    yield tree, tree.body
    for node in nodes:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node, node.body


def own_function_map(
    nodes: list[ast.AST], parents: dict[ast.AST, ast.AST]
) -> dict[int, ast.FunctionDef | ast.AsyncFunctionDef]:
    """id(node) -> the function whose own body contains it: reached from one of its body
    statements without entering a nested function, class or lambda (which are not keys
    themselves).  ``nodes`` in ``ast.walk`` order, so a parent is always seen before its children."""
    out: dict[int, ast.FunctionDef | ast.AsyncFunctionDef] = {}
    nested = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
    for node in nodes:
        parent = parents.get(node)
        if parent is None or isinstance(node, nested):
            continue
        if isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if isinstance(node, ast.stmt):  # the statements of a function are its body
                out[id(node)] = parent
            continue
        owner = out.get(id(parent))
        if owner is not None:
            out[id(node)] = owner
    return out


# -- edits -------------------------------------------------------------------------------------
def insert_keyword(doc: Document, call: ast.Call, text: str) -> TextEdit | None:
    """An edit adding ``text`` (``name=value``) as the last argument of ``call``."""
    if len(call.args) == 1 and isinstance(call.args[0], ast.GeneratorExp) and not call.keywords:
        return None  # `f(x for x in y)`: the generator has no parentheses of its own
    _, _, end_line, end_col = doc.node_range(call)
    if doc.line_text(end_line)[end_col - 2 : end_col - 1] != ")":
        return None
    items: list[ast.AST] = [*call.args, *call.keywords]
    if not items:
        return TextEdit(end_line, end_col - 1, end_line, end_col - 1, text)
    last = max(items, key=lambda n: (n.end_lineno or 0, n.end_col_offset or 0))
    _, _, line, col = doc.node_range(last)
    return TextEdit(line, col, line, col, ", " + text)


def import_insertion(doc: Document, tree: ast.Module, statement: str) -> TextEdit | None:
    """An edit adding ``statement`` after the module docstring and ``__future__`` imports."""
    body = tree.body
    index = 0
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        if isinstance(body[0].value.value, str):
            index = 1
    while (
        index < len(body) and isinstance(body[index], ast.ImportFrom) and body[index].module == "__future__"
    ):
        index += 1
    if index == 0:
        if not body:
            return None
        line = body[0].lineno
        return TextEdit(line, 1, line, 1, statement + "\n")
    previous = body[index - 1]
    line, _, end_line, end_col = doc.node_range(previous)
    rest = doc.line_text(end_line)[end_col - 1 :].strip()
    if rest and not rest.startswith("#"):
        return None  # another statement follows on the same line
    if end_line < doc.line_count:
        return TextEdit(end_line + 1, 1, end_line + 1, 1, statement + "\n")
    end = len(doc.line_text(end_line)) + 1
    return TextEdit(end_line, end, end_line, end, "\n" + statement + "\n")


def indentation_of(doc: Document, node: ast.stmt) -> str | None:
    """The whitespace before ``node`` on its line, or None when something else precedes it."""
    line, col, _, _ = doc.node_range(node)
    prefix = doc.line_text(line)[: col - 1]
    return prefix if prefix.strip() == "" else None


def names_bound(nodes: Iterable[ast.AST]) -> set[str]:
    """Every name bound or referenced in ``nodes`` (to avoid clashing new imports)."""
    names: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
    return names
