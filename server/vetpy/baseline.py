"""Baselines: accept the findings a codebase already has, report only new ones.

A finding's fingerprint is its code, its path (relative to the baseline file's directory), a
normalised snippet of its line(s) and an occurrence index among findings that share those three.
Line numbers are not part of it, so inserting or deleting lines above a finding keeps it known;
editing the finding's own line makes it new.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Sequence

from vetpy import __version__
from vetpy.findings import Finding

BASELINE_NAME = ".vetpy-baseline.json"
FORMAT_KEY = "vetpy_baseline"
FORMAT_VERSION = 1
SNIPPET_KEY = "snippet"  # Finding.extra key: the normalised source of the finding's lines
MAX_SNIPPET_LINES = 10


class BaselineError(Exception):
    """A baseline file that cannot be used, with a one-line message."""


def snippet(text: str, line: int, end_line: int) -> str:
    """The finding's lines with whitespace runs collapsed and blank lines dropped."""
    lines = text.splitlines()
    last = min(max(end_line, line), line + MAX_SNIPPET_LINES - 1, len(lines))
    picked = (" ".join(lines[n - 1].split()) for n in range(max(line, 1), last + 1))
    return "\n".join(p for p in picked if p)


def with_snippets(findings: Iterable[Finding], text: str) -> list[Finding]:
    return [replace(f, extra={**f.extra, SNIPPET_KEY: snippet(text, f.line, f.end_line)}) for f in findings]


def relative_path(path: str, base: Path, *, allow_parent: bool = True) -> str:
    """``path`` relative to ``base`` in POSIX form.

    Outside ``base`` it is ``../``-relative (``allow_parent``) or absolute.
    """
    full = Path(os.path.abspath(path))
    for candidate, root in ((full, base), (full.resolve(), base.resolve())):
        try:
            return candidate.relative_to(root).as_posix()
        except ValueError:
            continue
    if allow_parent:
        try:
            return Path(os.path.relpath(full, base)).as_posix()
        except ValueError:  # another drive (Windows)
            pass
    return full.as_posix()


def fingerprints(findings: Sequence[Finding], base: Path) -> list[str]:
    """One fingerprint per finding (same order); duplicates are told apart by occurrence."""
    base = Path(os.path.abspath(base))
    keys = [(f.code, relative_path(f.path, base), f.extra.get(SNIPPET_KEY, "")) for f in findings]
    order = sorted(range(len(findings)), key=lambda i: findings[i].sort_key)
    seen: Counter[tuple[str, str, str]] = Counter()
    result = [""] * len(findings)
    for i in order:
        occurrence = seen[keys[i]]
        seen[keys[i]] += 1
        code, path, snip = keys[i]
        basis = "\0".join((code, path, snip, str(occurrence)))
        result[i] = hashlib.sha256(basis.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return result


@dataclass
class Entry:
    fingerprint: str
    code: str
    path: str
    line: int  # informational: where it was when recorded
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"fingerprint": self.fingerprint, "code": self.code, "path": self.path, "line": self.line, "message": self.message}


@dataclass
class Baseline:
    path: Path
    entries: list[Entry] = field(default_factory=list)

    @property
    def base(self) -> Path:
        return Path(os.path.abspath(self.path)).parent

    @classmethod
    def from_findings(cls, path: Path, findings: Sequence[Finding]) -> "Baseline":
        prints = fingerprints(findings, Path(os.path.abspath(path)).parent)
        base = Path(os.path.abspath(path)).parent
        entries = [
            Entry(fp, f.code, relative_path(f.path, base), f.line, f.message)
            for fp, f in sorted(zip(prints, findings), key=lambda pair: pair[1].sort_key)
        ]
        return cls(path, entries)

    @classmethod
    def load(cls, path: Path) -> "Baseline":
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise BaselineError(f"{path}: no such baseline file") from None
        except OSError as exc:
            raise BaselineError(f"{path}: cannot read the baseline: {exc.strerror or exc}") from None
        try:
            data = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise BaselineError(f"{path}: not a vetpy baseline (not UTF-8 text)") from None
        except json.JSONDecodeError as exc:
            raise BaselineError(f"{path}: not a vetpy baseline (invalid JSON at line {exc.lineno}: {exc.msg})") from None
        if not isinstance(data, dict) or FORMAT_KEY not in data:
            raise BaselineError(f"{path}: not a vetpy baseline (no {FORMAT_KEY!r} key); create one with `vetpy baseline create`")
        if data[FORMAT_KEY] != FORMAT_VERSION:
            raise BaselineError(f"{path}: unsupported baseline format {data[FORMAT_KEY]!r} (this vetpy reads {FORMAT_VERSION})")
        items = data.get("findings")
        if not isinstance(items, list):
            raise BaselineError(f"{path}: corrupt baseline ('findings' is not a list)")
        entries = []
        for n, item in enumerate(items):
            try:
                entries.append(
                    Entry(str(item["fingerprint"]), str(item["code"]), str(item["path"]), int(item.get("line", 0)), str(item.get("message", "")))
                )
            except (KeyError, TypeError, ValueError, AttributeError):
                raise BaselineError(f"{path}: corrupt baseline (entry {n + 1} lacks fingerprint, code or path)") from None
        return cls(path, entries)

    def save(self) -> None:
        data = {
            FORMAT_KEY: FORMAT_VERSION,
            "tool": f"vetpy {__version__}",
            "findings": [e.to_dict() for e in self.entries],
        }
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        tmp = self.path.with_name(self.path.name + ".tmp")
        try:
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError as exc:
            raise BaselineError(f"{self.path}: cannot write the baseline: {exc.strerror or exc}") from None

    def split(self, findings: Sequence[Finding]) -> tuple[list[Finding], list[Finding]]:
        """(new findings, findings already in the baseline)."""
        known = {e.fingerprint for e in self.entries}
        new: list[Finding] = []
        old: list[Finding] = []
        for fp, f in zip(fingerprints(findings, self.base), findings):
            (old if fp in known else new).append(f)
        return new, old

    def prune(self, findings: Sequence[Finding], checked_paths: Iterable[str]) -> int:
        """Drop entries of checked (or vanished) files that no longer occur; never add. Returns the count dropped."""
        current = set(fingerprints(findings, self.base))
        checked = {relative_path(p, self.base) for p in checked_paths}
        kept = [
            e
            for e in self.entries
            if e.fingerprint in current or (e.path not in checked and (self.base / e.path).exists())
        ]
        dropped = len(self.entries) - len(kept)
        self.entries = kept
        return dropped
