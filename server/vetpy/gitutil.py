"""Git plumbing for the commit gate: the staged files, their index contents, and changed lines.

Everything goes through ``git`` in a subprocess with machine-readable output (``-z``, ``--raw``,
``cat-file --batch``).  Failures become :class:`GitError` with a one-line message for the user.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

GIT_TIMEOUT = 60.0
_REGULAR_MODES = {"100644", "100755"}
_HUNK = re.compile(rb"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


class GitError(Exception):
    """A git problem, with a one-line message."""


def git(repo: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """Run ``git -C repo args...`` and return its standard output (bytes)."""
    cmd = ["git", "-C", str(repo), "-c", "core.quotePath=false", *args]
    try:
        proc = subprocess.run(cmd, input=stdin, capture_output=True, timeout=GIT_TIMEOUT, env=_git_env())
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH)") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"`git {' '.join(args[:2])}` did not finish within {GIT_TIMEOUT:.0f} s") from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(_first_line(message) or f"`git {' '.join(args)}` failed with exit code {proc.returncode}")
    return proc.stdout


_PATH_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY")


def _git_env() -> dict[str, str] | None:
    """The environment for git: as inherited (a hook's ``GIT_INDEX_FILE`` must be honoured), with
    relative repository paths made absolute because ``git -C`` changes directory first."""
    relative = [k for k in _PATH_VARIABLES if os.environ.get(k) and not os.path.isabs(os.environ[k])]
    implicit_work_tree = bool(os.environ.get("GIT_DIR")) and not os.environ.get("GIT_WORK_TREE")
    if not relative and not implicit_work_tree:
        return None
    env = dict(os.environ)
    for key in relative:
        env[key] = os.path.abspath(env[key])
    if implicit_work_tree:  # with GIT_DIR alone, git takes the current directory as the work tree
        env["GIT_WORK_TREE"] = os.getcwd()
    return env


def _first_line(lines: list[str]) -> str:
    for line in lines:
        line = line.strip()
        if line and not line.startswith("hint:"):
            return line.removeprefix("fatal: ").removeprefix("error: ")
    return ""


def repo_root(path: Path) -> Path:
    """The top of the work tree containing ``path``; GitError outside a repository."""
    start = path if path.is_dir() else path.parent
    if not start.exists():
        raise GitError(f"{path}: no such file or directory")
    try:
        out = git(start, "rev-parse", "--show-toplevel")
    except GitError as exc:
        if "not a git repository" in str(exc).lower():
            raise GitError(f"not a git repository: {start.resolve()}") from None
        raise
    top = out.decode("utf-8", "surrogateescape").strip()
    if not top:  # inside .git or a bare repository
        raise GitError(f"not inside a git work tree: {start.resolve()}")
    return Path(top)


def has_commits(repo: Path) -> bool:
    try:
        git(repo, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    except GitError:
        return False
    return True


def resolve_revision(repo: Path, rev: str) -> str:
    """The commit id for ``rev``; GitError with a clear message when it does not name a commit."""
    if rev.startswith("-"):
        raise GitError(f"unknown revision {rev!r}")
    try:
        out = git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    except GitError:
        raise GitError(f"unknown revision {rev!r} (not a commit in {repo})") from None
    return out.decode().strip()


def default_branch(repo: Path) -> str:
    """The default branch: ``origin/HEAD``'s target, else ``main`` or ``master`` (local or origin)."""
    try:
        ref = git(repo, "symbolic-ref", "--quiet", "refs/remotes/origin/HEAD").decode().strip()
        if ref:
            return ref.removeprefix("refs/remotes/")
    except GitError:
        pass
    for candidate in ("refs/heads/main", "refs/heads/master", "refs/remotes/origin/main", "refs/remotes/origin/master"):
        try:
            git(repo, "rev-parse", "--verify", "--quiet", candidate)
        except GitError:
            continue
        return candidate.removeprefix("refs/heads/").removeprefix("refs/remotes/")
    raise GitError("cannot find the default branch (no origin/HEAD, main or master); name a revision: --changed-since REV")


def merge_base_with_default(repo: Path) -> str:
    """The merge base of HEAD and the default branch (works on a detached HEAD)."""
    if not has_commits(repo):
        raise GitError("HEAD has no commits yet; there is nothing to compare with")
    branch = default_branch(repo)
    try:
        return git(repo, "merge-base", "HEAD", branch).decode().strip()
    except GitError:
        raise GitError(f"HEAD and {branch} have no common ancestor; name a revision: --changed-since REV") from None


# -- the index --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class IndexEntry:
    """A file as recorded in the index (stage 0)."""

    path: str  # repository-relative, POSIX
    sha: str
    mode: str

    @property
    def is_regular(self) -> bool:
        return self.mode in _REGULAR_MODES


@dataclass
class StagedChanges:
    entries: list[IndexEntry] = field(default_factory=list)  # what will be committed (no deletions)
    deleted: list[str] = field(default_factory=list)
    unmerged: list[str] = field(default_factory=list)


def staged_changes(repo: Path) -> StagedChanges:
    """The staged changes (index against HEAD, or against nothing before the first commit)."""
    args = ["diff", "--cached", "--raw", "-z", "-M", "--no-abbrev", "--no-ext-diff", "--no-textconv"]
    if not has_commits(repo):
        args.append(_empty_tree(repo))
    out = git(repo, *args)
    changes = StagedChanges()
    fields = out.split(b"\0")
    i = 0
    while i < len(fields) - 1:
        meta = fields[i].decode("ascii", "replace")
        if not meta.startswith(":"):
            i += 1
            continue
        _old_mode, new_mode, _old_sha, new_sha, status = meta[1:].split(" ")
        letter = status[:1]
        if letter in ("R", "C"):  # source and destination paths: a rename is checked at its new path
            new = _decode_path(fields[i + 2])
            i += 3
        else:
            new = _decode_path(fields[i + 1])
            i += 2
        if letter == "D":
            changes.deleted.append(new)
        elif letter == "U":
            changes.unmerged.append(new)
        else:
            changes.entries.append(IndexEntry(new, new_sha, new_mode))
    changes.unmerged = sorted(set(changes.unmerged))
    return changes


def _empty_tree(repo: Path) -> str:
    return git(repo, "hash-object", "-t", "tree", "--stdin", stdin=b"").decode().strip()


def index_entries(repo: Path, paths: Sequence[str]) -> tuple[dict[str, IndexEntry], set[str]]:
    """Stage-0 entries for repository-relative ``paths``; also the paths with unresolved conflicts."""
    if not paths:
        return {}, set()
    out = git(repo, "ls-files", "-s", "-z", "--full-name", "--", *[f":(literal){p}" for p in paths])
    found: dict[str, IndexEntry] = {}
    unmerged: set[str] = set()
    for record in out.split(b"\0"):
        if not record:
            continue
        meta, _, raw_path = record.partition(b"\t")
        mode, sha, stage = meta.decode("ascii").split(" ")
        path = _decode_path(raw_path)
        if stage != "0":
            unmerged.add(path)
        else:
            found[path] = IndexEntry(path, sha, mode)
    return found, unmerged


def read_blobs(repo: Path, shas: Iterable[str]) -> dict[str, bytes]:
    """Contents of the given blob ids, in one ``git cat-file --batch`` call."""
    wanted = list(dict.fromkeys(shas))
    if not wanted:
        return {}
    out = git(repo, "cat-file", "--batch", stdin="".join(s + "\n" for s in wanted).encode())
    blobs: dict[str, bytes] = {}
    pos = 0
    for sha in wanted:
        end = out.index(b"\n", pos)
        header = out[pos:end].decode("ascii", "replace").split(" ")
        pos = end + 1
        if len(header) != 3 or header[1] != "blob":
            continue  # "<sha> missing" or not a blob
        size = int(header[2])
        blobs[sha] = out[pos : pos + size]
        pos += size + 1
    return blobs


def index_reader(repo: Path) -> Callable[[Path], str | None]:
    """``read(path)`` for the declared-dependency parser: staged contents of files in ``repo``.

    A file absent from the index does not exist for the commit (``None``); files outside the
    repository are read from disk.
    """
    top = repo.resolve()

    def read(path: Path) -> str | None:
        try:
            rel = path.resolve().relative_to(top).as_posix()
        except ValueError:
            try:
                return path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                return None
        try:
            entries, _ = index_entries(top, [rel])
            entry = entries.get(rel)
            if entry is None or not entry.is_regular:
                return None
            data = read_blobs(top, [entry.sha]).get(entry.sha)
        except GitError:
            return None
        if data is None:
            return None
        return data.decode("utf-8").removeprefix("\ufeff")  # UnicodeDecodeError: the caller reports it

    return read


# -- changed lines ----------------------------------------------------------------------------------

def changed_lines(repo: Path, rev: str, *, cached: bool = False) -> dict[str, set[int] | None]:
    """Lines added or changed since ``rev``, per repository-relative path (new-side line numbers;
    ``None``: the whole file is new).

    ``cached`` compares ``rev`` with the index instead of the work tree.  A line whose content
    (ignoring indentation and whitespace) was removed elsewhere in the same diff has only moved
    and is not counted.  Untracked files (work tree mode) are new in full.
    """
    args = ["diff", "-U0", "--no-color", "--no-ext-diff", "--no-textconv", "-M", "--src-prefix=a/", "--dst-prefix=b/"]
    if cached:
        args.append("--cached")
    out = git(repo, *args, rev, "--")
    added: dict[str, list[tuple[int, str]]] = {}
    removed: Counter[str] = Counter()
    path: str | None = None
    new_line = old_left = new_left = 0
    for raw in out.split(b"\n"):
        if old_left or new_left:  # inside a hunk: counts decide, so content like "++ x" is safe
            if raw.startswith(b"+") and new_left:
                if path is not None:
                    added.setdefault(path, []).append((new_line, _normalise(raw[1:])))
                new_line += 1
                new_left -= 1
            elif raw.startswith(b"-") and old_left:
                removed[_normalise(raw[1:])] += 1
                old_left -= 1
            continue
        if raw.startswith(b"diff --git "):
            path = None
        elif raw.startswith(b"+++ "):
            target = _unquote(raw[4:].removesuffix(b"\t"))  # git ends names with spaces with a tab
            path = None if target == b"/dev/null" else _decode_path(target)[2:]
        elif raw.startswith(b"@@"):
            m = _HUNK.match(raw)
            if m:
                old_left = 1 if m.group(2) is None else int(m.group(2))
                new_left = 1 if m.group(4) is None else int(m.group(4))
                new_line = int(m.group(3))
    result: dict[str, set[int] | None] = {}
    for name, lines in added.items():
        kept: set[int] = set()
        for number, text in lines:
            if text and removed[text] > 0:
                removed[text] -= 1  # moved, not new
                continue
            if text:
                kept.add(number)
        if kept:
            result[name] = kept
    if not cached:
        for name in untracked_files(repo):
            result[name] = None
    return result


def unstaged_versions(repo: Path, is_python: Callable[[str], bool]) -> dict[str, bytes]:
    """The index contents of tracked files (those ``is_python`` accepts) whose work-tree copy
    differs from the index, by absolute path: what ``--staged`` reads of the project's modules
    that a commit will contain but the work tree has since edited (or removed)."""
    out = git(repo, "diff", "--name-only", "-z", "--no-renames", "--no-ext-diff", "--no-textconv")
    paths = [p for p in (_decode_path(raw) for raw in out.split(b"\0") if raw) if is_python(p)]
    entries, _ = index_entries(repo, paths)
    regular = {path: entry.sha for path, entry in entries.items() if entry.is_regular}
    blobs = read_blobs(repo, regular.values())
    return {str(repo / path): blobs[sha] for path, sha in regular.items() if sha in blobs}


def untracked_files(repo: Path) -> list[str]:
    out = git(repo, "ls-files", "--others", "--exclude-standard", "-z", "--full-name")
    return [_decode_path(p) for p in out.split(b"\0") if p]


def _normalise(line: bytes) -> str:
    return " ".join(line.decode("utf-8", "replace").split())


def _decode_path(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


_ESCAPES = {b"a": 7, b"b": 8, b"t": 9, b"n": 10, b"v": 11, b"f": 12, b"r": 13, b'"': 34, b"\\": 92}


def _unquote(raw: bytes) -> bytes:
    """Undo git's C-style quoting of a path (``"b/tab\\there"``)."""
    if not (raw.startswith(b'"') and raw.endswith(b'"')):
        return raw
    body, out, i = raw[1:-1], bytearray(), 0
    while i < len(body):
        ch = body[i : i + 1]
        if ch == b"\\" and i + 1 < len(body):
            nxt = body[i + 1 : i + 2]
            if nxt.isdigit():
                out.append(int(body[i + 1 : i + 4], 8))
                i += 4
                continue
            out.append(_ESCAPES.get(nxt, nxt[0]))
            i += 2
            continue
        out += ch
        i += 1
    return bytes(out)


def hooks_dir(repo: Path) -> Path:
    """Where git looks for hooks (honours ``core.hooksPath`` and linked work trees)."""
    out = git(repo, "rev-parse", "--git-path", "hooks").decode("utf-8", "surrogateescape").strip()
    path = Path(out)
    return path if path.is_absolute() else repo / path


# -- what --staged checks ---------------------------------------------------------------------------

@dataclass
class StagedTargets:
    files: list[IndexEntry] = field(default_factory=list)  # repository-relative, regular files
    notes: list[str] = field(default_factory=list)  # one-line explanations of skipped paths
    deleted: list[str] = field(default_factory=list)


def staged_targets(repo: Path, paths: Sequence[str], cwd: Path, is_python: Callable[[str], bool]) -> StagedTargets:
    """The index versions to check for ``--staged``.

    Without ``paths``: every staged Python file (added, modified, renamed, copied).  Directories
    narrow that set.  A named file is checked at its index version even when it is not a staged
    change (``pre-commit run --all-files`` passes every file).  Deleted files have nothing to check.
    """
    top = repo.resolve()
    changes = staged_changes(repo)
    result = StagedTargets(deleted=changes.deleted)
    unmerged = set(changes.unmerged)
    dirs: list[str] = []
    named: dict[str, str] = {}  # repository-relative -> as given
    for raw in paths:
        full = (cwd / raw).resolve() if not Path(raw).is_absolute() else Path(raw).resolve()
        try:
            rel = full.relative_to(top).as_posix()
        except ValueError:
            result.notes.append(f"{raw}: outside the git repository {top}; skipped")
            continue
        if full.is_dir():
            dirs.append("" if rel == "." else rel + "/")
        else:
            named[rel] = raw
    chosen: dict[str, IndexEntry] = {}
    if not paths or dirs:
        for entry in changes.entries:
            if not is_python(entry.path):
                continue
            if paths and not any(entry.path.startswith(d) for d in dirs):
                continue
            chosen[entry.path] = entry
        for name in sorted(unmerged):
            if is_python(name) and (not paths or any(name.startswith(d) for d in dirs)):
                result.notes.append(f"{name}: unresolved merge conflict in the index; skipped")
    if named:
        entries, conflicts = index_entries(repo, list(named))
        for rel, raw in named.items():
            if rel in conflicts:
                result.notes.append(f"{raw}: unresolved merge conflict in the index; skipped")
            elif rel in entries:
                chosen.setdefault(rel, entries[rel])
            elif rel in changes.deleted:
                result.notes.append(f"{raw}: deleted in the index; nothing to check")
            else:
                result.notes.append(f"{raw}: not in the git index (untracked?); skipped")
    for rel in sorted(chosen):
        entry = chosen[rel]
        if entry.is_regular:
            result.files.append(entry)
        elif entry.mode == "120000":
            result.notes.append(f"{rel}: a symbolic link in the index; skipped")
        else:
            result.notes.append(f"{rel}: not a regular file in the index (mode {entry.mode}); skipped")
    return result


# -- a plain pre-commit hook ------------------------------------------------------------------------

HOOK_MARKER = "# vetpy-managed-hook"


def hook_script(python: str) -> str:
    return f"""#!/bin/sh
{HOOK_MARKER}: written by `vetpy install-hook`; rerun it to update, delete this file to remove.
# Checks what will be committed (the staged contents).  Skip once with `git commit --no-verify`.
VETPY_PYTHON={shlex.quote(python)}
if [ -x "$VETPY_PYTHON" ]; then
    exec "$VETPY_PYTHON" -m vetpy check --staged
fi
if command -v vetpy >/dev/null 2>&1; then
    exec vetpy check --staged
fi
echo "vetpy pre-commit hook: vetpy is not installed ($VETPY_PYTHON is gone and no vetpy on PATH)" >&2
exit 1
"""


def install_hook(cwd: Path, *, force: bool = False, python: str | None = None) -> tuple[Path, bool]:
    """Write ``pre-commit`` into the repository's hooks directory; return (path, replaced).

    A hook that vetpy did not write is replaced only with ``force``.
    """
    repo = repo_root(cwd)
    target = hooks_dir(repo) / "pre-commit"
    replaced = target.exists() or target.is_symlink()
    if replaced and not force:
        try:
            current = target.read_text(encoding="utf-8", errors="replace")
        except OSError:
            current = ""
        if HOOK_MARKER not in current:
            raise GitError(f"{target} exists and was not written by vetpy; use --force to replace it")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_symlink():
            target.unlink()
        target.write_text(hook_script(python or sys.executable), encoding="utf-8")
        target.chmod(0o755)
    except OSError as exc:
        raise GitError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target, replaced
