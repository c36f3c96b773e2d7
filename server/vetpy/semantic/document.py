"""The document-level view of the resolution layer (in the semantic layer: it reads the analysis context): a file's dotted module name, and the
attribute inference of a document, built once per analysis and shared by every rule that reads it."""

from __future__ import annotations

from typing import Any

from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy import reads
from vetpy.files import is_package_file, module_name_for  # noqa: F401  (its home was here: importers keep this name)
from vetpy.resolve.infer import Inference


def own_module_name(doc: Document, ctx: AnalysisContext) -> str | None:
    """``doc``'s dotted module name (its own, else from its package directories under
    ``ctx.root``), worked out once per analysis: the directories' package markers are looked up
    on disk (a path resolution and a ``stat`` per directory, on every edit in the editor)."""
    if doc.module_name:
        return doc.module_name
    kept = doc.shared.get("module_name")
    if kept is None or kept[0] != ctx.root:
        with reads.capture() as used:
            name = module_name_for(doc.path, ctx.root)
        kept = doc.shared["module_name"] = (ctx.root, name, used)
    reads.replay(kept[2])  # the package markers looked up, for a result cache recording this analysis
    return kept[1]  # type: ignore[no-any-return]


def document_inference(doc: Document, ctx: AnalysisContext, members: Any) -> Inference:
    """The attribute inference of ``doc`` under ``ctx``, built once per analysis and read by every
    rule that needs it (HAL003-005 and EDGE009's installed ``None`` sources)."""
    entry = doc.shared.get("inference")
    if entry is not None and entry[0] is ctx and entry[1].members_source is members:
        return entry[1]
    assert doc.tree is not None and ctx.resolver is not None
    resolver = ctx.resolver
    found: dict[str, bool] = {}
    path = doc.path  # not the document: the inference it holds would keep it in a cycle

    def installed(top: str) -> bool:
        if top not in found:
            found[top] = resolver.find(top, path).kind in ("stdlib", "site")
        return found[top]

    module = own_module_name(doc, ctx)
    inference = Inference(doc, module, is_package_file(doc.path), members, ctx.stubs, installed)
    doc.shared["inference"] = (ctx, inference)
    return inference
