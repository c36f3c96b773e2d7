"""What the None/emptiness analysis (:mod:`.none_empty`) knows about a module and a scope:
compiled patterns, dicts and their literal keys, functions annotated to return None, non-empty
constants."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from vetpy.astutil import dotted_name, keyword
from vetpy.first_party import truth_attribute
from vetpy.rules.edge.facts import Module, is_optional_annotation
from vetpy.scopes import scope_index

if TYPE_CHECKING:
    from vetpy.first_party import FirstPartyFacts
    from vetpy.rules.edge.flow import FlowState
    from vetpy.rules.edge.optional_returns import InstalledOptional


DICT_FACTORIES = frozenset(
    {"dict", "collections.defaultdict", "collections.OrderedDict", "json.loads", "json.load"}
)
DICT_ANNOTATIONS = re.compile(r"^(typing\.)?(dict|Dict|Mapping|MutableMapping|DefaultDict|OrderedDict)\b")


@dataclass
class ScopeFacts:
    """What the None/emptiness domain needs to know about the module and the current scope."""

    mod: Module
    scope: ast.AST
    patterns: dict[str, str | bytes | None]  # names bound to re.compile(...) -> the literal pattern
    optional_funcs: dict[str, str]  # module functions annotated to return Optional
    module_dicts: set[str]
    literal_keys: dict[str, frozenset[object]]  # module dicts -> constant keys every literal has
    installed: "InstalledOptional | None" = None  # installed functions declared to return None sometimes
    first_party: "FirstPartyFacts | None" = None  # the project's classes in other modules

    def truth_of_parameter(self, name: str) -> str | None:
        """The attribute whose truth is the truth of the parameter ``name``, by its annotated
        class (``selection: Selection | None``, ``Selection.__bool__`` returning
        ``bool(self.server_descriptions)``): a class of this module, else of the project."""
        if not isinstance(self.scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None
        args = self.scope.args
        arg = next((a for a in [*args.posonlyargs, *args.args, *args.kwonlyargs] if a.arg == name), None)
        cls = _annotated_class(arg.annotation) if arg is not None and arg.annotation is not None else None
        if cls is None:
            return None
        local = {truth_attribute(n) for n in self.mod.of_type(ast.ClassDef) if isinstance(n, ast.ClassDef) and n.name == cls}
        if local:
            return local.pop() if len(local) == 1 else None
        return self.first_party.truth_of(cls) if self.first_party is not None else None

    @cached_property
    def dicts(self) -> set[str]:
        """Names known to hold a dict in this scope (computed only when a `.get()` needs it)."""
        if isinstance(self.scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return _scope_dicts(self.mod, self.scope, self.module_dicts)
        return set(self.module_dicts)


def _annotated_class(node: ast.expr) -> str | None:
    """``C``, ``m.C``, ``C | None``, ``Optional[C]``: ``"C"``."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        sides = [s for s in (node.left, node.right) if not (isinstance(s, ast.Constant) and s.value is None)]
        return _annotated_class(sides[0]) if len(sides) == 1 else None
    if isinstance(node, ast.Subscript) and (dotted_name(node.value) or "").rsplit(".", 1)[-1] == "Optional":
        return _annotated_class(node.slice)
    name = dotted_name(node)
    return name.rsplit(".", 1)[-1] if name else None


def nonempty_literal(node: ast.expr) -> bool:
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return bool(node.elts) and not any(isinstance(e, ast.Starred) for e in node.elts)
    if isinstance(node, ast.Dict):
        return bool(node.keys) and None not in node.keys
    if isinstance(node, ast.Constant):
        return isinstance(node.value, (str, bytes)) and bool(node.value)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("split", "rsplit")
    ):
        return bool(node.args) or bool(node.keywords)
    return False


def pattern_literal(call: ast.Call) -> str | bytes | None:
    """The pattern of ``re.match("...", s)`` / ``re.compile("...")`` when literal and without flags."""
    if not call.args:
        return None
    first = call.args[0]
    compiling = isinstance(call.func, ast.Attribute) and call.func.attr == "compile"
    flags_position = 1 if compiling else 2
    if len(call.args) > flags_position or keyword(call, "flags") is not None:
        return None
    if isinstance(first, ast.Constant) and isinstance(first.value, (str, bytes)):
        return first.value
    return None


ZERO_WIDTH_CONTEXT = re.compile(r"\\[ZbB0-9]|\$|\(\?[=!<]|\(\?P=|\(\?\(")


def always_matches(pattern: str | bytes | None, method: str) -> bool:
    """Does ``re.<method>(pattern, s)`` succeed for every string ``s``?  (False when unsure.)

    A pattern that can match the empty string at position 0 using only ``^``/``\\A`` as zero-width
    assertions matches at the start of any string."""
    if pattern is None or method == "fullmatch":
        return False
    text = pattern.decode("latin-1") if isinstance(pattern, bytes) else pattern
    if ZERO_WIDTH_CONTEXT.search(text):
        return False
    try:
        return re.compile(pattern).match(pattern[:0]) is not None
    except (re.error, RecursionError, OverflowError, ValueError):
        return False


