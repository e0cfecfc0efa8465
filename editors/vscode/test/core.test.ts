// Unit tests for src/core.ts, run with node's built-in test runner (`npm test`).

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";

import {
  answerConfigurationItems,
  binaryName,
  bundledServerPath,
  CLIENT_ID,
  CONFIG_SECTION,
  configuredPathMissingMessage,
  didChangeConfigurationParams,
  documentSelector,
  expandConfiguredPath,
  FileSystem,
  findOnPath,
  LANGUAGE_IDS,
  missingServerMessage,
  readerFromObject,
  realFileSystem,
  resolveServerPath,
  RESTART_KEYS,
  SERVER_ARGS,
  SERVER_KEYS,
  startFailedMessage,
  toServerSettings,
} from "../src/core";

// out/test/core.test.js -> the extension folder
const EXTENSION_DIR = path.resolve(__dirname, "..", "..");
const manifest = JSON.parse(fs.readFileSync(path.join(EXTENSION_DIR, "package.json"), "utf8"));

/** A fake file system: `files` maps a path to whether it is executable. */
function fakeFs(files: Record<string, boolean>): FileSystem {
  return {
    isFile: (p) => Object.prototype.hasOwnProperty.call(files, p),
    isExecutable: (p) => files[p] === true,
  };
}

