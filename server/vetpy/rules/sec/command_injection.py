"""SEC002 command-injection: a shell command built with a value traced to untrusted input (a
request, a handler parameter, ``input()``, ``sys.argv``).  SEC025 command-formatting: the
same with a parameter of the running function (what its caller passes)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from vetpy.astutil import is_constant, keyword
from vetpy.dataflow import Scope, Trust, Value, string_parts
from vetpy.findings import Finding, Fix, FixSafety, Severity
from vetpy.rules.registry import Rule, rule
from vetpy.rules.sec.common import callee_text, describe, remove_keyword
from vetpy.rules.sec.caller_arguments import chosen_by_program
from vetpy.rules.sec.parameter_origin import parameters_reached
from vetpy.rules.sec.stored_values import Rows, stored_column
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

COMMAND_INJECTION = rule(
    code="SEC002",
    name="command-injection",
    family="SEC",
    severity=Severity.ERROR,
    summary="A shell command built from request input (os.system, os.popen, shell=True, sh -c).",
    rationale="""The shell interprets `;`, `|`, `$()` and quotes in the command string, so any
    value spliced into it can run other commands. Pass an argument list without a shell
    (`subprocess.run(["ls", path])`), or quote each value with `shlex.quote`. Reported when
    the command, or a value spliced into it, is traced to untrusted input: request data (Flask,
    Django, FastAPI), a route handler's parameters, a Celery task's arguments (what the sender put
    in the message), `input()`, `sys.argv`; not a value that has passed an allow-list (`if x not in
    ALLOWED: abort(400)`) or, as a whole, a pattern of the characters `shlex.quote` leaves as they
    are, word characters and `@%+=:,./-` (`if not re.fullmatch(r"[a-z0-9][a-z0-9.-]*", host):
    abort(400)`). A pattern ended by `$` also matches before a trailing newline, which ends a shell
    command: such a value is accepted only where nothing but `shlex.quote`d values follows it in the
    command (`f"lp -d {printer} {shlex.quote(path)}"`), never before the program's own words
    (`f"ssh {host} rm -rf /tmp/x"` would run `rm` here). paramiko's `client.exec_command(cmd)`
    is a shell too: the SSH server runs the string with the remote user's shell. Also reported: a
    column of a row read back from the database (`report = session.get(Report, report_id)`, then
    `report.title`), which holds what a user stored (not its identifiers: `id`, `*_id`). A command built from
    a plain function's parameter (what its caller passes) is SEC025 `command-formatting`; one
    whose values are the program's own choice (a program found on PATH, a configured path) is
    not reported.""",
    bad="""
        import os
        import subprocess

        from flask import request


        def thumbnail():
            subprocess.run(f"convert {request.args['file']} out.png", shell=True)
            os.system("ping -c 1 " + request.args["host"])
    """,
    good="""
        def thumbnail():
            subprocess.run(["convert", request.args["file"], "out.png"], check=True)
    """,
    fix_safety=FixSafety.UNSAFE,
    cwe=(78,),
)

COMMAND_FORMATTING = rule(
    code="SEC025",
    name="command-formatting",
    family="SEC",
    severity=Severity.WARNING,
    summary="A shell command built from a caller's value (a parameter of the running function) runs through a shell (os.system, os.popen, shell=True, sh -c, a remote exec_command).",
    rationale="""A command run through a shell with a value that the running function's caller
    passes (one of its parameters, directly or through local assignments), whose origin vetpy
    cannot see further: an injection if a caller passes user input, and a broken command for a
    value with a space or a quote in it. An argument list without a shell is the safe habit
    (`subprocess.run(["ls", path])`), or `shlex.quote` on each value. The values traced to
    untrusted input are SEC002 `command-injection`. A command whose non-constant parts are the
    program's own choice is not reported: a program found on PATH (`os.system(stty + " sane")`),
    an imported constant, the object's own attributes, a parameter passed through `shlex.quote`
    or `int()`, and a parameter that every call of the function in the project fills with such a
    value (a constant, a module constant, the result of the project's own function called with
    such values: dstack's `remove_host_info_if_exists(client, get_dstack_working_dir())`). On sixteen real applications, 12 of its 13 findings were commands built from a
    caller's values (deployment helpers running `gcloud` and remote `sudo` commands with shell
    text, an editor command with a request's path); the other was a test helper.""",
    bad="""
        import os
        import subprocess

        def thumbnail(filename):
            subprocess.run(f"convert {filename} out.png", shell=True)
            os.system("ping -c 1 " + host)
    """,
    good="""
        def thumbnail(filename):
            subprocess.run(["convert", filename, "out.png"], check=True)
    """,
    fix_safety=FixSafety.UNSAFE,
    cwe=(78,),
)


