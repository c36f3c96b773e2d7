"""Running a check: which files, which project each belongs to, the analysis (in worker processes
for many files).  No printing here: :mod:`vetpy.cli.check` reports."""

from __future__ import annotations

import gc
import json
import logging
import os
import sys
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

from vetpy import codes, deadline, gitutil, reads, resultcache, trees
from vetpy.cli.gate_callees import caused_by_change, imported_modules
from vetpy.baseline import relative_path, with_snippets
from vetpy.config import DEFAULT_EXCLUDES, Config, ConfigError, load_config, project_root
from vetpy.document import Document, decode_source
from vetpy.environment.discovery import workspace_of
from vetpy.files import is_excluded, iter_python_files, read_source, resolved, too_large
from vetpy.findings import Finding
from vetpy.project import ProjectSetup, build_context

if TYPE_CHECKING:
    from vetpy.cli.fix import FileFix
    from vetpy.resolve.members import MemberIndex, SharedWorker

# A run whose every file the result cache answers imports none of the analysis: the engine, the
# rules, the semantic model, the fixes and the process pool are imported where a file is analysed
# (tests/test_warm_start.py checks which modules a warm run imports).

log = logging.getLogger("vetpy")

PARALLEL_THRESHOLD = 24  # files; below this, one process is faster than a pool


@dataclass
class CheckOptions:
    python: str | None = None
    select: list[str] | None = None  # replaces the configuration's selection (ruff's --select)
    ignore: list[str] | None = None  # removed from the selection
    extend_select: list[str] | None = None  # added to the configuration's selection
    extend_ignore: list[str] | None = None  # the same as ignore (ruff's name)
    use_cache: bool = True
    index_repo: str | None = None  # --staged: read declared-dependency files from this repo's index
    trusted: bool = True  # False: --untrusted
    respect_gitignore: bool = True  # False: --no-respect-gitignore
    fix: str | None = None  # "safe" or "unsafe": apply fixes (--fix, --diff; --unsafe-fixes)
    config_file: str | None = None  # --config: this pyproject.toml instead of each project's own
    analysis_timeout: float | None = None  # --analysis-timeout: seconds per file (None: the configuration's)

    def selectors(self) -> list[str]:
        """Every code or prefix named on the command line (validated before anything runs)."""
        return [*(self.select or ()), *(self.ignore or ()), *(self.extend_select or ()), *(self.extend_ignore or ())]

    def changes_selection(self) -> bool:
        return bool(self.selectors())


def layered_codes(config_select: Sequence[str], config_ignore: Sequence[str], options: CheckOptions) -> set[str]:
    """The codes enabled once the command line is laid over the configuration, as ruff does it.

    The configuration gives a set (``select``, default every rule, minus ``ignore``).  On the
    command line ``--select`` replaces that set, ``--extend-select`` adds to it, ``--ignore`` and
    ``--extend-ignore`` remove from it; among the command line's selectors the more specific wins
    (``--select SEC --ignore SEC001``, ``--ignore SEC --extend-select SEC001``: both leave SEC001's
    fate to the code itself), and ``ALL`` is the least specific.
    """
    current = codes.expand(config_select) if config_select else codes.default_codes()
    current -= codes.expand(config_ignore)
    if options.select:
        current = set()
    adds = [*(options.select or ()), *(options.extend_select or ())]
    removes = [*(options.ignore or ()), *(options.extend_ignore or ())]
    layer = [(sel.strip().upper(), True) for sel in adds] + [(sel.strip().upper(), False) for sel in removes]
    for selector, enable in sorted(layer, key=lambda item: 0 if item[0] == "ALL" else len(item[0])):
        if enable:
            current |= codes.match(selector)
        else:
            current -= codes.match(selector)
    return current


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    files_checked: int = 0
    problems: list[str] = field(default_factory=list)  # warnings, one line each
    errors: list[str] = field(default_factory=list)  # why nothing was checked (exit 2)
    fixes: list[FileFix] = field(default_factory=list)  # with options.fix: the files whose text a fix changed
    headers: list[str] = field(default_factory=list)
    checked_paths: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # shown with -v
    stopped: list[tuple[str, float]] = field(default_factory=list)  # files the time budget stopped, after how long (exit 2)


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
            use_cache=options.use_cache,
            read=gitutil.index_reader(Path(options.index_repo)) if options.index_repo else None,
            env_vars=discovery_env(),
            trusted=options.trusted,
            workspace=workspace_of(root),
            config_file=Path(options.config_file) if options.config_file else None,
        )
        if options.changes_selection():
            config = setup.ctx.config
            enabled = layered_codes(config.select, config.ignore, options)
            config.select, config.ignore = (sorted(enabled), []) if enabled else ([], ["ALL"])
        _SETUPS[key] = setup
    return setup


