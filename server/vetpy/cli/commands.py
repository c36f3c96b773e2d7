"""The other commands: ``baseline``, ``install-hook``, ``rules``, ``rule``, ``serve``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from vetpy import gitutil
from vetpy.baseline import Baseline, BaselineError
from vetpy.cli.check import EXIT_OK, EXIT_USAGE, _default_baseline, _usage, option_errors, options_from
from vetpy.cli.run import run_check
from vetpy.rules import REGISTRY, load_all
from vetpy.terminal import printable

# -- baseline ---------------------------------------------------------------------------------------

def cmd_baseline(args: argparse.Namespace) -> int:
    options = options_from(args)
    problem = option_errors(args, options)
    if problem:
        return _usage(problem)
    path = Path(args.baseline) if args.baseline else _default_baseline()
    existing: Baseline | None = None
    if args.baseline_command == "update" or path.exists():
        try:
            existing = Baseline.load(path)
        except BaselineError as exc:
            if args.baseline_command == "update":
                return _usage(str(exc))
            return _usage(f"{exc}; move it away first, vetpy will not overwrite it")
    result = run_check(args.paths, options, jobs=args.jobs)
    for problem in result.problems:
        print(f"vetpy: {printable(problem)}", file=sys.stderr)
    if result.errors:
        for error in result.errors:
            _usage(error)
        return _usage("nothing was checked; the baseline is unchanged")
    if args.baseline_command == "create":
        new = Baseline.from_findings(path, result.findings)
        try:
            new.save()
        except BaselineError as exc:
            return _usage(str(exc))
        replaced = " (replaced the previous baseline)" if existing is not None else ""
        print(f"vetpy: wrote {len(new.entries)} finding{'s' if len(new.entries) != 1 else ''} to {path}{replaced}")
        return EXIT_OK
    assert existing is not None
    dropped = existing.prune(result.findings, result.checked_paths)
    try:
        existing.save()
    except BaselineError as exc:
        return _usage(str(exc))
    print(f"vetpy: removed {dropped} fixed finding{'s' if dropped != 1 else ''} from {path}; {len(existing.entries)} remain")
    return EXIT_OK


# -- install-hook -----------------------------------------------------------------------------------

def cmd_install_hook(args: argparse.Namespace) -> int:
    try:
        path, replaced = gitutil.install_hook(Path.cwd(), force=args.force)
    except gitutil.GitError as exc:
        return _usage(str(exc))
    print(f"vetpy: {'updated' if replaced else 'installed'} the pre-commit hook at {path}")
    return EXIT_OK


# -- rules ------------------------------------------------------------------------------------------

def cmd_rules() -> int:
    load_all()
    rows = [(r.code, r.name, r.severity.value, r.summary) for r in REGISTRY.sorted_rules()]
    w1 = max(len(r[0]) for r in rows)
    w2 = max(len(r[1]) for r in rows)
    for code, name, sev, summary in rows:
        print(f"{code:<{w1}}  {name:<{w2}}  {sev:<7}  {summary}")
    return EXIT_OK


def cmd_rule(code: str) -> int:
    load_all()
    r = REGISTRY.get(code) or next((x for x in REGISTRY.rules.values() if x.name == code.lower()), None)
    if r is None:
        import difflib

        hint = difflib.get_close_matches(code.upper(), list(REGISTRY.rules), n=1)
        print(f"vetpy: error: unknown rule {code!r}" + (f" (did you mean {hint[0]}?)" if hint else ""), file=sys.stderr)
        return EXIT_USAGE
    print(r.documentation())
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        from vetpy.lsp.server import run_server
    except ModuleNotFoundError as exc:
        print(f"vetpy: error: the language server is unavailable: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return run_server(tcp=args.tcp, log_file=args.log_file)

