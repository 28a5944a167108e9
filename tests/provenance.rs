//! `--provenance`: every verdict names the engine, the rule pack's hash and the lists' versions
//! (docs/records.md, "Provenance"). The hashes are recomputed here, independently, from the
//! documented definition.

use crate::common;

use std::path::{Path, PathBuf};

use common::{code, embargo, err, json_lines, out};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const RECORDS: &str = "tests/provenance/records.jsonl";
const PACK: &str = "tests/provenance/pack";
const UN_LIST: &str = "tests/screening/list.xml";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256_file(path: impl AsRef<Path>) -> String {
    hex(&Sha256::digest(std::fs::read(path).unwrap()))
}

/// The `.rules` files under `dir`, as (path relative to `dir` with `/`, bytes)
fn rule_files(dir: &Path, under: &str, out: &mut Vec<(String, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let relative = if under.is_empty() {
            name
        } else {
            format!("{under}/{name}")
        };
        if path.is_dir() {
            rule_files(&path, &relative, out);
        } else if relative.ends_with(".rules") {
            out.push((relative, std::fs::read(&path).unwrap()));
        }
    }
}

/// The pack hash as docs/records.md defines it: SHA-256 of the `sha256sum` manifest of the
/// files sorted by relative path
fn recomputed_pack_hash(dir: impl AsRef<Path>) -> String {
    let mut files = Vec::new();
    rule_files(dir.as_ref(), "", &mut files);
    assert!(!files.is_empty());
    files.sort();
    let manifest: String = files
        .iter()
        .map(|(path, bytes)| format!("{}  {path}\n", hex(&Sha256::digest(bytes))))
        .collect();
    format!("sha256:{}", hex(&Sha256::digest(manifest.as_bytes())))
}

fn version_json(args: &[&str]) -> Value {
    let mut all = vec!["version", "--format", "json"];
    all.extend_from_slice(args);
    let o = embargo(&all, None);
    assert_eq!(code(&o), 0, "{}", err(&o));
    serde_json::from_str(out(&o).trim()).unwrap()
}

