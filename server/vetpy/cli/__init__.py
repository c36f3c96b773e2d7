"""The command line: ``vetpy check | baseline | install-hook | rules | rule CODE | serve``.

Thin: the engine does the work.  :mod:`vetpy.cli.run` finds and checks the files,
:mod:`vetpy.cli.check` reports, :mod:`vetpy.cli.commands` holds the other commands.
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Sequence

from vetpy import __version__
from vetpy.baseline import BASELINE_NAME
from vetpy.cli.check import EXIT_USAGE, cmd_check
from vetpy.cli.run import PARALLEL_THRESHOLD, CheckOptions, check_one, discovery_env, run_check
from vetpy.report import FORMATS
from vetpy.terminal import printable

__all__ = ["PARALLEL_THRESHOLD", "CheckOptions", "build_parser", "check_one", "discovery_env", "main", "run_check"]

EXIT_OK = 0

def _codes_arg(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vetpy",
        description="Check AI-written Python against the versions you actually run.",
    )
    parser.add_argument("--version", action="version", version=f"vetpy {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="check files or directories", description="Check Python files.")
    add_check_arguments(check)

    base_p = sub.add_parser(
        "baseline",
        help="record today's findings so that `vetpy check` reports only new ones",
        description=f"Create or update the baseline ({BASELINE_NAME} in the project root unless --baseline says otherwise).",
    )
    actions = base_p.add_subparsers(dest="baseline_command", metavar="ACTION", required=True)
    for name, text in (
        ("create", "write every current finding to the baseline (replaces an existing one)"),
        ("update", "drop baseline entries that no longer occur (never adds)"),
    ):
        action = actions.add_parser(name, help=text, description=text)
        _add_scope_arguments(action)
        action.add_argument("--baseline", metavar="PATH", help=f"the baseline file (default: {BASELINE_NAME} in the project root)")

    hook = sub.add_parser("install-hook", help="install a plain git pre-commit hook running `vetpy check --staged`")
    hook.add_argument("--force", action="store_true", help="replace a pre-commit hook that vetpy did not write")

    sub.add_parser("rules", help="list every rule")
    rule_p = sub.add_parser("rule", help="print a rule's documentation")
    rule_p.add_argument("code", metavar="CODE")

    index = sub.add_parser("index", help="the on-disk index of installed modules (shared by runs, machines and CI)")
    index_sub = index.add_subparsers(dest="index_command", required=True)
    build = index_sub.add_parser(
        "build", help="read every module of a project's environment into the index now, ahead of the first check")
    build.add_argument("path", nargs="?", default=".", metavar="PATH", help="the project (default: .)")
    build.add_argument("--python", metavar="INTERPRETER", help="the interpreter, its venv or a command on PATH whose packages to index")
    build.add_argument("--jobs", "-j", type=int, metavar="N", help="parallel processes (default: all cores)")

    serve = sub.add_parser("serve", help="run the language server (stdio by default)")
    transport = serve.add_mutually_exclusive_group()
    transport.add_argument("--stdio", action="store_true", help="talk over standard input and output (the default)")
    transport.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP instead of stdio (debugging)")
    serve.add_argument("--log-file", metavar="PATH", help="also write the server log to this file")
    return parser


def _add_scope_arguments(parser: argparse.ArgumentParser) -> None:
    """What to check and against which environment: shared by ``check`` and ``baseline``."""
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (default: .); - reads standard input")
    parser.add_argument("--python", metavar="INTERPRETER", help="the interpreter, its venv or a command on PATH (python3.12) to check against")
    parser.add_argument(
        "--config", metavar="PYPROJECT", help="read [tool.vetpy] from this file for every project (not each one's own)"
    )
    parser.add_argument(
        "--select", type=_codes_arg, action="extend", metavar="CODES",
        help="codes or prefixes to enable, replacing the configuration's select (ALL: every rule)",
    )
    parser.add_argument("--ignore", type=_codes_arg, action="extend", metavar="CODES", help="codes or prefixes to disable")
    parser.add_argument(
        "--extend-select", type=_codes_arg, action="extend", metavar="CODES",
        help="codes or prefixes to enable in addition to the configuration's select",
    )
    parser.add_argument(
        "--extend-ignore", type=_codes_arg, action="extend", metavar="CODES", help="codes or prefixes to disable (like --ignore)"
    )
    parser.add_argument("-v", "--verbose", action="count", default=0)
    parser.add_argument("--jobs", "-j", type=int, metavar="N", help="parallel processes (default: all cores for many files)")
    parser.add_argument(
        "--no-respect-gitignore", dest="respect_gitignore", action="store_false",
        help="also check files that .gitignore and .ignore files exclude",
    )
    parser.add_argument(
        "--analysis-timeout", type=float, metavar="SECONDS",
        help="stop analysing a file after this many seconds: it is reported as not analysed and the check exits 2 "
        "(default: [tool.vetpy] analysis-timeout, else 60)",
    )
    parser.add_argument("--no-cache", action="store_true", help="do not read or write the caches (the environment's, the results of unchanged files)")
    parser.add_argument(
        "--untrusted",
        action="store_true",
        help="the project is untrusted: run no interpreter it ships or names (.venv, venv, [tool.vetpy] python, "
        "VIRTUAL_ENV or --python inside it), import nothing; static checks only",
    )


def add_check_arguments(check: argparse.ArgumentParser) -> None:
    _add_scope_arguments(check)
    check.add_argument(
        "--output-format", "--format", dest="format", choices=FORMATS, default="text", metavar="FORMAT",
        help=f"the report's format: {', '.join(FORMATS)} (default: text, the same as concise)",
    )
    check.add_argument(
        "--color", choices=("auto", "always", "never"), default="auto",
        help="colour the text report: auto (a terminal, unless NO_COLOR is set or FORCE_COLOR asks for it), always, never",
    )
    check.add_argument("-q", "--quiet", action="store_true", help="print the findings only: no header, summary or warnings")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings (errors still exit 2)")
    check.add_argument(
        "--fail-on", choices=("error", "warning", "info", "hint"), default="hint", metavar="SEVERITY",
        help="exit 1 only for findings of this severity or worse: error, warning, info, hint (default: hint, every finding)",
    )
    check.add_argument(
        "--stdin-filename", metavar="PATH",
        help="with - : the file the standard input belongs to (its project, settings and name in the report)",
    )
    check.add_argument("--output-file", "-o", metavar="PATH", help="write the report to PATH instead of stdout")
    check.add_argument(
        "--staged", action="store_true", help="check what will be committed: the git index versions of staged files"
    )
    check.add_argument(
        "--changed-since",
        nargs="?",
        const="",
        metavar="REV",
        help="report only findings on lines added or changed since REV (alone: the merge base with the default branch)",
    )
    fixing = check.add_argument_group("fixes")
    fixing.add_argument("--fix", action="store_true", help="apply the safe fixes to the files, then report what remains")
    fixing.add_argument("--unsafe-fixes", action="store_true", help="with --fix or --diff: apply the unsafe fixes too")
    fixing.add_argument(
        "--diff", action="store_true", help="print the fixes that --fix would apply as a unified diff; write nothing"
    )
    fixing.add_argument("--show-fixes", action="store_true", help="with --fix: list what was fixed, per file and rule")
    fixing.add_argument(
        "--exit-non-zero-on-fix", action="store_true", help="with --fix: exit 1 when something was fixed, even if nothing remains"
    )
    check.add_argument(
        "--baseline", metavar="PATH", help=f"report only findings not in this baseline (default: {BASELINE_NAME} if present)"
    )
    check.add_argument("--no-baseline", action="store_true", help="ignore the baseline file: report every finding")
    check.add_argument(
        "--show-files", action="store_true",
        help="list the files that would be checked (after excludes, .gitignore and .ignore) and check nothing",
    )
    check.add_argument("--statistics", action="store_true", help="print counts per rule and family instead of findings")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if getattr(args, "verbose", 0) > 1 else logging.WARNING,
        format="vetpy: %(message)s",
    )
    try:
        if args.command == "check":
            return cmd_check(args)
        from vetpy.cli import commands  # the other commands (and the rules they list): not for `check`

        if args.command == "baseline":
            return commands.cmd_baseline(args)
        if args.command == "install-hook":
            return commands.cmd_install_hook(args)
        if args.command == "rules":
            return commands.cmd_rules()
        if args.command == "rule":
            return commands.cmd_rule(args.code)
        if args.command == "serve":
            return commands.cmd_serve(args)
        if args.command == "index":
            return commands.cmd_index_build(args)
        parser.print_help()
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("vetpy: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # the last line of defence: one line and exit 2, never a traceback
        if getattr(args, "verbose", 0) > 1:
            raise
        print(f"vetpy: error: {type(exc).__name__}: {printable(str(exc))[:300]} "
              "(an internal error; run with -vv for the traceback, and please report it)", file=sys.stderr)
        return EXIT_USAGE
