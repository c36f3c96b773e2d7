"""The command line: ``vetpy check | rules | rule CODE | serve``.  Thin: the engine does the work."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Sequence

from vetpy import __version__, gitutil
from vetpy.report import FORMATS
from vetpy.baseline import BASELINE_NAME, Baseline, BaselineError, relative_path, with_snippets
from vetpy.config import DEFAULT_EXCLUDES, project_root
from vetpy.document import Document, decode_source
from vetpy.engine import analyze, enabled_codes
from vetpy.files import is_excluded, iter_python_files, read_source, resolved, too_large
from vetpy.findings import Finding
from vetpy.environment.discovery import workspace_of
from vetpy.project import ProjectSetup, build_context
from vetpy.rules import REGISTRY, load_all
from vetpy.terminal import printable

log = logging.getLogger("vetpy")

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
PARALLEL_THRESHOLD = 24  # files; below this, one process is faster than a pool


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

    serve = sub.add_parser("serve", help="run the language server (stdio by default)")
    serve.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP instead of stdio (debugging)")
    serve.add_argument("--log-file", metavar="PATH", help="also write the server log to this file")
    return parser


def _add_scope_arguments(parser: argparse.ArgumentParser) -> None:
    """What to check and against which environment: shared by ``check`` and ``baseline``."""
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (default: .)")
    parser.add_argument("--python", metavar="INTERPRETER", help="the interpreter (or venv) to check against")
    parser.add_argument("--select", type=_codes_arg, action="extend", metavar="CODES", help="codes or prefixes to enable")
    parser.add_argument("--ignore", type=_codes_arg, action="extend", metavar="CODES", help="codes or prefixes to disable")
    parser.add_argument("-v", "--verbose", action="count", default=0)
    parser.add_argument("--jobs", "-j", type=int, metavar="N", help="parallel processes (default: all cores for many files)")
    parser.add_argument("--no-cache", action="store_true", help="do not read or write the environment cache")
    parser.add_argument(
        "--untrusted",
        action="store_true",
        help="the project is untrusted: run no interpreter it ships or names (.venv, venv, [tool.vetpy] python, "
        "VIRTUAL_ENV or --python inside it), import nothing; static checks only",
    )


def add_check_arguments(check: argparse.ArgumentParser) -> None:
    _add_scope_arguments(check)
    check.add_argument("--format", choices=FORMATS, default="text")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    check.add_argument("--output-file", "-o", metavar="PATH", help="write the report to PATH instead of stdout")
    check.add_argument(
        "--staged", action="store_true", help="check what will be committed: the git index versions of staged files"
    )
    check.add_argument(
        "--diff",
        nargs="?",
        const="",
        metavar="REV",
        help="report only findings on lines added or changed since REV (alone: the merge base with the default branch)",
    )
    check.add_argument(
        "--baseline", metavar="PATH", help=f"report only findings not in this baseline (default: {BASELINE_NAME} if present)"
    )
    check.add_argument("--no-baseline", action="store_true", help="ignore the baseline file: report every finding")
    check.add_argument("--statistics", action="store_true", help="print counts per rule and family instead of findings")


# -- check ------------------------------------------------------------------------------------------

@dataclass
class CheckOptions:
    python: str | None = None
    select: list[str] | None = None
    ignore: list[str] | None = None
    use_cache: bool = True
    index_repo: str | None = None  # --staged: read declared-dependency files from this repo's index
    trusted: bool = True  # False: --untrusted

    def settings(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        if self.select:
            out["select"] = self.select
        if self.ignore:
            out["ignore"] = self.ignore
        return out


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    files_checked: int = 0
    problems: list[str] = field(default_factory=list)
    config_error: bool = False
    headers: list[str] = field(default_factory=list)
    checked_paths: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # shown with -v


_SETUPS: dict[tuple[Path, str | None], ProjectSetup] = {}


def discovery_env() -> dict[str, str] | None:
    """Inside a pre-commit hook ``VIRTUAL_ENV`` names the hook's own environment, not the project's:
    drop it so that the project's ``.venv`` / ``venv`` (or ``[tool.vetpy] python``) wins."""
    venv = os.environ.get("VIRTUAL_ENV")
    if os.environ.get("PRE_COMMIT") and venv and Path(venv).resolve() == Path(sys.prefix).resolve():
        return {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    return None


def _setup_for(root: Path, options: CheckOptions) -> ProjectSetup:
    key = (root, options.index_repo)
    setup = _SETUPS.get(key)
    if setup is None:
        setup = build_context(
            root,
            python=options.python,
            settings=options.settings(),
            settings_origin="command line",
            use_cache=options.use_cache,
            read=gitutil.index_reader(Path(options.index_repo)) if options.index_repo else None,
            env_vars=discovery_env(),
            trusted=options.trusted,
            workspace=workspace_of(root),
        )
        _SETUPS[key] = setup
    return setup


def check_files(
    root: Path, files: Sequence[str], options: CheckOptions, contents: dict[str, bytes] | None = None
) -> list[Finding]:
    """Analyse ``files`` (all under project ``root``); runs in a worker process or in-process.

    ``contents`` supplies the bytes of files not to be read from disk (the staged versions).
    """
    setup = _setup_for(root, options)
    ctx = setup.ctx
    findings: list[Finding] = []
    for name in files:
        findings.extend(check_one(Path(name), ctx, None if contents is None else contents.get(name)))
    return findings


def check_one(path: Path, ctx, data: bytes | None = None) -> list[Finding]:  # noqa: ANN001 - AnalysisContext
    from vetpy.rules.syn.syntax import unreadable_finding

    try:
        if data is not None and (reason := too_large(len(data), ctx.config.max_file_size)):
            raise ValueError(reason)  # a staged version (the hook) has the same limit
        text = read_source(path, ctx.config.max_file_size) if data is None else decode_source(data)
    except ValueError as exc:
        codes = enabled_codes(ctx, str(path))
        return [unreadable_finding(str(path), str(exc))] if "SYN002" in codes else []
    doc = Document(path=str(path), text=text)
    return with_snippets(analyze(doc, ctx), text)


def _excludes(root: Path) -> list[str]:
    setup_cfg = root / "pyproject.toml"
    if setup_cfg.is_file():
        try:
            from vetpy.config import load_config

            return load_config(setup_cfg).exclude
        except Exception:
            return []  # reported when the context is built
    return []


def collect(paths: Sequence[str]) -> tuple[dict[Path, list[str]], list[str]]:
    """Group the Python files under ``paths`` by project root; return also one-line problems."""
    groups: dict[Path, list[str]] = {}
    problems: list[str] = []
    seen: set[str] = set()
    root_cache: dict[Path, Path] = {}
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            problems.append(f"{raw}: no such file or directory")
            continue
        arg_root = project_root(path)
        exclude = _excludes(arg_root)
        count = 0
        for file in iter_python_files(path, resolved(arg_root), exclude):
            key = str(resolved(file))
            if key in seen:
                continue
            seen.add(key)
            count += 1
            # a broken or looping symlink belongs to the directory that holds the link
            directory = (resolved(file) if file.exists() else Path(os.path.abspath(file))).parent
            root = root_cache.get(directory)
            if root is None:
                root = root_cache[directory] = project_root(directory, default=arg_root)
            groups.setdefault(root, []).append(str(file))
        if count == 0 and path.is_dir():
            problems.append(f"{raw}: no Python files found")
    return groups, problems


def collect_staged(repo: Path, paths: Sequence[str]) -> tuple[dict[Path, list[str]], dict[str, str], list[str], list[str]]:
    """Like :func:`collect` for ``--staged``: groups of display paths, their blob ids, problems, notes.

    The project's ``exclude`` setting applies even to named files (pre-commit names every file).
    """
    cwd = Path.cwd()
    targets = gitutil.staged_targets(repo, paths, cwd, is_python=lambda p: p.endswith((".py", ".pyi")))
    groups: dict[Path, list[str]] = {}
    shas: dict[str, str] = {}
    excludes: dict[Path, list[str]] = {}
    for entry in targets.files:
        full = repo / entry.path
        root = project_root(full.parent if full.parent.exists() else repo)
        if root not in excludes:
            excludes[root] = list(DEFAULT_EXCLUDES) + _excludes(root)
        if is_excluded(relative_path(str(full), root.resolve()), excludes[root]):
            continue
        shown = os.path.relpath(full, cwd)
        groups.setdefault(root, []).append(shown)
        shas[shown] = entry.sha
    notes = [f"{p}: deleted in the index; nothing to check" for p in targets.deleted]
    return groups, shas, targets.notes, notes


def run_check(
    paths: Sequence[str], options: CheckOptions, jobs: int | None = None, *, staged: bool = False, diff: str | None = None
) -> CheckResult:
    """Check ``paths`` (or, with ``staged``, the index versions).  ``diff`` keeps only findings on
    lines changed since that revision ("" = the merge base with the default branch).

    Raises :class:`gitutil.GitError` for git problems (one-line message).
    """
    result = CheckResult()
    _SETUPS.clear()  # a new run may have new options, configuration or index contents
    contents: dict[str, bytes] | None = None
    repo = None
    if staged or diff is not None:
        repo = gitutil.repo_root(next((Path(p) for p in paths if Path(p).exists()), Path.cwd()))
    if staged and repo is not None:
        options = replace(options, index_repo=str(repo))
        groups, shas, problems, notes = collect_staged(repo, paths)
        result.headers.append(f"{repo}: checking the staged contents (the git index), not the work tree")
        result.notes.extend(notes)
        blobs = gitutil.read_blobs(repo, shas.values())
        contents = {shown: blobs.get(sha, b"") for shown, sha in shas.items()}
    else:
        groups, problems = collect(paths or ["."])
    result.problems.extend(problems)
    changed: dict[str, set[int] | None] | None = None
    if diff is not None and repo is not None:
        rev = gitutil.resolve_revision(repo, diff) if diff else gitutil.merge_base_with_default(repo)
        result.notes.append(f"reporting findings on lines changed since {diff or 'the merge base'} ({rev[:12]})")
        changed = gitutil.changed_lines(repo, rev, cached=staged)
        groups = _only_changed(groups, repo, changed)
    result.checked_paths = [f for files in groups.values() for f in files]
    total = len(result.checked_paths)
    result.files_checked = total
    for root in groups:
        setup = _setup_for(root, options)
        result.problems.extend(setup.problems)
        result.config_error |= setup.config_error
        env = setup.ctx.environment
        where = env.describe() if env else (setup.choice.describe() + " (unavailable)" if setup.choice else "no environment")
        result.headers.append(f"{root}: checking against {where}")
    if result.config_error and not total:
        return result
    result.findings = _analyse(groups, options, jobs, contents)
    if changed is not None and repo is not None:
        result.findings = [f for f in result.findings if _is_changed(f, repo, changed)]
    result.findings.sort(key=lambda f: f.sort_key)
    return result


def _analyse(
    groups: dict[Path, list[str]], options: CheckOptions, jobs: int | None, contents: dict[str, bytes] | None
) -> list[Finding]:
    total = sum(len(v) for v in groups.values())
    findings: list[Finding] = []
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers > 1 and total >= PARALLEL_THRESHOLD:
        tasks = []
        for root, files in groups.items():
            size = max(4, len(files) // (workers * 4) or 1)
            tasks += [(root, files[i : i + size]) for i in range(0, len(files), size)]
        try:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                futures = [
                    pool.submit(check_files, root, chunk, options, None if contents is None else {f: contents[f] for f in chunk})
                    for root, chunk in tasks
                ]
                for fut in futures:
                    findings.extend(fut.result())
            return findings
        except (OSError, RuntimeError) as exc:  # no process support (sandbox): fall back
            log.warning("parallel check unavailable (%s); checking in one process", exc)
            findings = []
    for root, files in groups.items():
        findings.extend(check_files(root, files, options, contents))
    return findings


def _repo_path(path: str, repo: Path) -> str | None:
    try:
        return Path(path).resolve().relative_to(repo.resolve()).as_posix()
    except (ValueError, OSError):
        return None


def _only_changed(
    groups: dict[Path, list[str]], repo: Path, changed: dict[str, set[int] | None]
) -> dict[Path, list[str]]:
    kept: dict[Path, list[str]] = {}
    for root, files in groups.items():
        files = [f for f in files if _repo_path(f, repo) in changed]
        if files:
            kept[root] = files
    return kept


def _is_changed(finding: Finding, repo: Path, changed: dict[str, set[int] | None]) -> bool:
    path = _repo_path(finding.path, repo)
    if path not in changed:
        return False
    lines = changed[path]
    return lines is None or any(n in lines for n in range(finding.line, max(finding.line, finding.end_line) + 1))


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


# -- baseline ---------------------------------------------------------------------------------------

def cmd_baseline(args: argparse.Namespace) -> int:
    options = CheckOptions(
        python=args.python, select=args.select, ignore=args.ignore, use_cache=not args.no_cache, trusted=not args.untrusted
    )
    if args.jobs is not None and args.jobs < 1:
        return _usage("--jobs must be at least 1")
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
    if result.config_error:
        return EXIT_USAGE
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
        if args.command == "baseline":
            return cmd_baseline(args)
        if args.command == "install-hook":
            return cmd_install_hook(args)
        if args.command == "rules":
            return cmd_rules()
        if args.command == "rule":
            return cmd_rule(args.code)
        if args.command == "serve":
            return cmd_serve(args)
        parser.print_help()
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("vetpy: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # vetpy: ignore[EDGE002] the last line of defence: one line and exit 2, never a traceback
        if getattr(args, "verbose", 0) > 1:
            raise
        print(f"vetpy: error: {type(exc).__name__}: {printable(str(exc))[:300]} "
              "(an internal error; run with -vv for the traceback, and please report it)", file=sys.stderr)
        return EXIT_USAGE
