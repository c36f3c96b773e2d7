"""Rebuild ``server/vetpy/data/worker.bin``: the introspection worker's program as it is sent
(minified, compressed), with the digest of the source it was made from.  Run after editing any
``server/vetpy/resolve/_worker*.py``; ``tests/test_worker_program.py`` fails until then (the
server still works meanwhile: it minifies a source the shipped copy was not made from)."""

from pathlib import Path

from vetpy.resolve.members import _worker_source
from vetpy.resolve.worker_program import SHIPPED, shipped_copy

if __name__ == "__main__":
    target = Path(__file__).resolve().parent.parent / "server" / "vetpy" / SHIPPED
    target.write_bytes(shipped_copy(_worker_source()))
    print(f"wrote {target}")
