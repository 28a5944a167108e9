// The client of `embargo lsp`: starts the server (the binary of the setting `embargo.path`)
// for the rule files of the workspace, and stops it with the editor.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("embargo").get("path") || "embargo";
  const server = { command, args: ["lsp"], transport: TransportKind.stdio };
  client = new LanguageClient(
    "embargo",
    "embargo rules",
    { run: server, debug: server },
    { documentSelector: [{ scheme: "file", language: "embargo" }] }
  );
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("embargo.path")) {
        vscode.window.showInformationMessage("embargo.path changed: reload the window to use it.");
      }
    })
  );
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
