"""``vetpy check``: options to a :class:`~vetpy.cli.run.CheckResult`, then the report and the exit code."""

from __future__ import annotations

import argparse
import collections
import difflib
import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from vetpy import codes, gitutil
from vetpy.baseline import BASELINE_NAME, Baseline, BaselineError
from vetpy.cli.run import CheckOptions, CheckResult, StdinInput, collect, run_check
from vetpy.config import project_root
from vetpy.document import decode_source
from vetpy.findings import Finding
from vetpy.report import HUMAN_FORMATS
from vetpy.terminal import Progress, printable

if TYPE_CHECKING:
    from vetpy.cli.fix import FileFix

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
        respect_gitignore=args.respect_gitignore,
        config_file=args.config,
        analysis_timeout=args.analysis_timeout,
    )


def option_errors(args: argparse.Namespace, options: CheckOptions) -> str | None:
    """What is wrong with the options shared by ``check`` and ``baseline`` (checked before anything runs)."""
    if args.jobs is not None and args.jobs < 1:
        return "--jobs must be at least 1"
    if args.analysis_timeout is not None and not args.analysis_timeout > 0:  # not > 0: also NaN
        return "--analysis-timeout must be a positive number of seconds"
    if args.config and not Path(args.config).is_file():
        return f"--config {args.config}: no such file"
    for selector in options.selectors():
        if not codes.match(selector):
            return unknown_selector(selector)
    return None


def unknown_selector(selector: str) -> str:
    """The error for a code that is not vetpy's: a close code of the same family when there is one
    (``HAL0002``, ``SECC``), else what vetpy's codes look like (``S608`` is ruff's, ``E501`` flake8's)."""
    wanted = selector.strip().upper()
    letters = wanted.rstrip("0123456789")
    pool = [c for c in [*codes.CODES, *codes.FAMILIES] if difflib.SequenceMatcher(None, letters, codes_family(c)).ratio() >= 0.75]
    hint = difflib.get_close_matches(wanted, pool, n=1)
    if hint:
        return f"unknown rule code or prefix {selector!r} (did you mean {hint[0]!r}?)"
    families = ", ".join(codes.FAMILIES)
    return (f"unknown rule code or prefix {selector!r}: not a vetpy code (vetpy's codes are {families} "
            "and three digits, e.g. HAL002; `vetpy rules` lists them)")


def codes_family(code: str) -> str:
    return code.rstrip("0123456789")


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


def batch_gc() -> None:
    """A check is a batch run whose syntax trees and tables live until their file is done, and
    almost all of its garbage is freed by reference counting: collect cycles rarely.  With the
    default thresholds (a young collection every 700 allocations, a full one every 70,000) the
    collector spent about a fifth of a cold check walking live trees.  vetpy's own modules,
    imported by now, are frozen out of every collection; the pool's forked processes inherit both."""
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)


