"""Open declaration files (``requirements*.txt``, ``pyproject.toml``): DEP004 in the editor.

A declaration file is not Python: it is never given to the engine's checkers.  Its analysis
reads the project's declarations as ``vetpy check`` does, except that every declaration file open
in the editor is read from its buffer (what the user sees, saved or not), and publishes the
findings located in this document.  The same scheduler runs it (debounced, cancelled by newer
versions, pulled or pushed like any document).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from vetpy.engine import declaration_findings
from vetpy.environment.declared import load_declared, read_from_disk
from vetpy.files import resolved
from vetpy.lsp import convert
from vetpy.lsp.scheduler import Snapshot
from vetpy.lsp.session import Analysis, Session
from vetpy.lsp.uris import uri_path

log = logging.getLogger("vetpy")

REQUIREMENT_SUFFIXES = (".txt", ".in")


def is_declaration(path: Path | None) -> bool:
    """Is ``path`` a file the project's declarations are read from (not Python)?  ``pyproject.toml``;
    ``requirements*.txt``, ``*-requirements.txt``, ``*_requirements.txt`` (and ``.in``); any ``.txt``/``.in``
    file in a ``requirements`` folder."""
    if path is None:
        return False
    if path.name == "pyproject.toml":
        return True
    return path.suffix in REQUIREMENT_SUFFIXES and (
        path.name.startswith("requirements") or path.stem.endswith(("-requirements", "_requirements"))
        or path.parent.name == "requirements")


PYTHON_SUFFIXES = (".py", ".pyi", ".pyw")


def is_other_language(session: Session, uri: str, path: Path | None) -> bool:
    """A document the client says is not Python (a ``toml`` file other than ``pyproject.toml``,
    when an editor attaches vetpy to every ``toml`` buffer for the sake of ``pyproject.toml``):
    never analysed.  A file named ``*.py`` is Python whatever the client calls it."""
    doc = session.open_document(uri)
    language = getattr(doc, "language_id", None)
    return bool(language) and language != "python" and (path is None or path.suffix not in PYTHON_SUFFIXES)


def analyze(session: Session, snap: Snapshot) -> Analysis:
    """DEP004 for the open declaration document ``snap`` (in a worker thread)."""
    path = uri_path(snap.uri)
    assert path is not None  # is_declaration(path) holds
    project = session.project_for(path)
    ctx = project.ctx
    started = time.perf_counter()
    buffers = _open_declarations(session)
    buffers[path] = snap.text

    def read(candidate: Path) -> str | None:
        key = resolved(candidate)
        return buffers[key] if key in buffers else read_from_disk(candidate)

    env = ctx.environment
    declared = load_declared(ctx.root, python_version=env.version if env else None,
                             platform=env.platform if env else None, read=read)
    findings = [f for f in declaration_findings(ctx, declared, read) if resolved(Path(f.path)) == path]
    diagnostics = convert.to_diagnostics(findings, snap.text, session.encoding, snap.version)
    log.debug("checked the declarations of %s version %s: %d findings in %.1f ms",
              snap.uri, snap.version, len(findings), (time.perf_counter() - started) * 1000)
    return Analysis(findings, diagnostics, project.generation)


def _open_declarations(session: Session) -> dict[Path, str]:
    """The text of every open declaration document, by resolved path."""
    out: dict[Path, str] = {}
    for uri in session.open_uris():
        path = uri_path(uri)
        if is_declaration(path):
            doc = session.open_document(uri)
            if doc is not None and path is not None:
                out[path] = doc.source
    return out

