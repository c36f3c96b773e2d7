"""Parameters a function uses as objects: read with attributes that no string has.

A Django URL parameter reaches a view as a string (or a number, a UUID) from its URL pattern's
converter. A parameter of a request-taking function that the function reads as `ticket.id`,
`ticket.save()`, `ticket.ticketcc_set` is no such string: the function is a helper called with a
model object (`redirect_from_chosen_ticket(request, chosen_ticket, tickets)`), or a custom converter
made an object of it. Either way its text is not the client's, and it is not taken as a URL
parameter."""

from __future__ import annotations

import ast

from vetpy.dataflow.values import FunctionNode

# every attribute of a str (and of the int and UUID that Django's converters give)
_TEXT_ATTRIBUTES = frozenset(dir(str)) | frozenset(dir(int)) | frozenset(
    {"hex", "int", "bytes", "bytes_le", "fields", "urn", "variant", "version", "time", "node", "clock_seq"})


def used_as_objects(func: FunctionNode) -> frozenset[str]:
    """Names of ``func``'s parameters that its body reads an attribute of that no str, int or UUID has."""
    params = {a.arg for a in func.args.posonlyargs + func.args.args + func.args.kwonlyargs}
    found = set()
    for stmt in func.body:
        for node in ast.walk(stmt):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in params
                    and node.attr not in _TEXT_ATTRIBUTES):
                found.add(node.value.id)
    return frozenset(found)
