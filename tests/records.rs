//! Strict records (spec/records.md, docs/records.md): each malformed input under tests/records/
//! (one file per case, JSON Lines, JSON and YAML) is screened through the binary and its verdicts
//! are snapshotted; every error names its field, line and column in user words. Then
//! `--allow-unknown-fields`: unknown fields read past, each name said once on stderr.

use crate::common;

use common::{code, embargo, err, json_lines, out};

/// Words that name the program's insides rather than what the user wrote
const INTERNAL_WORDS: &[&str] = &[
    "RawRecord",
    "Raw",
    "u8",
    "u32",
    "i64",
    "usize",
    "Decimal",
    "string or map",
    "invalid type",
    "sequence",
    "struct ",
    "Option<",
    "Vec<",
    "serde",
];

#[test]
fn each_malformed_record_is_invalid_with_every_error_placed() {
    insta::glob!("records/*.*", |path| {
        let name = format!(
            "tests/records/{}",
            path.file_name().unwrap().to_string_lossy()
        );
        let output = embargo(&["screen", "--no-lists", &name], None);
        let status = code(&output);
        assert_ne!(status, 2, "{name}: {}", err(&output));
        let text = out(&output);
        for verdict in json_lines(&text) {
            for error in verdict["errors"].as_array().into_iter().flatten() {
                let error = error.as_str().unwrap();
                // `... at line 3, column 14: ...`: each error says where.
                let (_, place) = error
                    .split_once(" at line ")
                    .unwrap_or_else(|| panic!("{name}: no line in {error}"));
                assert!(place.contains(", column "), "{name}: no column in {error}");
                for word in INTERNAL_WORDS {
                    assert!(!error.contains(word), "{name}: {word:?} in {error}");
                }
            }
        }
        insta::assert_snapshot!(format!("exit status {status}\n{text}"));
    });
}

#[test]
fn a_misspelt_field_is_never_clear() {
    // The issue's own case: an arms sale from the DPRK with `origin` misspelt.
    let output = embargo(
        &["screen", "--no-lists", "tests/records/typo_origin.json"],
        None,
    );
    assert_eq!(code(&output), 1);
    let verdicts = json_lines(&out(&output));
    assert_eq!(verdicts.len(), 1);
    assert_eq!(verdicts[0]["verdict"], "invalid");
    assert_eq!(
        verdicts[0]["errors"][0],
        "unknown field \"orgin\" at line 3, column 14: did you mean \"origin\"?"
    );
}

#[test]
fn meta_is_carried_and_never_read() {
    let output = embargo(&["screen", "--no-lists", "tests/records/meta.yaml"], None);
    assert_eq!(code(&output), 0, "{}", err(&output));
    let verdicts = json_lines(&out(&output));
    assert_eq!(verdicts[0]["verdict"], "clear");
    // `orgin: KP` inside meta is the user's own data: not an unknown field, not an origin.
    let output = embargo(&["screen", "--no-lists", "tests/records/meta.jsonl"], None);
    let verdicts = json_lines(&out(&output));
    assert_eq!(verdicts.len(), 4, "one verdict per record");
    let verdict = |id: &str| {
        verdicts
            .iter()
            .find(|v| v["id"] == id)
            .unwrap_or_else(|| panic!("no verdict for {id}"))["verdict"]
            .clone()
    };
    assert_eq!(verdict("meta-object"), "clear");
    assert_eq!(verdict("meta-scalar"), "prohibited");
    assert_eq!(verdict("meta-null"), "clear");
    assert_eq!(verdict("meta-and-typo"), "invalid");
}

#[test]
fn allow_unknown_fields_reads_past_them_and_names_each_once() {
    let file = "tests/records/unknown_in_every_record.jsonl";
    let strict = embargo(&["screen", "--no-lists", file], None);
    assert_eq!(code(&strict), 1);
    let verdicts = json_lines(&out(&strict));
    assert_eq!(verdicts.len(), 3);
    assert!(verdicts.iter().all(|v| v["verdict"] == "invalid"));
    assert!(!err(&strict).contains("unknown field"), "{}", err(&strict));

    let lenient = embargo(
        &["screen", "--no-lists", "--allow-unknown-fields", file],
        None,
    );
    assert_ne!(code(&lenient), 2, "{}", err(&lenient));
    let verdicts = json_lines(&out(&lenient));
    assert_eq!(verdicts.len(), 3, "N records in, N verdicts out");
    assert!(
        verdicts.iter().all(|v| v["verdict"] != "invalid"),
        "{verdicts:?}"
    );
    // Each record judged as if the unknown fields were absent: all three clear, in order (not
    // just "not invalid": a record judged on its misspelt `orgin` would be prohibited).
    let judged: Vec<(&str, &str)> = verdicts
        .iter()
        .map(|v| (v["id"].as_str().unwrap(), v["verdict"].as_str().unwrap()))
        .collect();
    assert_eq!(judged, [("l1", "clear"), ("l2", "clear"), ("l3", "clear")]);
    let stderr = err(&lenient);
    // stderr whole: each unknown field name once, at its first place, with its help.
    assert_eq!(
        stderr,
        "\
embargo: tests/records/unknown_in_every_record.jsonl: unknown field \"orgin\" at line 1, column 57: did you mean \"origin\"? (read as if absent, under --allow-unknown-fields; said once per field name)
embargo: tests/records/unknown_in_every_record.jsonl: unknown field \"parties[0].nationality\" at line 2, column 115: a party has the fields role, name, kind, country, ids, tags, count (read as if absent, under --allow-unknown-fields; said once per field name)
"
    );
    let said: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("unknown field"))
        .collect();
    // `orgin` is in two records, a party's `nationality` three times in two records: each name once.
    assert_eq!(said.len(), 2, "{stderr}");
    assert_eq!(
        said.iter().filter(|l| l.contains("\"orgin\"")).count(),
        1,
        "{stderr}"
    );
    assert_eq!(
        said.iter().filter(|l| l.contains(".nationality\"")).count(),
        1,
        "{stderr}"
    );
    assert!(said.iter().any(|l| {
        l.contains("unknown field \"orgin\" at line 1, column 57: did you mean \"origin\"?")
    }));
}

