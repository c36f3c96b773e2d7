"""One fixture per rule (issue 14 item 3): ``fixtures/rules/<CODE>.py``, or a directory
``fixtures/rules/<CODE>/`` when the rule needs a project of its own (a ``pyproject.toml``, a
settings or test file), marks what must and must not be flagged.

Markers, in a comment on the line where a finding starts:

- ``# expect: CODE[, CODE...]``: that line carries a finding of each code named;
- ``# xfail: CODE <reason>``: it should, but vetpy misses it today (a known miss);
- ``# xfail-not: CODE <reason>``: it should not, but vetpy reports it today (a known false positive).

Specification, for each fixture of ``CODE`` analysed as ``vetpy check`` analyses it (the context
of the file's project root, every suppression honoured):

(a) for every code marked in the file, exactly the ``expect`` lines carry a finding of it;
(b) no other line carries a finding of ``CODE`` (unmarked lines are look-alikes to accept);
(c) every fix of every finding of ``CODE``, applied alone, gives text that parses, no longer
    carries that finding and introduces none (``test_every_fix.fix_problems``);
(d) every registered rule has a fixture, so that a new rule without one fails.

A rule that reports in the project's declaration files (DEP004) has its markers there: the
``pyproject.toml`` and ``requirements*.txt`` at the top of its directory are checked as the CLI's
project pass checks them.

The ``xfail`` markers are strict: the test is an expected failure listing them, and fails when
one of them no longer holds (remove the marker).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from test_every_fix import fix_problems
from test_golden import REPO, context_for
from vetpy.cli import check_one
from vetpy.files import read_source
from vetpy.rules import REGISTRY, load_all

pytestmark = pytest.mark.slow  # seconds each: processes, whole trees or many examples

RULES = REPO / "fixtures" / "rules"
CODE = r"[A-Z]+\d{3}"
EXPECT = re.compile(rf"#\s*expect:\s*({CODE}(?:\s*,\s*{CODE})*)")
XFAIL = re.compile(rf"#\s*xfail(-not)?:\s*({CODE})\s*(.*?)\s*(?=#|$)")


def registered_codes() -> list[str]:
    load_all()
    return sorted(REGISTRY.rules)


def fixture_codes() -> list[str]:
    return sorted({p.stem if p.is_file() else p.name for p in RULES.iterdir()
                   if re.fullmatch(CODE, p.stem if p.is_file() else p.name)
                   and (p.suffix == ".py" or p.is_dir())})


def fixture_files(code: str) -> list[Path]:
    single = RULES / f"{code}.py"
    if single.is_file():
        return [single]
    declarations = sorted(
        p for p in (RULES / code).iterdir() if p.name == "pyproject.toml" or re.fullmatch(r"requirements.*\.txt", p.name)
    ) if code in DECLARATION_RULES else []
    return declarations + sorted(p for p in (RULES / code).rglob("*.py") if "__pycache__" not in p.parts)


DECLARATION_RULES = {"DEP004"}


def declaration_findings(path: Path, ctx) -> list:  # noqa: ANN001 - AnalysisContext
    """What the CLI's project pass reports in the declaration file ``path`` (DEP004)."""
    from vetpy.packages import shipped
    from vetpy.rules.dep.lookalike import lookalike_findings

    found = lookalike_findings(ctx.root, ctx.declared, shipped(), ctx.config.internal_packages)
    return [f for f in found if Path(f.path).resolve() == path.resolve()]


class Marks:
    """The markers of one file: line -> codes."""

    def __init__(self, path: Path) -> None:
        self.expect: dict[str, set[int]] = {}
        self.missed: dict[str, dict[int, str]] = {}  # xfail: should be found, is not (today)
        self.wrong: dict[str, dict[int, str]] = {}  # xfail-not: should not be found, is (today)
        # latin-1 maps every byte: a fixture that is not valid UTF-8 (SYN002) still has markers
        for number, line in enumerate(path.read_bytes().decode("latin-1").splitlines(), 1):
            for m in EXPECT.finditer(line):
                for code in re.findall(CODE, m.group(1)):
                    self.expect.setdefault(code, set()).add(number)
            for m in XFAIL.finditer(line):
                table = self.wrong if m.group(1) else self.missed
                table.setdefault(m.group(2), {})[number] = m.group(3) or "no reason given"

    def codes(self) -> set[str]:
        return set(self.expect) | set(self.missed) | set(self.wrong)


def check_fixture(path: Path, code: str) -> tuple[list[str], list[str]]:
    """(problems, expected failures) of one fixture file of rule ``code``."""
    ctx = context_for(path)
    marks = Marks(path)
    found = check_one(path, ctx) if path.suffix == ".py" else declaration_findings(path, ctx)
    name = path.relative_to(REPO)
    problems: list[str] = []
    xfails: list[str] = []
    for c in sorted(marks.codes() | {code}):
        lines = {f.line for f in found if f.code == c}
        expected = marks.expect.get(c, set())
        missed = marks.missed.get(c, {})
        wrong = marks.wrong.get(c, {})
        for line in sorted(expected - lines):
            problems.append(f"{name}:{line}: {c} expected, not reported")
        for line in sorted(lines - expected - set(wrong) - set(missed)):
            messages = "; ".join(f.message for f in found if f.code == c and f.line == line)
            problems.append(f"{name}:{line}: {c} reported on an unmarked line: {messages}")
        for line, reason in sorted(missed.items()):
            if line in lines:
                problems.append(f"{name}:{line}: {c} is now reported: turn `xfail: {c}` into `expect: {c}`")
            else:
                xfails.append(f"{name}:{line}: {c} missed ({reason})")
        for line, reason in sorted(wrong.items()):
            if line not in lines:
                problems.append(f"{name}:{line}: {c} is no longer reported: remove `xfail-not: {c}`")
            else:
                xfails.append(f"{name}:{line}: {c} false positive ({reason})")
    with_fixes = [f for f in found if f.code == code and f.fixes and path.suffix == ".py"]
    if with_fixes:
        text = read_source(path, ctx.config.max_file_size)
        for finding in with_fixes:
            for fix in finding.fixes:
                problems += [f"{name}: {p}" for p in fix_problems(path, ctx, text, found, finding, fix)]
    return problems, xfails


@pytest.mark.parametrize("code", fixture_codes())
def test_rule_fixture(code: str) -> None:
    files = fixture_files(code)
    assert files, f"fixtures/rules/{code}/ holds no Python file"
    problems: list[str] = []
    xfails: list[str] = []
    for path in files:
        p, x = check_fixture(path, code)
        problems += p
        xfails += x
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)
    if xfails:
        pytest.xfail("known " + ("miss or false positive" if len(xfails) == 1 else "misses and false positives")
                     + ":\n  " + "\n  ".join(xfails))


def test_every_rule_has_a_fixture() -> None:
    codes = registered_codes()
    missing = [c for c in codes if c not in fixture_codes()]
    unknown = [c for c in fixture_codes() if c not in codes]
    assert missing == [], f"rules without fixtures/rules/<CODE>.py: {missing}"
    assert unknown == [], f"fixtures of no registered rule: {unknown}"
