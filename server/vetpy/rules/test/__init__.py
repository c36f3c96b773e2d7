"""TEST: tests that cannot fail.

Assistants write tests that pass whatever the code does: a test that calls the code and checks
nothing, an `assert` that is always true, a mock "assertion" that asserts nothing, an expected
value computed by the code under test, an exception swallowed inside the test.  These rules
report the cases that are certain from the test's own text, and only in files pytest (or
unittest) would collect: the project's pytest configuration (`python_files`, `testpaths`,
`python_functions`, `python_classes`) when it has one, else `test_*.py`, `*_test.py` and files
under `tests/` (:mod:`vetpy.testsuite`).

One module per rule; shared facts (which functions are tests, does a test check anything,
through which helpers and fixtures) in :mod:`.facts`.  To add a rule: write
``test/<what_it_checks>.py`` with its ``rule(...)`` declaration and its ``@REGISTRY.checker``
reading :meth:`Suite.of(doc, ctx) <.facts.Suite.of>`, import it below in code order, and write
``fixtures/rules/<CODE>/`` (a directory: the fixture must be a file pytest collects).

Importing this package registers every TEST rule and checker, in code order.
"""

from __future__ import annotations

from vetpy.rules.test import (  # noqa: F401  (imported for their registrations)
    no_assertion,
    always_true,
    mock_assertions,
    expected_from_code,
    swallowed,
    broad_raises,
    never_asserts,
)