fn tmp(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("provenance")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

#[test]
fn pack_hash_is_the_documented_recomputation() {
    let fixture = version_json(&["--no-lists", "--no-default-rules", "--rules", PACK]);
    assert_eq!(fixture["pack"], recomputed_pack_hash(PACK));
    // The embedded pack is the `rules/` folder: the same hash, embedded or given with --rules.
    let embedded = version_json(&["--no-lists"]);
    assert_eq!(embedded["pack"], recomputed_pack_hash("rules"));
    assert_eq!(
        version_json(&["--no-lists", "--no-default-rules", "--rules", "rules"])["pack"],
        embedded["pack"]
    );
    assert_ne!(embedded["pack"], fixture["pack"]);
    // However the folder is written.
    let absolute = Path::new(env!("CARGO_MANIFEST_DIR")).join(PACK);
    for spelling in [
        format!("{PACK}/"),
        format!("./{PACK}"),
        absolute.display().to_string(),
    ] {
        let p = version_json(&["--no-lists", "--no-default-rules", "--rules", &spelling]);
        assert_eq!(p["pack"], fixture["pack"], "{spelling}");
    }
}

#[test]
fn files_given_one_by_one_are_named_by_their_file_names() {
    let regime = format!("{PACK}/regime.rules");
    let arms = format!("{PACK}/arms/from_kp.rules");
    let p = version_json(&[
        "--no-lists",
        "--no-default-rules",
        "--rules",
        &arms,
        "--rules",
        &regime,
    ]);
    let manifest = format!(
        "{}  from_kp.rules\n{}  regime.rules\n",
        sha256_file(&arms),
        sha256_file(&regime)
    );
    let expected = format!("sha256:{}", hex(&Sha256::digest(manifest.as_bytes())));
    assert_eq!(p["pack"], expected);
    assert_ne!(p["pack"], recomputed_pack_hash(PACK));
}

#[test]
fn pack_hash_changes_when_a_rule_file_changes() {
    let dir = tmp("changed-pack");
    copy_dir(Path::new(PACK), &dir);
    let dir_arg = dir.to_str().unwrap();
    let before =
        version_json(&["--no-lists", "--no-default-rules", "--rules", dir_arg])["pack"].clone();
    // Where the pack lies does not matter, only its files' relative paths and bytes.
    assert_eq!(before, recomputed_pack_hash(PACK));

    let file = dir.join("arms/from_kp.rules");
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("# one more comment\n");
    std::fs::write(&file, text).unwrap();
    let edited =
        version_json(&["--no-lists", "--no-default-rules", "--rules", dir_arg])["pack"].clone();
    assert_ne!(edited, before);
    assert_eq!(edited, recomputed_pack_hash(&dir));

    // A file moved to another folder is another pack.
    std::fs::rename(&file, dir.join("from_kp.rules")).unwrap();
    let moved =
        version_json(&["--no-lists", "--no-default-rules", "--rules", dir_arg])["pack"].clone();
    assert_ne!(moved, edited);
    assert_eq!(moved, recomputed_pack_hash(&dir));
}

#[test]
fn each_verdict_carries_the_provenance_of_the_spec() {
    let o = embargo(
        &[
            "screen",
            "--provenance",
            "--no-default-rules",
            "--rules",
            PACK,
            "--list",
            UN_LIST,
            RECORDS,
        ],
        None,
    );
    assert_eq!(code(&o), 1, "{}", err(&o));
    let expected = json!({
        "engine": env!("CARGO_PKG_VERSION"),
        "pack": recomputed_pack_hash(PACK),
        "lists": [{
            "name": "list.xml",
            "generated": "2026-05-08T23:00:06.922Z",
            "sha256": sha256_file(UN_LIST),
        }],
    });
    let text = out(&o);
    let verdicts = json_lines(&text);
    // N records in, N verdicts out, each (the invalid one too) with the same provenance.
    assert_eq!(verdicts.len(), 3);
    for v in &verdicts {
        assert_eq!(v["provenance"], expected, "{v}");
    }
    assert_eq!(verdicts[2]["verdict"], "invalid");
    // The field comes last, after everything the verdict says, its fields in the spec's order.
    let stamp = format!(
        r#","provenance":{{"engine":"{}","pack":"{}","lists":[{{"name":"list.xml","generated":"2026-05-08T23:00:06.922Z","sha256":"{}"}}]}}}}"#,
        env!("CARGO_PKG_VERSION"),
        recomputed_pack_hash(PACK),
        sha256_file(UN_LIST)
    );
    assert!(text.lines().all(|l| l.ends_with(&stamp)), "{text}");
    // The list named in findings is the list named in provenance.
    let found = &verdicts[0]["findings"][0];
    assert_eq!(found["rule"], "test.arms.from_kp");
}

#[test]
fn the_list_name_is_the_one_findings_give() {
    let records = r#"{"id": "payee", "date": "2024-03-01", "activity": "payment", "parties": [{"role": "payee", "name": "Korea Fictive Trading Corporation", "kind": "entity"}]}"#;
    let o = embargo(
        &["screen", "--provenance", "--list", UN_LIST, "-"],
        Some(records),
    );
    let v = &json_lines(&out(&o))[0];
    let list = v["findings"][0]["matches"][0]["list"].as_str().unwrap();
    let name = v["provenance"]["lists"][0]["name"].as_str().unwrap();
    assert!(list.starts_with(name), "{list} / {name}");
}

#[test]
fn every_list_file_read_has_its_hash() {
    let files = [
        "tests/lists/sdn.csv",
        "tests/lists/alt.csv",
        "tests/lists/add.csv",
        "tests/screening/vessels.csv",
    ];
    let mut args = vec!["--no-default-rules", "--rules", PACK];
    for f in &files {
        args.extend(["--list", f]);
    }
    let p = version_json(&args);
    let lists = p["lists"].as_array().unwrap();
    let names: Vec<&str> = lists.iter().map(|l| l["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["sdn.csv", "alt.csv", "add.csv", "vessels.csv"]);
    for (l, f) in lists.iter().zip(files) {
        assert_eq!(l["sha256"], sha256_file(f), "{f}");
        // These files carry no generation date: said as null, not left out.
        assert_eq!(l["generated"], Value::Null, "{f}");
    }
}

#[test]
fn a_run_with_no_list_says_so() {
    let o = embargo(
        &[
            "screen",
            "--provenance",
            "--no-lists",
            "--no-default-rules",
            "--rules",
            PACK,
            RECORDS,
        ],
        None,
    );
    for v in json_lines(&out(&o)) {
        assert_eq!(v["provenance"]["lists"], json!([]), "{v}");
    }
    // Nothing cached (tests/common sets an empty cache): no list either.
    let o = embargo(
        &[
            "screen",
            "--provenance",
            "--no-default-rules",
            "--rules",
            PACK,
            RECORDS,
        ],
        None,
    );
    for v in json_lines(&out(&o)) {
        assert_eq!(v["provenance"]["lists"], json!([]), "{v}");
    }
}

#[test]
fn absent_without_the_flag() {
    let o = embargo(
        &[
            "screen",
            "--no-default-rules",
            "--rules",
            PACK,
            "--list",
            UN_LIST,
            RECORDS,
        ],
        None,
    );
    let verdicts = json_lines(&out(&o));
    assert_eq!(verdicts.len(), 3);
    assert!(verdicts.iter().all(|v| v.get("provenance").is_none()));
    let o = embargo(
        &[
            "screen",
            "--format",
            "table",
            "--no-default-rules",
            "--rules",
            PACK,
            RECORDS,
        ],
        None,
    );
    assert!(!out(&o).contains("provenance:"), "{}", out(&o));
    assert!(!out(&o).contains("sha256"), "{}", out(&o));
}

#[test]
fn the_table_prints_it_once_in_its_header() {
    let o = embargo(
        &[
            "screen",
            "--provenance",
            "--format",
            "table",
            "--no-default-rules",
            "--rules",
            PACK,
            "--list",
            UN_LIST,
            RECORDS,
        ],
        None,
    );
    let text = out(&o);
    assert_eq!(text.matches("provenance:").count(), 1, "{text}");
    assert_eq!(text.matches("sha256:").count(), 2, "{text}");
    let header: String = text
        .lines()
        .take_while(|l| !l.starts_with("from-kp"))
        .map(|l| format!("{l}\n"))
        .collect();
    let header = header.replace(env!("CARGO_PKG_VERSION"), "[version]");
    insta::assert_snapshot!(header, @r"
    provenance: engine [version], pack sha256:2a1f669ddb942c5297f87817b0065dee8a70091a0e5f3d92f9b3ad37373abbee
      list list.xml: generated 2026-05-08T23:00:06.922Z, sha256:a4a34faa33ceb2cec01635deb56e02ad06d50509541dd252d33fe105da22f1c6
    ID                           VERDICT                 RULE                                         CITATIONS
    ");
    // The hashes in the header are those of the files.
    assert!(header.contains(&recomputed_pack_hash(PACK)));
    assert!(header.contains(&sha256_file(UN_LIST)));
}

#[test]
fn explain_json_carries_it_in_its_verdict() {
    let args = [
        "explain",
        "--format",
        "json",
        "--no-default-rules",
        "--rules",
        PACK,
        "--list",
        UN_LIST,
        RECORDS,
    ];
    let plain: Value = serde_json::from_str(&out(&embargo(&args, None))).unwrap();
    let mut with = args.to_vec();
    with.push("--provenance");
    let o = embargo(&with, None);
    assert_eq!(code(&o), 1, "{}", err(&o));
    let mut stamped: Value = serde_json::from_str(&out(&o)).unwrap();
    let screened = embargo(
        &[
            "screen",
            "--provenance",
            "--no-default-rules",
            "--rules",
            PACK,
            "--list",
            UN_LIST,
            RECORDS,
        ],
        None,
    );
    let screened = &json_lines(&out(&screened))[0];
    assert_eq!(stamped["verdict"]["provenance"], screened["provenance"]);
    // Otherwise the explanation is the same as without the flag.
    stamped["verdict"]
        .as_object_mut()
        .unwrap()
        .remove("provenance");
    assert_eq!(stamped, plain);
    assert!(plain["verdict"].get("provenance").is_none());
}

#[test]
fn explain_for_people_ends_with_it() {
    let o = embargo(
        &[
            "explain",
            "--provenance",
            "--no-lists",
            "--no-default-rules",
            "--rules",
            PACK,
            RECORDS,
        ],
        None,
    );
    let text = out(&o);
    let tail = text.rsplit("\n\n").next().unwrap();
    assert_eq!(
        tail,
        format!(
            "provenance: engine {}, pack {}\n  lists: none\n",
            env!("CARGO_PKG_VERSION"),
            recomputed_pack_hash(PACK)
        )
    );
}

/// `embargo version` of the test pack alone and the test list
fn version_of_the_test_pack() -> std::process::Output {
    embargo(
        &[
            "version",
            "--no-default-rules",
            "--rules",
            PACK,
            "--list",
            UN_LIST,
        ],
        None,
    )
}

#[test]
fn version_for_people() {
    let o = version_of_the_test_pack();
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert_eq!(
        out(&o),
        format!(
            "provenance: engine {}, pack {}\n  list list.xml: generated 2026-05-08T23:00:06.922Z, sha256:{}\n",
            env!("CARGO_PKG_VERSION"),
            recomputed_pack_hash(PACK),
            sha256_file(UN_LIST)
        )
    );
}

#[test]
fn the_example_of_docs_cli_is_true() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/cli.md")).unwrap();
    let o = version_of_the_test_pack();
    let example = format!(
        "$ embargo version --no-default-rules --rules {PACK} --list {UN_LIST}\n{}```",
        out(&o)
    );
    assert!(
        doc.contains(&example),
        "docs/cli.md should show:\n{example}"
    );
}

/// The library's facade names the embedded pack as the command line does
#[test]
fn the_facade_hashes_the_embedded_pack_as_the_cli_does() {
    let cli = version_json(&["--no-lists"]);
    let pack = embargo::Pack::embedded().unwrap();
    assert_eq!(cli["pack"], pack.hash(), "{cli}");
}
