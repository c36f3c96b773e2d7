"""The limits that keep vetpy bounded are settings: ``max-file-size`` (files not analysed above
it) and ``introspection-timeout`` (seconds per introspection question).  Parsing, defaults, the
editor's spelling, and the file limit applied by ``vetpy check`` and the hook."""

from __future__ import annotations

from pathlib import Path

import pytest

from vetpy.cli import check_one
from vetpy.config import DEFAULT_MAX_FILE_SIZE, Config, ConfigError, config_from_mapping
from vetpy.context import AnalysisContext
from vetpy.files import read_source, too_large
from vetpy.lsp.server import text_too_large
from vetpy.lsp.settings import engine_mapping, parse_settings


def test_defaults() -> None:
    cfg = Config()
    assert cfg.max_file_size == DEFAULT_MAX_FILE_SIZE == 2 * 1024 * 1024
    assert cfg.introspection_timeout == 30.0


def test_keys_in_pyproject_spelling() -> None:
    cfg = config_from_mapping({"max-file-size": 4096, "introspection_timeout": 2.5}, origin="pyproject.toml")
    assert cfg.max_file_size == 4096 and cfg.introspection_timeout == 2.5
    assert config_from_mapping({"introspection-timeout": 3}, origin="x").introspection_timeout == 3.0


@pytest.mark.parametrize(
    "table, message",
    [
        ({"max-file-size": 0}, "max-file-size must be a positive number of bytes"),
        ({"max-file-size": 2.5}, "max-file-size must be a positive number of bytes"),
        ({"max-file-size": "2MB"}, "max-file-size must be a positive number of bytes"),
        ({"max-file-size": True}, "max-file-size must be a positive number of bytes"),
        ({"introspection-timeout": 0}, "introspection-timeout must be a positive number of seconds"),
        ({"introspection-timeout": -1.0}, "introspection-timeout must be a positive number of seconds"),
        ({"introspection-timeout": False}, "introspection-timeout must be a positive number of seconds"),
    ],
)
def test_bad_values_are_one_line_errors(table: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as info:
        config_from_mapping(table, origin="pyproject.toml")
    assert str(info.value).startswith("pyproject.toml: ") and "\n" not in str(info.value)


def test_editor_settings_in_camel_and_kebab_case() -> None:
    problems: list[str] = []
    settings = parse_settings({"maxFileSize": 100, "introspectionTimeout": 4}, "test", problems)
    assert problems == []
    assert engine_mapping(settings) == {"max-file-size": 100, "introspection-timeout": 4.0}
    kebab = parse_settings({"max-file-size": 7, "introspection-timeout": 0.5}, "test", problems)
    assert engine_mapping(kebab) == {"max-file-size": 7, "introspection-timeout": 0.5}
    for bad in ({"maxFileSize": -1}, {"maxFileSize": 1.5}, {"maxFileSize": True}, {"introspectionTimeout": "slow"}):
        problems.clear()
        assert engine_mapping(parse_settings(bad, "test", problems)) == {}
        assert len(problems) == 1 and "ignored" in problems[0]


def test_too_large_reason() -> None:
    assert too_large(100, 100) is None  # the limit itself is allowed
    assert too_large(101, 100) == "too large to check (0.0 MiB; the limit is 0.0 MiB, set by max-file-size)"
    assert too_large(3 * 1024 * 1024) == "too large to check (3 MiB; the limit is 2 MiB, set by max-file-size)"
    assert too_large(5 * 1024 * 1024 // 2) == "too large to check (2.5 MiB; the limit is 2 MiB, set by max-file-size)"


def test_open_documents_are_measured_in_utf8_bytes() -> None:
    assert text_too_large("é" * 50, 100) is None  # 100 bytes
    assert text_too_large("é" * 51, 100) is not None  # 102 bytes, 51 characters
    assert text_too_large("x" * 101, 100) is not None
    assert text_too_large("\ud800" * 30, 100) is None  # a lone surrogate (from a client) does not raise


def test_check_honours_the_configured_limit(tmp_path: Path) -> None:
    path = tmp_path / "a.py"
    path.write_text("def broken(:\n" + "#" * 100 + "\n", encoding="utf-8")  # SYN001 when analysed
    size = path.stat().st_size
    small = AnalysisContext.bare(tmp_path, max_file_size=size - 1)
    (finding,) = check_one(path, small)
    assert finding.code == "SYN002" and "too large to check" in finding.message
    assert [f.code for f in check_one(path, AnalysisContext.bare(tmp_path, max_file_size=size))] == ["SYN001"]
    # a staged version (the pre-commit hook passes the bytes) has the same limit
    (staged,) = check_one(path, small, data=path.read_bytes())
    assert staged.code == "SYN002"
    with pytest.raises(ValueError, match="too large to check"):
        read_source(path, size - 1)
    assert read_source(path, size).startswith("def broken")
