"""The other commands: ``baseline``, ``install-hook``, ``rules``, ``rule``, ``serve``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from vetpy import gitutil
from vetpy.baseline import Baseline, BaselineError
from vetpy.cli.check import EXIT_OK, EXIT_USAGE, _default_baseline, _usage, option_errors, options_from, report_stopped
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
    if result.stopped:  # their findings are unknown: recording or pruning them would be wrong
        report_stopped(result)
        return _usage("the baseline is unchanged")
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



# -- index build ------------------------------------------------------------------------------------

def cmd_index_build(args: argparse.Namespace) -> int:
    """Fill the on-disk index with every module of the project's environment (see resolve/index.py)."""
    import os
    import time
    from concurrent.futures import ProcessPoolExecutor

    from vetpy.config import project_root
    from vetpy.environment.discovery import workspace_of
    from vetpy.project import build_context
    from vetpy.resolve.index import NamespaceIndex, installed_modules
    from vetpy.resolve.indexing import build_chunk, environment_state

    path = Path(args.path)
    if not path.exists():
        return _usage(f"{args.path}: no such file or directory")
    root = project_root(path)
    setup = build_context(root, python=args.python, workspace=workspace_of(root))
    if setup.errors:
        for error in setup.errors:
            _usage(error)
        return EXIT_USAGE
    env = setup.ctx.environment
    index = NamespaceIndex.for_environment(env)
    if env is None or index is None or env.choice.stand_in:
        return _usage(f"{root}: no project environment found (give --python); nothing to index")
    start = time.monotonic()
    before = sum(1 for _ in index.directory.rglob("*.json")) if index.directory.is_dir() else 0
    modules = [(name, str(file)) for name, file in installed_modules(env)]
    state = environment_state(env)
    workers = max(1, args.jobs or os.cpu_count() or 1)
    size = max(1, len(modules) // (workers * 8) or 1)
    chunks = [(str(root), modules[i:i + size], state) for i in range(0, len(modules), size)]
    if workers > 1 and len(chunks) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            done = sum(pool.map(build_chunk, chunks))
    else:
        done = sum(build_chunk(chunk) for chunk in chunks)
    after = sum(1 for _ in index.directory.rglob("*.json")) if index.directory.is_dir() else 0
    print(f"vetpy: read {done} modules of {printable(env.describe())} in {time.monotonic() - start:.1f} s; "
          f"{after - before} new index entries, {after} in {printable(str(index.directory))}")
    return EXIT_OK