describe("resolveServerPath", () => {
  const ext = "/ext/acs-lint-0.1.0";
  const env = { PATH: "/usr/local/bin:/usr/bin" };

  it("uses the configured path when it exists", () => {
    const r = resolveServerPath({
      configuredPath: "/opt/acs/acs-lint",
      extensionPath: ext,
      platform: "linux",
      env,
      fs: fakeFs({ "/opt/acs/acs-lint": true, [`${ext}/bin/acs-lint`]: true, "/usr/bin/acs-lint": true }),
    });
    assert.deepEqual(r.ok && { path: r.path, source: r.source }, { path: "/opt/acs/acs-lint", source: "setting" });
  });

  it("does not fall back when the configured path is missing, and says so", () => {
    const r = resolveServerPath({
      configuredPath: "/opt/acs/acs-lint",
      extensionPath: ext,
      platform: "linux",
      env,
      fs: fakeFs({ "/usr/bin/acs-lint": true }),
    });
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.configuredPathMissing, true);
      assert.match(r.message, /acs-lint\.server\.path/);
      assert.match(r.message, /\/opt\/acs\/acs-lint/);
      assert.match(r.message, /does not exist/);
      assert.match(r.message, /cargo install --path \./);
    }
  });

  it("reports a configured file that is not executable", () => {
    const r = resolveServerPath({
      configuredPath: "/opt/acs/acs-lint",
      extensionPath: ext,
      platform: "linux",
      env,
      fs: fakeFs({ "/opt/acs/acs-lint": false }),
    });
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.match(r.message, /is not executable/);
    }
  });

  it("expands ~ and ${workspaceFolder} in the configured path", () => {
    const home = resolveServerPath({
      configuredPath: "~/.cargo/bin/acs-lint",
      extensionPath: ext,
      platform: "linux",
      homeDir: "/home/dev",
      env,
      fs: fakeFs({ "/home/dev/.cargo/bin/acs-lint": true }),
    });
    assert.equal(home.ok && home.path, "/home/dev/.cargo/bin/acs-lint");

    const ws = resolveServerPath({
      configuredPath: "${workspaceFolder}/target/debug/acs-lint",
      extensionPath: ext,
      workspaceFolder: "/src/app",
      platform: "linux",
      env,
      fs: fakeFs({ "/src/app/target/debug/acs-lint": true }),
    });
    assert.equal(ws.ok && ws.path, "/src/app/target/debug/acs-lint");
  });

  it("resolves a relative configured path against the workspace folder", () => {
    const r = resolveServerPath({
      configuredPath: "./target/release/acs-lint",
      extensionPath: ext,
      workspaceFolder: "/src/app",
      platform: "linux",
      env,
      fs: fakeFs({ "/src/app/target/release/acs-lint": true }),
    });
    assert.equal(r.ok && r.path, "/src/app/target/release/acs-lint");
  });

  it("looks a bare configured name up on PATH", () => {
    const r = resolveServerPath({
      configuredPath: "acs-lint-nightly",
      extensionPath: ext,
      platform: "linux",
      env,
      fs: fakeFs({ "/usr/bin/acs-lint-nightly": true }),
    });
    assert.deepEqual(r.ok && { path: r.path, source: r.source }, { path: "/usr/bin/acs-lint-nightly", source: "setting" });
  });

  it("prefers the bundled binary over PATH when the setting is empty", () => {
    const r = resolveServerPath({
      configuredPath: "",
      extensionPath: ext,
      platform: "linux",
      env,
      fs: fakeFs({ [`${ext}/bin/acs-lint`]: true, "/usr/bin/acs-lint": true }),
    });
    assert.deepEqual(r.ok && { path: r.path, source: r.source }, { path: `${ext}/bin/acs-lint`, source: "bundled" });
  });

  it("accepts a bundled binary that lost its executable bit (the extension restores it)", () => {
    const r = resolveServerPath({
      extensionPath: ext,
      platform: "linux",
      env,
      fs: fakeFs({ [`${ext}/bin/acs-lint`]: false }),
    });
    assert.equal(r.ok && r.source, "bundled");
  });

  it("treats a whitespace-only setting as unset", () => {
    const r = resolveServerPath({
      configuredPath: "   ",
      extensionPath: ext,
      platform: "linux",
      env,
      fs: fakeFs({ "/usr/bin/acs-lint": true }),
    });
    assert.deepEqual(r.ok && { path: r.path, source: r.source }, { path: "/usr/bin/acs-lint", source: "path" });
  });

  it("falls back to the first executable acs-lint on PATH", () => {
    const r = resolveServerPath({
      extensionPath: ext,
      platform: "linux",
      env,
      fs: fakeFs({ "/usr/local/bin/acs-lint": false, "/usr/bin/acs-lint": true }),
    });
    assert.deepEqual(r.ok && { path: r.path, source: r.source }, { path: "/usr/bin/acs-lint", source: "path" });
  });

  it("gives an actionable message listing every place it looked", () => {
    const r = resolveServerPath({ extensionPath: ext, platform: "linux", env, fs: fakeFs({}) });
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.configuredPathMissing, false);
      assert.ok(r.tried.includes(`${ext}/bin/acs-lint`));
      assert.ok(r.tried.includes("acs-lint on PATH (/usr/local/bin:/usr/bin)"));
      assert.match(r.message, /not found/);
      assert.match(r.message, /\/ext\/acs-lint-0\.1\.0\/bin\/acs-lint, acs-lint on PATH \(\/usr\/local\/bin:\/usr\/bin\)/);
      assert.match(r.message, /cargo install --path \./);
      assert.match(r.message, /acs-lint\.server\.path/);
      assert.match(r.message, /Restart Server/);
    }
  });

  it("uses bin\\acs-lint.exe and PATHEXT on Windows", () => {
    const bundled = resolveServerPath({
      extensionPath: "C:\\ext",
      platform: "win32",
      env: { Path: "C:\\tools" },
      fs: fakeFs({ "C:\\ext\\bin\\acs-lint.exe": true }),
    });
    assert.equal(bundled.ok && bundled.path, "C:\\ext\\bin\\acs-lint.exe");

    const onPath = resolveServerPath({
      extensionPath: "C:\\ext",
      platform: "win32",
      env: { Path: "C:\\tools;C:\\cargo\\bin", PATHEXT: ".COM;.EXE" },
      fs: fakeFs({ "C:\\cargo\\bin\\acs-lint.exe": false }),
    });
    assert.deepEqual(onPath.ok && { path: onPath.path, source: onPath.source }, {
      path: "C:\\cargo\\bin\\acs-lint.exe",
      source: "path",
    });
  });

  it("finds a real executable on a real PATH", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "acs-lint-test-"));
    try {
      const exe = path.join(dir, binaryName());
      fs.writeFileSync(exe, "#!/bin/sh\necho acs-lint 0.1.0\n");
      fs.chmodSync(exe, 0o755);
      const r = resolveServerPath({ extensionPath: path.join(dir, "no-such-ext"), env: { PATH: dir, Path: dir } });
      assert.equal(r.ok && r.path, exe);
      assert.equal(realFileSystem.isFile(dir), false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("helpers", () => {
  it("names the binary per platform", () => {
    assert.equal(binaryName("linux"), "acs-lint");
    assert.equal(binaryName("darwin"), "acs-lint");
    assert.equal(binaryName("win32"), "acs-lint.exe");
    assert.equal(bundledServerPath("/e", "linux"), "/e/bin/acs-lint");
  });

  it("expands paths", () => {
    assert.equal(expandConfiguredPath("~", { homeDir: "/h", platform: "linux" }), "/h");
    assert.equal(expandConfiguredPath("${userHome}/x", { homeDir: "/h", platform: "linux" }), "/h/x");
    assert.equal(expandConfiguredPath("acs-lint", { workspaceFolder: "/w", platform: "linux" }), "acs-lint");
    assert.equal(expandConfiguredPath("bin/acs-lint", { platform: "linux" }), "bin/acs-lint");
  });

  it("skips empty PATH entries", () => {
    const r = findOnPath("acs-lint", { PATH: "::/bin:" }, "linux", fakeFs({}));
    assert.deepEqual(r.tried, ["/bin/acs-lint"]);
  });

  it("starts the server as `<path> lsp`", () => {
    assert.deepEqual([...SERVER_ARGS], ["lsp"]);
  });

  it("explains a failed start", () => {
    const m = startFailedMessage("/x/acs-lint", new Error("spawn EACCES"));
    assert.match(m, /\/x\/acs-lint lsp/);
    assert.match(m, /spawn EACCES/);
    assert.match(m, /Show Output/);
    assert.match(configuredPathMissingMessage("~/a", "/h/a", false), /"~\/a" \(\/h\/a\)/);
    assert.match(missingServerMessage(["a", "b"]), /tried: a, b/);
  });

  it("selects every supported language on disk and in untitled editors", () => {
    const selector = documentSelector();
    assert.equal(selector.length, LANGUAGE_IDS.length * 2);
    for (const language of LANGUAGE_IDS) {
      assert.ok(selector.some((f) => f.scheme === "file" && f.language === language));
      assert.ok(selector.some((f) => f.scheme === "untitled" && f.language === language));
    }
  });
});

describe("toServerSettings", () => {
  it("gives the server's defaults for an empty configuration", () => {
    assert.deepEqual(
      toServerSettings(() => undefined),
      { rules: { ignore: [], select: [], severity: {} }, inlayHints: false, scanWorkspace: true },
    );
  });

  it("maps the extension settings to the server's shape", () => {
    const raw = {
      server: { path: "/x/acs-lint" },
      trace: { server: "verbose" },
      rules: { ignore: ["ACS006"], select: [], severity: { ACS007: "warning" } },
      inlayHints: true,
      scanWorkspace: false,
    };
    assert.deepEqual(toServerSettings(readerFromObject(raw)), {
      rules: { ignore: ["ACS006"], select: [], severity: { ACS007: "warning" } },
      inlayHints: true,
      scanWorkspace: false,
    });
  });

  it("normalises codes and drops bad values", () => {
    const raw = {
      rules: {
        ignore: [" acs006 ", "ACS006", 7, null, ""],
        select: "ACS001",
        severity: { acs007: "Warn", ACS001: "fatal", ACS002: 3, ACS003: "info", ACS004: "HINT" },
      },
      inlayHints: "yes",
      scanWorkspace: null,
    };
    assert.deepEqual(toServerSettings(readerFromObject(raw)), {
      rules: { ignore: ["ACS006"], select: [], severity: { ACS007: "warning", ACS003: "information", ACS004: "hint" } },
      inlayHints: false,
      scanWorkspace: true,
    });
  });

  it("wraps settings for workspace/didChangeConfiguration under the section", () => {
    const s = toServerSettings(readerFromObject({ rules: { ignore: ["ACS001"] } }));
    assert.deepEqual(didChangeConfigurationParams(s), { settings: { "acs-lint": s } });
  });
});

describe("answerConfigurationItems", () => {
  const settings = toServerSettings(readerFromObject({ rules: { ignore: ["ACS006"] }, inlayHints: true }));

  it("answers the acs-lint section with server settings per scope and delegates the rest", () => {
    const scopes: Array<string | undefined> = [];
    const answer = answerConfigurationItems(
      [{ section: "acs-lint", scopeUri: "file:///w/a.py" }, { section: "editor" }, { section: "acs-lint.rules" }, {}],
      (scope) => {
        scopes.push(scope);
        return settings;
      },
      (index) => `fallback-${index}`,
    );
    assert.deepEqual(answer, [settings, "fallback-1", settings.rules, "fallback-3"]);
    assert.deepEqual(scopes, ["file:///w/a.py", undefined]);
  });

  it("returns null for an unknown sub-section", () => {
    assert.deepEqual(answerConfigurationItems([{ section: "acs-lint.nope" }], () => settings, () => 1), [null]);
  });
});

describe("package.json agrees with the code", () => {
  const props: Record<string, { default?: unknown; enum?: unknown[] }> = manifest.contributes.configuration.properties;

  it("has the marketplace identity", () => {
    assert.equal(manifest.name, "acs-lint");
    assert.equal(manifest.publisher, "acs-lint");
    assert.equal(manifest.engines.vscode, "^1.85.0");
    assert.equal(manifest.main, "./dist/extension.js");
    assert.equal(manifest.license, "MIT");
    assert.ok(fs.existsSync(path.join(EXTENSION_DIR, "LICENSE")));
    assert.ok(fs.existsSync(path.join(EXTENSION_DIR, "README.md")));
  });

  it("activates on every supported language", () => {
    assert.deepEqual(
      [...manifest.activationEvents].sort(),
      LANGUAGE_IDS.map((l) => `onLanguage:${l}`).sort(),
    );
  });

  it("contributes every setting the extension reads, with the documented defaults", () => {
    assert.deepEqual(Object.keys(props).sort(), [
      "acs-lint.inlayHints",
      "acs-lint.rules.ignore",
      "acs-lint.rules.select",
      "acs-lint.rules.severity",
      "acs-lint.scanWorkspace",
      "acs-lint.server.path",
      "acs-lint.trace.server",
    ]);
    assert.equal(props["acs-lint.server.path"].default, "");
    assert.deepEqual(props["acs-lint.trace.server"].enum, ["off", "messages", "verbose"]);
    assert.equal(props["acs-lint.inlayHints"].default, false);
    assert.equal(props["acs-lint.scanWorkspace"].default, true);
    // The trace setting must be `<client id>.trace.server` for vscode-languageclient to pick it up.
    assert.ok(props[`${CLIENT_ID}.trace.server`]);
    // Every key that restarts the server or is sent to it is a contributed setting (or a group of them).
    for (const key of [...RESTART_KEYS, ...SERVER_KEYS]) {
      assert.ok(
        Object.keys(props).some((p) => p === `${CONFIG_SECTION}.${key}` || p.startsWith(`${CONFIG_SECTION}.${key}.`)),
        key,
      );
    }
    // The defaults in package.json give the same server settings as an empty configuration.
    const defaults: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(props)) {
      defaults[key.slice(CONFIG_SECTION.length + 1)] = value.default;
    }
    assert.deepEqual(toServerSettings((key) => defaults[key]), toServerSettings(() => undefined));
  });

  it("contributes the two commands", () => {
    const commands: Array<{ command: string; title: string; category?: string }> = manifest.contributes.commands;
    const titles = commands.map((c) => `${c.category ? c.category + ": " : ""}${c.title}`);
    assert.deepEqual(commands.map((c) => c.command).sort(), ["acs-lint.restartServer", "acs-lint.showOutput"]);
    assert.ok(titles.includes("acs-lint: Restart Server"));
    assert.ok(titles.includes("acs-lint: Show Output"));
    const source = fs.readFileSync(path.join(EXTENSION_DIR, "src", "extension.ts"), "utf8");
    for (const c of commands) {
      assert.ok(source.includes(`"${c.command}"`), `extension.ts registers ${c.command}`);
    }
  });

  it("keeps core.ts free of the vscode module", () => {
    const source = fs.readFileSync(path.join(EXTENSION_DIR, "src", "core.ts"), "utf8");
    assert.doesNotMatch(source, /from\s+["']vscode["']|require\(\s*["']vscode["']\s*\)/);
  });

  it("ships the bundle and a bundled binary, not the sources", () => {
    const ignore = fs.readFileSync(path.join(EXTENSION_DIR, ".vscodeignore"), "utf8").split(/\r?\n/);
    for (const pattern of ["src/**", "test/**", "out/**", "node_modules/**"]) {
      assert.ok(ignore.includes(pattern), `.vscodeignore has ${pattern}`);
    }
    assert.ok(!ignore.some((l) => /^(dist|bin)\b/.test(l)), ".vscodeignore keeps dist/ and bin/");
  });
});
