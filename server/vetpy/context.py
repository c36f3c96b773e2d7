"""What a rule may know besides the document: configuration, the target environment, the project.

Everything here is read-only for rules.  Expensive services (the environment probe, the member
index) are created lazily and cached by the front end that owns the context.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from vetpy.config import Config
    from vetpy.environment.model import TargetEnvironment
    from vetpy.environment.declared import DeclaredDependencies
    from vetpy.environment.modules import ModuleResolver
    from vetpy.first_party import FirstPartyFacts
    from vetpy.resolve.members import DeferringMembers, MemberIndex
    from vetpy.resolve.stubs import StubIndex

log = logging.getLogger("vetpy")


@dataclass
class AnalysisContext:
    """Shared, read-only inputs of every rule for one project root."""

    config: "Config"
    root: Path
    environment: "TargetEnvironment | None" = None
    declared: "DeclaredDependencies | None" = None
    resolver: "ModuleResolver | None" = None
    # The member index (answers from the introspection worker; the language server may wrap it
    # in a DeferringMembers) when introspection is on, and return types from stubs.
    # Installed by :func:`vetpy.project.install_services`.
    members: "MemberIndex | DeferringMembers | None" = None
    stubs: "StubIndex | None" = None
    # What the project's own code does to objects it does not own (vetpy.first_party).
    first_party: "FirstPartyFacts | None" = None
    # Called with (rule or checker name, exception) when a checker fails; findings of the
    # other checkers are still returned.
    on_error: Callable[[str, BaseException], None] | None = None
    # Checked between rule passes; when it returns True the analysis stops early.
    cancelled: Callable[[], bool] = lambda: False

    @classmethod
    def bare(cls, root: str | Path = ".", **settings: Any) -> "AnalysisContext":
        """A context without a target environment (static rules only).  Handy in tests."""
        from vetpy.config import Config

        return cls(config=Config(**settings), root=Path(root))
