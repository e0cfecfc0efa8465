// Logic of the extension that does not need a running VS Code: finding the server binary, turning the
// extension's settings into the object the server reads, and the texts shown to the user.
//
// This module must never import "vscode": it is unit-tested with node's own test runner (test/*.test.ts).

import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The configuration section the server asks for with workspace/configuration. */
export const CONFIG_SECTION = "acs-lint";

/** The project configuration file the server reads (the closest one above a file wins). */
export const CONFIG_FILE_NAME = "acs-lint.toml";

/** The client id. vscode-languageclient reads `<id>.trace.server` for tracing. */
export const CLIENT_ID = "acs-lint";
export const CLIENT_NAME = "acs-lint";

/** Arguments that make the binary serve LSP over stdio. */
export const SERVER_ARGS: readonly string[] = ["lsp"];

/** VS Code language ids the server handles (DESIGN.md §4). */
export const LANGUAGE_IDS: readonly string[] = [
  "csharp",
  "python",
  "javascript",
  "javascriptreact",
  "typescript",
  "typescriptreact",
  "java",
];

export interface DocumentFilter {
  scheme: string;
  language: string;
}

/** The client's document selector: every supported language, on disk and in untitled editors. */
export function documentSelector(): DocumentFilter[] {
  const selector: DocumentFilter[] = [];
  for (const scheme of ["file", "untitled"]) {
    for (const language of LANGUAGE_IDS) {
      selector.push({ scheme, language });
    }
  }
  return selector;
}

// ---------------------------------------------------------------------------------------------------------
// Finding the server
// ---------------------------------------------------------------------------------------------------------

export type Platform = NodeJS.Platform;

/** File-system access used by the resolver; replaced by fakes in tests. */
export interface FileSystem {
  /** True when `p` is a regular file (symlinks followed). */
  isFile(p: string): boolean;
  /** True when `p` may be executed by this user (always true on Windows for a file). */
  isExecutable(p: string): boolean;
}

