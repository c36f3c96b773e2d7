"""Document URIs and the names the engine knows them by.

The server keys everything it keeps per document by URI.  The engine's own records (the
incremental analyser's, the last syntax tree) are keyed by a file name: :func:`document_name`
is the one mapping from the first to the second.
"""

from __future__ import annotations

from pathlib import Path

from pygls.uris import to_fs_path

from vetpy.files import too_large


def uri_path(uri: str) -> Path | None:
    """The file system path of a ``file:`` URI (None for ``untitled:`` and other schemes)."""
    try:
        path = to_fs_path(uri)
    except Exception:  # vetpy: ignore[EDGE002] not a file URI (or not one this platform can map): no path
        return None
    if not path:
        return None
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):
        return Path(path)


def document_name(uri: str, path: Path | None = None) -> str:
    """The file name the engine gets for ``uri`` (``<uri>`` for a document that is not a file).
    ``path``: ``uri_path(uri)`` when the caller has it already."""
    if path is None:
        path = uri_path(uri)
    return str(path) if path else f"<{uri}>"


def text_too_large(text: str, limit: int) -> str | None:
    """Why an open document is not analysed (its UTF-8 size is over ``limit``), or None."""
    size = len(text) if len(text) > limit else len(text.encode("utf-8", "surrogatepass"))
    return too_large(size, limit)
