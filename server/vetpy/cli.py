"""The command line: ``vetpy check | rules | rule CODE | serve``.  Thin: the engine does the work."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from vetpy import __version__
from vetpy.config import project_root
from vetpy.document import Document
from vetpy.engine import analyze, enabled_codes
from vetpy.files import iter_python_files, read_source, resolved
from vetpy.findings import Finding
from vetpy.project import ProjectSetup, build_context
from vetpy.rules import REGISTRY, load_all

log = logging.getLogger("vetpy")

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
PARALLEL_THRESHOLD = 24  # files; below this, one process is faster than a pool


class UsageError(Exception):
    pass


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

    sub.add_parser("rules", help="list every rule")
    rule_p = sub.add_parser("rule", help="print a rule's documentation")
    rule_p.add_argument("code", metavar="CODE")

    serve = sub.add_parser("serve", help="run the language server (stdio by default)")
    serve.add_argument("--tcp", metavar="HOST:PORT", help="listen on TCP instead of stdio (debugging)")
    serve.add_argument("--log-file", metavar="PATH", help="also write the server log to this file")
    return parser


def add_check_arguments(check: argparse.ArgumentParser) -> None:
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (default: .)")
    check.add_argument("--python", metavar="INTERPRETER", help="the interpreter (or venv) to check against")
    check.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    check.add_argument("--select", type=_codes_arg, action="extend", metavar="CODES", help="codes or prefixes to enable")
    check.add_argument("--ignore", type=_codes_arg, action="extend", metavar="CODES", help="codes or prefixes to disable")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    check.add_argument("-v", "--verbose", action="count", default=0)
    check.add_argument("--jobs", "-j", type=int, metavar="N", help="parallel processes (default: all cores for many files)")
    check.add_argument("--no-cache", action="store_true", help="do not read or write the environment cache")
    check.add_argument("--output-file", "-o", metavar="PATH", help="write the report to PATH instead of stdout")


# -- check ------------------------------------------------------------------------------------------

@dataclass
class CheckOptions:
    python: str | None = None
    select: list[str] | None = None
    ignore: list[str] | None = None
    use_cache: bool = True

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


_SETUPS: dict[Path, ProjectSetup] = {}


def _setup_for(root: Path, options: CheckOptions) -> ProjectSetup:
    setup = _SETUPS.get(root)
    if setup is None:
        setup = build_context(
            root,
            python=options.python,
            settings=options.settings(),
            settings_origin="command line",
            use_cache=options.use_cache,
        )
        _SETUPS[root] = setup
    return setup


def check_files(root: Path, files: Sequence[str], options: CheckOptions) -> list[Finding]:
    """Analyse ``files`` (all under project ``root``); runs in a worker process or in-process."""
    setup = _setup_for(root, options)
    ctx = setup.ctx
    findings: list[Finding] = []
    for name in files:
        findings.extend(check_one(Path(name), ctx))
    return findings


def check_one(path: Path, ctx) -> list[Finding]:  # noqa: ANN001 - AnalysisContext
    from vetpy.rules.syntax import unreadable_finding

    try:
        text = read_source(path)
    except ValueError as exc:
        codes = enabled_codes(ctx, str(path))
        return [unreadable_finding(str(path), str(exc))] if "SYN002" in codes else []
    doc = Document(path=str(path), text=text)
    return analyze(doc, ctx)


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
        exclude: list[str] = []
        setup_cfg = arg_root / "pyproject.toml"
        if setup_cfg.is_file():
            try:
                from vetpy.config import load_config

                exclude = load_config(setup_cfg).exclude
            except Exception:
                exclude = []  # reported when the context is built
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
                root = root_cache[directory] = project_root(directory)
            groups.setdefault(root, []).append(str(file))
        if count == 0 and path.is_dir():
            problems.append(f"{raw}: no Python files found")
    return groups, problems


def run_check(paths: Sequence[str], options: CheckOptions, jobs: int | None = None) -> CheckResult:
    result = CheckResult()
    groups, problems = collect(paths or ["."])
    result.problems.extend(problems)
    total = sum(len(v) for v in groups.values())
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
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers > 1 and total >= PARALLEL_THRESHOLD:
        tasks = []
        for root, files in groups.items():
            size = max(4, len(files) // (workers * 4) or 1)
            tasks += [(root, files[i : i + size]) for i in range(0, len(files), size)]
        try:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                futures = [pool.submit(check_files, root, chunk, options) for root, chunk in tasks]
                for fut in futures:
                    result.findings.extend(fut.result())
        except (OSError, RuntimeError) as exc:  # no process support (sandbox): fall back
            log.warning("parallel check unavailable (%s); checking in one process", exc)
            result.findings = []
            for root, files in groups.items():
                result.findings.extend(check_files(root, files, options))
    else:
        for root, files in groups.items():
            result.findings.extend(check_files(root, files, options))
    result.findings.sort(key=lambda f: f.sort_key)
    return result


def cmd_check(args: argparse.Namespace) -> int:
    options = CheckOptions(python=args.python, select=args.select, ignore=args.ignore, use_cache=not args.no_cache)
    if args.jobs is not None and args.jobs < 1:
        print("vetpy: error: --jobs must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    result = run_check(args.paths, options, jobs=args.jobs)
    for problem in result.problems:
        print(f"vetpy: {problem}", file=sys.stderr)
    if args.verbose:
        for h in result.headers:
            print(f"vetpy: {h}", file=sys.stderr)
    output = render(args.format, result)
    if args.output_file:
        try:
            Path(args.output_file).write_text(output, encoding="utf-8")
        except OSError as exc:
            print(f"vetpy: error: cannot write {args.output_file}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_USAGE
    else:
        sys.stdout.write(output)
    if result.config_error:
        return EXIT_USAGE
    if result.findings and not args.exit_zero:
        return EXIT_FINDINGS
    return EXIT_OK


def render(fmt: str, result: CheckResult) -> str:
    from vetpy.report import render_json, render_sarif, render_text

    if fmt == "json":
        return render_json(result.findings)
    if fmt == "sarif":
        return render_sarif(result.findings, root=Path.cwd())
    return render_text(result.findings, header=result.headers, files_checked=result.files_checked)


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