Analysed = tuple[list[Finding], list["FileFix"], dict[str, dict], list[tuple[str, float]]]


def check_files(
    root: Path, files: Sequence[str], options: CheckOptions, contents: dict[str, bytes] | None = None,
    record: bool = False, flush: bool = True,
) -> Analysed:
    """Analyse ``files`` (all under project ``root``); runs in a worker process or in-process.
    With ``options.fix``, fix them too (nothing is written here): the findings that remain, and
    what fixing changed.  With ``record``, also the result-cache entry of each file analysed.
    Last, the files whose analysis the time budget stopped (and after how many seconds): they
    have no findings, no fix and no cache entry.

    ``contents`` supplies the bytes of files not to be read from disk (the staged versions).
    """
    findings: list[Finding] = []
    fixes: list[FileFix] = []
    entries: dict[str, dict] = {}
    stopped: list[tuple[str, float]] = []
    for name in files:
        ctx = _setup_for(root, options).ctx
        data = None if contents is None else contents.get(name)
        try:
            with deadline.budget(options.analysis_timeout or ctx.config.analysis_timeout):
                if options.fix is None:
                    found, entry = check_recorded(Path(name), ctx, data) if record else (check_one(Path(name), ctx, data), None)
                    fixed = None
                else:
                    (found, fixed), entry = fix_one(Path(name), ctx, data, unsafe=options.fix == "unsafe"), None
        except deadline.BudgetExceeded as exc:
            log.debug("analysis of %s stopped after %.1f s", name, exc.seconds)
            stopped.append((name, exc.seconds))
            _drop_setup(root, options)
            continue
        findings.extend(found)
        if entry is not None:
            entries[name] = entry
        if fixed is not None and fixed.changed:
            fixes.append(fixed)
    if flush:
        _flush_members(root, options)
    return findings, fixes, entries, stopped


def _drop_setup(root: Path, options: CheckOptions) -> None:
    """After a stopped analysis: the project's state (resolver, stubs, member index, memos) may
    hold what that analysis left half-done, so the next file gets a fresh one; the old member
    index's worker connections are closed (its answers so far written first)."""
    setup = _SETUPS.pop((root, options.index_repo), None)
    members = None if setup is None else setup.ctx.members
    if members is not None:
        try:
            members.close()
        except Exception as exc:  # only speed is lost
            log.info("closing the member index after a stopped analysis: %s", exc)


def _flush_members(root: Path, options: CheckOptions) -> None:
    """Write the introspection answers still unwritten (the analyses write at most every few
    seconds)."""
    members = _setup_for(root, options).ctx.members
    if members is not None:
        members.flush()


def check_one(path: Path, ctx, data: bytes | None = None) -> list[Finding]:  # noqa: ANN001 - AnalysisContext
    from vetpy.engine import analyze

    text, unreadable = _source(path, ctx, data)
    if text is None:
        return unreadable
    doc = Document(path=str(path), text=text)
    return with_snippets(analyze(doc, ctx), text)


def check_recorded(path: Path, ctx, data: bytes | None = None) -> tuple[list[Finding], dict | None]:  # noqa: ANN001
    """:func:`check_one`, and the result-cache entry of the analysis (None: unreadable)."""
    from vetpy.engine import analyze

    text, unreadable = _source(path, ctx, data)
    if text is None:
        return unreadable, None
    with reads.recording() as used:
        found = analyze(Document(path=str(path), text=text), ctx)
    return with_snippets(found, text), resultcache.serialise(resultcache.text_digest(text), found, used)


