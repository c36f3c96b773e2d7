"""The shipped release history reads every minor release of the fast-moving packages (issue 19).

Until 2026-12-05 eleven of them were read only every Nth minor release (openai every 10th,
anthropic every 8th, selenium every 2nd, ...), so a name that came or went at a skipped minor was
dated at the next release read, or not known at all.  Each fact below was checked against the
real wheels from PyPI (installed side by side in a scratch venv, imported, ``getattr``), not
against the reader."""

from __future__ import annotations

import pytest

from vetpy.history import shipped

# import name -> releases that the stepped read skipped and the every-minor read must hold
SKIPPED_BEFORE = {
    "fastapi": ["0.66.1", "0.119.1"],
    "starlette": ["0.15.0"],
    "openai": ["1.71.0", "3.54.0", "3.55.1"],
    "rich": ["10.1.0"],
    "typer": ["0.4.2"],
    "uvicorn": ["0.14.0"],
    "tqdm": ["4.56.2"],
    "anthropic": ["2.9.0", "2.10.0"],
    "boto3": ["1.18.65", "1.42.97"],
    "selenium": ["4.2.0", "4.44.0"],
    "streamlit": ["1.1.0"],
}


@pytest.mark.parametrize("top", sorted(SKIPPED_BEFORE))
def test_fast_moving_packages_are_read_at_every_minor_release(top):
    releases = shipped().releases(top)
    assert set(SKIPPED_BEFORE[top]) <= set(releases)
    minors = [tuple(int(p) for p in v.split(".")[:2]) for v in releases]
    assert minors == sorted(set(minors))  # one release per minor, in order


def test_anthropic_removal_at_a_skipped_minor_is_dated_there():
    # anthropic 2.9.0 has it, 2.10.0 does not (2.10 turned the module into an alias of the
    # renamed `...ErrorObject`); the every-8th read (2.3, 2.11) said "removed in 2.11"
    change = shipped().member("anthropic", "anthropic.types.bash_code_execution_tool_result_block",
                              "BashCodeExecutionToolResultError", (2, 17, 0))
    assert change is not None and change.removed and change.version == "2.10"


def test_openai_removal_at_a_skipped_minor_is_known_on_that_release():
    # `AgentSession.spend_control`: in openai 3.54.0, gone in 3.55.1; the every-10th read
    # (3.45, 3.56) dated it 3.56, so on an installed 3.55 it said nothing
    change = shipped().member("openai", "openai.types.beta.agent_session.AgentSession", "spend_control",
                              (3, 55, 1), is_class=True)
    assert change is not None and change.removed and change.version == "3.55"


def test_openai_name_that_lived_between_two_stepped_reads_is_known():
    # `openai.types.beta.AgentSessionBudgetReachedEvent`: absent from 3.53.0, in 3.54.0, gone
    # in 3.55.1 and 3.57.0, back in 3.60.0; the stepped data (3.45, 3.56, 3.57) had no entry for it
    removed = shipped().member("openai", "openai.types.beta", "AgentSessionBudgetReachedEvent", (3, 57, 0))
    assert removed is not None and removed.removed and removed.version == "3.55"
    new = shipped().member("openai", "openai.types.beta", "AgentSessionBudgetReachedEvent", (3, 53, 0))
    assert new is not None and not new.removed and new.version == "3.54"
    assert shipped().member("openai", "openai.types.beta", "AgentSessionBudgetReachedEvent", (3, 60, 0)) is None


def test_selenium_new_name_is_new_in_the_release_that_added_it():
    # `selenium.webdriver.common.bidi.Browser`: absent from 4.43.0, present in 4.44.0; the
    # every-2nd read (4.43, 4.45) told a user of 4.43 "new in 4.45"
    change = shipped().member("selenium", "selenium.webdriver.common.bidi", "Browser", (4, 43, 0))
    assert change is not None and not change.removed and change.version == "4.44"
    assert shipped().member("selenium", "selenium.webdriver.common.bidi", "Browser", (4, 44, 0)) is None


def test_a_removal_in_the_newest_anthropic_release_is_known():
    # `anthropic.resources.messages.messages.transform_schema`: in 2.16.0, gone in 2.17.0
    change = shipped().member("anthropic", "anthropic.resources.messages.messages", "transform_schema", (2, 17, 0))
    assert change is not None and change.removed and change.version == "2.17"
    assert shipped().member("anthropic", "anthropic.resources.messages.messages", "transform_schema",
                            (2, 16, 0)) is None
