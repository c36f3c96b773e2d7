"""Editor settings for the language server, in the two shapes editors send.

VS Code (the vetpy extension):  ``{"settings": [{"workspace": <folder uri>, "interpreter": [...],
"select": [...], ...}, ...], "globalSettings": {...}}``.
Neovim and most clients:        ``{"settings": {"interpreter": ..., "select": [...], ...}}``.
``workspace/configuration`` for the section ``vetpy`` answers the inner, flat mapping.

Malformed values are dropped with a one-line problem each (logged by the server); they never
raise.  Keys other editors' settings carry (``cwd``, ``path``, ...) are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from vetpy.settings_spec import EDITOR_ENGINE_KEYS, SETTINGS_BY_EDITOR_NAME

LOG_LEVELS = ("error", "warning", "info", "debug")
MAX_DEBOUNCE_MS = 10_000
# When no setting says otherwise; the VS Code extension's `vetpy.debounceMs` default is the same
# (tests/test_lsp_units.py and tests/test_settings_spec.py compare them).
DEFAULT_DEBOUNCE_MS: int = SETTINGS_BY_EDITOR_NAME["debounceMs"].default  # type: ignore[assignment]

# [tool.vetpy] keys an editor may set too (camelCase or kebab-case), passed to build_context.
_ENGINE_KEYS = {**{key: key for key in EDITOR_ENGINE_KEYS.values()}, **EDITOR_ENGINE_KEYS}


@dataclass(frozen=True)
class Settings:
    """Settings for one workspace folder (``None``: not set, use the default)."""

    interpreter: str | None = None
    engine: tuple[tuple[str, Any], ...] = ()  # [tool.vetpy] overrides, as (key, value) pairs
    debounce_ms: int | None = None
    log_level: str | None = None
    # False: an untrusted workspace (VS Code's Restricted Mode): run nothing the workspace chooses
    trusted: bool | None = None

    def over(self, base: "Settings") -> "Settings":
        """These settings, falling back to ``base`` for what is not set here."""
        engine = dict(base.engine)
        engine.update(self.engine)
        return Settings(
            interpreter=self.interpreter if self.interpreter is not None else base.interpreter,
            engine=tuple(sorted(engine.items(), key=lambda kv: kv[0])),
            debounce_ms=self.debounce_ms if self.debounce_ms is not None else base.debounce_ms,
            log_level=self.log_level if self.log_level is not None else base.log_level,
            trusted=self.trusted if self.trusted is not None else base.trusted,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "interpreter": self.interpreter,
            "debounceMs": self.debounce_ms,
            "logLevel": self.log_level,
            "trusted": self.trusted is not False,
            **{k: v for k, v in self.engine},
        }


@dataclass
class SettingsBundle:
    """Global settings plus per-folder ones (keyed by folder URI), and what was wrong."""

    global_settings: Settings = field(default_factory=Settings)
    folders: dict[str, Settings] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def for_folder(self, folder_uri: str | None) -> Settings:
        own = self.folders.get(_norm_uri(folder_uri)) if folder_uri else None
        return own.over(self.global_settings) if own else self.global_settings


def parse_bundle(raw: Any, origin: str) -> SettingsBundle:
    """Read ``initializationOptions`` (either shape, or ``None``)."""
    bundle = SettingsBundle()
    if raw is None:
        return bundle
    if not isinstance(raw, dict):
        bundle.problems.append(f"{origin}: expected an object, got {type(raw).__name__}; ignored")
        return bundle
    if "globalSettings" in raw:
        bundle.global_settings = parse_settings(raw["globalSettings"], f"{origin}.globalSettings", bundle.problems)
    inner = raw["settings"] if "settings" in raw else (None if "globalSettings" in raw else raw)
    if isinstance(inner, list):
        for i, entry in enumerate(inner):
            where = f"{origin}.settings[{i}]"
            if not isinstance(entry, dict):
                bundle.problems.append(f"{where}: expected an object; ignored")
                continue
            parsed = parse_settings(entry, where, bundle.problems)
            folder = entry.get("workspace")
            if isinstance(folder, str) and folder:
                bundle.folders[_norm_uri(folder)] = parsed
            else:
                bundle.global_settings = parsed.over(bundle.global_settings)
    elif isinstance(inner, dict):
        parsed = parse_settings(inner, f"{origin}.settings", bundle.problems)
        bundle.global_settings = parsed.over(bundle.global_settings)
    elif inner is not None:
        bundle.problems.append(f"{origin}.settings: expected an object or a list; ignored")
    return bundle


def parse_settings(raw: Any, origin: str, problems: list[str]) -> Settings:
    """One flat settings mapping (a ``workspace/configuration`` answer or one entry)."""
    if raw is None:
        return Settings()
    if not isinstance(raw, dict):
        problems.append(f"{origin}: expected an object, got {type(raw).__name__}; ignored")
        return Settings()
    if isinstance(raw.get("settings"), dict):  # a client that answers the whole bundle
        raw = raw["settings"]
    values: dict[str, Any] = {}
    engine: dict[str, Any] = {}
    for key, value in raw.items():
        where = f"{origin}.{key}"
        if key == "interpreter":
            interpreter = _interpreter(value)
            if interpreter is False:
                problems.append(f"{where}: expected a path or a list of strings; ignored")
            elif interpreter:
                values["interpreter"] = interpreter
        elif key == "debounceMs":
            if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
                values["debounce_ms"] = int(min(value, MAX_DEBOUNCE_MS))
            else:
                problems.append(f"{where}: expected a number of milliseconds >= 0; ignored")
        elif key == "logLevel":
            level = value.lower() if isinstance(value, str) else None
            level = "warning" if level == "warn" else level
            if level in LOG_LEVELS:
                values["log_level"] = level
            else:
                problems.append(f"{where}: expected one of {', '.join(LOG_LEVELS)}; ignored")
        elif key == "trusted":
            if isinstance(value, bool):
                values["trusted"] = value
            else:
                problems.append(f"{where}: expected true or false; ignored")
        elif key in _ENGINE_KEYS:
            checked = _engine_value(_ENGINE_KEYS[key], value)
            if checked is None:
                problems.append(f"{where}: malformed value {value!r:.60}; ignored")
            else:
                engine[_ENGINE_KEYS[key]] = checked
    return replace(Settings(**values), engine=tuple(sorted(engine.items(), key=lambda kv: kv[0])))


def _interpreter(value: Any) -> str | None | bool:
    """The interpreter path, None when unset, False when malformed."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        # VS Code's python extension answers [path, *args]: the first item is the interpreter
        return value[0].strip() or None if value else None
    return False


