"""The inference caches what it found per node by the node's ``id``.  Some nodes it is asked about
are temporary: the parse of a string annotation (``x: "Any"``) lives only while it is read.  A
freed node's id is reused by the next object Python makes there, so a later temporary node (the
parse of another annotation) must never receive the value cached for an earlier one (sentry-sdk's
``redis_client: "Any"`` was taken for the ``str`` of an earlier ``-> "Optional[str]"`` and its
``get_default_node()`` reported)."""

from __future__ import annotations

import gc
import weakref

from vetpy.astutil import parse
from vetpy.document import Document
from vetpy.resolve.infer import Inference
from vetpy.resolve.value import OBJECT


class _Index:
    def describe(self, path: str) -> dict | None:
        return {"found": True, "kind": "class", "path": path} if path == "builtins.str" else {"found": False}

    def method(self, cls_path: str, name: str) -> dict | None:
        return None

    def module_attribute(self, module: str, name: str) -> object:
        return None

    def flush(self) -> None:
        pass


def _inference() -> Inference:
    doc = Document("file:///app/mod.py", "x = 1\n")
    return Inference(doc, "mod", False, _Index(), None, lambda top: True)  # type: ignore[arg-type]


def test_a_temporary_node_stays_alive_while_its_value_is_cached() -> None:
    inference = _inference()
    node = parse("str", mode="eval").body
    assert inference.infer(node) is not None  # must be found: the builtin class
    ref = weakref.ref(node)
    del node
    gc.collect()
    assert ref() is not None  # its id cannot be given to another node while the cache holds it


def test_a_new_temporary_node_never_gets_a_freed_ones_value() -> None:
    inference = _inference()
    for _ in range(200):
        found = inference.infer(parse("str", mode="eval").body)
        assert found is not None and found.kind == OBJECT and found.path == "builtins.str"
        other = inference.infer(parse("Undefined_name", mode="eval").body)  # another name: never the str class
        assert other is None or other.path != "builtins.str", other