def module_facts(
    mod: Module,
) -> tuple[dict[str, str | bytes | None], dict[str, str], set[str], set[str], dict[str, frozenset[object]]]:
    """(compiled patterns, Optional-returning functions, module dict names, non-empty constants,
    constant keys of module dict literals)."""
    patterns: dict[str, str | bytes | None] = {}
    assigned: dict[str, list[ast.expr]] = {}
    for node in mod.of_type(ast.Assign):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                name = dotted_name(target)
                if name and isinstance(node.value, ast.Call) and mod.qname(node.value.func) == "re.compile":
                    key = name.rsplit(".", 1)[-1]
                    literal = pattern_literal(node.value)
                    patterns[key] = literal if patterns.get(key, literal) == literal else None
    for stmt in mod.tree.body:
        if isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    assigned.setdefault(target.id, []).append(stmt.value)
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value is not None:
            assigned.setdefault(stmt.target.id, []).append(stmt.value)
    dicts = {n for n, values in assigned.items() if all(_is_dictish(mod, v) for v in values)}
    literal_keys = {
        n: frozenset.intersection(*(_constant_keys(v) for v in values))
        for n, values in assigned.items()
        if n in dicts and all(isinstance(v, ast.Dict) for v in values)
    }
    constants = {n for n, values in assigned.items() if len(values) == 1 and nonempty_literal(values[0])}
    optional: dict[str, str] = {}
    for stmt in mod.tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.returns is not None:
            if is_optional_annotation(stmt.returns):
                optional[stmt.name] = f"`{stmt.name}()` is annotated to return None sometimes"
    return patterns, optional, dicts, constants, literal_keys


def _constant_keys(node: ast.Dict) -> frozenset[object]:
    return frozenset(k.value for k in node.keys if isinstance(k, ast.Constant))


def _is_dictish(mod: Module, value: ast.expr) -> bool:
    if isinstance(value, (ast.Dict, ast.DictComp)):
        return True
    if isinstance(value, ast.Call):
        if isinstance(value.func, ast.Name) and value.func.id == "dict":
            return mod.is_builtin(value.func, "dict")
        return (mod.qname(value.func) or "") in DICT_FACTORIES
    return False


def _scope_dicts(
    mod: Module, func: ast.FunctionDef | ast.AsyncFunctionDef, module_dicts: set[str]
) -> set[str]:
    params = func.args
    known = {
        a.arg
        for a in [*params.posonlyargs, *params.args, *params.kwonlyargs]
        if a.annotation is not None and DICT_ANNOTATIONS.match(ast.unparse(a.annotation))
    }
    # not the function's own ``**kwargs``: a keyword it reads is one its callers must pass (a contract)
    # What each local name is bound to; an unknown value (unpacking, a loop, `+=`, an annotation
    # alone) and an object changed through an item or attribute (`d[k] = v`) count as not a dict.
    table = scope_index(mod.doc).table(func)
    unknown = ast.Constant(0)
    local_values: dict[str, list[ast.expr]] = {name: [unknown] for name in table.stored_through}
    for name, sites in table.sites.items():
        for site in sites:
            if site.kind in ("assign", "annotated", "walrus", "augmented", "for"):
                value = site.value if site.kind in ("assign", "annotated", "walrus") and not site.unpacked else None
                local_values.setdefault(name, []).append(value if isinstance(value, ast.expr) else unknown)  # type: ignore[arg-type]
    all_params = {a.arg for a in [*params.posonlyargs, *params.args, *params.kwonlyargs]}
    local = {
        n
        for n, values in local_values.items()
        if all(_is_dictish(mod, v) for v in values) and n not in all_params
    }
    inherited = {n for n in module_dicts if n not in local_values and n not in all_params}
    return (known - set(local_values)) | local | inherited


def constant_text(node: ast.expr) -> bool:
    """A string literal or a constant by naming convention (``FIREFOX``, ``useragents.FIREFOX``)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, (str, bytes))
    name = dotted_name(node)
    last = name.rsplit(".", 1)[-1] if name else ""
    return last.isupper() and len(last) > 1


def filled_by_a_call(value: ast.expr, state: FlowState) -> bool:
    """``fill(details); details.get("k")``: a dict handed to a call on this path may have been
    filled by it (see ``filled:`` in :mod:`.flow`), so its missing keys are not known."""
    func = getattr(value, "func", None)  # an awaited call is not a `.get()`
    if not (isinstance(func, ast.Attribute) and func.attr == "get"):
        return False
    receiver = dotted_name(func.value)
    return receiver is not None and f"filled:{receiver}" in state.proven
