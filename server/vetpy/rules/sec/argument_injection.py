"""SEC038 argument-injection: request input as an argument of ``git``, ``ssh``, ``curl`` and kin,
in an argument list (no shell), where it can be read as an option.

``subprocess.run(["git", "fetch", remote])`` runs no shell, so ``;`` and ``$(...)`` are inert,
but ``remote = "--upload-pack=touch /tmp/pwned"`` is an option of ``git fetch``, and runs that
command.  Such programs take options that execute commands or write files (``git``'s
``--upload-pack``/``-c core.sshCommand=``, ``ssh -oProxyCommand=``, ``curl -o``, ``tar
--checkpoint-action=exec=``, ``find -exec``, ``rsync -e``).

Reported, at the argument: an element of a literal argument list (``subprocess.run``/``call``/
``check_call``/``check_output``/``Popen``, ``asyncio.create_subprocess_exec``, ``os.exec*``/
``os.spawn*``) after the program name, of one of those programs, that is request input (or, in
a helper, a parameter a view passes request input to: :mod:`vetpy.rules.sec.callers_into`), with
no ``"--"`` before it in the list.  Not reported: the value after ``"--"`` (an operand, never an
option); a value that starts with a constant (``f"origin/{ref}"``, ``"--depth=" + n``: it cannot
start with ``-``); a value the function rejects when it starts with ``-`` (``if
ref.startswith("-"): abort(400)``); a number (``str(int(n))``); a value the shell-command rule
reports (``shell=True``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from vetpy.astutil import is_constant, keyword
from vetpy.dataflow import Trust
from vetpy.findings import Finding, Severity
from vetpy.rules.registry import rule
from vetpy.rules.sec.common import describe
from vetpy.rules.sec.walk import RuleModule, SecurityPass, Site, Triggers

ARGUMENT_INJECTION = rule(
    code="SEC038",
    name="argument-injection",
    family="SEC",
    severity=Severity.WARNING,
    summary="Request input is an argument of git/ssh/curl/tar/find... in an argument list, with no `--` before it: it can be read as an option.",
    rationale="""An argument list runs no shell, but the program still parses its arguments: a
    client's `--upload-pack=touch /tmp/x` as the remote of `git fetch`, `-oProxyCommand=...` as the
    host of `ssh`, `-o /etc/cron.d/x` for `curl`, `--checkpoint-action=exec=...` for `tar` run
    commands or write files (CWE-88). Put `"--"` before the client's value (everything after it is
    an operand), reject a value that starts with `-`, or prefix it (`f"refs/heads/{name}"`).
    Reported where request input (or a helper's parameter that a view passes it to) is an element
    of a literal argument list of such a program with no `--` before it.""",
    bad="""
        import subprocess

        from flask import Flask, request

        app = Flask(__name__)

        @app.post("/git/fetch")
        def git_fetch():
            remote = request.form.get("remote", "origin")
            subprocess.run(["git", "-C", "/srv/app", "fetch", remote], check=True, timeout=60)
            return {"ok": True}
    """,
    good="""
            subprocess.run(["git", "-C", "/srv/app", "fetch", "--", remote], check=True, timeout=60)
    """,
    cwe=(88,),
)

# programs with options that run commands, read or write files, or reach other hosts
PROGRAMS = frozenset({
    "git", "hg", "svn", "ssh", "scp", "sftp", "rsync", "curl", "wget", "tar", "zip", "unzip", "7z", "find", "xargs",
    "sendmail", "mail", "ffmpeg", "gs", "sed", "awk", "docker",
    "kubectl", "npm", "pip", "apt-get", "man", "less", "env", "nmap", "openssl", "gpg", "aws", "gcloud", "systemctl",
})
_RUNNERS = frozenset({
    "subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output", "subprocess.Popen",
    "asyncio.create_subprocess_exec", "os.execv", "os.execvp", "os.execve", "os.execvpe", "os.spawnv", "os.spawnvp",
})


def _program(argv: list[ast.expr]) -> str | None:
    first = argv[0] if argv else None
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        name = first.value.rsplit("/", 1)[-1]
        return name if name in PROGRAMS else None
    return None


def _constant_start(node: ast.expr) -> bool:
    """``f"origin/{ref}"``, ``"--depth=" + n``: a value that begins with constant text."""
    if isinstance(node, ast.JoinedStr):
        return bool(node.values) and isinstance(node.values[0], ast.Constant) and bool(node.values[0].value)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _constant_start(node.left) or (isinstance(node.left, ast.Constant) and bool(node.left.value))
    return False


def _rejects_dash(func: ast.AST | None, name: str) -> bool:
    """``if ref.startswith("-"): ...`` (or ``ref[0] == "-"``, ``ref.lstrip("-") != ref``) in the function."""
    for node in ast.walk(func) if func is not None else ():
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in {"startswith", "lstrip"}:
            if isinstance(node.func.value, ast.Name) and node.func.value.id == name and node.args and \
                    isinstance(node.args[0], (ast.Constant, ast.Tuple)) and "-" in repr(ast.literal_eval(node.args[0])):
                return True
        if isinstance(node, ast.Compare) and isinstance(node.left, ast.Subscript) and isinstance(node.left.value, ast.Name) \
                and node.left.value.id == name and any(is_constant(c, "-") for c in node.comparators):
            return True
    return False


def check_call(sec: SecurityPass, site: Site) -> Iterator[Finding]:
    if site.name not in _RUNNERS:
        return
    call: ast.Call = site.node  # type: ignore[assignment]
    shell = keyword(call, "shell")
    if shell is not None and not is_constant(shell.value, False):
        return  # a shell command: the command-injection rules' business
    if site.name == "asyncio.create_subprocess_exec":
        argv = list(call.args)
    else:
        first = call.args[0] if call.args else (kw.value if (kw := keyword(call, "args")) is not None else None)
        if site.name.startswith("os.") and len(call.args) > 1:
            first = call.args[-1] if site.name.startswith("os.spawn") else call.args[1]
        argv = list(first.elts) if isinstance(first, (ast.List, ast.Tuple)) else []
    program = _program(argv)
    if program is None:
        return
    scope = sec.flow.scope(site.func)
    for elt in argv[1:]:
        if is_constant(elt, "--"):
            return  # what follows is an operand
        if isinstance(elt, (ast.Constant, ast.Starred)) or _constant_start(elt):
            continue
        value = scope.value(elt, call, site.ancestors)
        if value.risk("argument") is not Trust.UNTRUSTED:
            continue
        if isinstance(elt, ast.Name) and _rejects_dash(site.func, elt.id):
            continue
        yield ARGUMENT_INJECTION.finding(
            sec.doc, elt, f"{describe(value)} is an argument of `{program}` with no `--` before it: a value starting with `-` "
            f"is read as an option (`--upload-pack=...`, `-oProxyCommand=...` run commands); put \"--\" before it or reject a leading `-`")
        return


MODULE = RuleModule(
    rules=(ARGUMENT_INJECTION,),
    handlers={ast.Call: check_call},
    triggers=Triggers(imported={"subprocess": ("run(", "call(", "check_output(", "popen("), "asyncio": ("create_subprocess_exec",),
                                "os": ("execv", "spawnv")}),
)
