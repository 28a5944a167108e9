//! Screening against the list cache's dated snapshots: each record against the version in force
//! on its date, on fictional versions and on the three real versions of the UN list.

use crate::common;
use crate::lists_update::{fixture, fresh_dir, lists, read, snapshot_days, stderr, update_with};
use common::shared_file;

/// A record is screened against the snapshot in force on its date: an entry removed from the
/// list matches records dated before the removal only; an entry listed after the snapshot in
/// force was generated (but on or before the record's date) is found in the newest; a record
/// older than every snapshot is screened against the newest; each match says which version
#[test]
fn each_record_is_screened_against_the_snapshot_in_force_on_its_date() {
    let dir = fresh_dir("snapshots");
    for name in ["snap-2026-01-10.xml", "snap-2026-03-10.xml"] {
        let out = update_with(fixture(name), &dir, &[]);
        assert_eq!(out.status.code(), Some(0));
    }
    let out = lists(&["snapshots", "--cache-dir", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let listed = String::from_utf8_lossy(&out.stdout).into_owned();
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(lines.len(), 2, "{listed}");
    assert!(
        lines[0].starts_with("2026-01-10  generated 2026-01-10T23:00:00.000Z  3 entries"),
        "{listed}"
    );
    assert!(
        lines[1].starts_with("2026-03-10  generated 2026-03-10T23:00:00.000Z  3 entries"),
        "{listed}"
    );
    assert!(lines.iter().all(|l| l.ends_with("  ok")), "{listed}");

    let record = |id: &str, date: &str, name: &str| {
        serde_json::json!({"id": id, "date": date, "activity": "payment",
            "parties": [{"role": "payee", "name": name, "kind": "entity"}]})
        .to_string()
    };
    let input = [
        record(
            "removed-before",
            "2026-02-01",
            "FICTIVE OCEAN SHIPPING COMPANY",
        ),
        record(
            "removed-after",
            "2026-04-01",
            "FICTIVE OCEAN SHIPPING COMPANY",
        ),
        record("older-than-all", "2025-12-01", "NORTHERN STAR FICTIVE BANK"),
        record(
            "listed-since",
            "2026-02-15",
            "SOUTHERN GATE FICTIVE TRADING",
        ),
        record(
            "not-yet-listed",
            "2026-01-20",
            "SOUTHERN GATE FICTIVE TRADING",
        ),
    ]
    .join("\n");
    let screen = |input: &str| {
        common::embargo(
            &["screen", "--cache-dir", dir.to_str().unwrap(), "-"],
            Some(input),
        )
    };
    let out = screen(&input);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let verdicts: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let matches = |i: usize| -> Vec<(String, String, Vec<String>)> {
        verdicts[i]["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|f| f["matches"].as_array().cloned().unwrap_or_default())
            .map(|m| {
                (
                    m["reference"].as_str().unwrap().to_string(),
                    m["list"].as_str().unwrap().to_string(),
                    m["why"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|w| w.as_str().unwrap().to_string())
                        .collect(),
                )
            })
            .collect()
    };
    let m = matches(0);
    assert_eq!(m.len(), 1, "{stdout}");
    assert_eq!(m[0].0, "KPe.951");
    assert_eq!(m[0].1, "un-consolidated.xml (2026-01-10)");
    // Why, whole: the name compared, the version chosen and why, and the later removal.
    assert_eq!(
        m[0].2,
        [
            "name `FICTIVE OCEAN SHIPPING COMPANY` against `FICTIVE OCEAN SHIPPING COMPANY`: 1.00",
            "list version of 2026-01-10: the newest generated on or before the record's date 2026-02-01",
            "removed from the list since: the version of 2026-03-10 no longer has it"
        ]
    );
    assert!(matches(1).is_empty(), "{stdout}");
    assert_eq!(verdicts[1]["verdict"], "clear");
    let m = matches(2);
    assert_eq!(m.len(), 1, "{stdout}");
    assert_eq!(m[0].0, "KPe.952");
    assert_eq!(m[0].1, "un-consolidated.xml (2026-03-10)");
    assert_eq!(
        m[0].2,
        [
            "name `NORTHERN STAR FICTIVE BANK` against `NORTHERN STAR FICTIVE BANK`: 1.00",
            "list version of 2026-03-10: the newest, as none was generated on or before the record's date 2025-12-01"
        ]
    );
    let m = matches(3);
    assert_eq!(m.len(), 1, "{stdout}");
    assert_eq!(m[0].0, "KPe.954");
    assert_eq!(
        m[0].2,
        [
            "name `SOUTHERN GATE FICTIVE TRADING` against `SOUTHERN GATE FICTIVE TRADING`: 1.00",
            "list version of 2026-03-10: the entry is not in the version of 2026-01-10 in force on the record's date 2026-02-15, but was listed by then"
        ]
    );
    assert!(matches(4).is_empty(), "{stdout}");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("un-consolidated.xml: snapshots used (generated): 2026-01-10T23:00:00.000Z, 2026-03-10T23:00:00.000Z"),
        "{}",
        stderr(&out)
    );

    // Provenance names every snapshot a record may be screened against, with its SHA-256.
    let version = common::embargo(
        &[
            "version",
            "--format",
            "json",
            "--cache-dir",
            dir.to_str().unwrap(),
        ],
        None,
    );
    let version: serde_json::Value = serde_json::from_slice(&version.stdout).unwrap();
    let sha = |name: &str| {
        use std::fmt::Write as _;
        let digest = <sha2::Sha256 as sha2::Digest>::digest(fixture(name));
        digest.iter().fold(String::new(), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
    };
    assert_eq!(
        version["lists"],
        serde_json::json!([
            {"name": "un-consolidated.xml", "generated": "2026-01-10T23:00:00.000Z", "sha256": sha("snap-2026-01-10.xml")},
            {"name": "un-consolidated.xml", "generated": "2026-03-10T23:00:00.000Z", "sha256": sha("snap-2026-03-10.xml")},
        ])
    );

    // Only the newest is read when no record needs an older one.
    let out = screen(&record(
        "recent",
        "2026-04-01",
        "NORTHERN STAR FICTIVE BANK",
    ));
    assert!(
        stderr(&out).contains("snapshots used (generated): 2026-03-10T23:00:00.000Z\n"),
        "{}",
        stderr(&out)
    );

    // An older snapshot whose metadata no longer matches: the run that needs it fails (exit 2),
    // the one that does not is unaffected.
    let meta_path = dir.join("un/2026-01-10.json");
    let mut meta: serde_json::Value = serde_json::from_slice(&read(&meta_path)).unwrap();
    meta["entries"] = 4.into();
    std::fs::write(&meta_path, serde_json::to_vec(&meta).unwrap()).unwrap();
    let out = screen(&record(
        "old",
        "2026-02-01",
        "FICTIVE OCEAN SHIPPING COMPANY",
    ));
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("it has 3 entries, the metadata says 4"),
        "{err}"
    );
    assert!(err.contains("2026-01-10.xml"), "{err}");
    let out = screen(&record(
        "recent",
        "2026-04-01",
        "NORTHERN STAR FICTIVE BANK",
    ));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The three real versions of the UN list in ../shared/data/un, cached in date order: QDe.137
/// (on the lists of 2025-08-02 and 2026-02-27, gone from that of 2026-05-08) matches a record
/// of March 2026 and not one of June 2026; QDi.437 (listed 2026-03-26, first on the list of
/// 2026-05-08) matches a record of April 2026, from the newest, and not one of 2026-03-20
#[test]
#[cfg_attr(
    not(embargo_shared),
    ignore = "needs ../shared: set EMBARGO_SHARED=../shared"
)]
fn real_un_versions_as_of_the_record_date() {
    let (Some(legacy), Some(feb), Some(may)) = (
        shared_file("data/un/consolidated-legacy-2025-08-02.xml"),
        shared_file("data/un/consolidated-2026-02-27.xml"),
        shared_file("data/un/consolidated-2026-05-08.xml"),
    ) else {
        return;
    };
    let dir = fresh_dir("real");
    for path in [&legacy, &feb, &may] {
        let out = update_with(read(path), &dir, &[]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    assert_eq!(
        snapshot_days(&dir),
        ["2025-08-02", "2026-02-27", "2026-05-08"]
    );
    let nusrah = "AL-NUSRAH FRONT FOR THE PEOPLE OF THE LEVANT";
    let jaburi = "SAMI JASIM MUHAMMAD JAATA AL-JABURI";
    let cases = [
        (
            "2025-09-01",
            nusrah,
            "entity",
            Some("QDe.137"),
            "2025-08-02",
        ),
        (
            "2026-03-01",
            nusrah,
            "entity",
            Some("QDe.137"),
            "2026-02-27",
        ),
        ("2026-06-01", nusrah, "entity", None, ""),
        ("2026-03-20", jaburi, "individual", None, ""),
        (
            "2026-04-01",
            jaburi,
            "individual",
            Some("QDi.437"),
            "2026-05-08",
        ),
    ];
    for (date, name, kind, expected, version) in cases {
        let record = serde_json::json!({"id": date, "date": date, "activity": "payment",
            "parties": [{"role": "payee", "name": name, "kind": kind}]})
        .to_string();
        let out = common::embargo(
            &["screen", "--cache-dir", dir.to_str().unwrap(), "-"],
            Some(&record),
        );
        let verdict: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let matches: Vec<(String, String)> = verdict["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|f| f["matches"].as_array().cloned().unwrap_or_default())
            .map(|m| {
                (
                    m["reference"].as_str().unwrap().to_string(),
                    m["list"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        let wanted = ["QDe.137", "QDi.437"];
        let found: Vec<&(String, String)> = matches
            .iter()
            .filter(|(r, _)| wanted.contains(&r.as_str()))
            .collect();
        match expected {
            Some(reference) => {
                let want = (
                    reference.to_string(),
                    format!("un-consolidated.xml ({version})"),
                );
                assert_eq!(found, [&want], "{date} {name}: {matches:?}");
                assert_eq!(verdict["verdict"], "prohibited");
            }
            None => assert!(found.is_empty(), "{date} {name}: {matches:?}"),
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
