"""SEC005 unsafe-deserialization: pickle/shelve/dill/jsonpickle loads, marshal of untrusted
input, or yaml.load without a safe loader."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.astutil import dotted_name, has_star_kwargs, keyword
from vetpy.dataflow import Trust
from vetpy.findings import Finding, Fix, FixSafety, Severity
from vetpy.rules.registry import rule
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

UNSAFE_DESERIALIZATION = rule(
    code="SEC005",
    name="unsafe-deserialization",
    family="SEC",
    severity=Severity.WARNING,
    summary="pickle/shelve/dill/jsonpickle loads, marshal of untrusted input, or yaml.load without a safe loader.",
    rationale="""Unpickling (and `yaml.load` with the full or unsafe loader) can construct
    arbitrary objects and run code chosen by whoever wrote the data. Use `yaml.safe_load`,
    JSON, or sign and verify data before unpickling it.""",
    bad="""
        import pickle

        import yaml

        def load_config(stream):
            return yaml.load(stream, Loader=yaml.Loader)

        def load_session(data: bytes):
            return pickle.loads(data)
    """,
    good="""
        import json

        import yaml

        def load_config(stream):
            return yaml.safe_load(stream)

        def load_session(data: bytes):
            return json.loads(data)
    """,
    fix_safety=FixSafety.UNSAFE,
    cwe=(502,),
)

DESERIALIZERS = frozenset(
    {
        "pickle.load", "pickle.loads", "pickle.Unpickler", "_pickle.load", "_pickle.loads", "cPickle.load", "cPickle.loads",
        "marshal.load", "marshal.loads", "shelve.open", "dill.load", "dill.loads", "jsonpickle.decode", "pandas.read_pickle",
    }
)
YAML_LOADERS = frozenset({"yaml.load", "yaml.load_all", "yaml.unsafe_load", "yaml.unsafe_load_all"})
SAFE_YAML_LOADERS = frozenset({"SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader"})


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    call: ast.Call = site.node  # type: ignore[assignment]
    name = site.name
    if name not in DESERIALIZERS and name not in YAML_LOADERS:
        return
    if (call.args and isinstance(call.args[0], ast.Constant)) or not (call.args or call.keywords):
        return  # a literal document, or no data at all
    if name.startswith("marshal.") and not (
        call.args and sec.flow.scope(site.func).value(call.args[0], call, site.ancestors).trust is Trust.UNTRUSTED
    ):
        return  # marshal reads code objects the interpreter wrote (pyc files): only untrusted input counts
    short = name.replace("_pickle.", "pickle.").replace("cPickle.", "pickle.")
    if name in YAML_LOADERS:
        loader = keyword(call, "Loader")
        loader_node = loader.value if loader else (call.args[1] if len(call.args) > 1 else None)
        if name in {"yaml.load", "yaml.load_all"}:
            if loader_node is None and has_star_kwargs(call):
                return
            if loader_node is not None and (dotted_name(loader_node) or "").split(".")[-1] in SAFE_YAML_LOADERS:
                return
        safe = "yaml.safe_load_all" if name.endswith("_all") else "yaml.safe_load"
        yield UNSAFE_DESERIALIZATION.finding(
            sec.doc, call, f"`{short}` without a safe loader can construct arbitrary Python objects; use `{safe}`",
            fixes=_yaml_fix(sec, call, safe.split(".")[1]),
        )
        return
    yield UNSAFE_DESERIALIZATION.finding(
        sec.doc, call, f"`{short}` can run code chosen by whoever wrote the data; use JSON, or verify a signature before loading"
    )


def _yaml_fix(sec: SecurityPass, call: ast.Call, safe: str) -> list[Fix]:
    if not isinstance(call.func, ast.Attribute) or not call.args or isinstance(call.args[0], ast.Starred):
        return []
    extra = [k for k in call.keywords if k.arg != "Loader"]
    if extra or len(call.args) > 2:
        return []
    text = f"{sec.doc.segment(call.func.value)}.{safe}({sec.doc.segment(call.args[0])})"
    return [Fix(title=f"Use yaml.{safe}", edits=(sec.doc.replace_node(call, text),), preferred=True)]


MODULE = RuleModule(
    rules=(UNSAFE_DESERIALIZATION,),
    handlers={ast.Call: check_call},
    # marshal reads the interpreter's own files: only untrusted input counts
    triggers=Triggers(words=("pickle", "unpickler", "shelve", "dill", "yaml"), untrusted=("marshal",)),
)
