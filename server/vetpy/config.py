"""``[tool.vetpy]`` configuration from the nearest ``pyproject.toml``.

Keys (kebab-case in TOML; snake_case accepted too):
    select, ignore          codes or prefixes (``HAL``, ``SEC0``, ``ALL``)
    per-file-ignores        {glob: [codes]}
    severity                {code: error|warning|info|hint}
    exclude                 gitignore-style patterns of paths to skip (added to the default excludes)
    respect-gitignore       false: check files that .gitignore / .ignore exclude too
    bare-noqa               true: a bare ``# noqa`` (no codes) silences vetpy too
    type-ignore             false: HAL reports also on lines with a ``# type: ignore``
    python                  the interpreter to check against (relative to the pyproject)
    introspection           false: never run the target interpreter's packages (static only)
    network-timeout         default seconds used by the timeout quick-fix (EDGE)
    introspection-timeout   seconds the introspection worker may take for one question (30)
    analysis-timeout        CPU seconds ``vetpy check`` may spend on one file (60, at most 5x that of wall time;
                            longer: not analysed, exit 2)
    max-file-size           files larger than this many bytes are not analysed (2 MiB)
    extend                  a pyproject.toml whose [tool.vetpy] this one extends (its keys win)
    smoke-tests             name globs of tests that only need to run (TEST001; test_smoke_*)
    internal-packages       names (globs) of private packages that no public index knows (DEP004)
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

from vetpy import codes
from vetpy.settings_spec import TOML_KEYS
from vetpy.findings import Severity

DEFAULT_EXCLUDES = (
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
)


DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024


class ConfigError(Exception):
    """A configuration problem; the message is one line naming the file."""


@dataclass
class Config:
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    severity: dict[str, Severity] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    respect_gitignore: bool = True
    bare_noqa: bool = False
    type_ignore: bool = True  # HAL is silent on a line whose `# type: ignore` covers a missing name
    python: str | None = None
    introspection: bool = True
    network_timeout: float = 10.0
    introspection_timeout: float = 30.0
    analysis_timeout: float = 60.0  # vetpy check stops a file's analysis after this CPU time (vetpy.deadline)
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    extend: str | None = None  # the pyproject.toml whose [tool.vetpy] this one extends (resolved)
    smoke_tests: list[str] = field(default_factory=lambda: ["test_smoke_*"])
    internal_packages: list[str] = field(default_factory=list)
    source: Path | None = None  # the pyproject.toml it came from

    def merged(self, **overrides: Any) -> "Config":
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        for key, value in overrides.items():
            if value is not None:
                data[key] = value
        return Config(**data)


_KEYS = TOML_KEYS  # declared in vetpy.settings_spec; tests/test_settings_spec.py checks the Config fields


def find_pyproject(start: Path) -> Path | None:
    """Nearest ``pyproject.toml`` at or above ``start`` (a file or directory)."""
    start = start.resolve()
    directory = start if start.is_dir() else start.parent
    for candidate in (directory, *directory.parents):
        path = candidate / "pyproject.toml"
        if path.is_file():
            return path
    return None


# Besides pyproject.toml (which also holds the configuration), what marks a project's top.
ROOT_MARKERS = (".git", "setup.py", "setup.cfg", "requirements.txt", "Pipfile", "uv.lock", "poetry.lock", ".venv")


def project_root(start: Path, default: Path | None = None) -> Path:
    """The project that ``start`` belongs to: the nearest directory with a ``pyproject.toml``,
    else the nearest with another project marker, else ``default`` (or ``start``'s directory).

    Without the fallback to a common ``default``, every directory of a project without a
    ``pyproject.toml`` would be a project of its own, and imports between them would look missing.
    """
    pyproject = find_pyproject(start)
    if pyproject is not None:
        return pyproject.parent
    start = start.resolve()
    directory = start if start.is_dir() else start.parent
    not_projects = {Path.home(), Path(directory.anchor)}  # a dotfiles .git in $HOME is no project
    for candidate in (directory, *directory.parents):
        if candidate not in not_projects and any((candidate / marker).exists() for marker in ROOT_MARKERS):
            return candidate
    return default.resolve() if default is not None else directory


def _positive_seconds(origin: str, key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ConfigError(f"{origin}: {key} must be a positive number of seconds")
    return float(value)


MAX_CONFIG_BYTES = 5 * 1024 * 1024


def read_toml(path: Path) -> dict[str, Any]:
    try:
        size = path.stat().st_size
        if size > MAX_CONFIG_BYTES:
            raise ConfigError(f"{path}: too large to be a configuration file ({size // 1024} KiB)")
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None


def load_config(pyproject: Path | None, _extending: tuple[Path, ...] = ()) -> Config:
    """Read ``[tool.vetpy]`` (and the file its ``extend`` names, whose settings this one
    overrides key by key); raises :class:`ConfigError` for a broken file, bad keys or a cycle."""
    if pyproject is None:
        return Config()
    data = read_toml(pyproject)
    table = data.get("tool", {}).get("vetpy", {}) if isinstance(data.get("tool"), dict) else {}
    if not isinstance(table, dict):
        raise ConfigError(f"{pyproject}: [tool.vetpy] must be a table")
    cfg = config_from_mapping(table, origin=str(pyproject), base=pyproject.parent, source=pyproject)
    if cfg.extend is None:
        return cfg
    target = Path(cfg.extend)
    here = pyproject.resolve()
    if target.resolve() in (*_extending, here):
        raise ConfigError(f"{pyproject}: extend: {cfg.extend} extends this file again (a cycle)")
    if not target.is_file():
        raise ConfigError(f"{pyproject}: extend: {cfg.extend}: no such file")
    inherited = load_config(target, (*_extending, here))
    given = {str(k).replace("_", "-") for k in table}
    data_fields = {f.name: getattr(inherited, f.name) for f in fields(Config)}
    data_fields.update({f.name: getattr(cfg, f.name) for f in fields(Config) if f.name.replace("_", "-") in given})
    data_fields["source"] = pyproject
    return Config(**data_fields)


def config_from_mapping(
    table: dict[str, Any], origin: str, base: Path | None = None, source: Path | None = None
) -> Config:
    """Validate a settings mapping (from TOML or an editor) into a :class:`Config`."""
    cfg = Config(source=source)
    for raw_key, value in table.items():
        key = str(raw_key).replace("_", "-")
        if key not in _KEYS:
            hint = _closest(key, _KEYS)
            raise ConfigError(
                f"{origin}: unknown key {raw_key!r} in [tool.vetpy]" + (f" (did you mean {hint!r}?)" if hint else "")
            )
        if key in ("select", "ignore", "exclude", "smoke-tests", "internal-packages"):
            items = _str_list(value, origin, key)
            if key in ("smoke-tests", "internal-packages"):
                setattr(cfg, key.replace("-", "_"), items)
                continue
            if key != "exclude":
                _check_codes(items, origin, key)
            setattr(cfg, key, items)
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise ConfigError(f"{origin}: per-file-ignores must be a table of glob = [codes]")
            pfi: dict[str, list[str]] = {}
            for glob, listed in value.items():
                items = _str_list(listed, origin, f"per-file-ignores.{glob}")
                _check_codes(items, origin, f"per-file-ignores.{glob}")
                pfi[str(glob)] = items
            cfg.per_file_ignores = pfi
        elif key == "severity":
            if not isinstance(value, dict):
                raise ConfigError(f"{origin}: severity must be a table of CODE = level")
            sev: dict[str, Severity] = {}
            for code, level in value.items():
                _check_codes([str(code)], origin, "severity")
                try:
                    parsed = Severity.parse(str(level))
                except ValueError as exc:
                    raise ConfigError(f"{origin}: severity.{code}: {exc}") from None
                for c in codes.match(str(code)):
                    sev[c] = parsed
            cfg.severity = sev
        elif key == "extend":
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{origin}: extend must be the path of a pyproject.toml")
            path = Path(value).expanduser()
            cfg.extend = str(base / path if base is not None and not path.is_absolute() else path)
        elif key == "python":
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"{origin}: python must be a path to an interpreter")
            path = Path(value).expanduser()
            if base is not None and not path.is_absolute() and ("/" in value or "\\" in value):
                path = base / path
            cfg.python = str(path)
        elif key in ("introspection", "respect-gitignore", "bare-noqa", "type-ignore"):
            if not isinstance(value, bool):
                raise ConfigError(f"{origin}: {key} must be true or false")
            setattr(cfg, key.replace("-", "_"), value)
        elif key == "network-timeout":
            cfg.network_timeout = _positive_seconds(origin, key, value)
        elif key == "introspection-timeout":
            cfg.introspection_timeout = _positive_seconds(origin, key, value)
        elif key == "analysis-timeout":
            cfg.analysis_timeout = _positive_seconds(origin, key, value)
        elif key == "max-file-size":
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ConfigError(f"{origin}: max-file-size must be a positive number of bytes")
            cfg.max_file_size = value
    return cfg


def _str_list(value: Any, origin: str, key: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{origin}: {key} must be a list of strings")
    return [v.strip() for v in value if v.strip()]


def _check_codes(items: list[str], origin: str, key: str) -> None:
    for item in items:
        if not codes.match(item):
            known = sorted(codes.CODES)
            hint = _closest(item.upper(), known)
            raise ConfigError(
                f"{origin}: {key}: unknown rule code or prefix {item!r}"
                + (f" (did you mean {hint!r}?)" if hint else "")
            )


def _closest(word: str, candidates: Any) -> str | None:
    import difflib

    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None
