"""What the project's own code does to installed modules, classes and instances (issue 16):
names it writes onto them, methods its classes override.  Each opens a set that the installed
package alone would close; used by the HAL attribute and call checks."""

from __future__ import annotations

from typing import Any

from vetpy.context import AnalysisContext
from vetpy.resolve.infer import ANNOTATED, INSTANCE, METHOD, Value
from vetpy.resolve.value import AWS_CLIENT


def set_by_the_project(ctx: AnalysisContext, cls: str, name: str) -> bool:
    """Does the project's own code assign ``name`` on objects it does not own (a middleware's
    ``request.event = ...``), or make ``getLogger()`` return its own Logger subclass?  Then an
    instance of an installed class may have it (builtins' instances cannot gain attributes)."""
    facts = ctx.first_party
    if facts is None or cls.startswith("builtins."):
        return False
    if cls in ("logging.Logger", "logging.RootLogger") and facts.sets_logger_class():
        return True
    if cls.startswith(AWS_CLIENT) and facts.extends_aws_clients():
        return True  # a creating-client-class handler of the project may add it
    return assigns(ctx, name) or facts.writes_computed_names_into(cls.split(".")[0])


def assigns(ctx: AnalysisContext, name: str) -> bool:
    """Does the project assign ``name`` on objects it does not own?  A name it stores only on
    objects it has just made by calling an installed class that has the name itself (``resp =
    requests.Response(); resp.status_code = 200``) opens nothing: first_party_stores.py."""
    facts, members = ctx.first_party, ctx.members
    if facts is None:
        return False
    if facts.assigns(name):
        return True
    for callee in facts.assigns_on_made(name):
        info = members.describe(callee) if members is not None else None
        instance = members.instance(callee) if info is not None and info.get("kind") == "class" else None
        if instance is None or name not in (instance.get("members") or ()):
            return True  # a function's result, or a class whose instances gain the name this way
    return False


def written_by_the_project(ctx: AnalysisContext, module: str, name: str) -> bool:
    """Does the project add ``name`` to the installed module ``module`` (``logging.TRACE =
    ...`` in apprise) or write computed names into it (borgmatic's ``setattr(logging,
    level_name, n)``)?"""
    facts = ctx.first_party
    return facts is not None and (assigns(ctx, name) or any(
        facts.writes_computed_names_into(part) for part in {module.split(".")[0], module.rsplit(".", 1)[-1]}))


def open_receiver(ctx: AnalysisContext, func: Value) -> bool:
    """May the receiver of the method ``func`` be of a subclass (an annotated value, a logger
    when the project sets its own Logger class)?"""
    receiver = func.receiver
    facts = ctx.first_party
    if func.path in ("logging.Logger", "logging.RootLogger") and facts is not None and facts.sets_logger_class():
        return True
    return receiver is None or receiver.kind != INSTANCE or receiver.name == ANNOTATED


def overridden_by_the_project(ctx: AnalysisContext, func: Value) -> bool:
    """Is the receiver of the method ``func`` known only from an annotation while the project's
    own classes define a method of that name?  A subclass of the project may then be passed
    whose override takes other arguments (httpie's ``parse_args(env, args)`` on a parameter
    annotated ``argparse.ArgumentParser``), as an attribute check on such a receiver allows."""
    receiver, facts = func.receiver, ctx.first_party
    return receiver is not None and receiver.kind == INSTANCE and receiver.name == ANNOTATED \
        and facts is not None and facts.gives_instances(func.name, receiver.path)


def overridable_forwards(ctx: AnalysisContext, func: Value, forwards: dict[str, Any]) -> bool:
    """May a method that the keywords of a call of ``func`` are forwarded to be an override that
    takes others: ``self.method(**kw)`` on a receiver that may be of a subclass, or a method
    called on an instance known only by a declared return (``gca().legend(**kw)``: ``through``)
    whose name the project's own classes define?"""
    if func.kind == METHOD and forwards.get("via_self") and open_receiver(ctx, func):
        return True
    facts = ctx.first_party
    return facts is not None and any(facts.gives_instances(name) for name in forwards.get("through") or ())
