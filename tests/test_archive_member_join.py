"""SEC015's zip slip is reported where the archive member's name is joined into the path.

Specification (issue #20, services 32-34: ``dest = target / member.filename`` then
``open(dest, "wb")`` two lines on): when the path written is a local the loop bound to a join of the
member's name, the finding goes on that join, the line where the client's name enters the path and
where the check belongs (``resolve()`` and ``is_relative_to(target)``); its message names the write.
A path joined in the write itself is reported there; a local built from another such local goes to
the first join; a checked loop stays silent."""

from __future__ import annotations

from test_security import findings, lines

SRC = """
    import os
    import zipfile
    from pathlib import Path

    def unpack(archive: Path, target: Path) -> None:
        with zipfile.ZipFile(archive) as zf:
            for member in zf.infolist():
                dest = target / member.filename
                dest.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(member) as src, open(dest, "wb") as dst:
                    dst.write(src.read())

    def unpack_nested(archive: Path, target: Path) -> None:
        with zipfile.ZipFile(archive) as zf:
            for name in zf.namelist():
                folder = target / name
                out = folder / "data.bin"
                out.write_bytes(zf.read(name))

    def unpack_inline(archive: Path, target: str) -> None:
        with zipfile.ZipFile(archive) as zf:
            for name in zf.namelist():
                with open(os.path.join(target, name), "wb") as out:
                    out.write(zf.read(name))

    def unpack_checked(archive: Path, target: Path) -> None:
        with zipfile.ZipFile(archive) as zf:
            for member in zf.infolist():
                dest = (target / member.filename).resolve()
                if not dest.is_relative_to(target.resolve()):
                    raise ValueError(member.filename)
                dest.write_bytes(zf.read(member))
"""


def test_zip_slip_is_reported_at_the_join() -> None:
    assert lines(SRC, "SEC015") == [9, 17, 24]


def test_the_message_names_the_write() -> None:
    first = findings(SRC, "SEC015")[0]
    assert "`open`" in first.message and "line 11" in first.message