export const realFileSystem: FileSystem = {
  isFile(p: string): boolean {
    try {
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  },
  isExecutable(p: string): boolean {
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
};

export interface ResolveOptions {
  /** Value of `acs-lint.server.path` ("" or undefined when unset). */
  configuredPath?: string;
  /** The extension's install folder (context.extensionPath). */
  extensionPath: string;
  /** First workspace folder, used for `${workspaceFolder}` and relative configured paths. */
  workspaceFolder?: string;
  platform?: Platform;
  /** Environment whose PATH (and PATHEXT on Windows) is searched. */
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
  fs?: FileSystem;
}

export type ServerSource = "setting" | "bundled" | "path";

export type ResolveResult =
  | { ok: true; path: string; source: ServerSource; tried: string[] }
  | { ok: false; tried: string[]; message: string; configuredPathMissing: boolean };

/** Name of the executable on a platform. */
export function binaryName(platform: Platform = process.platform): string {
  return platform === "win32" ? "acs-lint.exe" : "acs-lint";
}

/** Where a .vsix built by scripts/package-with-binary.sh carries the server. */
export function bundledServerPath(extensionPath: string, platform: Platform = process.platform): string {
  const p = platform === "win32" ? path.win32 : path.posix;
  return p.join(extensionPath, "bin", binaryName(platform));
}

/**
 * Expands `~`, `${userHome}` and `${workspaceFolder}` in a configured path and makes a relative path absolute
 * against the workspace folder (when there is one).
 */
export function expandConfiguredPath(
  raw: string,
  opts: { workspaceFolder?: string; homeDir?: string; platform?: Platform } = {},
): string {
  const platform = opts.platform ?? process.platform;
  const p = platform === "win32" ? path.win32 : path.posix;
  const home = opts.homeDir ?? os.homedir();
  let value = raw.trim();
  value = value.replace(/\$\{userHome\}/g, home);
  if (opts.workspaceFolder !== undefined) {
    value = value.replace(/\$\{workspaceFolder\}/g, opts.workspaceFolder);
  }
  if (value === "~") {
    value = home;
  } else if (value.startsWith("~/") || (platform === "win32" && value.startsWith("~\\"))) {
    value = p.join(home, value.slice(2));
  }
  if (!p.isAbsolute(value) && opts.workspaceFolder !== undefined && looksLikePath(value, platform)) {
    value = p.join(opts.workspaceFolder, value);
  }
  return value;
}

/** A bare command name ("acs-lint") is looked up on PATH; anything with a separator is a path. */
function looksLikePath(value: string, platform: Platform): boolean {
  return value.includes("/") || (platform === "win32" && value.includes("\\"));
}

/** The non-empty directories of PATH. */
export function pathDirs(env: NodeJS.ProcessEnv = process.env, platform: Platform = process.platform): string[] {
  const pathVar = (platform === "win32" ? env.Path ?? env.PATH ?? env.path : env.PATH) ?? "";
  return pathVar.split(platform === "win32" ? ";" : ":").filter((d) => d.length > 0);
}

/** Searches PATH for `name` the way a shell would (PATHEXT on Windows). Returns the first hit. */
export function findOnPath(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: Platform = process.platform,
  fileSystem: FileSystem = realFileSystem,
): { found?: string; tried: string[] } {
  const p = platform === "win32" ? path.win32 : path.posix;
  const dirs = pathDirs(env, platform);
  let names = [name];
  if (platform === "win32" && p.extname(name) === "") {
    const exts = (env.PATHEXT ?? ".COM;.EXE;.BAT;.CMD").split(";").filter((e) => e.length > 0);
    names = exts.map((e) => name + e.toLowerCase());
  }
  const tried: string[] = [];
  for (const dir of dirs) {
    for (const n of names) {
      const candidate = p.join(dir.replace(/^"(.*)"$/, "$1"), n);
      tried.push(candidate);
      if (fileSystem.isFile(candidate) && (platform === "win32" || fileSystem.isExecutable(candidate))) {
        return { found: candidate, tried };
      }
    }
  }
  return { tried };
}

/**
 * Finds the server: `acs-lint.server.path` if set, else the binary bundled in the extension folder, else
 * `acs-lint` on PATH. A configured path that does not exist is an error of its own (no silent fallback: the
 * user asked for that binary).
 */
export function resolveServerPath(opts: ResolveOptions): ResolveResult {
  const platform = opts.platform ?? process.platform;
  const env = opts.env ?? process.env;
  const fileSystem = opts.fs ?? realFileSystem;
  const p = platform === "win32" ? path.win32 : path.posix;
  const tried: string[] = [];
  const usable = (f: string) => fileSystem.isFile(f) && (platform === "win32" || fileSystem.isExecutable(f));

  const configured = (opts.configuredPath ?? "").trim();
  if (configured !== "") {
    const expanded = expandConfiguredPath(configured, {
      workspaceFolder: opts.workspaceFolder,
      homeDir: opts.homeDir,
      platform,
    });
    if (looksLikePath(expanded, platform) || p.isAbsolute(expanded)) {
      tried.push(expanded);
      if (usable(expanded)) {
        return { ok: true, path: expanded, source: "setting", tried };
      }
    } else {
      // A bare name such as "acs-lint-nightly": look it up on PATH.
      const onPath = findOnPath(expanded, env, platform, fileSystem);
      if (onPath.found !== undefined) {
        return { ok: true, path: onPath.found, source: "setting", tried: [...tried, ...onPath.tried] };
      }
      tried.push(`${expanded} on PATH (${pathDirs(env, platform).join(platform === "win32" ? ";" : ":") || "PATH is empty"})`);
    }
    return {
      ok: false,
      tried,
      configuredPathMissing: true,
      message: configuredPathMissingMessage(configured, expanded, fileSystem.isFile(expanded)),
    };
  }

  const bundled = bundledServerPath(opts.extensionPath, platform);
  tried.push(bundled);
  if (fileSystem.isFile(bundled)) {
    // A bundled binary that lost its executable bit is still ours: the caller restores the bit.
    return { ok: true, path: bundled, source: "bundled", tried };
  }

  const onPath = findOnPath(binaryName(platform).replace(/\.exe$/, ""), env, platform, fileSystem);
  if (onPath.found !== undefined) {
    return { ok: true, path: onPath.found, source: "path", tried: [...tried, ...onPath.tried] };
  }
  tried.push(`${binaryName(platform)} on PATH (${pathDirs(env, platform).join(platform === "win32" ? ";" : ":") || "PATH is empty"})`);
  return { ok: false, tried, configuredPathMissing: false, message: missingServerMessage(tried) };
}

/** The error shown when no server binary is found anywhere. */
export function missingServerMessage(tried: string[]): string {
  return (
    `acs-lint: the language server binary was not found (tried: ${tried.join(", ")}). ` +
    "Install it with `cargo install --path .` in the acs-lint repository (or put `acs-lint` on your PATH), " +
    'or set "acs-lint.server.path" to the full path of the binary, then run "acs-lint: Restart Server".'
  );
}

/** The error shown when `acs-lint.server.path` points nowhere. */
export function configuredPathMissingMessage(configured: string, expanded: string, existsButNotExecutable: boolean): string {
  const what = existsButNotExecutable ? "is not executable" : "does not exist";
  const shown = configured === expanded ? `"${configured}"` : `"${configured}" (${expanded})`;
  return (
    `acs-lint: "acs-lint.server.path" is set to ${shown}, which ${what}. ` +
    "Fix the setting (or clear it to use the bundled binary or `acs-lint` on PATH; install with " +
    "`cargo install --path .` in the acs-lint repository), then run \"acs-lint: Restart Server\"."
  );
}

/** The error shown when the binary was found but could not be started or died at start. */
export function startFailedMessage(serverPath: string, error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error);
  return (
    `acs-lint: could not start the language server "${serverPath} lsp": ${reason}. ` +
    'See "acs-lint: Show Output" for details; check "acs-lint.server.path" or reinstall with `cargo install --path .`.'
  );
}

// ---------------------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------------------

export type Severity = "error" | "warning" | "information" | "hint";

/** The object the server reads under the "acs-lint" section (DESIGN.md §7). */
export interface ServerSettings {
  rules: {
    ignore: string[];
    select: string[];
    severity: Record<string, Severity>;
  };
  inlayHints: boolean;
  scanWorkspace: boolean;
}

/** Reads one key of the extension's configuration (a WorkspaceConfiguration's `get`, or a fake). */
export type ConfigReader = (key: string) => unknown;

const SEVERITY_ALIASES: Record<string, Severity> = {
  error: "error",
  warning: "warning",
  warn: "warning",
  information: "information",
  info: "information",
  hint: "hint",
};

function codeList(value: unknown): string[] {
  if (!Array.isArray(value)) {
    return [];
  }
  const out: string[] = [];
  for (const item of value) {
    if (typeof item !== "string") {
      continue;
    }
    const code = item.trim().toUpperCase();
    if (code !== "" && !out.includes(code)) {
      out.push(code);
    }
  }
  return out;
}

function severityMap(value: unknown): Record<string, Severity> {
  const out: Record<string, Severity> = {};
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return out;
  }
  for (const [key, raw] of Object.entries(value as Record<string, unknown>)) {
    if (typeof raw !== "string") {
      continue;
    }
    const severity = SEVERITY_ALIASES[raw.trim().toLowerCase()];
    const code = key.trim().toUpperCase();
    if (severity !== undefined && code !== "") {
      out[code] = severity;
    }
  }
  return out;
}

