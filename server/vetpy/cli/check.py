"""``vetpy check``: options to a :class:`~vetpy.cli.run.CheckResult`, then the report and the exit code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from vetpy import gitutil
from vetpy.baseline import BASELINE_NAME, Baseline, BaselineError
from vetpy.cli.run import CheckOptions, CheckResult, run_check
from vetpy.config import project_root
from vetpy.terminal import printable

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

def _default_baseline() -> Path:
    return project_root(Path.cwd()) / BASELINE_NAME


def cmd_check(args: argparse.Namespace) -> int:
    options = CheckOptions(
        python=args.python, select=args.select, ignore=args.ignore, use_cache=not args.no_cache, trusted=not args.untrusted
    )
    if args.jobs is not None and args.jobs < 1:
        return _usage("--jobs must be at least 1")
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
    try:
        result = run_check(paths, options, jobs=args.jobs, staged=args.staged, diff=diff)
    except gitutil.GitError as exc:
        return _usage(str(exc))
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
    if result.config_error:
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