def fix_one(path: Path, ctx, data: bytes | None = None, unsafe: bool = False) -> tuple[list[Finding], FileFix | None]:  # noqa: ANN001
    """The findings left once the fixes of ``path`` are applied, and what changed (None: unreadable)."""
    from vetpy.cli.fix import fix_text

    text, unreadable = _source(path, ctx, data)
    if text is None:
        return unreadable, None
    outcome, findings = fix_text(str(path), text, ctx, unsafe=unsafe)
    return with_snippets(findings, outcome.after), outcome


def _source(path: Path, ctx, data: bytes | None) -> tuple[str | None, list[Finding]]:  # noqa: ANN001
    """The text of ``path`` (``data``: its bytes), or None and the SYN002 finding saying why not."""
    try:
        if data is not None and (reason := too_large(len(data), ctx.config.max_file_size)):
            raise ValueError(reason)  # a staged version (the hook) has the same limit
        if data is None:  # a module a staged file imports: at its index version (`--staged`)
            data = reads.other_version(path)
        return (read_source(path, ctx.config.max_file_size) if data is None else decode_source(data)), []
    except ValueError as exc:
        from vetpy.engine import enabled_codes
        from vetpy.rules.syn.syntax import unreadable_finding

        codes = enabled_codes(ctx, str(path))
        return None, [unreadable_finding(str(path), str(exc))] if "SYN002" in codes else []


def _walk_config(root: Path, config_file: str | None = None) -> Config:
    """The project's configuration for the walk (``exclude``, ``respect-gitignore``); a broken one
    is reported when the context is built."""
    pyproject = Path(config_file) if config_file else root / "pyproject.toml"
    if pyproject.is_file():
        try:
            return load_config(pyproject)
        except ConfigError:
            pass
    return Config()


def _excludes(root: Path, config_file: str | None = None) -> list[str]:
    return _walk_config(root, config_file).exclude


def collect(
    paths: Sequence[str], errors: list[str] | None = None, respect_gitignore: bool = True, config_file: str | None = None
) -> tuple[dict[Path, list[str]], list[str]]:
    """Group the Python files under ``paths`` by project root; return also one-line problems.

    A path that does not exist is an error (added to ``errors``; to the problems without it).
    """
    groups: dict[Path, list[str]] = {}
    problems: list[str] = []
    seen: set[str] = set()
    root_cache: dict[Path, Path] = {}
    for raw in paths:
        path = Path(raw)
        if not path.exists() and not path.is_symlink():
            (problems if errors is None else errors).append(f"{raw}: no such file or directory")
            continue
        arg_root = project_root(path)
        config = _walk_config(arg_root, config_file)
        count = 0
        gitignore = respect_gitignore and config.respect_gitignore
        for file in iter_python_files(path, resolved(arg_root), config.exclude, respect_gitignore=gitignore):
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


def _is_python_path(path: str) -> bool:
    return path.endswith((".py", ".pyi"))


def collect_staged(
    repo: Path, paths: Sequence[str], config_file: str | None = None
) -> tuple[dict[Path, list[str]], dict[str, str], list[str], list[str]]:
    """Like :func:`collect` for ``--staged``: groups of display paths, their blob ids, problems, notes.

    The project's ``exclude`` setting applies even to named files (pre-commit names every file).
    """
    cwd = Path.cwd()
    targets = gitutil.staged_targets(repo, paths, cwd, is_python=_is_python_path)
    groups: dict[Path, list[str]] = {}
    shas: dict[str, str] = {}
    excludes: dict[Path, list[str]] = {}
    for entry in targets.files:
        full = repo / entry.path
        root = project_root(full.parent if full.parent.exists() else repo)
        if root not in excludes:
            excludes[root] = list(DEFAULT_EXCLUDES) + _excludes(root, config_file)
        if is_excluded(relative_path(str(full), root.resolve()), excludes[root]):
            continue
        shown = os.path.relpath(full, cwd)
        groups.setdefault(root, []).append(shown)
        shas[shown] = entry.sha
    notes = [f"{p}: deleted in the index; nothing to check" for p in targets.deleted]
    return groups, shas, targets.notes, notes


