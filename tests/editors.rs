//! The VS Code extension under `editors/vscode/`: its manifest names files that exist, the
//! language, the grammar and the setting docs/editors.md documents; and, where npm can reach
//! its registry (CI), it packages into a .vsix with the npm tooling (`npm ci`, `vsce package`).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn extension() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("editors/vscode")
}

fn manifest() -> Value {
    serde_json::from_str(&std::fs::read_to_string(extension().join("package.json")).unwrap())
        .unwrap()
}

#[test]
fn the_manifest_names_the_language_its_grammar_and_files_that_exist() {
    let m = manifest();
    let language = &m["contributes"]["languages"][0];
    assert_eq!(language["id"], "embargo");
    assert_eq!(language["extensions"], serde_json::json!([".rules"]));
    let grammar = &m["contributes"]["grammars"][0];
    assert_eq!(grammar["language"], "embargo");
    assert_eq!(grammar["scopeName"], "source.embargo");
    for path in [
        m["main"].as_str().unwrap(),
        language["configuration"].as_str().unwrap(),
        grammar["path"].as_str().unwrap(),
        "README.md",
        "package-lock.json",
    ] {
        assert!(extension().join(path).is_file(), "{path} is missing");
    }
    // Each JSON file of the extension parses (the language configuration and the grammar)
    for path in [
        language["configuration"].as_str().unwrap(),
        grammar["path"].as_str().unwrap(),
    ] {
        let text = std::fs::read_to_string(extension().join(path)).unwrap();
        serde_json::from_str::<Value>(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    // The setting of the binary, and the client that starts `embargo lsp` with it
    let setting = &m["contributes"]["configuration"]["properties"]["embargo.path"];
    assert_eq!(setting["default"], "embargo");
    let client = std::fs::read_to_string(extension().join(m["main"].as_str().unwrap())).unwrap();
    assert!(
        client.contains("\"embargo.path\"") || client.contains("get(\"path\")"),
        "{client}"
    );
    assert!(client.contains("args: [\"lsp\"]"), "{client}");
    assert!(m["dependencies"]["vscode-languageclient"].is_string());
    // The lock file pins what the manifest asks for
    let lock: Value = serde_json::from_str(
        &std::fs::read_to_string(extension().join("package-lock.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(lock["name"], m["name"]);
    assert_eq!(
        lock["packages"][""]["dependencies"], m["dependencies"],
        "package-lock.json is out of date: run npm install in editors/vscode"
    );
}

#[test]
#[ignore = "needs npm and its registry: .ci/run runs the ignored tests, on a machine with npm"]
fn the_extension_packages_into_a_vsix_with_npm() {
    // A copy of the extension's files (not node_modules) in the test's own folder
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("vscode-extension");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("syntaxes")).unwrap();
    for file in [
        "package.json",
        "package-lock.json",
        "extension.js",
        "language-configuration.json",
        "README.md",
        ".vscodeignore",
        "syntaxes/embargo.tmLanguage.json",
    ] {
        std::fs::copy(extension().join(file), dir.join(file)).unwrap();
    }
    let run = |program: &str, args: &[&str]| {
        let o = Command::new(program)
            .args(args)
            .current_dir(&dir)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
        assert!(
            o.status.success(),
            "{program} {args:?}: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
    };
    run("npm", &["ci", "--no-audit", "--no-fund"]);
    let vsix = dir.join("embargo-rules.vsix");
    run(
        "npx",
        &[
            "vsce",
            "package",
            "--allow-missing-repository",
            "--skip-license",
            "--out",
            vsix.to_str().unwrap(),
        ],
    );
    // A zip whose directory names the manifest, the client, the grammar and the client library
    let bytes = std::fs::read(&vsix).unwrap();
    assert!(bytes.starts_with(b"PK"), "not a zip");
    let text = String::from_utf8_lossy(&bytes);
    for name in [
        "extension/package.json",
        "extension/extension.js",
        "extension/syntaxes/embargo.tmLanguage.json",
        "extension/language-configuration.json",
        "extension/node_modules/vscode-languageclient/",
    ] {
        assert!(text.contains(name), "{name} is not in the .vsix");
    }
}
