//! `embargo names compare`: one pair, pairs from CSV, exit statuses. Synthetic names only.

use crate::common;

use common::{code, embargo, err, json_lines, out};

#[test]
fn one_pair_prints_one_json_line() {
    let output = embargo(
        &["names", "compare", "Борис Ковалёв", "KOVALEV, Boris"],
        None,
    );
    assert_eq!(code(&output), 0, "{}", err(&output));
    let lines = json_lines(&out(&output));
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["strength"], "exact");
    assert_eq!(lines[0]["match"], true);
    assert_eq!(lines[0]["schema"], "person");
}

#[test]
fn pairs_from_csv_with_an_optional_schema_column() {
    let csv = "name1,name2,schema\n\"Nordwind Trading, GmbH\",NORDWIND TRADING,company\nAnna Berg,Tomas Lind,\n";
    let output = embargo(&["names", "compare", "--pairs", "-"], Some(csv));
    assert_eq!(code(&output), 1, "a pair that does not match gives 1");
    let lines = json_lines(&out(&output));
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["schema"], "company");
    assert_eq!(lines[0]["match"], true);
    assert_eq!(lines[1]["schema"], "person");
    assert_eq!(lines[1]["strength"], "none");
    // Each pair whole, in order: the names as given (the quoted comma kept), the score, the
    // strength and why (a wrong score, or the legal form left in the comparison, passed).
    assert_eq!(
        lines,
        [
            serde_json::json!({"match": true, "name1": "Nordwind Trading, GmbH", "name2": "NORDWIND TRADING", "schema": "company", "score": 1.0, "strength": "exact", "why": "the same parts: nordwind trading"}),
            serde_json::json!({"match": false, "name1": "Anna Berg", "name2": "Tomas Lind", "schema": "person", "score": 0.0, "strength": "none", "why": "no parts aligned; unmatched: anna berg tomas lind"}),
        ]
    );
}

#[test]
fn a_csv_without_the_columns_cannot_run() {
    let output = embargo(&["names", "compare", "--pairs", "-"], Some("a,b\nx,y\n"));
    assert_eq!(code(&output), 2);
    assert_eq!(
        err(&output),
        "embargo: -: the header must name the columns name1 and name2\n"
    );
    assert_eq!(out(&output), "");
    let output = embargo(&["names", "compare", "only one"], None);
    assert_eq!(code(&output), 2);
}