#[test]
fn explain_is_strict_unless_told_otherwise() {
    let file = "tests/records/unknown_in_every_record.jsonl";
    let strict = embargo(&["explain", "--no-lists", "--id", "l3", file], None);
    assert_eq!(code(&strict), 2);
    assert!(
        err(&strict).contains("unknown field \"parties[0].nationality\" at line 3"),
        "{}",
        err(&strict)
    );
    let lenient = embargo(
        &[
            "explain",
            "--no-lists",
            "--allow-unknown-fields",
            "--id",
            "l3",
            file,
        ],
        None,
    );
    assert_eq!(code(&lenient), 0, "{}", err(&lenient));
    assert_eq!(
        err(&lenient)
            .lines()
            .filter(|l| l.contains("nationality"))
            .count(),
        1,
        "{}",
        err(&lenient)
    );
}

/// The names in the first column of the tables of `text` between `from` and `to`
fn table_fields(text: &str, from: &str, to: &str) -> Vec<String> {
    let start = text.find(from).unwrap_or_else(|| panic!("no {from:?}"));
    let rest = &text[start..];
    let end = rest
        .find(to)
        .unwrap_or_else(|| panic!("no {to:?} after {from:?}"));
    rest[..end]
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split_once('`'))
        .map(|(name, _)| name.to_string())
        .collect()
}

/// The fields named in backquotes in the paragraph of `text` that starts with `head`
fn prose_fields(text: &str, head: &str) -> Vec<String> {
    let start = text.find(head).unwrap_or_else(|| panic!("no {head:?}"));
    let para = text[start..].split("\n\n").next().unwrap();
    // Each field is written `name` (type...), as the spec does.
    para.split('`')
        .skip(1)
        .step_by(2)
        .zip(para.split('`').skip(2).step_by(2))
        .filter(|(_, after)| after.starts_with(" ("))
        .map(|(name, _)| name.to_string())
        .collect()
}

fn check_tables(name: &str, text: &str, headings: [(&str, &str); 3], prose: [&str; 3]) {
    use embargo::internals::model::shape::{
        AUTHORIZATION_FIELDS, ITEM_FIELDS, MONEY_FIELDS, PARTY_FIELDS, RECORD_FIELDS, VESSEL_FIELDS,
    };
    for ((from, to), known) in headings
        .into_iter()
        .zip([RECORD_FIELDS, PARTY_FIELDS, ITEM_FIELDS])
    {
        assert_eq!(table_fields(text, from, to), known, "{name}: {from}");
    }
    for (head, known) in prose
        .into_iter()
        .zip([VESSEL_FIELDS, MONEY_FIELDS, AUTHORIZATION_FIELDS])
    {
        assert_eq!(prose_fields(text, head), known, "{name}: {head}");
    }
}

#[test]
fn docs_records_md_names_exactly_the_fields_that_are_read() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/records.md")).unwrap();
    check_tables(
        "docs/records.md",
        &text,
        [
            ("## A record", "### party"),
            ("### party", "### place"),
            ("### item", "### vessel"),
        ],
        ["**vessel**", "**money**", "**authorization**"],
    );
}

#[test]
#[cfg_attr(
    not(embargo_shared),
    ignore = "needs ../shared: set EMBARGO_SHARED=../shared"
)]
fn the_contract_names_exactly_the_fields_that_are_read() {
    let Some(path) = common::shared_file("spec/records.md") else {
        return;
    };
    let text = std::fs::read_to_string(path).unwrap();
    check_tables(
        "spec/records.md",
        &text,
        [
            ("## Input", "**party**"),
            ("**party**", "**place**"),
            ("**item**", "**vessel**"),
        ],
        ["**vessel**", "**money**", "**authorization**"],
    );
}

#[test]
fn withdrawn_codes_are_read_and_old_names_suggest_them() {
    // Issue 12, item 3: a record may name Southern Rhodesia by its ISO 3166-3 code, and a name
    // of a country that no longer exists gets that code as a hint.
    let input = concat!(
        r#"{"id": "rh", "date": "1970-01-01", "activity": "trade", "origin": "GB", "destination": "rh", "goods": [{"hs": "271019"}]}"#,
        "\n",
        r#"{"id": "name", "date": "1970-01-01", "activity": "trade", "origin": "GB", "destination": "Southern Rhodesia"}"#,
        "\n",
        r#"{"id": "yu", "date": "1993-01-01", "activity": "trade", "origin": "Yugoslavia", "destination": "GB"}"#,
        "\n",
    );
    let output = embargo(&["screen", "--no-lists", "-"], Some(input));
    let verdicts = json_lines(&out(&output));
    assert_eq!(verdicts.len(), 3);
    assert_eq!(verdicts[0]["verdict"], "prohibited", "{}", verdicts[0]);
    assert_eq!(verdicts[1]["verdict"], "invalid");
    let error = verdicts[1]["errors"][0].as_str().unwrap();
    assert!(error.ends_with("did you mean \"RH\"?"), "{error}");
    let error = verdicts[2]["errors"][0].as_str().unwrap();
    assert!(error.ends_with("did you mean \"YU\"?"), "{error}");
}