def _engine_value(key: str, value: Any) -> Any:
    """A JSON-safe copy of an engine setting, or None when its shape is wrong.

    Deeper validation (unknown codes, severities) is build_context's job; it reports problems
    without raising.
    """
    if key in ("select", "ignore", "exclude"):
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        return None
    if key == "severity":
        if isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            return tuple(sorted(value.items()))
        return None
    if key == "per-file-ignores":
        if isinstance(value, dict) and all(
            isinstance(k, str) and isinstance(v, list) and all(isinstance(c, str) for c in v) for k, v in value.items()
        ):
            return tuple(sorted((k, tuple(v)) for k, v in value.items()))
        return None
    if key in ("introspection", "bare-noqa"):
        return value if isinstance(value, bool) else None
    if key in ("network-timeout", "introspection-timeout"):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0
        return float(value) if ok else None
    if key == "max-file-size":
        return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None
    return None


def engine_mapping(settings: Settings) -> dict[str, Any]:
    """The engine overrides as build_context expects them (lists and dicts again)."""
    out: dict[str, Any] = {}
    for key, value in settings.engine:
        if key in ("select", "ignore", "exclude"):
            out[key] = list(value)
        elif key == "severity":
            out[key] = dict(value)
        elif key == "per-file-ignores":
            out[key] = {glob: list(codes) for glob, codes in value}
        else:
            out[key] = value
    return out


def _norm_uri(uri: str) -> str:
    return uri.rstrip("/")
