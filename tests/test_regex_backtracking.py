"""The regular expressions vetpy applies to the user's text never backtrack catastrophically.

Specification: Python's ``re`` backtracks; a pattern applied to any string literal of a file or
any line of a requirements file must take time linear in its length, or one long literal holds
the check for minutes (stopped by the time budget: the file reported as not analysed).  Each
pattern rewritten for that answers as it did on the texts it is meant for and their look-alikes.

The long inputs below took the old patterns hours (quadratic: 10 s for 8,000 blanks before a
non-SQL word); the time budget around them only stops such a hang, it measures nothing.
"""

from __future__ import annotations

import re
import signal
import threading

import pytest

from vetpy import deadline
from vetpy.environment.requirement_text import COMMENT, logical_lines
from vetpy.rules.sec import hardcoded_secrets, sql_injection

needs_timer = pytest.mark.skipif(not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread(),
                                 reason="POSIX timers")

OLD_SQL_START = re.compile(
    r"\s*\(?\s*(select|insert|update|delete|with|create|drop|alter|replace|merge|truncate|pragma|grant|revoke|upsert|explain|attach|vacuum)\b",
    re.IGNORECASE,
)
OLD_SQL_ANYWHERE = re.compile(r"\b(select\s.+\sfrom|insert\s+into|delete\s+from|update\s+\w+\s+set|where\s|order\s+by|group\s+by|values\s*\()",
                              re.IGNORECASE | re.DOTALL)
OLD_LEET = re.compile(r"[a-z]+\d+[a-z]+\d+[a-z]*", re.IGNORECASE)
OLD_COMMENT = re.compile(r"(^|\s+)#.*$")

SQL_TEXTS = [
    "SELECT * FROM users WHERE id = ", "  (select a from b) x", "\n\t select\ncount(*)\nfrom t", "(  SELECT 1", "selected from the list",
    "Select {n} items from {src}", "please select an option", "select", "select from", "select x from", "xselect a from b",
    "a select b from c", "SELECT\tname\tFROM", "select a fromage", "select afrom", "insert into t values", "update t set a = ",
    "delete from t", "the order by which", "values (", "where ", "(", "", "   ", "with cte as (select 1)", "drop table ",
    "I selected them, from here", "select\u00a0a\u00a0from b", "SELECT a\nFROM b", "select  from", "select a  from",
]


def test_sql_text_is_recognised_as_before():
    for text in SQL_TEXTS:
        old = bool(OLD_SQL_START.match(text) or OLD_SQL_ANYWHERE.search(text))
        assert sql_injection._looks_like_sql([text]) is old, text
        old_start = OLD_SQL_START.match(text)
        new_start = sql_injection._SQL_START.match(text)
        assert (old_start and (old_start.group(0), old_start.group(1))) == (new_start and (new_start.group(0), new_start.group(1))), text


def test_made_up_credentials_are_recognised_as_before():
    texts = ["s3cr3t", "p4ssw0rd", "hunter2", "abc123", "a1b2", "a1b2c", "ab12cd34", "1a2b", "xx-a1b2", "A1B2", "a1_b2", "é1é2",
             "v1.2.3", "release2020to2021", "1234", "abcdef", "a1a" + "a" * 50 + "1", "_a1b2", "a11bb22"]
    for text in texts:
        assert bool(hardcoded_secrets._LEET.search(text)) is bool(OLD_LEET.search(text)), text


def test_requirement_comments_are_removed_as_before():
    lines = ["requests==2.0  # pinned", "# a comment", "   # indented comment", "flask#egg", "url#egg=name  # c", "x\t#c",
             "a # b # c", "", "  ", "pkg @ https://h/x#sha256=ab", "name  ", "#", " #"]
    for line in lines:
        assert COMMENT.sub("", line) == OLD_COMMENT.sub("", line), line


@needs_timer
def test_long_texts_take_linear_time():
    blanks = " \n" * 100_000
    with deadline.budget(120):  # only stops a hang: linear, these take milliseconds
        assert not sql_injection._looks_like_sql([blanks + "x"])
        assert not sql_injection._looks_like_sql(["a select " * 100_000])
        assert sql_injection._looks_like_sql(["a select " * 100_000 + "from t"])
        assert hardcoded_secrets._LEET.search("a1a" + "a" * 200_000) is None
        assert list(logical_lines(" " * 200_000 + "x\n")) == [(1, "x")]
