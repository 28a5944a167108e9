//! The 2022 news report's transactions (../shared/examples) come out as news-2022.expected.jsonl says.

use crate::common;

use std::collections::BTreeSet;

use common::{code, embargo, json_lines, out, shared_file};

#[test]
#[cfg_attr(
    not(embargo_shared),
    ignore = "needs ../shared: set EMBARGO_SHARED=../shared"
)]
fn news_2022_records_get_the_expected_verdicts_and_citations() {
    let (Some(records), Some(expected)) = (
        shared_file("examples/news-2022.yaml"),
        shared_file("examples/news-2022.expected.jsonl"),
    ) else {
        return;
    };
    let output = embargo(&["screen", records.to_str().unwrap()], None);
    assert_eq!(
        code(&output),
        1,
        "something in the news is prohibited, so screen exits 1"
    );
    let verdicts = json_lines(&out(&output));
    let expected = json_lines(&std::fs::read_to_string(expected).unwrap());
    assert_eq!(verdicts.len(), expected.len(), "one verdict per record");
    for (verdict, want) in verdicts.iter().zip(&expected) {
        let id = want["id"].as_str().unwrap();
        eprintln!("checking {id}");
        assert_eq!(verdict["id"], want["id"], "verdicts come in input order");
        assert_eq!(verdict["verdict"], want["verdict"], "{id}: {verdict}");
        let cited: BTreeSet<&str> = verdict["findings"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|f| f["citations"].as_array().unwrap())
            .map(|c| c["resolution"].as_str().unwrap())
            .collect();
        for c in want["cites"].as_array().unwrap() {
            assert!(
                cited.contains(c.as_str().unwrap()),
                "{id} must cite {c}; cites {cited:?}"
            );
        }
        for c in want
            .get("must_not_cite")
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
        {
            assert!(
                !cited.contains(c.as_str().unwrap()),
                "{id} must not cite {c}"
            );
        }
    }
}

#[test]
fn the_bundled_examples_tell_the_same_story() {
    let output = embargo(&["screen", "examples/news-2022.jsonl"], None);
    assert_eq!(code(&output), 1);
    let got: Vec<(String, String)> = json_lines(&out(&output))
        .iter()
        .map(|v| {
            (
                v["id"].as_str().unwrap().to_string(),
                v["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want = [
        ("shells-2022", "prohibited"),
        ("shells-payment-2023", "prohibited"),
        ("shells-before-1874", "clear"),
        ("drones-2019", "authorization_required"),
        ("drones-2022", "authorization_required"),
        ("drones-2024", "clear"),
        ("drones-2026", "prohibited"),
        ("workers-luhansk-2022", "prohibited"),
        ("workers-2016", "clear"),
        ("tobacco-after-veto", "clear"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn findings_of_re_applied_iran_measures_say_their_force_is_disputed() {
    let output = embargo(&["screen", "examples/news-2022.jsonl"], None);
    let verdicts = json_lines(&out(&output));
    let drones_2026 = verdicts.iter().find(|v| v["id"] == "drones-2026").unwrap();
    // Each finding by rule with its notes whole (the loops below passed on no finding at all,
    // and on any note with "dispute" in it).
    let rules_and_notes = |v: &serde_json::Value| -> Vec<(String, Vec<String>)> {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_string(),
                    f["notes"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|n| n.as_str().unwrap().to_string())
                        .collect(),
                )
            })
            .collect()
    };
    let disputed = "re-applied on 28 September 2025 under resolution 2231 paragraph 12; Iran, China and Russia dispute that these measures are in force".to_string();
    assert_eq!(
        rules_and_notes(drones_2026),
        [
            (
                "un.iran.1737.nuclear_missile_from_iran".to_string(),
                vec![disputed.clone()]
            ),
            (
                "un.iran.1747.arms_from_iran".to_string(),
                vec![disputed.clone()]
            ),
        ]
    );
    for f in drones_2026["findings"].as_array().unwrap() {
        let notes = f["notes"].as_array().unwrap();
        assert!(
            notes
                .iter()
                .any(|n| n.as_str().unwrap().contains("dispute")),
            "{f}"
        );
    }
    let drones_2019 = verdicts.iter().find(|v| v["id"] == "drones-2019").unwrap();
    assert_eq!(
        rules_and_notes(drones_2019),
        [
            ("un.iran.2231.missile_transfers".to_string(), vec![]),
            ("un.iran.2231.arms_from_iran".to_string(), vec![]),
        ]
    );
    for f in drones_2019["findings"].as_array().unwrap() {
        assert!(
            f["notes"].as_array().unwrap().is_empty(),
            "2231 findings are not disputed: {f}"
        );
    }
}

#[test]
fn a_finding_cites_only_resolutions_adopted_by_the_records_date() {
    // un.dprk.arms.from_dprk cites 1718, 1874 and 2270; in 2010 2270 did not exist yet.
    let record = r#"{"id": "x", "date": "2010-01-05", "activity": "trade", "origin": "KP", "goods": [{"hs": "930690"}]}"#;
    let output = embargo(&["screen", "-"], Some(record));
    let v = &json_lines(&out(&output))[0];
    let cited: Vec<&str> = v["findings"][0]["citations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["resolution"].as_str().unwrap())
        .collect();
    assert_eq!(cited, ["S/RES/1718 (2006)", "S/RES/1874 (2009)"]);
}