@dataclass(frozen=True)
class StdinInput:
    """``vetpy check -``: the text read from standard input, checked as if it were the file ``name``."""

    data: bytes
    name: str | None = None  # --stdin-filename: where the text belongs (project, per-file-ignores)

    @property
    def shown(self) -> str:
        return self.name or "-"


def run_check(
    paths: Sequence[str],
    options: CheckOptions,
    jobs: int | None = None,
    *,
    staged: bool = False,
    diff: str | None = None,
    stdin: StdinInput | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> CheckResult:
    """Check ``paths`` (or, with ``staged``, the index versions; with ``stdin``, that text).
    ``diff`` keeps only findings on lines changed since that revision ("" = the merge base with
    the default branch).

    ``progress(done, total)`` is called as files are answered (from the result cache or analysed).

    Nothing is analysed when there is an error (a path that does not exist, a configuration
    error, an interpreter that was named and does not work): ``result.errors`` says why.
    Raises :class:`gitutil.GitError` for git problems (one-line message).
    """
    with ExitStack() as versions:  # with `staged`: the project's modules as the index has them
        return _run_check(paths, options, jobs, staged, diff, stdin, progress, versions)


def _run_check(
    paths: Sequence[str],
    options: CheckOptions,
    jobs: int | None,
    staged: bool,
    diff: str | None,
    stdin: StdinInput | None,
    progress: Callable[[int, int], None] | None,
    versions: ExitStack,
) -> CheckResult:
    result = CheckResult()
    _SETUPS.clear()  # a new run may have new options, configuration or index contents
    contents: dict[str, bytes] | None = None
    repo = None
    if stdin is not None:
        shown = stdin.shown
        where = Path(stdin.name).parent if stdin.name else Path.cwd()
        groups, problems = {project_root(where if where.exists() else Path.cwd()): [shown]}, []
        contents = {shown: stdin.data}
    elif staged or diff is not None:
        repo = gitutil.repo_root(next((Path(p) for p in paths if Path(p).exists()), Path.cwd()))
    if staged and repo is not None:
        options = replace(options, index_repo=str(repo))
        versions.enter_context(reads.other_versions(gitutil.unstaged_versions(repo, _is_python_path)))
        groups, shas, problems, notes = collect_staged(repo, paths, options.config_file)
        result.headers.append(f"{repo}: checking the staged contents (the git index), not the work tree")
        result.notes.extend(notes)
        blobs = gitutil.read_blobs(repo, shas.values())
        contents = {shown: blobs.get(sha, b"") for shown, sha in shas.items()}
    if stdin is None and not (staged and repo is not None):
        groups, problems = collect(paths or ["."], result.errors, options.respect_gitignore, options.config_file)
    result.problems.extend(problems)
    if result.errors:
        return result
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
        result.errors.extend(e for e in setup.errors if e not in result.errors)
        result.problems.extend(p for p in setup.problems if not any(p.startswith(e) for e in setup.errors))
        env = setup.ctx.environment
        where = env.describe() if env else (setup.choice.describe() + " (unavailable)" if setup.choice else "no environment")
        result.headers.append(f"{root}: checking against {where}")
    if result.errors:
        result.files_checked = 0
        return result
    callees: dict[Path, list[str]] = {}
    if (staged or diff is not None) and repo is not None and options.fix is None:
        callees = imported_modules(groups, contents, lambda root: _setup_for(root, options).ctx)
    analysed = {root: groups.get(root, []) + callees.get(root, []) for root in {**groups, **callees}}
    result.findings, result.fixes, reused, result.stopped = _analyse(
        analysed, options, jobs, contents, progress or (lambda done, total: None), declarations=stdin is None)
    if reused:
        result.notes.append(f"{reused} of {sum(map(len, analysed.values()))} files unchanged since a previous check: "
                            "their results were reused")
    imported = {os.path.realpath(f) for files in callees.values() for f in files}
    if imported:  # from a module a changed file imports: only what the change caused there
        changed_files = {os.path.realpath(f) for f in result.checked_paths}

        def touched(path: str, line: int) -> bool:
            if os.path.realpath(path) not in changed_files:
                return False
            lines = changed.get(_repo_path(path, repo) or "", set()) if changed is not None and repo is not None else None
            return lines is None or line in lines

        result.findings = [f for f in result.findings
                           if os.path.realpath(f.path) not in imported or caused_by_change(f, touched)]
        result.stopped = [(name, seconds) for name, seconds in result.stopped if os.path.realpath(name) not in imported]
    if changed is not None and repo is not None:
        result.findings = [f for f in result.findings
                           if os.path.realpath(f.path) in imported or _is_changed(f, repo, changed)]
    result.findings.extend(not_analysed(name, seconds) for name, seconds in result.stopped)
    result.findings.sort(key=lambda f: f.sort_key)
    return result


def _declaration_findings(root: Path, options: CheckOptions, cache: resultcache.ResultCache | None) -> list[Finding]:
    """Findings in the project's declaration files (DEP004), where enabled for them; from the
    result cache when the run key, the declaration files and the working directory (the
    findings' paths are relative to it) are as they were."""
    ctx = _setup_for(root, options).ctx
    declared = ctx.declared
    if declared is None or not declared.requirements:
        return []  # nothing declared: no need to load the rules to learn that
    state = resultcache.text_digest(json.dumps([os.getcwd(), sorted(declared.files)]))
    kept = cache.lookup_declarations(state) if cache is not None else None
    if kept is not None:
        return kept
    from vetpy.engine import declaration_findings

    if cache is None:
        return declaration_findings(ctx, declared)
    with reads.recording() as used:
        for name in declared.files:
            reads.note_file(ctx.root / name)  # their text places each finding on its line
        found = declaration_findings(ctx, declared)
    cache.store_declarations(resultcache.serialise(state, found, used))
    return found


def not_analysed(path: str, seconds: float) -> Finding:
    """What every output format says of a file the time budget stopped: SYN002 on its first line
    (whatever the selection: the file was not checked at all)."""
    from vetpy.rules.syn.syntax import not_analysed_finding

    return not_analysed_finding(path, f"not analysed: the analysis stopped after {seconds:.0f} s (analysis-timeout); please report this")


def _analyse(
    groups: dict[Path, list[str]], options: CheckOptions, jobs: int | None, contents: dict[str, bytes] | None,
    progress: Callable[[int, int], None], declarations: bool = False,
) -> tuple[list[Finding], list[FileFix], int, list[tuple[str, float]]]:
    """The findings of every file (and fixes), with ``declarations`` those of each project's
    declaration files too; also how many files the result cache answered, and the files the time
    budget stopped."""
    roots = list(groups)
    findings: list[Finding] = []
    fixes: list[FileFix] = []
    caches: dict[Path, resultcache.ResultCache] = {}
    everything = sum(len(v) for v in groups.values())
    if options.use_cache and options.fix is None:
        groups = _from_cache(groups, options, contents, caches, findings)
    record = bool(caches)
    total = sum(len(v) for v in groups.values())
    done = everything - total  # answered from the cache
    progress(done, everything)
    entries: dict[str, dict] = {}
    stopped: list[tuple[str, float]] = []
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    finished = False
    if total:
        from vetpy.cli.pool import available

        if available():
            done, finished = _analyse_in_processes(groups, options, contents, record, workers, progress, (done, everything),
                                                   (findings, fixes, entries, stopped))
    if not finished:
        for root, files in groups.items():
            for name in files:
                found, fixed, recorded, late = check_files(root, [name], options, contents, record, flush=False)
                findings.extend(found)
                fixes.extend(fixed)
                entries.update(recorded)
                stopped.extend(late)
                done += 1
                progress(done, everything)
            if files:
                _flush_members(root, options)
    for root, files in groups.items():
        cache = caches.get(root)
        if cache is not None:
            for name in files:
                if name in entries:
                    cache.store(name, entries[name])
    if declarations:
        for root in roots:
            findings.extend(_declaration_findings(root, options, caches.get(root)))
    for cache in caches.values():
        cache.save()
    return findings, fixes, sum(cache.hits for cache in caches.values()), stopped


def _total_size(paths: list[str]) -> int:
    """The files' sizes in bytes together (a file that cannot be read counts nothing)."""
    total = 0
    for path in paths:
        try:
            total += os.stat(path).st_size
        except OSError:
            pass
    return total


def _analyse_in_processes(
    groups: dict[Path, list[str]], options: CheckOptions, contents: dict[str, bytes] | None, record: bool, workers: int,
    progress: Callable[[int, int], None], counts: tuple[int, int],
    into: tuple[list[Finding], list[FileFix], dict[str, dict], list[tuple[str, float]]],
) -> tuple[int, bool]:
    """Analyse in processes forked from this one (:mod:`vetpy.cli.pool`), which this one kills
    when a file's analysis runs past its budget where the budget's own timer cannot stop it:
    a pool of ``workers`` for many files, else one.  The answers go ``into`` (findings, fixes,
    cache entries, stopped files); (files done, whether it worked: False, nothing added, when
    processes are unavailable here)."""
    from vetpy.cli.pool import analyse
    from vetpy.cli.pool_start import end

    done, everything = counts
    total = sum(len(v) for v in groups.values())
    shared: list[tuple[MemberIndex, SharedWorker]] = []
    # the trees of these files are kept longer, the pool's processes inheriting those read before the fork;
    # only where they all fit: on a larger project the last few million characters kept saved no
    # measurable CPU (350k lines: 32-34 s either way) and cost about 100 MB (benchmarks/scale.md)
    names = [name for files in groups.values() for name in files]
    if _total_size(names) <= trees.MAX_EXPECTED_CHARS:
        trees.expect(names)
    if workers > 1 and total >= PARALLEL_THRESHOLD:
        # the largest first, so that no process is left with a large one at the end; the results
        # are put together in the order of the files all the same
        chunks = sorted((task for root, files in groups.items() for task in _tasks(root, files, workers)), key=lambda t: -t[2])
        tasks = [(root, files) for root, files, _ in chunks]
        _before_fork()
        _parse_shared_stubs(groups, options)
        _read_first_party(groups, options)
        shared = _share_workers(groups, options)
        if gc.get_freeze_count():  # a batch run (cli.check.batch_gc): so are the trees read before the fork,
            gc.freeze()  # which no collection in the pool's processes then walks (and copies)
    else:  # one process, one chunk per project: as if analysed here
        workers, tasks = 1, [(root, files) for root, files in groups.items() if files]
        _before_fork()  # loaded once: the declaration files' findings after the fork need them here too
    answers: dict[str, Analysed] = {}

    def answered(name: str, analysed: Analysed) -> None:
        nonlocal done
        answers[name] = analysed
        done += 1
        progress(done, everything)

    def budget(root: Path) -> float:
        return options.analysis_timeout or _setup_for(root, options).ctx.config.analysis_timeout

    def work(root: Path, files: list[str]) -> Iterator[Analysed]:  # in the forked process
        for name in files:
            yield check_files(root, [name], options, contents, record, flush=False)
        _flush_members(root, options)

    try:
        analyse(tasks, work, workers, budget, answered, lambda name, seconds: ([], [], {}, [(name, seconds)]))
    except (OSError, RuntimeError) as exc:  # no process support (sandbox), a process died: check here
        log.warning("analysis in separate processes unavailable (%s); checking in this process", exc)
        return done - len(answers), False
    finally:
        trees.expect(())
        end(shared)
    findings, fixes, entries, stopped = into
    for files in groups.values():
        for name in files:
            found, fixed, recorded, late = answers[name]
            findings.extend(found)
            fixes.extend(fixed)
            entries.update(recorded)
            stopped.extend(late)
    return done, True


def _tasks(root: Path, files: list[str], workers: int) -> list[tuple[Path, list[str], int]]:
    """``files`` in chunks of about equal size (in bytes, about four per worker), each with its
    size: (root, chunk, bytes).  Files that are neighbours on disk stay together, since they
    mostly import the same modules (whose introspection and namespaces each worker works out
    for itself); a file larger than a chunk is a chunk of its own."""
    sizes = []
    for name in files:
        try:
            sizes.append(os.path.getsize(name))
        except OSError:
            sizes.append(0)
    target = max(1, sum(sizes) // (workers * 4))
    tasks: list[tuple[Path, list[str], int]] = []
    chunk: list[str] = []
    weight = 0
    for name, size in zip(files, sizes):
        if chunk and weight + size > target:
            tasks.append((root, chunk, weight))
            chunk, weight = [], 0
        chunk.append(name)
        weight += size
    if chunk:
        tasks.append((root, chunk, weight))
    return tasks


def _before_fork() -> None:
    """What every pool worker would otherwise do for itself after the fork, done once here: the
    rule modules and the databases shipped with vetpy (the workers share them, copy-on-write)."""
    from vetpy import history, packages
    from vetpy.rules import load_all

    load_all()
    history.shipped()
    packages.shipped()


# the stubs that nearly every file's analysis reads (about 70 ms to parse builtins.pyi)
_SHARED_STUBS = ("builtins",)


def _parse_shared_stubs(groups: dict[Path, list[str]], options: CheckOptions) -> None:
    """Parse before the fork the stubs every pool process would otherwise parse for itself (the
    processes share the trees, copy-on-write); kept by each project's stub index as if it had
    read them itself."""
    for root in groups:
        stubs = _setup_for(root, options).ctx.stubs
        if stubs is not None:
            for module in _SHARED_STUBS:
                stubs.tree(module)


def _read_first_party(groups: dict[Path, list[str]], options: CheckOptions) -> None:
    """Read before the fork what each project's own tree does to objects it does not own and
    what its import statements are (``FirstPartyFacts``: one read of every file of the project,
    nearly always asked for), which every pool process would otherwise read for itself while
    none is kept on disk yet.  The two readings run side by side (:mod:`vetpy.cli.alongside`):
    the import statements here, since their trees are kept for the pool (:func:`trees.expect`)."""
    from vetpy.cli.alongside import alongside
    from vetpy.first_party_scan import adopt, scanned

    for root in groups:
        facts = _setup_for(root, options).ctx.first_party
        if facts is None:
            continue
        table = facts.imports_table()
        done, state = alongside(lambda: scanned(facts), table.prepare)  # noqa: B023 - called at once
        if done:
            adopt(facts, state)
        else:
            facts.assigned_attributes  # noqa: B018 - reads the project


def _share_workers(groups: dict[Path, list[str]], options: CheckOptions) -> list[tuple[MemberIndex, SharedWorker]]:
    """One standard-library introspection worker and one of installed packages for the whole
    pool (per project): their answers serve every pool process instead of each starting its own,
    asking it the same questions and importing the same packages.  (member index, service)
    pairs, to end with :func:`vetpy.cli.pool_start.end`."""
    from vetpy.resolve.members import MemberIndex

    shared = []
    for root in groups:
        members = _setup_for(root, options).ctx.members
        if isinstance(members, MemberIndex):
            for share in (members.share_stdlib, members.share_installed):
                try:
                    shared.append((members, share()))
                except OSError as exc:  # no local sockets (sandbox): each process asks its own worker
                    log.info("no shared introspection worker: %s", exc)
    return shared


def _from_cache(
    groups: dict[Path, list[str]], options: CheckOptions, contents: dict[str, bytes] | None,
    caches: dict[Path, resultcache.ResultCache], findings: list[Finding],
) -> dict[Path, list[str]]:
    """Answer from the result cache what it can (into ``findings``); the files left to analyse."""
    left: dict[Path, list[str]] = {}
    for root, files in groups.items():
        ctx = _setup_for(root, options).ctx
        try:
            cache = caches[root] = resultcache.ResultCache(resultcache.cache_path(ctx), resultcache.run_key(ctx), ctx)
        except Exception as exc:  # only speed is lost
            log.warning("the result cache is unavailable: %s", exc)
            left[root] = files
            continue
        todo = []
        for name in files:
            text, _ = _source(Path(name), ctx, None if contents is None else contents.get(name))
            hit = None if text is None else cache.lookup(name, resultcache.text_digest(text))
            if hit is None:
                todo.append(name)
            else:
                findings.extend(with_snippets(hit, text))
        if todo:
            left[root] = todo
    return left


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

