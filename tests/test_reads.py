"""``reads.other_versions``: project files read at another version than the disk's (``--staged``
reads the project's modules as the git index has them)."""

from __future__ import annotations

from pathlib import Path

from vetpy import reads
from vetpy.environment.modules import parse_module_source


def test_other_versions_answer_for_their_paths_only_within_the_block(tmp_path: Path) -> None:
    edited, other = tmp_path / "edited.py", tmp_path / "other.py"
    edited.write_text("x = 'work tree'\n", encoding="utf-8")
    other.write_text("y = 1\n", encoding="utf-8")
    disk = reads.file_stamp(str(edited))
    with reads.other_versions({str(edited): b"x = 'index'\r\nz = 2\r\n"}):
        assert reads.read_bytes(edited) == b"x = 'index'\r\nz = 2\r\n"
        assert reads.read_text(edited) == "x = 'index'\nz = 2\n"  # universal newlines, as Path.read_text
        assert reads.other_version(str(edited)) == b"x = 'index'\r\nz = 2\r\n"
        stamp = reads.file_stamp(str(edited))
        assert stamp is not None and stamp != disk and stamp[0] == 20 and stamp[1] < 0  # no file on disk has it
        tree, source = parse_module_source(edited)
        assert tree is not None and [t.id for s in tree.body for t in s.targets] == ["x", "z"]
        assert reads.read_text(other) == "y = 1\n" and reads.other_version(other) is None
    assert reads.read_text(edited) == "x = 'work tree'\n"
    assert reads.file_stamp(str(edited)) == disk
    assert reads.other_version(edited) is None
    tree, _ = parse_module_source(edited)
    assert tree is not None and [t.id for s in tree.body for t in s.targets] == ["x"]


def test_a_path_through_a_link_finds_its_other_version(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    (real / "m.py").write_text("a = 1\n", encoding="utf-8")
    (tmp_path / "link").symlink_to(real)
    with reads.other_versions({str(real / "m.py"): b"b = 2\n"}):
        assert reads.read_text(tmp_path / "link" / "m.py") == "b = 2\n"
