"""``vetpy check``: options to a :class:`~vetpy.cli.run.CheckResult`, then the report and the exit code."""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from vetpy import codes, gitutil
from vetpy.baseline import BASELINE_NAME, Baseline, BaselineError
from vetpy.cli.run import CheckOptions, CheckResult, StdinInput, run_check
from vetpy.config import project_root
from vetpy.terminal import printable

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

def _default_baseline() -> Path:
    return project_root(Path.cwd()) / BASELINE_NAME


def options_from(args: argparse.Namespace) -> CheckOptions:
    return CheckOptions(
        python=args.python,
        select=args.select,
        ignore=args.ignore,
        extend_select=args.extend_select,
        extend_ignore=args.extend_ignore,
        use_cache=not args.no_cache,
        trusted=not args.untrusted,
    )


def option_errors(args: argparse.Namespace, options: CheckOptions) -> str | None:
    """What is wrong with the options shared by ``check`` and ``baseline`` (checked before anything runs)."""
    if args.jobs is not None and args.jobs < 1:
        return "--jobs must be at least 1"
    for selector in options.selectors():
        if not codes.match(selector):
            hint = difflib.get_close_matches(selector.upper(), [*codes.CODES, *codes.FAMILIES], n=1)
            return f"unknown rule code or prefix {selector!r}" + (f" (did you mean {hint[0]!r}?)" if hint else "")
    return None


def read_stdin(args: argparse.Namespace) -> tuple[StdinInput | None, str | None]:
    """The standard input when the only path is ``-``, or the error (empty input, ``-`` with other paths)."""
    if "-" not in args.paths:
        if args.stdin_filename:
            return None, "--stdin-filename needs - (standard input) as the path"
        return None, None
    if len(args.paths) > 1:
        return None, "- (standard input) cannot be combined with other paths"
    if args.staged:
        return None, "--staged checks the git index; it cannot read standard input"
    data = sys.stdin.buffer.read()
    if not data.strip():
        return None, "standard input is empty: nothing to check"
    return StdinInput(data, args.stdin_filename), None


def cmd_check(args: argparse.Namespace) -> int:
    options = options_from(args)
    problem = option_errors(args, options)
    if problem:
        return _usage(problem)
    if args.statistics and args.format == "sarif":
        return _usage("--statistics prints counts; it cannot be combined with --format sarif")
    if args.baseline and args.no_baseline:
        return _usage("--baseline and --no-baseline exclude each other")
    paths, diff = list(args.paths), args.diff
    if diff and not _is_revision(diff) and Path(diff).exists():
        paths, diff = [diff, *paths], ""  # `--diff src/`: argparse took the path for REV
    known: Baseline | None = None
    if not args.no_baseline:
        path = Path(args.baseline) if args.baseline else _default_baseline()
        if args.baseline or path.is_file():
            try:
                known = Baseline.load(path)
            except BaselineError as exc:
                return _usage(str(exc))
    stdin, problem = read_stdin(args)
    if problem:
        return _usage(problem)
    try:
        result = run_check(paths, options, jobs=args.jobs, staged=args.staged, diff=diff, stdin=stdin)
    except gitutil.GitError as exc:
        return _usage(str(exc))
    if result.errors:
        for problem in result.problems:
            print(f"vetpy: {printable(problem)}", file=sys.stderr)
        for error in result.errors:
            _usage(error)
        print("vetpy: error: nothing was checked", file=sys.stderr)
        return EXIT_USAGE
    if known is not None:
        result.findings, hidden = known.split(result.findings)
        if hidden:
            result.headers.append(f"{len(hidden)} known finding{'s' if len(hidden) != 1 else ''} hidden by the baseline {known.path}")
    for problem in result.problems:
        print(f"vetpy: {printable(problem)}", file=sys.stderr)
    if args.verbose:
        for line in result.headers + result.notes:
            print(f"vetpy: {printable(line)}", file=sys.stderr)
    output = render(args.format, result, statistics=args.statistics)
    if not _emit(output, args.output_file):
        return EXIT_USAGE
    if result.findings and not args.exit_zero:
        return EXIT_FINDINGS
    return EXIT_OK


def _is_revision(text: str) -> bool:
    try:
        gitutil.resolve_revision(gitutil.repo_root(Path.cwd()), text)
    except gitutil.GitError:
        return False
    return True


def _usage(message: str) -> int:
    print(f"vetpy: error: {printable(message)}", file=sys.stderr)
    return EXIT_USAGE


def _emit(output: str, output_file: str | None) -> bool:
    if not output_file:
        sys.stdout.write(output)
        return True
    try:
        Path(output_file).write_text(output, encoding="utf-8")
    except OSError as exc:
        print(f"vetpy: error: cannot write {output_file}: {exc.strerror or exc}", file=sys.stderr)
        return False
    return True


def render(fmt: str, result: CheckResult, statistics: bool = False) -> str:
    from vetpy.report import ReportContext
    from vetpy.report import render as render_report
    from vetpy.report.statistics import render_statistics

    if statistics:
        return render_statistics(result.findings, fmt)
    context = ReportContext(result.headers, result.files_checked, sarif_root() if fmt == "sarif" else Path.cwd())
    return render_report(fmt, result.findings, context)


def sarif_root() -> Path:
    """SARIF URIs are relative to the repository root (what code scanning expects), else to the cwd."""
    try:
        return gitutil.repo_root(Path.cwd())
    except gitutil.GitError:
        return Path.cwd()

