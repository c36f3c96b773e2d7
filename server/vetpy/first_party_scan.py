"""What :class:`vetpy.first_party.FirstPartyFacts` reads of every file of the project for what the
project does to objects it does not own (its ``_scan``), as plain data for another process.

``vetpy check`` reads it before its pool forks, in a process of its own
(:func:`vetpy.cli.alongside.alongside`), while the parent reads the project's import statements:
the parent parses every file for those, and keeps the trees of the files it analyses next
(:func:`vetpy.trees.expect`) for the pool's processes it forks, which would otherwise parse them
again.  The scan itself reads text only (a few files are parsed for a closer look).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vetpy.first_party import FirstPartyFacts


def scanned(facts: FirstPartyFacts) -> tuple[Any, ...]:
    """Scan the project (:meth:`FirstPartyFacts.assigned_attributes` and the rest read with it);
    what it worked out, for :func:`adopt`."""
    facts.assigned_attributes  # noqa: B018 - reads the project
    with facts._lock:
        return facts._facts, facts._bases, facts._giving, facts._made


def adopt(facts: FirstPartyFacts, state: tuple[Any, ...]) -> None:
    """Take what :func:`scanned` worked out for the same project (in another process)."""
    with facts._lock:
        facts._facts, facts._bases, facts._giving, facts._made = state
