//! Tests of `read`.

use super::*;

/// Errors name lines and columns of the input: a record's first line starts at the record's
/// column, its other lines at column 1; an unknown field read past is told with the same place
#[test]
fn errors_are_placed_in_the_input() {
    let at = |line: usize, column: usize, text: &str| RecordText {
        line,
        column,
        text: text.into(),
        yaml: false,
        table: None,
    };
    let errors = |record: &RecordText, options: &ReadOptions<'_>| {
        parse_record_with("t", record, options).map_or_else(|e| e.errors, |_| Vec::new())
    };
    let strict = ReadOptions::default();
    // On the record's first line: its 13th character, the record starting at column 3, is
    // column 15
    assert_eq!(
        errors(
            &at(
                5,
                3,
                r#"{"id": "a", "orgin": "KP", "date": "2020-01-01", "activity": "trade"}"#
            ),
            &strict
        ),
        ["unknown field \"orgin\" at line 5, column 15: did you mean \"origin\"?"]
    );
    // On its second line: the column as written
    let two_lines = at(
        5,
        3,
        "{\"id\": \"a\", \"date\": \"2020-01-01\",\n  \"activity\": \"trade\", \"orgin\": \"KP\"}",
    );
    assert_eq!(
        errors(&two_lines, &strict),
        ["unknown field \"orgin\" at line 6, column 24: did you mean \"origin\"?"]
    );
    // Read past, the field is told with the same place, once, and the record is read
    let told = std::sync::Mutex::new(Vec::new());
    let tell = |u: &UnknownField| {
        if let Ok(mut told) = told.lock() {
            told.push((u.name.clone(), u.at, u.message.clone()));
        }
    };
    let lenient = ReadOptions {
        allow_unknown_fields: true,
        on_unknown_field: Some(&tell),
    };
    assert_eq!(errors(&two_lines, &lenient), Vec::<String>::new());
    assert_eq!(
        told.into_inner().unwrap_or_default(),
        [(
            "orgin".to_string(),
            (6, 24),
            "unknown field \"orgin\" at line 6, column 24: did you mean \"origin\"?".to_string()
        )]
    );
    // A value of the wrong type is placed at its key
    assert_eq!(
        errors(
            &at(
                1,
                1,
                r#"{"id": "a", "date": "2020-01-01", "activity": "trade", "origin": 5}"#
            ),
            &strict
        ),
        [
            "field \"origin\" at line 1, column 56: expected a country code such as \"KP\" or a subdivision code such as \"UA-14\" (ISO 3166), found the number 5"
        ]
    );
    // An authorization's `covers` given as null is as if absent
    let yaml = RecordText {
        line: 1,
        column: 1,
        text: "{id: a, date: 2020-01-01, activity: payment, amount: {amount: 5, currency: EUR}, \
authorizations: [{by: X, covers: null}]}"
            .into(),
        yaml: true,
        table: None,
    };
    let t = parse_record("t", &yaml).map_err(|e| e.errors);
    assert_eq!(
        t.map(|t| t.authorizations.first().map(|a| a.covers.is_none())),
        Ok(Some(true))
    );
    // A problem of the record as a whole names the record, not a field
    assert_eq!(
        errors(&at(7, 2, "[1, 2]"), &strict),
        [
            "the record at line 7, column 2: expected a mapping of fields such as {\"id\": ..., \"date\": ..., \"activity\": ...}, found a list"
        ]
    );
}

