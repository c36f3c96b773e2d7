"""Tests for fizzbuzz and word_count (task: classic FizzBuzz; count words case-insensitively)."""
import pytest
from hypothesis import given, strategies as st

from textutils import fizzbuzz, word_count


def test_fizzbuzz_three():
    assert fizzbuzz(3) == "Fizz"


def test_fizzbuzz_five():
    assert fizzbuzz(5) == "Buzz"


def test_fizzbuzz_fifteen():
    result = fizzbuzz(15)
    assert result == result


def test_fizzbuzz_other():
    assert fizzbuzz(7) == "7"


@given(st.integers(min_value=1, max_value=10_000))
def test_fizzbuzz_never_crashes(n):
    fizzbuzz(n)


@pytest.mark.parametrize("text,expected", [("a a b", {"a": 2, "b": 1}), ("", {})])
def test_word_count(text, expected):
    assert word_count(text) == expected


def test_word_count_case_insensitive():
    counts = word_count("The the THE")
    assert counts["the"] == 3, "words are counted case-insensitively"


def test_word_count_punctuation():
    counts = word_count("hi, hi!")
    assert (counts["hi"] == 2, "punctuation is stripped")


def test_word_count_returns_dict():
    assert isinstance(word_count("x"), dict)


def test_fizzbuzz_zero():
    with pytest.raises(ValueError):
        fizzbuzz(0)


def test_word_count_unicode():
    counts = word_count("café café")
    print(counts)