def cmd_check(args: argparse.Namespace) -> int:
    batch_gc()
    options = options_from(args)
    problem = option_errors(args, options) or _fix_option_errors(args)
    if problem:
        return _usage(problem)
    if args.fix or args.diff:
        options.fix = "unsafe" if args.unsafe_fixes else "safe"
    if args.statistics and args.format not in (*HUMAN_FORMATS, "json", "json-lines"):
        return _usage(f"--statistics prints counts (as text or json); it cannot be combined with --output-format {args.format}")
    if args.baseline and args.no_baseline:
        return _usage("--baseline and --no-baseline exclude each other")
    paths, since = list(args.paths), args.changed_since
    if since and not _is_revision(since) and Path(since).exists():
        paths, since = [since, *paths], ""  # `--changed-since src/`: argparse took the path for REV
    if args.diff and (revision := next((p for p in paths if not Path(p).exists() and _is_revision(p)), None)):
        return _usage(
            f"--diff prints the fixes as a diff and takes no revision; for findings on lines changed since "
            f"{revision}, use --changed-since {revision}"
        )
    known: Baseline | None = None
    if not args.no_baseline:
        path = Path(args.baseline) if args.baseline else _default_baseline()
        if args.baseline or path.is_file():
            try:
                known = Baseline.load(path)
            except BaselineError as exc:
                return _usage(str(exc))
    if args.show_files:
        return _show_files(paths, options)
    stdin, problem = read_stdin(args)
    if problem:
        return _usage(problem)
    progress = Progress(sys.stderr) if not args.quiet else None
    try:
        result = run_check(paths, options, jobs=args.jobs, staged=args.staged, diff=since, stdin=stdin, progress=progress)
    except gitutil.GitError as exc:
        return _usage(str(exc))
    finally:
        if progress is not None:
            progress.close()
    if result.errors:
        for problem in result.problems:
            print(f"vetpy: {printable(problem)}", file=sys.stderr)
        for error in result.errors:
            _usage(error)
        print("vetpy: error: nothing was checked", file=sys.stderr)
        return EXIT_USAGE
    for problem in result.problems if not args.quiet else ():
        print(f"vetpy: {printable(problem)}", file=sys.stderr)
    if args.verbose:
        for line in result.headers + result.notes:
            print(f"vetpy: {printable(line)}", file=sys.stderr)
    if args.diff:
        return _report_diff(args, result)
    fixed = 0
    if args.fix:
        if stdin is None:
            problem = write_fixes(result.fixes)
            if problem:
                return _usage(problem)
        else:  # as ruff does: the fixed text on standard output, the report on standard error
            sys.stdout.write(result.fixes[0].after if result.fixes else _text_or_bytes(stdin.data))
        fixed = sum(len(item.fixed) for item in result.fixes)
    if known is not None:
        result.findings, hidden = known.split(result.findings)
        if hidden:
            result.headers.append(f"{len(hidden)} known finding{'s' if len(hidden) != 1 else ''} hidden by the baseline {known.path}")
    color = args.format in HUMAN_FORMATS and not args.output_file and use_color(args.color, sys.stdout)
    output = render(args.format, result, statistics=args.statistics, fixed=fixed, color=color, quiet=args.quiet)
    if args.show_fixes and args.fix:
        listing = fixes_listing(result.fixes)
        if args.format in HUMAN_FORMATS and not args.output_file and stdin is None:
            output = listing + output
        else:
            sys.stderr.write(listing)
    if stdin is not None and args.fix:
        sys.stderr.write(output)
    elif not _emit(output, args.output_file):
        return EXIT_USAGE
    if result.stopped:  # a hang is vetpy's bug, not a finding: exit 2 as for an internal error
        report_stopped(result)
        return EXIT_USAGE
    if args.exit_zero:
        return EXIT_OK
    if failing(result.findings, args.fail_on) or (fixed and args.exit_non_zero_on_fix):
        return EXIT_FINDINGS
    return EXIT_OK


def report_stopped(result: CheckResult) -> None:
    """The files the time budget stopped, one error line each (never hidden by --quiet)."""
    for name, seconds in result.stopped:
        print(f"vetpy: error: analysis of {printable(name)} stopped after {seconds:.0f} s; please report this "
              "(its findings are unknown; --analysis-timeout or [tool.vetpy] analysis-timeout sets the budget)",
              file=sys.stderr)


_RANK = {"error": 0, "warning": 1, "info": 2, "hint": 3}


def failing(findings: list[Finding], threshold: str) -> list[Finding]:
    """The findings that make ``vetpy check`` exit 1: those of ``threshold`` severity or worse."""
    return [f for f in findings if _RANK[f.severity.value] <= _RANK[threshold]]


def _show_files(paths: list[str], options: CheckOptions) -> int:
    """``--show-files``: the files a check would read, one per line, sorted; nothing is analysed."""
    errors: list[str] = []
    groups, problems = collect(paths or ["."], errors, options.respect_gitignore, options.config_file)
    for problem in problems:
        print(f"vetpy: {printable(problem)}", file=sys.stderr)
    if errors:
        for error in errors:
            _usage(error)
        return EXIT_USAGE
    for name in sorted(f for files in groups.values() for f in files):
        print(printable(name))
    return EXIT_OK


def _text_or_bytes(data: bytes) -> str:
    """Standard input given back unchanged (``--fix -`` with nothing to fix)."""
    try:
        return decode_source(data)
    except ValueError:  # not Python source (SYN002 says why): hand back what came in
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is not None:
            sys.stdout.flush()
            buffer.write(data)
        return ""