/// A record that is not JSON (or YAML) is reported with the input's line and column once,
/// the parser's own position taken off its message
#[test]
fn bad_json_and_yaml_are_placed_once() {
    let errors = |text: &str, yaml: bool| {
        let record = RecordText {
            line: 4,
            column: 1,
            text: text.into(),
            yaml,
            table: None,
        };
        parse_record("t", &record).map_or_else(|e| e.errors, |_| Vec::new())
    };
    assert_eq!(
        errors(r#"{"id": "a", "date": x}"#, false),
        ["bad JSON at line 4, column 21: expected value"]
    );
    assert_eq!(
        errors("id: a\ndate: [x\n", true),
        ["bad YAML at line 6, column 1: did not find expected ',' or ']'"]
    );
    assert_eq!(
        strip_position("expected value at line 1 column 21"),
        "expected value"
    );
    assert_eq!(strip_position("no position"), "no position");
}

/// An unknown field says what to do: the closest field, the record's fields and `meta`, a
/// party's or an item's fields, or that `listed` comes from screening
#[test]
fn an_unknown_field_says_what_to_do() {
    let errors = |text: &str| {
        let record = RecordText {
            line: 1,
            column: 1,
            text: text.into(),
            yaml: false,
            table: None,
        };
        parse_record("t", &record).map_or_else(|e| e.errors, |_| Vec::new())
    };
    let base = r#""id": "a", "date": "2020-01-01", "activity": "trade""#;
    let listed = "rules read `listed` from screening against lists, never from the record; \
keep your own notes under the record's \"meta\"";
    for (fields, want) in [
        (
            r#""zzz": 1"#,
            "unknown field \"zzz\" at line 1, column 56: the record has no such field; keep \
your own data under \"meta\" (fields: id, date, activity, description, parties, origin, \
destination, transit, location, goods, services, vessels, amount, authorizations, meta)"
                .to_string(),
        ),
        (
            r#""orign": "KP""#,
            "unknown field \"orign\" at line 1, column 56: did you mean \"origin\"?".to_string(),
        ),
        (
            r#""parties": [{"role": "buyer", "name": "B", "zzz": 1}]"#,
            "unknown field \"parties[0].zzz\" at line 1, column 99: a party has the fields \
role, name, kind, country, ids, tags, count"
                .to_string(),
        ),
        (
            r#""parties": [{"role": "buyer", "name": "B", "listed": ["X"]}]"#,
            format!("unknown field \"parties[0].listed\" at line 1, column 99: {listed}"),
        ),
        (
            r#""vessels": [{"name": "V", "listed": ["X"]}]"#,
            format!("unknown field \"vessels[0].listed\" at line 1, column 82: {listed}"),
        ),
        (
            r#""goods": [{"hs": "93", "listed": ["X"]}]"#,
            "unknown field \"goods[0].listed\" at line 1, column 79: an item of goods has \
the fields description, hs, categories, quantity, unit, value"
                .to_string(),
        ),
    ] {
        assert_eq!(errors(&format!("{{{base}, {fields}}}")), [want], "{fields}");
    }
}

/// In a test of a rule file, an unquoted YAML number, boolean or null where text is expected
/// is an error (`name: 123`), as it would be in JSON; quoted, it is text
#[test]
fn a_test_record_holds_text_where_text_is_expected() {
    let read = |party: &str| {
        read_test_record(
            &format!("{{date: 2020-01-01, activity: trade, parties: [{party}]}}"),
            &[("id", "t")],
        )
        .map(|t| t.parties.first().map(|p| p.name.clone()))
        .map_err(|e| e.into_iter().map(|p| p.message).collect::<Vec<_>>())
    };
    assert_eq!(
        read("{role: buyer, name: \"123\"}"),
        Ok(Some("123".to_string()))
    );
    assert_eq!(
        read("{role: buyer, name: Kim}"),
        Ok(Some("Kim".to_string()))
    );
    for name in ["123", "true", "null"] {
        let errors = read(&format!("{{role: buyer, name: {name}}}")).unwrap_err();
        assert_eq!(errors.len(), 1, "{name}: {errors:?}");
        assert!(
            errors.iter().all(|e| e.contains("parties[0].name")),
            "{name}: {errors:?}"
        );
    }
}

/// Each format: the extensions that imply it (any case), its `--input-format` name, what
/// messages call it, and whether it is a table and a workbook
#[test]
fn each_format_has_its_extensions_name_description_and_kind() {
    use InputFormat as F;
    for (paths, format, name, described, table, workbook) in [
        (
            &["a.jsonl", "a", "a.txt", "dir.yaml/a"][..],
            F::JsonLines,
            "jsonl",
            "JSON Lines",
            false,
            false,
        ),
        (
            &["a.json", "A.JSON"][..],
            F::JsonArray,
            "json",
            "JSON",
            false,
            false,
        ),
        (
            &["a.yaml", "a.YML"][..],
            F::Yaml,
            "yaml",
            "YAML",
            false,
            false,
        ),
        (&["a.csv", "a.tsv"][..], F::Csv, "csv", "CSV", true, false),
        (
            &["a.xlsx", "a.XLSM"][..],
            F::Xlsx,
            "xlsx",
            "an .xlsx workbook",
            true,
            true,
        ),
        (
            &["a.xls"][..],
            F::Xls,
            "xls",
            "an .xls workbook",
            true,
            true,
        ),
        (
            &["a.ods"][..],
            F::Ods,
            "ods",
            "an .ods spreadsheet",
            true,
            true,
        ),
    ] {
        for path in paths {
            assert_eq!(F::from_path(path), format, "{path}");
        }
        assert_eq!(format.name(), name);
        assert_eq!(format.describe(), described);
        assert_eq!(
            (format.is_table(), format.is_workbook()),
            (table, workbook),
            "{name}"
        );
    }
    assert_eq!(F::NAMES.len(), 7);
}

/// The options print what they hold, the callback as whether there is one
#[test]
fn read_options_print_whether_a_callback_is_set() {
    let tell = |_: &UnknownField| {};
    let options = ReadOptions {
        allow_unknown_fields: true,
        on_unknown_field: Some(&tell),
    };
    assert_eq!(
        format!("{options:?}"),
        "ReadOptions { allow_unknown_fields: true, on_unknown_field: true }"
    );
    assert_eq!(
        format!("{:?}", ReadOptions::default()),
        "ReadOptions { allow_unknown_fields: false, on_unknown_field: false }"
    );
}

/// A `meta` that is no JSON value (a YAML value with a tag) makes the record
/// invalid, naming `meta`: it is never dropped in silence
#[test]
fn a_meta_that_is_not_json_is_an_error_of_the_record() {
    let text = RecordText {
        line: 1,
        column: 1,
        text: "{id: m, date: 2020-01-01, activity: trade, meta: !tagged {a: x}}".into(),
        yaml: true,
        table: None,
    };
    let err = parse_record("m", &text).unwrap_err();
    assert_eq!(err.errors.len(), 1, "{:?}", err.errors);
    assert!(
        err.errors[0].starts_with("field \"meta\"")
            && err.errors[0].contains("expected any JSON value (text keys only, no YAML tags)"),
        "{:?}",
        err.errors
    );
}

/// The depth of YAML flow collections, counted outside quotes and comments
#[test]
fn yaml_flow_depth_is_counted_outside_quotes_and_comments() {
    for (text, limit, too_deep) in [
        ("[[[]]]", 2, true),
        ("[[[]]]", 3, false),
        ("[][][][]", 1, false),
        ("{a: [1, {b: 2}]}", 3, false),
        ("{a: [1, {b: 2}]}", 2, true),
        (r#"{a: "[[[["}"#, 1, false),
        (r#"{a: "\"[[[["}"#, 1, false),
        (r#""ab" [["#, 1, true),
        ("{a: '[[[['}", 1, false),
        // A backslash escapes nothing in single quotes: the quote ends there.
        (r"{a: 'x\' [[[}", 3, true),
        // An apostrophe inside a word starts no quote.
        ("{a: it's [[}", 2, true),
        ("{a: 1} # [[[[", 1, false),
        ("# [[[\n[[", 1, true),
        ("{a: b#[[}", 2, true),
    ] {
        assert_eq!(
            yaml_flow_too_deep(text, limit),
            too_deep,
            "{text:?} at {limit}"
        );
    }
}

#[test]
fn unknown_field_paths_without_their_indexes() {
    assert_eq!(without_indexes("parties[0].nmae"), "parties[].nmae");
    assert_eq!(
        without_indexes("goods[12].categories[3]"),
        "goods[].categories[]"
    );
    assert_eq!(without_indexes("orgin"), "orgin");
}

/// Every record of the examples, read the fast way (serde) and the tracked way (the tree),
/// as JSON and as YAML: the same transaction
const ESCAPES_AND_NUMBERS: &str = r#"{"id": "e-1", "date": "2022-09-05", "activity": "tr\u0061de", "origin": "K\u0050", "destination": " ru ", "transit": ["C\u004e", "ua-14"], "goods": [{"hs": "93\u0030690", "categories": ["sm\u0061ll_arms"], "quantity": 12.5, "unit": "p\u0063s", "value": {"amount": 1.50, "currency": "u\u0073d"}}], "amount": {"amount": 1333568.52, "currency": "USD"}}
{"id": "e-2", "date": "2022-09-05", "activity": "payment", "amount": {"amount": "1e3", "currency": "EUR"}, "parties": [{"role": "p\u0061yer", "name": "A \"quoted\" name", "country": "k\u0070", "kind": "indiv\u0069dual"}]}
{"id": "e-3", "date": "2022-09-05", "activity": "payment", "amount": {"amount": 12345678901234567.89, "currency": "EUR"}}
{"id": "e-4", "date": "2022-09-05", "activity": "payment", "amount": {"amount": 0.000001, "currency": "EUR"}}
{"id": "e-5", "date": "2022-09-05", "activity": "payment", "amount": {"amount": 1e21, "currency": "EUR"}, "goods": [{"quantity": 45655.0}]}
{"id": "e-6", "date": "2022-09-05", "activity": "vessel_operation", "vessels": [{"name": "Sea\u00a0Star", "imo": "9123456", "flag": "P\u0041", "role": "carr\u0069er"}], "authorizations": [{"by": "1718 Committee", "date": "2022-0\u0039-01"}]}"#;

#[test]
fn the_tracked_reading_agrees_with_the_fast_one() {
    let mut read = 0;
    for (file, text) in [
        (
            "examples/news-2022.jsonl",
            include_str!("../../../examples/news-2022.jsonl"),
        ),
        (
            "tests/screening/records.jsonl",
            include_str!("../../../tests/screening/records.jsonl"),
        ),
        (
            "tests/records/meta.jsonl",
            include_str!("../../../tests/records/meta.jsonl"),
        ),
        // Text the fast reading cannot borrow (escapes), places in lower case and with
        // spaces, amounts as floats of every form, as integers and as text
        ("escapes and numbers", ESCAPES_AND_NUMBERS),
    ] {
        for (i, line) in text.lines().enumerate() {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            let yaml = serde_yaml::to_string(&value).unwrap();
            for (text, yaml) in [(line.to_string(), false), (yaml, true)] {
                let record = RecordText {
                    line: i + 1,
                    column: 1,
                    text,
                    yaml,
                    table: None,
                };
                let mut fast = Transaction::default();
                if !read_untracked(&record, &mut fast) {
                    // A YAML record with a number is read by the tracked reading alone
                    // (its numbers' text, which only serde_json gives the fast one).
                    assert!(
                        yaml || file != "escapes and numbers",
                        "line {}: not read",
                        i + 1
                    );
                    continue;
                }
                let tracked = read_tracked(&record, &ReadOptions::default())
                    .unwrap_or_else(|e| panic!("{file}:{}: {e}", i + 1));
                assert_eq!(
                    format!("{fast:?}"),
                    format!("{tracked:?}"),
                    "{file}:{}",
                    i + 1
                );
                read += 1;
            }
        }
    }
    assert!(read > 50, "only {read} records read");
}
