"""The document-level view of the resolution layer (in the semantic layer: it reads the analysis context): a file's dotted module name, and the
attribute inference of a document, built once per analysis and shared by every rule that reads it."""

from __future__ import annotations

from typing import Any

from vetpy.context import AnalysisContext
from vetpy.document import Document
from vetpy.files import is_package_file, module_name_for  # noqa: F401  (its home was here: importers keep this name)
from vetpy.resolve.infer import Inference


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

    module = doc.module_name or module_name_for(doc.path, ctx.root)
    inference = Inference(doc, module, is_package_file(doc.path), members, ctx.stubs, installed)
    doc.shared["inference"] = (ctx, inference)
    return inference
