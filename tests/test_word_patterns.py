"""vetpy.dataflow.word_patterns: which validating patterns leave a value of word characters only."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vetpy.dataflow.word_patterns import word_only

ACCEPTED = [
    (r"[a-z_][a-z0-9_]{0,30}", "fullmatch"),
    (r"\w+", "fullmatch"),
    (r"[A-Za-z0-9]+", "fullmatch"),
    (r"\w+\Z", "match"),
    (r"\A[a-f0-9]{32}\Z", "search"),
    (r"(?:inv|exp)_\d+", "fullmatch"),
    (r"(\d+)_(\d+)", "fullmatch"),
]

REFUSED = [
    (r"^[a-z_]+$", "match"),  # `$` matches before a trailing newline
    (r"[a-z_]+", "match"),  # a prefix only
    (r"[a-z_]+\Z", "search"),  # anywhere
    (r"[a-z_ ]+", "fullmatch"),  # a space
    (r"[a-z.-]+", "fullmatch"),  # `..`, a leading `-`
    (r"[^;&|]+", "fullmatch"),  # a negated set admits the rest
    (r".+", "fullmatch"),
    (r"\S+", "fullmatch"),
    (r"[ -~]+", "fullmatch"),  # printable ASCII
    (r"[a-z]+", "sub"),
    (r"(", "fullmatch"),  # not a pattern
]


@pytest.mark.parametrize(("pattern", "method"), ACCEPTED)
def test_accepts_whole_word_patterns(pattern: str, method: str) -> None:
    assert word_only(pattern, method)


@pytest.mark.parametrize(("pattern", "method"), REFUSED)
def test_refuses_patterns_admitting_other_characters_or_parts(pattern: str, method: str) -> None:
    assert not word_only(pattern, method)


_PIECES = st.sampled_from([r"[a-z]", r"[A-Z0-9_]", r"\w", r"\d", r"x", r".", r"[^a]", r"\s", r"-", r"[a-z.]", r"\n", r"$", r"\Z", r"^", r"\A"])
_QUANT = st.sampled_from(["", "+", "*", "?", "{0,3}"])
_PATTERNS = st.lists(st.tuples(_PIECES, _QUANT), min_size=1, max_size=5).map(lambda parts: "".join(p + q for p, q in parts))
_TEXTS = st.text(alphabet=st.sampled_from(list("ab_Z09 .-;\n$/") + ["é", "\x00"]), max_size=8)


@settings(max_examples=400, deadline=None)
@given(_PATTERNS, st.sampled_from(["fullmatch", "match", "search"]), _TEXTS)
def test_an_accepted_pattern_never_passes_a_value_with_another_character(pattern: str, method: str, text: str) -> None:
    if not word_only(pattern, method):
        return
    if getattr(re, method)(pattern, text) is not None:
        assert all(ch == "_" or ch.isalnum() for ch in text), (pattern, method, text)
