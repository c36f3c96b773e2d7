// Pure settings resolution: raw `vetpy.*` configuration values -> what the server receives.
// No `vscode` import here, so the unit tests run under plain Node.

export type LogLevel = 'error' | 'warning' | 'info' | 'debug';

/** The `vetpy.*` values as read from one configuration scope (unvalidated). */
export interface RawSettings {
  interpreter?: unknown;
  serverCommand?: unknown;
  select?: unknown;
  ignore?: unknown;
  debounceMs?: unknown;
  logLevel?: unknown;
}

/**
 * Settings for one workspace folder, in the shape the vetpy server expects. `select`, `ignore`
 * and `introspection` override the project's `[tool.vetpy]`, so they are only sent when set.
 */
export interface ServerSettings {
  workspace: string;
  interpreter: string[];
  select?: string[];
  ignore?: string[];
  debounceMs: number;
  logLevel: LogLevel;
  /**
   * The workspace's trust (VS Code's Restricted Mode when false). The server enforces it: when
   * false it runs no interpreter the workspace can choose (`.venv`, `venv`, `[tool.vetpy] python`,
   * a `VIRTUAL_ENV` or `vetpy.interpreter` inside the folder) and imports nothing.
   */
  trusted: boolean;
  /** Only `false`, in an untrusted workspace (for servers older than the `trusted` setting). */
  introspection?: false;
}

export type GlobalSettings = Omit<ServerSettings, 'workspace'>;

/** `initializationOptions` and `workspace/didChangeConfiguration` payload (VS Code shape). */
export interface InitializationOptions {
  settings: ServerSettings[];
  globalSettings: GlobalSettings;
}

export const DEFAULT_DEBOUNCE_MS = 250; // the server's default too (tests/test_lsp_units.py)
const LOG_LEVELS: readonly LogLevel[] = ['error', 'warning', 'info', 'debug'];

/** Values substituted in paths: `${workspaceFolder}`, `${userHome}`, `${env:NAME}`, leading `~`. */
export interface PathVariables {
  workspaceFolder?: string;
  userHome: string;
  env: Readonly<Record<string, string | undefined>>;
}

export function expandPath(value: string, vars: PathVariables): string {
  let out = value.trim();
  if (out === '~' || out.startsWith('~/')) {
    out = vars.userHome + out.slice(1);
  }
  return out.replace(/\$\{(workspaceFolder|userHome|env:([A-Za-z_][A-Za-z0-9_]*))\}/g, (match, name: string, envName?: string) => {
    if (envName !== undefined) {
      return vars.env[envName] ?? '';
    }
    if (name === 'userHome') {
      return vars.userHome;
    }
    return vars.workspaceFolder ?? match;
  });
}

export function stringList(value: unknown): string[] {
  if (!Array.isArray(value)) {
    return [];
  }
  return value.filter((item): item is string => typeof item === 'string').map((s) => s.trim()).filter((s) => s !== '');
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.find((a) => a === value) ?? fallback;
}

function debounce(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return DEFAULT_DEBOUNCE_MS;
  }
  return Math.min(10000, Math.max(0, Math.round(value)));
}

/**
 * Settings for one scope. `interpreter` is the already chosen interpreter (see interpreter.ts):
 * sent as a one-element list, or an empty list to let the server discover it.
 */
export function resolveSettings(raw: RawSettings, workspace: string, interpreter: string | undefined, trusted: boolean): ServerSettings {
  const settings: ServerSettings = {
    workspace,
    interpreter: interpreter ? [interpreter] : [],
    debounceMs: debounce(raw.debounceMs),
    logLevel: oneOf(raw.logLevel, LOG_LEVELS, 'info'),
    trusted,
  };
  const select = stringList(raw.select);
  const ignore = stringList(raw.ignore);
  if (select.length > 0) {
    settings.select = select;
  }
  if (ignore.length > 0) {
    settings.ignore = ignore;
  }
  if (!trusted) {
    settings.introspection = false;
  }
  return settings;
}

export function initializationOptions(folders: ServerSettings[], global: ServerSettings): InitializationOptions {
  const { workspace: _ignored, ...globalSettings } = global;
  return { settings: folders, globalSettings };
}
