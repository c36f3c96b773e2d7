"""EDGE: the edge cases AI-written code leaves out (None, empty input, slow networks, money...).

Every rule asks one question of the code and stays silent when a guard, a default or a handler
already answers it.  One module per rule (or per group of rules that share one check), each with
its rule declarations, its checker and its fixes side by side; shared machinery lives in

* :mod:`.facts`: the per-document :class:`~.facts.Module` facts and the syntax helpers the
  checkers share;
* :mod:`.narrowing` and :mod:`.flow`: what a condition proves, and the flow walker that carries
  it through a scope (EDGE009-012);
* :mod:`.fixes`: text-edit helpers and the imports fixes may add (each declared with
  :func:`~.fixes.fix_import`).

To add a rule: write ``edge/<what_it_checks>.py`` with its ``rule(...)`` declaration (the
documentation: question, rationale, bad and good examples), its ``@REGISTRY.checker`` function
reading :meth:`Module.of(doc) <.facts.Module.of>`, and its fixes (an import a fix adds is
declared with :func:`~.fixes.fix_import` and added through :func:`~.fixes.ensure_import` or
:func:`~.fixes.add_import`); import the module below, in code order.  Then: cases in
``POSITIVE``/``NEGATIVE`` of ``tests/test_edge_rules.py`` (required for every EDGE code), fix
tests in ``tests/test_edge_fixes.py``, ``# expect:`` lines in ``fixtures/edge/``,
``python -m vetpy.rulesdoc > docs/rules.md``, and a reviewed golden update
(``VETPY_UPDATE_GOLDEN=1``, new findings only).

Importing this package registers every EDGE rule and checker, in code order.
"""

from __future__ import annotations

from vetpy.rules.edge import (  # noqa: F401  (imported for their registrations)
    swallowed_errors,
    timeouts,
    socket_timeouts,
    unbounded_queries,
    unbounded_reads,
    retry_loops,
    money,
    none_empty,
    counted_columns,
    blocking_async,
    mutable_defaults,
    assert_validation,
    datetimes,
    concurrency,
    dropped_tasks,
    field_defaults,
    redis_state,
    iteration,
    calendar_fields,
    year_counts,
    page_offsets,
    split_unpacking,
    ascii_text,
    subprocess_timeouts,
    parsed_datetimes,
    unclosed_files,
    swallowed_calls,
)