def _fix_option_errors(args: argparse.Namespace) -> str | None:
    if not (args.fix or args.diff):
        for flag, given in (("--unsafe-fixes", args.unsafe_fixes), ("--show-fixes", args.show_fixes),
                            ("--exit-non-zero-on-fix", args.exit_non_zero_on_fix)):
            if given:
                return f"{flag} needs --fix (or --diff)"
        return None
    if args.staged:
        return "--fix and --diff change the work tree; they cannot be combined with --staged (the git index)"
    if args.changed_since is not None:
        return "--fix and --diff apply to whole files; they cannot be combined with --changed-since"
    return None


def _report_diff(args: argparse.Namespace, result: CheckResult) -> int:
    """``--diff``: the changes as a unified diff on standard output, nothing written."""
    from vetpy.cli.fix import unified_diff

    diff = unified_diff(result.fixes)
    if not _emit(diff, args.output_file):
        return EXIT_USAGE
    count = sum(len(item.fixed) for item in result.fixes)
    files = len([item for item in result.fixes if item.changed])
    if count:
        print(f"Would fix {_plural(count, 'finding')} in {_plural(files, 'file')}.", file=sys.stderr)
    else:
        print("No fixes available.", file=sys.stderr)
    return EXIT_FINDINGS if count and not args.exit_zero else EXIT_OK


def write_fixes(fixes: list[FileFix]) -> str | None:
    """Write the fixed texts (in each file's own encoding); an error message, or None."""
    from vetpy.cli.fix import encode_like

    for item in fixes:
        path = Path(item.path)
        try:
            original = path.read_bytes()
            if decode_source(original) != item.before:
                return f"{item.path}: changed while vetpy was fixing it; nothing written to it"
            path.write_bytes(encode_like(original, item.after))
        except (OSError, ValueError) as exc:
            return f"cannot write {item.path}: {getattr(exc, 'strerror', None) or exc}"
    return None


def fixes_listing(fixes: list[FileFix]) -> str:
    """``--show-fixes``: per file, how many findings of each rule were fixed."""
    total = sum(len(item.fixed) for item in fixes)
    if not total:
        return "No findings fixed.\n"
    lines = [f"Fixed {_plural(total, 'finding')}:"]
    for item in sorted(fixes, key=lambda x: x.path):
        if not item.fixed:
            continue
        lines.append(f"- {printable(item.path)}:")
        counts = collections.Counter((f.code, f.rule) for f in item.fixed)
        lines.extend(f"    {n} × {code} ({rule})" for (code, rule), n in sorted(counts.items()))
    return "\n".join(lines) + "\n\n"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


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


def render(
    fmt: str, result: CheckResult, statistics: bool = False, fixed: int = 0, color: bool = False, quiet: bool = False
) -> str:
    from vetpy.report import ReportContext
    from vetpy.report import render as render_report

    if statistics:
        from vetpy.report.statistics import render_statistics

        return render_statistics(result.findings, "json" if fmt in ("json", "json-lines") else "text")
    root = sarif_root() if fmt in ("sarif", "github", "gitlab") else Path.cwd()
    stopped = [(name, f"the analysis stopped after {seconds:.0f} s (analysis-timeout); please report this")
               for name, seconds in result.stopped]
    context = ReportContext(result.headers, result.files_checked, root, fixed=fixed, color=color, quiet=quiet,
                            not_analysed=stopped)
    return render_report(fmt, result.findings, context)


def use_color(choice: str, stream: object, environ: dict[str, str] | None = None) -> bool:
    """Whether the text report gets ANSI colours: ``--color always|never`` decide; ``auto``
    colours a terminal unless ``NO_COLOR`` is set (https://no-color.org), and ``FORCE_COLOR``
    colours even a pipe."""
    env = os.environ if environ is None else environ
    if choice != "auto":
        return choice == "always"
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and env.get("TERM") != "dumb"


def sarif_root() -> Path:
    """SARIF URIs are relative to the repository root (what code scanning expects), else to the cwd."""
    try:
        return gitutil.repo_root(Path.cwd())
    except gitutil.GitError:
        return Path.cwd()

