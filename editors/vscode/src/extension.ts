// VS Code glue: starts `acs-lint lsp` with vscode-languageclient and keeps its settings in step.
// Everything that can be tested without VS Code lives in ./core.

import * as fs from "fs";
import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
} from "vscode-languageclient/node";

import {
  answerConfigurationItems,
  CLIENT_ID,
  CLIENT_NAME,
  CONFIG_FILE_NAME,
  CONFIG_SECTION,
  didChangeConfigurationParams,
  documentSelector,
  resolveServerPath,
  RESTART_KEYS,
  SERVER_ARGS,
  SERVER_KEYS,
  ServerSettings,
  startFailedMessage,
  toServerSettings,
} from "./core";

let client: LanguageClient | undefined;
let outputChannel: vscode.OutputChannel;
/** Tells the server when an acs-lint.toml is created, changed or deleted (workspace/didChangeWatchedFiles). */
let configFileWatcher: vscode.FileSystemWatcher;
let extensionContext: vscode.ExtensionContext;
/** Serialises start/stop/restart so that quick repeated commands do not race. */
let lifecycle: Promise<void> = Promise.resolve();

export function activate(context: vscode.ExtensionContext): Promise<void> {
  extensionContext = context;
  outputChannel = vscode.window.createOutputChannel("acs-lint");
  context.subscriptions.push(outputChannel);
  configFileWatcher = vscode.workspace.createFileSystemWatcher(`**/${CONFIG_FILE_NAME}`);
  context.subscriptions.push(configFileWatcher);

  context.subscriptions.push(
    vscode.commands.registerCommand("acs-lint.restartServer", () => queue(restartClient)),
    vscode.commands.registerCommand("acs-lint.showOutput", () => outputChannel.show(true)),
    vscode.workspace.onDidChangeConfiguration((event) => onConfigurationChanged(event)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => queue(restartClient)),
  );

  return queue(startClient);
}

export function deactivate(): Promise<void> {
  return queue(stopClient);
}

function queue(step: () => Promise<void>): Promise<void> {
  lifecycle = lifecycle.then(step, step);
  return lifecycle;
}

function firstWorkspaceFolder(): string | undefined {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === "file");
  return folder?.uri.fsPath;
}

/** The server settings for a resource (a workspace folder or a file) or the window. */
function serverSettings(scope?: vscode.Uri): ServerSettings {
  const config = vscode.workspace.getConfiguration(CONFIG_SECTION, scope ?? null);
  return toServerSettings((key) => config.get(key));
}