def _by_certainty(untrusted: bool) -> Rule:
    """SEC002 for a command with a value traced to untrusted input, SEC025 for a value of unknown origin."""
    return COMMAND_INJECTION if untrusted else COMMAND_FORMATTING

SHELL_FUNCTIONS = frozenset(
    {"os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput", "commands.getoutput", "asyncio.create_subprocess_shell", "os.popen2", "os.popen3"}
)
SUBPROCESS_LIST_FUNCTIONS = frozenset({"subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output", "subprocess.Popen"})
_SHELLS = frozenset({"sh", "bash", "zsh", "dash", "ksh"})
_SHELL_META = re.compile(r"[|&;<>()$`\\\"'*?\[\]#~{}!\n=%]")


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    call: ast.Call = site.node  # type: ignore[assignment]
    name = site.name or ""
    if site.attr == "exec_command" and "paramiko" in sec.modules:
        yield from _remote_command(sec, site, call)
        return
    if not call.args or not (name in SHELL_FUNCTIONS or name.startswith("subprocess.")):
        return
    doc = sec.doc
    command = call.args[0]
    shell_kw = keyword(call, "shell")
    # shell=<parameter> forwards the caller's choice (a wrapper): only a literal true value counts
    uses_shell = name in SHELL_FUNCTIONS or (shell_kw is not None and isinstance(shell_kw.value, ast.Constant) and bool(shell_kw.value.value))
    scope = sec.flow.scope(site.func)
    if not uses_shell:
        # subprocess.run(["sh", "-c", f"... {x}"])
        if isinstance(command, (ast.List, ast.Tuple)) and len(command.elts) >= 3:
            first, flag = command.elts[0], command.elts[1]
            if isinstance(first, ast.Constant) and str(first.value).rsplit("/", 1)[-1] in _SHELLS and is_constant(flag, "-c"):
                script = command.elts[2]
                value = scope.value(script, call, site.ancestors)
                untrusted = value.risk("shell") is Trust.UNTRUSTED
                if value.risk("shell") is not Trust.CONSTANT and (value.formatted or untrusted) and (untrusted or _caller_text(sec, scope, script, site)):
                    found = _by_certainty(untrusted)
                    yield found.finding(doc, script, f"shell script built from {describe(value)} runs under `{first.value} -c`; pass arguments without a shell")
        return
    value = scope.value(command, call, site.ancestors)
    risk = value.risk("shell")
    if risk is Trust.CONSTANT or isinstance(command, (ast.List, ast.Tuple)) or _shell_words_only(sec, scope, command):
        return
    how = "`shell=True`" if name.startswith("subprocess.") else f"`{callee_text(doc, call)}` (runs a shell)"
    origin, stored = _origin(Rows(sec.tree, sec.qualified, site.func, scope), command, value, risk)
    if not _worth_reporting(sec, scope, command, site, risk, stored):
        return
    message = f"command built from {origin} is run through {how}; pass an argument list without a shell, or quote with shlex.quote"
    fixes = _fix(sec, call, command, shell_kw, scope) if name in SUBPROCESS_LIST_FUNCTIONS and shell_kw is not None else []
    yield _by_certainty(risk is Trust.UNTRUSTED or stored).finding(doc, command, message, fixes=fixes)


def _shell_words_only(sec: SecurityPass, scope: Scope, command: ast.expr) -> bool:
    """Is every value spliced into ``command`` constant, quoted (``shlex.quote``) or a name that an
    anchored pattern of characters the shell gives no meaning to admitted (``if not
    PRINTER_RE.match(printer): raise``, ``^[A-Za-z0-9_-]{1,32}$``)?  A pattern ended by ``$`` also
    admits one trailing newline, which ends the command: what follows the name then runs as a
    command of its own, so only quoted values may follow it (``f"lp -d {printer} {shlex.quote(pdf)}"``:
    a file name run alone; ``f"ssh {host} rm -rf /tmp/x"`` would run ``rm`` here)."""
    parts = string_parts(command)
    if parts is None or not scope.shell_words:
        return False
    newline_at: int | None = None
    for i, part in enumerate(parts):
        if isinstance(part, str):
            if newline_at is not None and part.strip():
                return False
            continue
        if _quoted(sec, part.expr):
            continue
        if newline_at is not None:
            return False
        if isinstance(part.expr, ast.Name) and part.expr.id in scope.shell_words and part.plain:
            if scope.shell_words[part.expr.id]:
                newline_at = i
            continue
        if scope.value(part.expr).risk("shell") is not Trust.CONSTANT:
            return False
    return True


