"""EDGE005 on ``for line in path.read_text().splitlines()``: the whole file is read before the
loop splits it into lines, as ``for line in f.read().splitlines()`` of a file opened in the same
function already is (service 30: ``load_legacy_codes(path: Path)``); ``with path.open() as f:
for line in f`` streams.

Spec: flagged where marked ``# !`` (a parameter annotated ``Path``, also through
``lines = ...`` only iterated); silent: a path named for configuration or key material, a
constant path, a parameter rebound in the function, one not annotated ``Path``, the lines kept
(returned, indexed), a list comprehension keeping every line, a test module.
"""

from __future__ import annotations

import textwrap

from vetpy.context import AnalysisContext
from vetpy.engine import check_source

CTX = AnalysisContext.bare(select=["EDGE005"])

FLAGGED = """\
from pathlib import Path


def load_legacy_codes(path: Path) -> dict[str, str]:
    codes = {}
    for line in path.read_text(encoding="utf-8").splitlines():  # !
        code, _, label = line.partition(",")
        codes[code] = label
    return codes


def count_errors(log_path: Path) -> int:
    lines = log_path.read_text().splitlines()  # !
    n = 0
    for line in lines:
        n += "ERROR" in line
    return n


def split_newlines(dump: Path) -> int:
    return sum(1 for line in dump.read_text().split("\\n") if line)  # !
"""

ACCEPTED = """\
from pathlib import Path

HERE = Path(__file__).parent


def settings(config_path: Path) -> dict[str, str]:
    out = {}
    for line in config_path.read_text().splitlines():
        key, _, value = line.partition("=")
        out[key] = value
    return out


def certs(ca_file: Path) -> int:
    return sum(1 for line in ca_file.read_text().splitlines() if "BEGIN" in line)


def bundled() -> list[str]:
    out = []
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        out.append(line)
    return out


def rebound(path: Path, other: Path) -> int:
    path = other if other.exists() else path
    return sum(1 for line in path.read_text().splitlines())


def unannotated(path) -> int:
    return sum(1 for line in path.read_text().splitlines())


def kept(path: Path) -> list[str]:
    lines = path.read_text().splitlines()
    return lines


def indexed(path: Path) -> str:
    lines = path.read_text().splitlines()
    for line in lines:
        print(line)
    return lines[0]


def every_line(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text().splitlines()]
"""

IN_A_TEST = """\
from pathlib import Path


def test_lines(tmp: Path) -> None:
    for line in tmp.read_text().splitlines():
        assert line
"""


def _found(src: str, path: str = "svc/importers.py") -> list[int]:
    return sorted({f.line for f in check_source(textwrap.dedent(src), path, CTX) if f.code == "EDGE005"})


def _marked(src: str) -> list[int]:
    return [i for i, line in enumerate(src.splitlines(), 1) if line.endswith("# !")]


def test_the_text_of_a_path_parameter_split_into_lines_and_iterated_is_flagged() -> None:
    assert _found(FLAGGED) == _marked(FLAGGED)


def test_small_constant_rebound_unannotated_or_kept_lines_are_accepted() -> None:
    assert _found(ACCEPTED) == []


def test_a_test_module_is_not_judged() -> None:
    assert _found(IN_A_TEST, "tests/test_lines.py") == []


def test_the_finding_says_to_iterate_the_file() -> None:
    found = [f for f in check_source(textwrap.dedent(FLAGGED), "svc/importers.py", CTX) if f.code == "EDGE005"]
    assert "path.open()" in found[0].message