async function startClient(): Promise<void> {
  if (client !== undefined) {
    return;
  }
  const config = vscode.workspace.getConfiguration(CONFIG_SECTION);
  // In an untrusted workspace VS Code only hands out the user-level value of restricted settings.
  const configuredPath = config.get<string>("server.path", "");
  const resolved = resolveServerPath({
    configuredPath,
    extensionPath: extensionContext.extensionPath,
    workspaceFolder: firstWorkspaceFolder(),
  });
  outputChannel.appendLine(`[acs-lint] looking for the server in: ${resolved.tried.join(", ")}`);
  if (!resolved.ok) {
    outputChannel.appendLine(`[acs-lint] ${resolved.message}`);
    void showError(resolved.message);
    return;
  }
  if (resolved.source === "bundled" && process.platform !== "win32") {
    ensureExecutable(resolved.path);
  }
  outputChannel.appendLine(`[acs-lint] starting ${resolved.path} ${SERVER_ARGS.join(" ")} (from ${resolved.source})`);

  // No `transport` here on purpose: for an executable, TransportKind.stdio makes vscode-languageclient append
  // `--stdio` to the arguments. Leaving it out still talks over stdin/stdout.
  const serverOptions: ServerOptions = {
    command: resolved.path,
    args: [...SERVER_ARGS],
    options: { env: { ...process.env, RUST_BACKTRACE: process.env.RUST_BACKTRACE ?? "1" } },
  };

  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(),
    outputChannel,
    traceOutputChannel: outputChannel,
    initializationOptions: serverSettings(),
    synchronize: { fileEvents: configFileWatcher },
    middleware: {
      workspace: {
        // The server pulls section "acs-lint": answer with the server-shaped settings, not the raw
        // configuration (which also holds server.path and trace.server).
        configuration: async (params, token, next) => {
          const needsFallback = params.items.some(
            (item) => item.section === undefined || !(item.section === CONFIG_SECTION || item.section.startsWith(CONFIG_SECTION + ".")),
          );
          let fallback: unknown[] = [];
          if (needsFallback) {
            const result = await next(params, token);
            if (Array.isArray(result)) {
              fallback = result;
            }
          }
          return answerConfigurationItems(
            params.items,
            (scopeUri) => serverSettings(scopeUri !== undefined ? vscode.Uri.parse(scopeUri) : undefined),
            (index) => fallback[index] ?? null,
          );
        },
      },
    },
  };

  const newClient = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  newClient.onDidChangeState((event) => {
    if (event.newState === State.Stopped && client === newClient) {
      outputChannel.appendLine("[acs-lint] the language server stopped");
    }
  });
  client = newClient;
  try {
    await newClient.start();
    outputChannel.appendLine("[acs-lint] language server running");
  } catch (error) {
    client = undefined;
    const message = startFailedMessage(resolved.path, error);
    outputChannel.appendLine(`[acs-lint] ${message}`);
    void showError(message);
    try {
      await newClient.dispose();
    } catch {
      // already gone
    }
  }
}

async function stopClient(): Promise<void> {
  const old = client;
  client = undefined;
  if (old === undefined) {
    return;
  }
  try {
    if (old.state !== State.Stopped) {
      await old.stop(5000);
    }
  } catch (error) {
    outputChannel.appendLine(`[acs-lint] error while stopping the server: ${String(error)}`);
  }
  try {
    await old.dispose();
  } catch {
    // ignore
  }
}

async function restartClient(): Promise<void> {
  outputChannel.appendLine("[acs-lint] restarting the language server");
  await stopClient();
  await startClient();
}

function onConfigurationChanged(event: vscode.ConfigurationChangeEvent): void {
  if (!event.affectsConfiguration(CONFIG_SECTION)) {
    return;
  }
  if (RESTART_KEYS.some((key) => event.affectsConfiguration(`${CONFIG_SECTION}.${key}`))) {
    void queue(restartClient);
    return;
  }
  if (!SERVER_KEYS.some((key) => event.affectsConfiguration(`${CONFIG_SECTION}.${key}`))) {
    return; // e.g. trace.server, which vscode-languageclient handles itself
  }
  const current = client;
  if (current === undefined || current.state !== State.Running) {
    return;
  }
  // The server applies the settings in the payload right away (and pulls workspace/configuration when a
  // payload has none).
  void current
    .sendNotification(DidChangeConfigurationNotification.type, didChangeConfigurationParams(serverSettings()))
    .catch((error: unknown) => outputChannel.appendLine(`[acs-lint] could not send settings: ${String(error)}`));
}

function ensureExecutable(file: string): void {
  try {
    fs.accessSync(file, fs.constants.X_OK);
  } catch {
    try {
      fs.chmodSync(file, 0o755);
    } catch (error) {
      outputChannel.appendLine(`[acs-lint] could not make ${file} executable: ${String(error)}`);
    }
  }
}

async function showError(message: string): Promise<void> {
  const openSettings = "Open Settings";
  const showOutput = "Show Output";
  const choice = await vscode.window.showErrorMessage(message, openSettings, showOutput);
  if (choice === openSettings) {
    await vscode.commands.executeCommand("workbench.action.openSettings", `${CONFIG_SECTION}.server.path`);
  } else if (choice === showOutput) {
    outputChannel.show(true);
  }
}
