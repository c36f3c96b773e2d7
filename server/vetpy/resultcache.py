"""The per-file result cache of ``vetpy check``: an unchanged file is answered from it.

A file's findings are reused when its text is the same, under the same *run key* (vetpy's own
source, the configuration after the command line, the interpreter and the declared
dependencies), and when every other read its analysis made (:mod:`vetpy.reads`) still gives the
same answer: each noted file has the same size and modification time (or is still absent), and
each recorded question (how a module resolves, which distribution and version provides it, what
the project assigns on foreign objects, which stub a module has) gets an answer with the same
digest.  So upgrading ``requests`` re-checks exactly the files whose analysis asked about
``requests``; editing a first-party module re-checks the files that read it.

One JSON file per (project root, interpreter) under the cache directory (``VETPY_CACHE_DIR``, else
``$XDG_CACHE_HOME/vetpy``): never code, never pickled objects.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from vetpy import reads
from vetpy.findings import Finding
from vetpy.first_party import FROM_FILES_ALONE

if TYPE_CHECKING:
    from vetpy.context import AnalysisContext

log = logging.getLogger("vetpy")

FORMAT = 1
MAX_ENTRIES = 50_000  # files kept per cache file (the least recently checked go first)
DECLARATIONS = "<declarations>"  # the entry of the project's declaration files (never a file's absolute path)


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def run_key(ctx: "AnalysisContext", extra: Iterable[Any] = ()) -> str:
    """What every result of a run under ``ctx`` depends on as a whole."""
    from vetpy import __version__

    env = ctx.environment
    env_part = None
    if env is not None:
        env_part = [env.executable, list(env.version), env.implementation, env.platform, env.prefix, list(env.sys_path),
                    sorted(env.stdlib_names), env.choice.stand_in]
    state = [FORMAT, __version__, reads.source_stamp(), str(ctx.root), reads.safe_digest(_config_state(ctx)), env_part,
             reads.safe_digest(ctx.declared), ctx.members is not None, ctx.stubs is not None, list(extra)]
    return hashlib.sha256(json.dumps(state, default=str).encode()).hexdigest()


# settings that change no result: a file the time budget stopped is never stored
_RESULT_NEUTRAL = frozenset({"analysis_timeout"})


def _config_state(ctx: "AnalysisContext") -> Any:
    config = ctx.config
    if not dataclasses.is_dataclass(config):
        return repr(config)
    return {f.name: getattr(config, f.name) for f in dataclasses.fields(config) if f.name not in _RESULT_NEUTRAL}


def cache_path(ctx: "AnalysisContext") -> Path:
    from vetpy.environment.discovery import cache_dir

    env = ctx.environment
    where = json.dumps([str(ctx.root), env.executable if env is not None else None])
    return cache_dir() / "results" / f"{hashlib.sha256(where.encode()).hexdigest()[:24]}.json"


def serialise(text_sha: str, findings: list[Finding], used: reads.Reads) -> dict[str, Any]:
    """A cache entry: made where the analysis ran (a worker process), stored by the main one."""
    return {
        "sha": text_sha,
        "findings": [{**f.to_dict(), "extra": _plain(f.extra)} for f in findings],
        **_reads_json(used),
        "derived": [[*_query_json(q, d), _reads_json(evidence.flat())]
                    for q, (d, evidence) in sorted(used.derived.items(), key=lambda item: repr(item[0]))],
    }


def _reads_json(used: reads.Reads) -> dict[str, Any]:
    return {"files": [[p, reads.file_stamp(p)] for p in sorted(used.files)],
            "queries": [_query_json(q, d) for q, d in sorted(used.queries.items(), key=repr)]}


def _query_json(query: reads.Query, answer_digest: str) -> list[Any]:
    service, method, args, kwargs = query
    return [service, method, list(args), [list(kv) for kv in kwargs], answer_digest]


class ResultCache:
    """The entries of one (project root, interpreter), valid under one run key."""

    def __init__(self, path: Path | None, key: str, ctx: "AnalysisContext") -> None:
        self.path = path
        self.key = key
        self.ctx = ctx
        self.entries: dict[str, dict[str, Any]] = {}
        self.new: dict[str, dict[str, Any]] = {}
        self.hits = 0
        self._stamps: dict[str, Any] = {}
        self._answers: dict[str, str] = {}
        self._fresh: list[str] = []  # the entries of files analysed in this run
        # the answers to the project's questions read from its files alone, kept by the state of the
        # files (FirstPartyFacts.files_state): asked again only once a file of the project changed
        self._project: dict[str, str] = {}
        self._project_kept_for: str | None = None
        self._project_now: str | None = None
        self._project_known = False
        if path is not None:
            self._load(path)

    def _load(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and data.get("format") == FORMAT and data.get("key") == self.key:
            entries = data.get("entries")
            if isinstance(entries, dict):
                self.entries = entries
                self._prefetch()
            project = data.get("project")
            if isinstance(project, dict) and isinstance(project.get("answers"), dict):
                self._project, self._project_kept_for = project["answers"], project.get("state")

    def _prefetch(self) -> None:
        """Ask the interpreter about every module whose ``spec_exists`` answer a lookup will
        compare, in one subprocess instead of one per question."""
        resolver = self.ctx.resolver
        if resolver is None:
            return
        modules = {q[2][0] for e in self.entries.values() for q in e.get("queries", ())
                   if q[0] == "resolver" and q[1] == "spec_exists" and q[2]}
        if modules:
            try:
                resolver.prefetch_specs(sorted(modules))
            except Exception as exc:  # only speed is lost
                log.debug("prefetching specs for the result cache failed: %s", exc)

    def lookup(self, file: str, text_sha: str) -> list[Finding] | None:
        """The findings kept for ``file`` with this text, when every read still holds."""
        findings = self._reuse(_file_key(file), text_sha, file)
        if findings is not None:
            self.hits += 1
        else:
            self._project_state()  # before the file is analysed: what its answers will be kept by
        return findings

    def lookup_declarations(self, state: str) -> list[Finding] | None:
        """The findings kept for the project's declaration files (DEP004) in ``state`` (what they
        were worked out from besides the run key), when every read still holds."""
        return self._reuse(DECLARATIONS, state, None)

    def _reuse(self, key: str, sha: str, path: str | None) -> list[Finding] | None:
        entry = self.entries.get(key)
        if not isinstance(entry, dict) or entry.get("sha") != sha:
            return None
        try:
            if not self._holds(entry):
                return None
            for s, m, a, k, d, evidence in entry["derived"]:
                # the reads behind a derived answer hold, or the answer asked again is the same
                if not self._holds(evidence) and self._answer(s, m, a, k) != d:
                    return None
            findings = [dataclasses.replace(Finding.from_dict(f if path is None else {**f, "path": path}),
                                            extra=dict(f.get("extra") or {}))
                        for f in entry["findings"]]
        except (KeyError, TypeError, ValueError):
            return None
        self.new[key] = entry  # kept, and moved to the most recent end
        return findings

    def _holds(self, recorded: dict[str, Any]) -> bool:
        """Does every noted file have the same stamp, and every question the same answer?"""
        return (all(self._stamp(p) == stamp for p, stamp in recorded["files"])
                and all(self._answer(s, m, a, k) == d for s, m, a, k, d in recorded["queries"]))

    def store(self, file: str, entry: dict[str, Any]) -> None:
        self._store(_file_key(file), entry)

    def store_declarations(self, entry: dict[str, Any]) -> None:
        self._store(DECLARATIONS, entry)

    def _store(self, key: str, entry: dict[str, Any]) -> None:
        unstable = [q for q in entry["queries"] if q[4] == reads.UNSTABLE]
        unstable += [q for *q, evidence in entry["derived"] if q[4] == reads.UNSTABLE
                     or any(e[4] == reads.UNSTABLE for e in evidence["queries"])]
        if unstable:
            return  # an answer that may differ next time (a worker that hung): never reused
        self.new[key] = entry
        if key != DECLARATIONS:
            self._fresh.append(key)

    def _stamp(self, path: str) -> Any:
        if path not in self._stamps:
            self._stamps[path] = reads.file_stamp(path)
        return self._stamps[path]

    def _answer(self, service: str, method: str, args: list, kwargs: list) -> str:
        memo = json.dumps([service, method, args, kwargs])
        if memo not in self._answers:
            kept = self._project.get(memo) if self._project_holds(service, method) else None
            self._answers[memo] = kept if kept is not None else self._ask(service, method, args, kwargs)
        return self._answers[memo]

    def _project_state(self) -> str | None:
        """:meth:`FirstPartyFacts.files_state` of the project now (worked out once, before any
        file of the run is analysed), None without one."""
        if not self._project_known:
            self._project_known = True
            facts = self.ctx.first_party
            try:
                self._project_now = facts.files_state() if facts is not None else None
            except Exception as exc:  # only speed is lost
                log.debug("result cache: no state of the project's files: %s", exc)
        return self._project_now

    def _project_holds(self, service: str, method: str) -> bool:
        """Is the question one of the project's files alone, with the files as the kept answers saw them?"""
        if not self._from_files([service, method]):
            return False
        state = self._project_state()  # worked out also when none is kept: the answers asked are kept by it
        return state is not None and state == self._project_kept_for

    def _project_answers(self) -> dict[str, Any] | None:
        """The project section to write: the kept answers that still hold, with those this run
        asked or its analyses noted (all under the state worked out before them), else None."""
        state = self._project_now
        if state is None:
            return None
        answers = dict(self._project) if self._project_kept_for == state else {}
        asked = [(memo, d) for memo, d in self._answers.items() if self._from_files(json.loads(memo))]
        noted = [(json.dumps(q[:4]), q[4]) for key in self._fresh for q in self.new.get(key, {}).get("queries", ())
                 if self._from_files(q)]
        for memo, answer in asked + noted:
            if answer != reads.UNSTABLE:
                answers[memo] = answer
        return {"state": state, "answers": answers}

    @staticmethod
    def _from_files(query: list[Any]) -> bool:
        return query[0] == "first_party" and query[1] in FROM_FILES_ALONE

    def _ask(self, service: str, method: str, args: list, kwargs: list) -> str:
        ctx = self.ctx
        target = {"resolver": ctx.resolver, "env": ctx.environment, "stubs": ctx.stubs,
                  "first_party": ctx.first_party, "static": _Static(ctx)}.get(service)
        func = getattr(target, method, None) if target is not None else None
        if func is None or method.startswith("_"):
            return reads.UNSTABLE
        try:
            return reads.safe_digest(func(*_tuples(args), **{k: _tuples(v) for k, v in kwargs}))
        except Exception as exc:  # a question that cannot be asked again: a miss
            log.debug("result cache: %s.%s%r failed: %s", service, method, args, exc)
            return reads.UNSTABLE

    def save(self) -> None:
        if self.path is None or not self.new:
            return
        from vetpy.environment.discovery import write_cache_json

        entries = {k: v for k, v in self.entries.items() if k not in self.new}
        entries.update(self.new)
        project = self._project_answers()
        if list(entries.items()) == list(self.entries.items()) and (
                project is None or project == {"state": self._project_kept_for, "answers": self._project}):
            return  # every file answered from the cache, in the order kept: nothing to write
        if len(entries) > MAX_ENTRIES:
            entries = dict(list(entries.items())[-MAX_ENTRIES:])
        data: dict[str, Any] = {"format": FORMAT, "key": self.key, "entries": entries}
        if project is not None:
            data["project"] = project
        write_cache_json(self.path, data)


class _Static:
    """The static readings of modules, asked again as the analysis asked them."""

    def __init__(self, ctx: "AnalysisContext") -> None:
        self.ctx = ctx

    def namespace(self, module: str, path: str, file_path: str | None) -> Any:
        from vetpy.resolve.static import module_namespace

        if self.ctx.resolver is None:
            return None
        return module_namespace(self.ctx.resolver, module, Path(path), file_path)


def _plain(extra: dict[str, Any]) -> dict[str, Any]:
    """What a finding carries besides its fields, where it is plain data, as JSON gives it back (a
    tuple as a list: the caller a sink finding names, read by the commit gate)."""
    kept = {}
    for key, value in extra.items():
        try:
            kept[key] = json.loads(json.dumps(value))
        except (TypeError, ValueError):
            pass
    return kept


def _file_key(file: str) -> str:
    return os.path.abspath(file)


def _tuples(value: Any) -> Any:
    """JSON turned the recorded tuples into lists: back to tuples for the replayed call."""
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value