function bool(value: unknown, fallback: boolean): boolean {
  return typeof value === "boolean" ? value : fallback;
}

/**
 * Maps the extension's settings (`acs-lint.rules.ignore`, ...) to the server's settings object. Only the keys
 * the server knows are sent (not `server.path` or `trace.server`); bad values are dropped, codes upper-cased.
 */
export function toServerSettings(get: ConfigReader): ServerSettings {
  return {
    rules: {
      ignore: codeList(get("rules.ignore")),
      select: codeList(get("rules.select")),
      severity: severityMap(get("rules.severity")),
    },
    inlayHints: bool(get("inlayHints"), false),
    scanWorkspace: bool(get("scanWorkspace"), true),
  };
}

/** Reads a dotted key out of a plain settings object (what `workspace.getConfiguration` holds). */
export function readerFromObject(obj: unknown): ConfigReader {
  return (key: string) => {
    let cur: unknown = obj;
    for (const part of key.split(".")) {
      if (cur === null || typeof cur !== "object") {
        return undefined;
      }
      cur = (cur as Record<string, unknown>)[part];
    }
    return cur;
  };
}

/** Settings whose change needs a new server process rather than a didChangeConfiguration. */
export const RESTART_KEYS: readonly string[] = ["server.path"];

/** Settings the server reads; a change to one of them is sent with workspace/didChangeConfiguration. */
export const SERVER_KEYS: readonly string[] = ["rules", "inlayHints", "scanWorkspace"];

/** The parameters of the workspace/didChangeConfiguration notification the extension sends. */
export function didChangeConfigurationParams(settings: ServerSettings): { settings: Record<string, ServerSettings> } {
  return { settings: { [CONFIG_SECTION]: settings } };
}

/**
 * Answers a workspace/configuration request: items whose section is "acs-lint" get the server settings for
 * their scope, items for a sub-section ("acs-lint.rules") get that part, other items get what `fallback` says.
 */
export function answerConfigurationItems(
  items: ReadonlyArray<{ section?: string; scopeUri?: string }>,
  settingsFor: (scopeUri: string | undefined) => ServerSettings,
  fallback: (index: number) => unknown,
): unknown[] {
  return items.map((item, index) => {
    const section = item.section ?? "";
    if (section === CONFIG_SECTION) {
      return settingsFor(item.scopeUri);
    }
    if (section.startsWith(CONFIG_SECTION + ".")) {
      const value = readerFromObject(settingsFor(item.scopeUri))(section.slice(CONFIG_SECTION.length + 1));
      return value === undefined ? null : value;
    }
    return fallback(index);
  });
}