def _quoted(sec: SecurityPass, expr: ast.expr) -> bool:
    return isinstance(expr, ast.Call) and sec.qualified(expr.func) in {"shlex.quote", "pipes.quote"} and len(expr.args) == 1


def _worth_reporting(sec: SecurityPass, scope: Scope, command: ast.expr, site: Site, risk: Trust, stored: bool) -> bool:
    """SEC002 always; SEC025 (unknown origin) only when a part of the command is the running
    function's parameter (what its caller passes), not a program path, a constant or own state."""
    return risk is Trust.UNTRUSTED or stored or _caller_text(sec, scope, command, site)


def _caller_text(sec: SecurityPass, scope: Scope, command: ast.expr, site: Site) -> bool:
    """Does a parameter of the running function reach ``command``, and may a caller pass text of
    its own in it (not when every call of the project passes values the program chose:
    :mod:`vetpy.rules.sec.caller_arguments`)?"""
    params = parameters_reached(scope, command, site.func)
    if not params:
        return False
    func = site.func
    return not (isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)) and chosen_by_program(sec, func, params))


def _origin(rows: Rows, command: ast.expr, value: Value, risk: Trust) -> tuple[str, bool]:
    """How to name where the command's values come from, and whether one of unknown origin is a
    column read back from the database (what a user stored: as untrusted as the request)."""
    column = stored_column(rows, command) if risk is not Trust.UNTRUSTED else None
    if column is not None:
        return f"`{column}`, a value stored in the database,", True
    return describe(value), False


def _remote_command(sec: SecurityPass, site: Site, call: ast.Call) -> Iterator[Finding]:
    """paramiko's ``client.exec_command(command)``: the SSH server runs ``command`` with the remote
    user's shell, the same injection as ``os.system``."""
    command = call.args[0] if call.args else (kw.value if (kw := keyword(call, "command")) else None)
    if command is None or isinstance(command, ast.Starred) or _own_exec_command(sec, site, call.func.value):  # type: ignore[attr-defined]
        return
    scope = sec.flow.scope(site.func)
    value = scope.value(command, call, site.ancestors)
    risk = value.risk("shell")
    if risk is Trust.CONSTANT:
        return
    origin, stored = _origin(Rows(sec.tree, sec.qualified, site.func, scope), command, value, risk)
    if not _worth_reporting(sec, scope, command, site, risk, stored):
        return
    message = (f"command built from {origin} is run by the remote shell (`{callee_text(sec.doc, call)}`); "
               "quote each value with shlex.quote, or allow only known values")
    yield _by_certainty(risk is Trust.UNTRUSTED or stored).finding(sec.doc, command, message)


def _own_exec_command(sec: SecurityPass, site: Site, receiver: ast.expr) -> bool:
    """Is the receiver ``self`` or an instance of a class of this module (``Pipeline()``, a name
    bound to one) that defines its own ``exec_command``?"""
    if isinstance(receiver, ast.Name) and receiver.id == "self":
        return True
    own = {c.name for c in ast.walk(sec.tree) if isinstance(c, ast.ClassDef)
           and any(isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) and f.name == "exec_command" for f in c.body)}
    if not own:
        return False
    made = sec.flow.bindings(site.func).get(receiver.id, []) if isinstance(receiver, ast.Name) else [receiver]
    return any(isinstance(m, ast.Call) and isinstance(m.func, ast.Name) and m.func.id in own for m in made)


def _fix(sec: SecurityPass, call: ast.Call, command: ast.expr, shell_kw: ast.keyword, scope: Scope) -> list[Fix]:
    parts = string_parts(command)
    if parts is None or not is_constant(shell_kw.value, True):
        return []
    elements: list[str] = []
    for i, part in enumerate(parts):
        if isinstance(part, str):
            if _SHELL_META.search(part):
                return []
            elements.extend(repr(token) for token in part.split())
            continue
        before = parts[i - 1] if i else " "
        after = parts[i + 1] if i + 1 < len(parts) else " "
        if not part.plain or not (isinstance(before, str) and before[-1:].isspace()) or not (isinstance(after, str) and after[:1].isspace()):
            return []
        text = sec.doc.segment(part.expr)
        elements.append(text if scope.value(part.expr).trust is Trust.UNTRUSTED else f"str({text})")
    if not elements:
        return []
    edits = (sec.doc.replace_node(command, "[" + ", ".join(elements) + "]"), remove_keyword(sec.doc, call, shell_kw))
    return [Fix(title="Pass an argument list without a shell", edits=edits, preferred=True)]


MODULE = RuleModule(
    rules=(COMMAND_INJECTION, COMMAND_FORMATTING),
    handlers={ast.Call: check_call},
    triggers=Triggers(words=("system", "popen", "subprocess", "getoutput", "exec_command")),
)
