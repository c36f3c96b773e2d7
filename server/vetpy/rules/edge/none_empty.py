"""EDGE009 unchecked-none, EDGE010 empty-division, EDGE011 max-min-without-default,
EDGE012 first-of-filtered, EDGE020 unchecked-fetchone: one flow analysis of None and empty
values per scope."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Iterator

from vetpy.astutil import dotted_name, has_star_kwargs, keyword, walk
from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.findings import Finding, Fix, FixSafety, Severity
from vetpy.libraries import NONE_PARSERS, REQUEST_MULTIDICTS
from vetpy.rules.edge.facts import Module, is_test_file
from vetpy.rules.call_edits import insert_keyword
from vetpy.rules.edge.fixes import emptiness_guard_fix
from vetpy.rules.edge.flow import FlowState, FlowWalker, reported_prefix, scope_bodies
from vetpy.rules.edge.zero_counts import counts_rows
from vetpy.rules.edge.narrowing import generator_key, is_protected
from vetpy.rules.edge.none_facts import (
    ScopeFacts,
    always_matches,
    constant_text,
    filled_by_a_call,
    module_facts,
    nonempty_literal,
    pattern_literal,
)
from vetpy.rules.edge.blocking_calls import Facts
from vetpy.rules.edge.optional_returns import InstalledOptional
from vetpy.rules.edge.parameter_contracts import ParameterContracts, sorted_descending
from vetpy.rules.edge.empty_sources import (
    EMPTY_CONSTRUCTORS, empty_collection, first_of_query, aggregate_sql, run_time_empties, selects_rows,
)
from vetpy.rules.edge.query_rows import helper_call, rows_helper
from vetpy.rules.edge.django_rows import django_rows
from vetpy.rules.edge.relationships import relationship_names
from vetpy.rules.edge.request_params import defaulted_keys, read_with_default_before, request_mapping
from vetpy.rules.edge.query_params import MISSING_QUERY_PARAMETER, REQUEST_PARAMETER, none_rule, query_message
from vetpy.rules.edge.checking_helpers import checked_names, passed_through
from vetpy.rules.edge.lookups import UNCHECKED_LOOKUP, lookup_reason, queryset_link, tested_names
from vetpy.rules.edge.searches import FILE_ROWS_MESSAGE, FIRST_ROW_MESSAGE, NEXT_WITHOUT_DEFAULT, SEARCH_MESSAGE, searches_by_id
from vetpy.rules.edge.sql_rows import fetchone_reason, fetchrow_reason
from vetpy.rules.edge.ties import note_extreme, ties_of_an_extreme
from vetpy.rules.registry import REGISTRY, rule
from vetpy.scopes import plain_values, scope_index


UNCHECKED_NONE = rule(
    code="EDGE009",
    name="unchecked-none",
    family="EDGE",
    severity=Severity.WARNING,
    question="What if there is no match, no key, no variable, no program?",
    summary="A result that is None on failure (`re.match`, `dict.get`, `os.getenv`, `shutil.which`, installed functions declared `-> X | None`...) is used without a check.",
    rationale="""`re.match(...).group(1)` raises `AttributeError: 'NoneType' object has no
    attribute 'group'` on the first input that does not match. Check the result (`if m:`,
    `if m is None: return`, `assert m`, a walrus in the `if`), give a default
    (`d.get(k, default)`, `os.getenv("X", "default")`), or use `d[k]` when absence is a bug.
    Uses guarded on every path, or inside a `try` that catches the error, are not reported.
    With a target environment, calls of installed functions and methods whose stub (typeshed,
    a package's `.pyi`) or own annotation says `-> X | None` count too (`Element.find()`,
    `importlib.util.find_spec()`, SQLAlchemy's `Session.get()`), unless the call passes a
    default or an overload for its arguments does not return None. A request parameter, header
    or cookie read with `.get()` and no default (`request.GET.get("tags").split(",")`, a
    handler's `request` or `self.request` in Django, DRF, Starlette, aiohttp, Flask's
    `request.args`, Quart's too) is None when the client leaves it out: a 500 where a 400 was due
    (not a key the function read with a default first: `token = request.POST.get("token", "")`, then tested).
    So is the first row of an ORM query (`.first()` of `Room.objects.filter(...)`,
    `User.query.filter_by(...)`, an awaited Tortoise `Event.filter(...).first()`) when no row matches. A parser that raises
    `TypeError` on None (`date.fromisoformat()`, `datetime.strptime()`, `Decimal()`, `uuid.UUID()`, `json.loads()`) uses
    its argument as `int()` does: `date.fromisoformat(request.args.get("until"))`. Opt-in: the rule runs only
    when selected by its code, `EDGE` or `ALL` (`--extend-select EDGE009`): on real applications
    a reviewer judged none of its findings a bug to fix (at best a 500 where a 400 was due).""",
    bad="""
        import re

        m = re.match(r"(\\d+)-(\\d+)", text)
        start = int(m.group(1))
    """,
    good="""
        m = re.match(r"(\\d+)-(\\d+)", text)
        if m is None:
            raise ValueError(f"bad range: {text!r}")
        start = int(m.group(1))
    """,
    cwe=(476,),
)

DIVIDE_BY_LEN = rule(
    code="EDGE010",
    name="empty-division",
    family="EDGE",
    severity=Severity.WARNING,
    question="What if the list is empty?",
    summary="`x / len(seq)` or `statistics.mean(seq)` on a collection that may be empty, with no emptiness guard.",
    rationale="""An average over no items raises `ZeroDivisionError` (or
    `statistics.StatisticsError`). Decide what an empty input means: return early, return a
    default, or raise a clear error. Reported for parameters and locally built collections
    that nothing proves non-empty; not for a value NumPy computes (`np.ones(n) / len(xs)`: an
    array or NumPy scalar divided by zero gives inf or nan with a warning, no error). Also
    reported: a division by a count of a query's rows not tested first (`submitted =
    session.scalar(select(func.count())...)`, with or without `or 0`, `n = Order.objects.filter(...).count()`, then
    `approved / submitted`): a query can match no row; `list.count(x)` and a tested count
    (`if not n:`, `if n == 0: return`, `x / n if n else 0`) are not. So is a division over a
    to-many ORM relationship (`[e.amount for e in report.expenses]` averaged, `expenses =
    relationship(...)` declared on a model of the project): it can hold no rows; and so is one
    over the rows a cursor fetched (`rows = cur.execute(sql).fetchall()`, `.fetchmany(n)`, not
    of an aggregate such as `SELECT count(*)`, which is one row) or a call given the text of a
    `SELECT` returned (`rows = await db.execute_query_dict("SELECT ...")`) and
    nothing tested: a query can match none. And one over a module-level collection that starts
    empty and is filled only at run time (`_totals = Counter()` counted into by a request or a
    thread; not a registry a decorator or a module-level statement fills at import): until then it
    is empty. A division by a parameter annotated `int` with no default (`def split(total: Decimal,
    parts: int): return total / parts`) is reported too when nothing in the function compares,
    tests, bounds (`max(1, parts)`) or passes on the parameter: an `int` admits 0 and the function
    has not said what a zero means; not in a private helper (`_chunk`), whose callers are its own
    module, nor in a module that imports NumPy, pandas or another array library (an array divided
    by zero gives inf, no error). So is one by a bare `count(...)` of a raw SQL aggregate without
    `GROUP BY` (`row["trips"]` of `fetchrow("SELECT sum(total), count(*) AS trips FROM ...")`,
    `n = await conn.fetchval("SELECT count(*) FROM ...")`) that the function never tests.""",
    bad="""
        def average(values):
            return sum(values) / len(values)
    """,
    good="""
        def average(values):
            if not values:
                return 0.0
            return sum(values) / len(values)
    """,
    fix_safety=FixSafety.UNSAFE,
    cwe=(369,),
)

EMPTY_MAX = rule(
    code="EDGE011",
    name="max-min-without-default",
    family="EDGE",
    severity=Severity.WARNING,
    question="What is the largest of no values?",
    summary="`max()`/`min()` of an iterable that may be empty, without `default=`.",
    rationale="""`max([])` raises `ValueError: max() arg is an empty sequence`. Pass `default=`
    or guard the empty case. Reported for locally built collections (an empty literal filled in a
    loop, `str.split()`, a filtered comprehension, a cursor's `fetchall()`) and filtered generators that nothing proves
    non-empty; parameters are left to the caller's contract, and so is a list that a loop over
    a parameter (or data reached through one, `run_spec.schedule.crons`) fills on every
    iteration: it is as empty as the parameter, like `max(row.age for row in rows)`. A loop that
    may add nothing (an `if`, a `continue`) or runs over a local listing is still reported, and
    so is a to-many ORM relationship of an object the function loaded itself (`max(e.amount for
    e in report.expenses)`, `expenses = relationship(...)` on a model of the project): a report
    can have no expenses yet. A parameter annotated as a collection (`prices: dict[str, Decimal]`,
    `rooms: list[Room]`, `Sequence[...]`, `tuple[X, ...]`; not `*args`, not a fixed-size tuple)
    of a public function is reported too, and so is the first or last of it sorted
    (`sorted(counts, key=counts.get, reverse=True)[0]` is `max()` by another name, an IndexError
    when empty): its type admits the empty collection and nothing tests it.""",
    bad="""
        best = max(score for score in scores if score > threshold)
    """,
    good="""
        best = max((score for score in scores if score > threshold), default=None)
    """,
    fix_safety=FixSafety.UNSAFE,
)

FIRST_OF_FILTERED = rule(
    code="EDGE012",
    name="first-of-filtered",
    family="EDGE",
    severity=Severity.WARNING,
    question="What if nothing passes the filter?",
    summary="`[0]` on a freshly filtered list, or `next()` of a filtered generator without a default.",
    rationale="""A comprehension with an `if` can produce an empty list, and then `[0]` raises
    `IndexError` (`next()` raises `StopIteration`, which inside a generator silently ends it).
    `sorted(totals.items(), ...)[0]` of a collection nothing proves non-empty that is not a parameter
    (the rows of a query, a module-level collection filled only at run time) raises it too, and
    `next()` without a default of the rows of a file (`csv.reader`, `csv.DictReader`, openpyxl's
    `iter_rows`), or of a search for an element by its id, is EDGE025, on by default. Check the list, or use `next((... if ...), None)` and handle `None`. Opt-in: the rule runs
    only when selected by its code, `EDGE` or `ALL` (`--extend-select EDGE012`): on real
    applications most filters were guaranteed a match by the program's own data (a value
    validated against the same choices, a constant list, an asserted archive layout), and the
    findings worth fixing were a third of them.""",
    bad="""
        admin = [u for u in users if u.is_admin][0]
    """,
    good="""
        admin = next((u for u in users if u.is_admin), None)
        if admin is None:
            raise LookupError("no admin user")
    """,
)


NONE_ERRORS = ("AttributeError", "TypeError")
EMPTY_ERRORS = ("ZeroDivisionError", "ArithmeticError", "StatisticsError", "ValueError")
INDEX_ERRORS = ("IndexError", "LookupError")
STATISTICS = frozenset(
    {
        "statistics.mean",
        "statistics.fmean",
        "statistics.median",
        "statistics.mode",
        "statistics.harmonic_mean",
        "statistics.geometric_mean",
        "statistics.median_low",
        "statistics.median_high",
    }
)


NONE_USES = frozenset({"int", "float", "len", "open"})
FRESH_LINES = 5  # "freshly filtered": indexed within this many lines of the filtering


@dataclass
class NoneEmptyDomain:
    mod: Module
    facts: ScopeFacts
    findings: list[Finding] = field(default_factory=list)
    walker: FlowWalker | None = None  # set by the checker: gives the statement being evaluated
    rows: Facts | None = None  # set by the checker: finds the project's helpers that return a query's rows
    relationships: frozenset[str] | None = None  # to-many ORM relationships known here (relationships.py), lazily
    contracts_: ParameterContracts | None = None  # what the scope's annotated parameters admit, lazily
    defaulted_: dict[tuple[str, object], int] | None = None  # (mapping, key) read with a default -> first line, lazily

    @property
    def contracts(self) -> ParameterContracts:
        if self.contracts_ is None:
            self.contracts_ = ParameterContracts(self.mod, self.facts.scope)
        return self.contracts_

    def relationship(self, subject: str | None) -> str | None:
        """``report.expenses`` when ``expenses`` is a to-many relationship of the project's models."""
        if subject is None or "." not in subject or self.rows is None:
            return None
        if self.relationships is None:
            self.relationships = relationship_names(self.rows)
        return subject if subject.rpartition(".")[2] in self.relationships else None

    # -- sources
    def none_source(self, value: ast.expr) -> str | None:
        lookup = lookup_reason(value)  # EDGE031 (awaited: also a Tortoise chain, `get_or_none(...).only(...)`)
        if lookup is not None:
            return lookup
        if isinstance(value, ast.Await):
            value = value.value  # `event = await Event.filter(...).first()` (Tortoise)
        if not isinstance(value, ast.Call):
            return None
        if first_of_query(value):
            return "`.first()` of a query returns None when no row matches"
        qname = self.mod.qname(value.func) or ""
        if qname in ("re.match", "re.search", "re.fullmatch"):
            if value.args and always_matches(pattern_literal(value), qname[3:]):
                return None
            if len(value.args) >= 2 and constant_text(value.args[0]) and constant_text(value.args[1]):
                return None  # a constant pattern on constant text: the same answer on every run
            return f"`{qname}()` returns None when nothing matches"
        func = value.func
        if isinstance(func, ast.Attribute) and func.attr in ("match", "search", "fullmatch"):
            receiver = func.value
            name = dotted_name(receiver)
            if isinstance(receiver, ast.Call) and self.mod.qname(receiver.func) == "re.compile":
                literal: str | bytes | None = pattern_literal(receiver)
            elif name is not None and name.rsplit(".", 1)[-1] in self.facts.patterns:
                literal = self.facts.patterns[name.rsplit(".", 1)[-1]]
            else:
                return None
            if always_matches(literal, func.attr):
                return None
            if literal is not None and value.args and constant_text(value.args[0]):
                return None  # a constant pattern on constant text: the same answer on every run
            return f"`.{func.attr}()` returns None when nothing matches"
        no_default = len(value.args) == 1 and not value.keywords
        if qname in ("os.environ.get", "os.getenv") and no_default:
            return f"`{qname}()` returns None when the variable is unset"
        if qname == "shutil.which":
            return "`shutil.which()` returns None when the program is not found"
        if isinstance(func, ast.Attribute) and func.attr == "get" and no_default:
            receiver_name = dotted_name(func.value)
            key = value.args[0]
            known_keys = self.facts.literal_keys.get(receiver_name or "", frozenset())
            if isinstance(key, ast.Constant) and key.value in known_keys:
                return None  # TABLE = {"a": 1}; TABLE.get("a"): the key is there
            if self.mod.qname(func.value) in REQUEST_MULTIDICTS or request_mapping(self.mod.doc, self.facts.scope, func.value):
                self.defaulted_ = defaulted_keys(self.facts.scope) if self.defaulted_ is None else self.defaulted_
                if read_with_default_before(self.defaulted_, value):
                    return None  # `token = request.POST.get("token", "")` tested first: absence was handled there
                return REQUEST_PARAMETER
            if receiver_name in self.facts.dicts:
                return "`.get()` without a default returns None for a missing key"
        if isinstance(func, ast.Name) and func.id in self.facts.optional_funcs:
            return self.facts.optional_funcs[func.id]
        if isinstance(func, ast.Attribute) and func.attr == "fetchone":
            return fetchone_reason(value, self.facts.scope, self.mod.doc)  # EDGE020
        if isinstance(func, ast.Attribute) and func.attr == "fetchrow" and (reason := fetchrow_reason(value, self.facts.scope, self.mod.doc)):
            return reason  # EDGE020 (asyncpg)
        if self.facts.installed is not None:
            return self.facts.installed.reason(value)
        return None

    def assign(self, name: str, value: ast.expr | None, state: FlowState) -> None:
        state.kill(name)
        note_extreme(name, value, state, self.mod.is_builtin)
        if value is None:
            return
        if self.rows is not None and isinstance(value, ast.Call):  # `unit = same(lookup)`: checking_helpers.py
            value = passed_through(self.rows, value, self.facts.scope) or value
        source = self.none_source(value)
        if source is not None and not filled_by_a_call(value, state):
            state.tracked[f"none:{name}"] = value
            return
        if counts_rows(value):
            state.tracked[f"zero:{name}"] = value  # a count of a query's rows (zero_counts.py)
            return
        if ties_of_an_extreme(value, state):
            state.proven |= {f"ne:{name}"}  # holds the element that gave the extreme
        elif _is_filtered(value):
            state.tracked[f"filtered:{name}"] = value
            state.tracked[f"maybe-empty:{name}"] = value
        elif (django_rows(self.mod, self.facts.scope, name, value, state)  # a Django query's rows (django_rows.py)
              or _maybe_empty(self.mod, value) or (self.rows is not None and helper_call(value) is not None)):
            state.tracked[f"maybe-empty:{name}"] = value  # a helper's call: judged where it is used
        elif isinstance(value, ast.ListComp) and "." in (_subject(value) or ""):
            # `[e.amount for e in report.expenses]`: whether `expenses` is a to-many relationship is
            # asked where the list is divided by or maximised (it reads the modules this one
            # imports from, which would make every such list a read of theirs)
            state.tracked[f"comp:{name}"] = value
        elif nonempty_literal(value):
            state.proven |= {f"ne:{name}", f"nn:{name}"}

    def runs_at_least_once(self, iterable: ast.expr, state: FlowState) -> bool:
        """Is ``iterable`` proven non-empty here: tested itself (``if not items: return``), or
        through the parameter that owns it, whose class takes its truth from it (pymongo: ``if not
        selection: return []`` then ``for s in selection.server_descriptions``, with
        ``Selection.__bool__`` returning ``bool(self.server_descriptions)``)?"""
        subject = dotted_name(iterable)
        if subject is None:
            return False
        if f"ne:{subject}" in state.proven:
            return True
        owner, _, attr = subject.rpartition(".")
        return bool(owner) and f"ne:{owner}" in state.proven and self.facts.truth_of_parameter(owner) == attr

    def filled_per_iteration(self, iterable: ast.expr, before: FlowState, iterated: FlowState, after: FlowState) -> None:
        """``ages = []; for row in rows: ages.append(row.age)``: a collection that every iteration
        leaves non-empty is empty exactly when the loop's iterable is. When that iterable is a
        parameter or reached through one (``run_spec.schedule.crons``), the collection's emptiness
        is the caller's contract, as ``max(row.age for row in rows)`` is: it is tracked as coming
        from that parameter (EDGE011 leaves parameters alone; EDGE010 reports them)."""
        subject = dotted_name(iterable)
        if subject is None:
            return
        origin = self._unrebound_parameter(subject.split(".", 1)[0])
        if origin is None:
            return
        for key in list(after.tracked):
            name = key.removeprefix("maybe-empty:")
            if key.startswith("maybe-empty:") and f"ne:{name}" in iterated.proven and f"ne:{name}" not in before.proven:
                after.tracked[key] = origin

    def _unrebound_parameter(self, name: str) -> ast.arg | None:
        """The parameter ``name`` of the scope, when the scope never binds that name again."""
        scope = self.facts.scope
        if not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)) or name in ("self", "cls"):
            return None
        args = scope.args
        param = next((a for a in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg] if a is not None and a.arg == name), None)
        if param is None or any(
            isinstance(n, ast.Name) and n.id == name and not isinstance(n.ctx, ast.Load) for n in walk(scope)
        ):
            return None
        return param

    # -- uses
    def visit(self, node: ast.AST, state: FlowState, caught: frozenset[str]) -> None:
        if isinstance(node, (ast.Attribute, ast.Subscript)):
            self._none_use(node, node.value, state, caught)
            if isinstance(node, ast.Subscript):
                self._first_of_filtered(node, state, caught)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            self._none_use(node.iter, node.iter, state, caught)
        elif isinstance(node, ast.Call):
            self._call(node, state, caught)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Div, ast.FloorDiv)):
            right = node.right
            self._zero_count(node, state, caught)
            self._zero_parameter(node, state, caught)
            if (
                isinstance(right, ast.Call)
                and self.mod.is_builtin(right.func, "len")
                and len(right.args) == 1
                and not self._numpy_operand(node.left)
            ):
                self._empty_use(
                    DIVIDE_BY_LEN,
                    node,
                    right.args[0],
                    state,
                    caught,
                    "division by `len({})` fails when it is empty",
                )

    def _zero_count(self, node: ast.BinOp, state: FlowState, caught: frozenset[str]) -> None:
        """``approved / submitted`` where ``submitted`` counts a query's rows, untested here."""
        right = node.right
        if not (isinstance(right, ast.Name) and f"zero:{right.id}" in state.tracked) or f"ne:{right.id}" in state.proven:
            return
        if is_protected(caught, EMPTY_ERRORS):
            return
        state.proven.add(f"ne:{right.id}")  # report once per path
        self.findings.append(DIVIDE_BY_LEN.finding(
            self.mod.doc, node,
            f"`{right.id}` counts the rows of a query, which may match none: the division fails when it is 0",
        ))

    def _zero_parameter(self, node: ast.BinOp, state: FlowState, caught: frozenset[str]) -> None:
        """``(total / parts).quantize(CENT)`` with ``parts: int`` untested (parameter_contracts.py)."""
        right = node.right
        if not isinstance(right, ast.Name) or f"ne:{right.id}" in state.proven or is_protected(caught, EMPTY_ERRORS):
            return
        param = self._unrebound_parameter(right.id)
        if param is None or self._numpy_operand(node.left) or not self.contracts.zero_admitted(param):
            return
        state.proven.add(f"ne:{right.id}")  # report once per path
        self.findings.append(DIVIDE_BY_LEN.finding(
            self.mod.doc, node,
            f"`{right.id}` is an `int` parameter that nothing here tests: the division fails when a caller passes 0",
        ))

    def _numpy_operand(self, node: ast.expr) -> bool:
        """Is ``node`` computed by NumPy (``np.ones(n) / len(xs)``, ``np.linalg.norm(d) / len(d)``)?
        An array or NumPy scalar divided by zero gives inf or nan with a warning, no error."""
        while isinstance(node, (ast.BinOp, ast.UnaryOp)):
            if isinstance(node, ast.BinOp) and self._numpy_operand(node.right):
                return True
            node = node.left if isinstance(node, ast.BinOp) else node.operand
        return isinstance(node, ast.Call) and (self.mod.qname(node.func) or "").split(".")[0] == "numpy"

    def _call(self, node: ast.Call, state: FlowState, caught: frozenset[str]) -> None:
        if self.rows is not None and node is getattr(self.walker and self.walker.statement, "value", None):
            state.proven |= {f"nn:{n}" for n in checked_names(self.rows, node, self.facts.scope, state.tracked)}  # `found(unit)`
        if len(node.args) == 1 and not node.keywords and isinstance(node.func, ast.Name):
            if node.func.id in NONE_USES and self.mod.is_builtin(node.func, node.func.id):
                self._none_use(node, node.args[0], state, caught)
        qname = self.mod.qname(node.func)
        if qname in NONE_PARSERS and node.args and not isinstance(node.args[0], ast.Starred):
            self._none_use(node, node.args[0], state, caught)
        if qname in STATISTICS and len(node.args) == 1:
            self._empty_use(
                DIVIDE_BY_LEN, node, node.args[0], state, caught, f"`{qname}()` fails when `{{}}` is empty"
            )
        elif (
            isinstance(node.func, ast.Name)
            and node.func.id in ("max", "min")
            and self.mod.is_builtin(node.func, node.func.id)
        ):
            if (
                len(node.args) == 1
                and not isinstance(node.args[0], ast.Starred)
                and not keyword(node, "default")
            ):
                if not has_star_kwargs(node):
                    self._empty_use(
                        EMPTY_MAX,
                        node,
                        node.args[0],
                        state,
                        caught,
                        f"`{node.func.id}()` raises ValueError when `{{}}` is empty",
                    )
        elif (
            isinstance(node.func, ast.Name)
            and node.func.id == "next"
            and self.mod.is_builtin(node.func, "next")
        ):
            arg = node.args[0] if len(node.args) == 1 else None
            if arg is not None and not is_protected(caught, ("StopIteration",)) and self._rows_of_a_file(arg):
                self.findings.append(NEXT_WITHOUT_DEFAULT.finding(self.mod.doc, node, FILE_ROWS_MESSAGE))
                return
            if arg is None or not _is_filtered(arg) or is_protected(caught, ("StopIteration",)):
                return
            if isinstance(arg, ast.GeneratorExp) and f"ne:{generator_key(arg)}" not in state.proven:
                if searches_by_id(arg):
                    self.findings.append(NEXT_WITHOUT_DEFAULT.finding(self.mod.doc, node, SEARCH_MESSAGE))
                    return
                self.findings.append(FIRST_OF_FILTERED.finding(
                    self.mod.doc, node, "`next()` of a filtered generator raises StopIteration when nothing matches; pass a default"))

    def _none_use(self, where: ast.AST, value: ast.expr, state: FlowState, caught: frozenset[str]) -> None:
        if is_protected(caught, NONE_ERRORS) or _type_checker_accepted(self.mod.doc, where):
            return
        if isinstance(value, ast.Name):
            source = state.tracked.get(f"none:{value.id}")
            if source is None or f"nn:{value.id}" in state.proven:
                return
            state.proven.add(f"nn:{value.id}")  # report once per path
            reason = self.none_source(source) if isinstance(source, ast.expr) else None
            rule_ = none_rule(source, UNCHECKED_NONE)
            if rule_ is UNCHECKED_LOOKUP and value.id in tested_names(self.mod.doc, self.facts.scope):
                return  # a lookup tested somewhere in the function: a correlated test may prove it
            self.findings.append(
                rule_.finding(
                    self.mod.doc, where, f"`{value.id}` may be None here ({reason}); check it first"
                )
            )
        elif isinstance(value, ast.Call):
            reason = self.none_source(value)
            if reason is not None and f"nn:{ast.unparse(value)}" not in state.proven and not filled_by_a_call(value, state) \
                    and not queryset_link(where):  # `await Unit.get_or_none(...).prefetch_related(...)`: Tortoise's query
                rule_ = none_rule(value, UNCHECKED_NONE, where, reason == REQUEST_PARAMETER)
                message = query_message(value, where) if rule_ is MISSING_QUERY_PARAMETER else None
                self.findings.append(rule_.finding(self.mod.doc, where, message or f"the result may be None ({reason}); check it first"))

    def _empty_use(
        self,
        rule_: object,
        where: ast.AST,
        arg: ast.expr,
        state: FlowState,
        caught: frozenset[str],
        template: str,
    ) -> None:
        assert rule_ in (DIVIDE_BY_LEN, EMPTY_MAX)
        if is_protected(caught, EMPTY_ERRORS):
            return
        if _is_filtered(arg):
            subject = "the filtered values"
        else:
            key = _subject(arg)
            if key is None or f"ne:{key}" in state.proven:
                return
            origin = state.tracked.get(f"maybe-empty:{key}")
            comp = state.tracked.get(f"comp:{key}") if origin is None else None
            if comp is not None and (rel := self.relationship(_subject(comp))) and f"ne:{rel}" not in state.proven:
                origin = comp
            if origin is None and self.relationship(key) and not (
                    rule_ is EMPTY_MAX and self._unrebound_parameter(key.split(".", 1)[0])):
                origin = arg  # `max(e.amount for e in report.expenses)`, `len(report.expenses)`
            if origin is None or (rule_ is EMPTY_MAX and isinstance(origin, ast.arg) and not self.contracts.open_collection(origin)):
                return  # max()/min() of a parameter: non-empty by contract more often than not
            call = (helper_call(origin) if isinstance(origin, ast.expr) and not _maybe_empty(self.mod, origin)
                    and f"rows:{key}" not in state.tracked else None)
            if call is not None:
                reason = rows_helper(self.rows, call, self.facts.scope) if self.rows is not None else None
                if reason is None:
                    return  # a call of unknown result, or of a helper not known to return a query's rows
                template += f" ({reason})"
            relation = self.relationship(_subject(origin)) if isinstance(origin, (ast.ListComp, ast.GeneratorExp)) else self.relationship(key)
            if relation is not None:
                template += f" (`{relation}` is a relationship, which may hold no rows)"
            state.proven.add(f"ne:{key}")  # report once per path
            subject = key
        fixes: list[Fix] = []
        if rule_ is EMPTY_MAX:
            fixes = [f for f in [_default_fix(self.mod.doc, where)] if f is not None]
        elif self.walker is not None and subject != "the filtered values":
            fixes = [f for f in [emptiness_guard_fix(self.mod.doc, self.walker.statement, subject)] if f]
        self.findings.append(rule_.finding(self.mod.doc, where, template.format(subject), fixes=fixes))  # type: ignore[attr-defined]

    def _extreme_of_parameter(self, node: ast.Subscript, state: FlowState) -> str | None:
        """``sorted(counts, key=counts.get, reverse=True)[0]``: the largest (or smallest) of a
        parameter annotated as a collection, untested: ``max()`` without a default by another name."""
        key, origin = self._sorted_subject(node.value, state)
        return key if isinstance(origin, ast.arg) and self.contracts.open_collection(origin) else None

    def _sorted_subject(self, value: ast.expr, state: FlowState) -> tuple[str | None, object]:
        """(the subject, where it may have become empty) of ``sorted(subject...)``, if not proven non-empty."""
        if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "sorted"
                and len(value.args) == 1 and self.mod.is_builtin(value.func, "sorted")):
            return None, None
        key = _subject(value.args[0])
        if key is None or f"ne:{key}" in state.proven:
            return None, None
        return key, state.tracked.get(f"maybe-empty:{key}")

    def _first_of_filtered(self, node: ast.Subscript, state: FlowState, caught: frozenset[str]) -> None:
        if not (
            _is_int(node.slice, 0)
            or (
                isinstance(node.slice, ast.UnaryOp)
                and isinstance(node.slice.op, ast.USub)
                and _is_int(node.slice.operand, 1)
            )
        ):
            return
        if is_protected(caught, INDEX_ERRORS) or not isinstance(node.ctx, ast.Load):
            return
        value = node.value
        if isinstance(value, ast.ListComp) and _is_filtered(value):
            what = "the filtered list"
        elif (
            isinstance(value, ast.Name)
            and f"filtered:{value.id}" in state.tracked
            and f"ne:{value.id}" not in state.proven
        ):
            source = state.tracked[f"filtered:{value.id}"]
            if node.lineno - getattr(source, "lineno", 0) > FRESH_LINES:
                return  # not freshly filtered: later logic may well guarantee an element
            state.proven.add(f"ne:{value.id}")
            what = f"`{value.id}`"
        elif (key := self._extreme_of_parameter(node, state)) is not None:
            state.proven.add(f"ne:{key}")  # report once per path
            which = "smallest" if _is_int(node.slice, 0) != sorted_descending(value) else "largest"
            self.findings.append(EMPTY_MAX.finding(
                self.mod.doc, node, f"`{self.mod.doc.segment(node)}` is the {which} of `{key}` and raises IndexError "
                f"when it is empty; use `{'min' if which == 'smallest' else 'max'}(..., default=None)` or test it first"))
            return
        elif isinstance(value, ast.Name) and f"ne:{value.id}" not in state.proven and self._rows_of_a_file(value, listed=True):
            state.proven.add(f"ne:{value.id}")  # `rows = list(csv.DictReader(f))`, then `rows[0]`: EDGE025's
            return self.findings.append(NEXT_WITHOUT_DEFAULT.finding(self.mod.doc, node, FIRST_ROW_MESSAGE.format(value.id, value.id)))
        elif (key := self._sorted_of_maybe_empty(value, state)) is not None:
            state.proven.add(f"ne:{key}")  # report once per path
            self.findings.append(FIRST_OF_FILTERED.finding(
                self.mod.doc, node, f"`{key}` may be empty; `{self.mod.doc.segment(node.slice)}` of its sorted items raises IndexError"))
            return
        else:
            return
        self.findings.append(
            FIRST_OF_FILTERED.finding(
                self.mod.doc,
                node,
                f"{what} may be empty after filtering; `{self.mod.doc.segment(node.slice)}` raises IndexError",
            )
        )

    def _rows_of_a_file(self, arg: ast.expr, listed: bool = False) -> bool:
        """``csv.reader(...)``/``csv.DictReader(...)`` or openpyxl's ``ws.iter_rows(...)`` (with
        ``listed``, ``list()`` of one), or a name every binding of which in this scope is one: rows
        read from a file, which may be empty."""
        if isinstance(arg, ast.Name) and isinstance(self.facts.scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
            bound = plain_values(scope_index(self.mod.doc).bindings(self.facts.scope, arg.id))
            return bool(bound) and all(isinstance(v, ast.expr) and self._rows_of_a_file(v, listed) for v in bound)
        if not isinstance(arg, ast.Call):
            return False
        if listed:
            return self.mod.is_builtin(arg.func, "list") and len(arg.args) == 1 and self._rows_of_a_file(arg.args[0])
        lines = arg.args[0] if arg.args else None  # `csv.reader([line])` parses one line: one row
        return (self.mod.qname(arg.func) in ("csv.reader", "csv.DictReader") and not (
            isinstance(lines, (ast.List, ast.Tuple)) and lines.elts)) or isinstance(arg.func, ast.Attribute) and arg.func.attr == "iter_rows"

    def _sorted_of_maybe_empty(self, value: ast.expr, state: FlowState) -> str | None:
        """``sorted(totals.items(), key=...)[0]`` of a collection nothing proves non-empty that is
        not a parameter (left to the caller's contract): a local built empty, a query's rows, a
        module-level collection filled only at run time. Its subject, else None."""
        key, origin = self._sorted_subject(value, state)
        if not isinstance(origin, ast.expr) or not _maybe_empty(self.mod, origin):
            return None
        if any(origin is value for value in run_time_empties(self.mod).values()):
            return key
        # a local the function fills itself may be full by its own logic (kombu's `same`, filled by
        # a loop whose first round always appends): only a query's rows are reported
        call = origin.value if isinstance(origin, ast.Await) else origin
        if isinstance(call, ast.Call) and self.mod.is_builtin(call.func, "list") and call.args:
            call = call.args[0].value if isinstance(call.args[0], ast.Await) else call.args[0]
        return key if isinstance(call, ast.Call) and (
            selects_rows(call) or isinstance(call.func, ast.Attribute) and call.func.attr in ("fetchall", "fetchmany")) else None


TYPE_IGNORE = re.compile(
    r"type:\s*ignore(?!\[)|type:\s*ignore\[[^\]]*\b(union-attr|index|arg-type)\b"
    r"|pyright:\s*ignore(?!\[)|pyright:\s*ignore\[[^\]]*\breportOptional"
)


def _type_checker_accepted(doc: Document, node: ast.AST) -> bool:
    """``# type: ignore[union-attr]``, ``# pyright: ignore[reportOptionalMemberAccess]`` (or a bare
    ignore) on the line: the author has already answered a type checker's "this may be None"."""
    line = getattr(node, "lineno", 0)
    if not 1 <= line <= doc.line_count or TYPE_IGNORE.search(doc.line_text(line)) is None:
        return False  # the line cannot hold such a comment: no need to tokenize the file
    comment = doc.comments.get(line, "")
    return bool(comment) and TYPE_IGNORE.search(comment) is not None


def _is_int(node: ast.expr, value: int) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) is int and node.value == value


def _default_fix(doc: Document, call: ast.AST) -> Fix | None:
    assert isinstance(call, ast.Call)
    arg = call.args[0]
    if isinstance(arg, ast.GeneratorExp) and not call.keywords:
        inner = doc.segment(arg)
        if inner.startswith("(") and inner.endswith(")") and doc.segment(call).endswith(")"):
            inner = inner[1:-1]
        new = f"{doc.segment(call.func)}(({inner.strip()}), default=None)"
        return Fix("Return None for an empty input (default=None)", (doc.replace_node(call, new),))
    edit = insert_keyword(doc, call, "default=None")
    return Fix("Return None for an empty input (default=None)", (edit,)) if edit else None


def _is_filtered(node: ast.expr) -> bool:
    if isinstance(node, (ast.ListComp, ast.GeneratorExp)):
        return any(gen.ifs for gen in node.generators)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "list"
        and len(node.args) == 1
    ):
        inner = node.args[0]
        return isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) and inner.func.id == "filter"
    return False


def _maybe_empty(mod: Module, node: ast.expr) -> bool:
    if isinstance(node, ast.Await):
        node = node.value  # `rows = await db.execute_query_dict(...)`
    if isinstance(node, (ast.List, ast.Tuple, ast.Set, ast.Dict)):
        return not (node.keys if isinstance(node, ast.Dict) else node.elts)
    if isinstance(node, ast.Call):
        if (
            isinstance(node.func, ast.Name)
            and node.func.id in ("list", "dict", "set", "tuple")
            and not node.args
        ):
            return mod.is_builtin(node.func, node.func.id)
        if (isinstance(node.func, ast.Name) and node.func.id == "list" and len(node.args) == 1 and not node.keywords
                and mod.is_builtin(node.func, "list")):
            return _maybe_empty(mod, node.args[0])  # `list(cursor.fetchall())`: as empty as what it copies
        if selects_rows(node):
            return True
        if (mod.qname(node.func) or "") in EMPTY_CONSTRUCTORS:
            return empty_collection(mod, node)  # `Counter()`, `defaultdict(int)` hold nothing yet
        if isinstance(node.func, ast.Attribute) and node.func.attr == "split" and not node.args:
            return True
        if isinstance(node.func, ast.Attribute) and node.func.attr in ("fetchall", "fetchmany"):
            # a DB-API cursor's (or SQLAlchemy result's) rows: a query can match none; an aggregate's
            # (`execute("SELECT count(*) ...").fetchall()`) is one row
            executed = node.func.value
            return not (isinstance(executed, ast.Call) and aggregate_sql(executed))
        return mod.qname(node.func) in ("os.listdir", "glob.glob")
    return False


def _subject(node: ast.expr) -> str | None:
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("values", "keys", "items")
    ):
        if not node.args:
            return dotted_name(node.func.value)
    if isinstance(node, (ast.GeneratorExp, ast.ListComp)) and len(node.generators) == 1:
        return dotted_name(node.generators[0].iter)
    return dotted_name(node)


@REGISTRY.checker("EDGE009", "EDGE010", "EDGE011", "EDGE012", "EDGE020", "EDGE025", "EDGE031", "EDGE041")
def check_none_and_empty(doc: Document, ctx: AnalysisContext) -> Iterator[Finding]:
    assert doc.tree is not None
    if is_test_file(doc.path):
        return  # in a test, an unexpected None or empty input already fails the test loudly
    mod = Module.of(doc)
    patterns, optional, module_dicts, constants, literal_keys = module_facts(mod)
    installed = InstalledOptional.of(doc, ctx)
    rows = Facts(mod, ctx, doc.path)
    initial = {f"ne:{c}" for c in constants} | {f"nn:{c}" for c in constants} | {"ne:sys.argv", "nn:sys.argv"}
    for scope, body in scope_bodies(doc.tree, mod.nodes):
        if doc.is_view and scope is doc.tree:
            body = reported_prefix(doc, body)
        if not any(doc.reports(statement) for statement in body):
            continue  # a scope's findings lie in its top-level statements, here all kept from an earlier analysis
        state = FlowState(proven=set(initial))
        if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = scope.args
            for a in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg]:
                if a is not None and a.arg not in ("self", "cls"):
                    state.tracked[f"maybe-empty:{a.arg}"] = a
            empties = run_time_empties(mod)
            if empties:
                local = {n.id for n in walk(scope) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
                for name, value in empties.items():
                    if name not in local and f"maybe-empty:{name}" not in state.tracked:
                        state.tracked[f"maybe-empty:{name}"] = value  # empty until run time fills it
        facts = ScopeFacts(mod, scope, patterns, optional, module_dicts, literal_keys, installed, ctx.first_party)
        domain = NoneEmptyDomain(mod, facts, rows=rows)
        domain.walker = walker = FlowWalker(domain, reports=doc.reports if doc.is_view else None)
        try:
            walker.block(body, state)
        except RecursionError:
            continue  # a pathologically deep expression: stay silent on this scope only
        yield from domain.findings

