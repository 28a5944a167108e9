//! The `lists` commands (`show`, `search`, `diff`) on fixtures and on the real UN lists from
//! `EMBARGO_SHARED`, with the library's search and diff beneath them.

use crate::common;
use crate::lists::{fixture, un};

use common::{code, embargo, err, out, shared_file};
use embargo::internals::screening::lists::{self, EntryKind};

/// What `lists show` prints of the UN list of 2026-05-08 after the file's name: its counts by
/// kind and by every list type
pub(crate) const UN_2026_05_08_SHOWN: &str = "UN Consolidated List (XML)
  date: 2026-05-08T23:00:06.922Z
  entries: 1009, aliases: 2827, skipped: 0
  by kind:
    individual  737
    entity      272
  by list type:
    Al-Qaida    343
    CAR          15
    DPRK        155
    DRC          53
    GB           10
    Haiti        11
    Iran        121
    Iraq         75
    Libya        30
    Somalia      24
    SouthSudan    8
    Sudan        13
    Taliban     140
    Yemen        11
";

#[test]
fn cli_lists_show() {
    let sdn = fixture("sdn.csv");
    let alt = fixture("alt.csv");
    let xml = fixture("bad_entries.xml");
    let o = embargo(
        &[
            "lists",
            "show",
            xml.to_str().unwrap(),
            sdn.to_str().unwrap(),
            alt.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code(&o), 1, "{}", err(&o));
    // The fixtures are given by absolute path; the report names them as given.
    let here = format!("{}/", env!("CARGO_MANIFEST_DIR"));
    let text = out(&o).replace(&here, "");
    // Each list whole: its format, date, counts, and the counts by kind and by list type.
    assert_eq!(
        text,
        "\
tests/lists/bad_entries.xml: UN Consolidated List (XML)
  date: 2030-01-02T00:00:00Z
  entries: 2, aliases: 2, skipped: 2
  by kind:
    individual  1
    entity      1
  by list type:
    Testland  2
tests/lists/sdn.csv: OFAC SDN (sdn.csv)
  date: not given
  entries: 3, aliases: 2, skipped: 5
  by kind:
    individual  1
    entity      1
    vessel      1
  by list type:
    TESTPROG  3
"
    );
    // Every skipped entry, each with its place, field and reason.
    assert_eq!(
        err(&o).replace(&here, ""),
        "\
embargo: tests/lists/bad_entries.xml: line 38: field `REFERENCE_NUMBER`: missing
embargo: tests/lists/bad_entries.xml: line 47: field `LISTED_ON`: `31/12/2029` is not a date YYYY-MM-DD
embargo: tests/lists/sdn.csv: sdn.csv record 3: field `ent_num`: `x1003` is not a number
embargo: tests/lists/sdn.csv: sdn.csv record 4: field `row`: expected 12 columns, found 4
embargo: tests/lists/sdn.csv: sdn.csv record 5: field `SDN_Type`: unknown type `spaceship`
embargo: tests/lists/sdn.csv: alt.csv record 3: field `ent_num`: `9999` is not in sdn.csv
embargo: tests/lists/sdn.csv: alt.csv record 4: field `alt_name`: missing
"
    );

    let o = embargo(&["lists", "show", alt.to_str().unwrap()], None);
    assert_eq!(code(&o), 2);
    let o = embargo(
        &["lists", "show", fixture("malformed.xml").to_str().unwrap()],
        None,
    );
    assert_eq!(code(&o), 2);
    assert_eq!(
        err(&o).replace(&here, ""),
        "embargo: cannot read tests/lists/malformed.xml: line 7: malformed XML: ill-formed document: expected `</INDIVIDUAL>`, but `</ENTITY>` was found\n"
    );
}

#[test]
#[cfg_attr(
    not(embargo_shared),
    ignore = "needs ../shared: set EMBARGO_SHARED=../shared"
)]
fn cli_lists_show_real_list() {
    let Some(path) = shared_file("data/un/consolidated-2026-05-08.xml") else {
        return;
    };
    let o = embargo(&["lists", "show", path.to_str().unwrap()], None);
    assert_eq!(code(&o), 0, "{}", err(&o));
    let text = out(&o).replace(path.to_str().unwrap(), "LIST");
    // The counts whole: by kind and by every list type, not just that DPRK is one of them.
    assert_eq!(text, format!("LIST: {UN_2026_05_08_SHOWN}"));
}

#[test]
#[cfg_attr(
    not(embargo_shared),
    ignore = "needs ../shared: set EMBARGO_SHARED=../shared"
)]
fn un_diff_2026_02_27_to_2026_05_08() {
    let (Some(old), Some(new)) = (
        shared_file("data/un/consolidated-2026-02-27.xml"),
        shared_file("data/un/consolidated-2026-05-08.xml"),
    ) else {
        return;
    };
    let diff = lists::ListDiff::new(&un(&old), &un(&new));
    let refs = |v: &[lists::diff::DiffEntry]| {
        let mut r: Vec<String> = v.iter().map(|e| e.reference.clone()).collect();
        r.sort();
        r
    };
    assert_eq!(
        refs(&diff.added),
        [
            "QDi.437", "QDi.438", "QDi.439", "SDi.011", "SDi.012", "SDi.013", "SDi.014"
        ]
    );
    assert_eq!(refs(&diff.removed), ["QDe.137"]);
    // 7 added + 136 changed + 866 unchanged = the 1009 entries of 2026-05-08.
    assert_eq!((diff.changed.len(), diff.unchanged), (136, 866));
    assert!(diff.changed.iter().all(|c| !c.fields.is_empty()));
}

#[test]
#[cfg_attr(
    not(embargo_shared),
    ignore = "needs ../shared: set EMBARGO_SHARED=../shared"
)]
fn un_search_finds_listed_names_and_identifiers() {
    let Some(path) = shared_file("data/un/consolidated-2026-05-08.xml") else {
        return;
    };
    let catalog = un(&path);
    let index = catalog.index(embargo::internals::screening::names::Schema::Person);
    // Every individual's own name finds that individual first, exactly
    for entry in catalog
        .entries
        .iter()
        .filter(|e| e.kind == EntryKind::Individual)
        .take(200)
    {
        let found = index.search(&entry.name(), 5);
        assert!(
            found
                .iter()
                .any(|c| c.reference == entry.reference && c.score == 1.0),
            "{}: {found:?}",
            entry.reference
        );
    }
    let with_doc = catalog
        .entries
        .iter()
        .find(|e| !e.documents.is_empty() && !e.documents[0].number.is_empty())
        .unwrap();
    let number = with_doc.documents[0].number.to_lowercase();
    assert!(
        catalog
            .search_id(
                embargo::internals::screening::index::IdKind::Document,
                &number
            )
            .iter()
            .any(|e| e.reference == with_doc.reference)
    );
    assert_eq!(
        catalog.search_id(
            embargo::internals::screening::index::IdKind::Reference,
            "qdi 437"
        )[0]
        .reference,
        "QDi.437"
    );
}

#[test]
fn cli_lists_search_by_name_alias_and_identifier() {
    let sdn = fixture("sdn.csv");
    let alt = fixture("alt.csv");
    let (sdn, alt) = (sdn.to_str().unwrap(), alt.to_str().unwrap());
    let o = embargo(
        &[
            "lists",
            "search",
            "Beta Oldname",
            "--list",
            sdn,
            "--list",
            alt,
        ],
        None,
    );
    assert_eq!(code(&o), 1, "{}", err(&o));
    // One candidate, the alias's entry, with its score, strength, listed name and the alias
    // that matched.
    assert_eq!(
        out(&o),
        "\
score  strength  reference  kind        list                listed name       matched
1.000  exact     1002       individual  TESTPROG (sdn.csv)  TESTPERSON, Beta  BETA OLDNAME
"
    );
    let o = embargo(
        &[
            "lists",
            "search",
            "--format",
            "json",
            "Beta Testperson",
            "--list",
            sdn,
        ],
        None,
    );
    let json: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(json["candidates"][0]["reference"], "1002");
    assert_eq!(json["candidates"][0]["strength"], "exact");
    let o = embargo(&["lists", "search", "Nobody Known", "--list", sdn], None);
    assert_eq!(code(&o), 0);
    assert_eq!(out(&o), "no entry matches `Nobody Known`\n");
    let vessels = fixture("vessels.csv");
    let o = embargo(
        &[
            "lists",
            "search",
            "--id",
            "imo",
            "imo 907-4729",
            "--list",
            vessels.to_str().unwrap(),
        ],
        None,
    );
    // Both rows with that IMO number (the list has it twice, under two names), nothing else.
    assert_eq!(
        out(&o),
        "\
score  strength  reference    kind    list                    listed name   matched
1.000  exact     IMO 9074729  vessel  Testland (vessels.csv)  SAMPLE STAR   imo 907-4729
1.000  exact     IMO 9074729  vessel  Testland (vessels.csv)  QUOTED, NAME  imo 907-4729
"
    );
}

#[test]
#[cfg_attr(
    not(embargo_shared),
    ignore = "needs ../shared: set EMBARGO_SHARED=../shared"
)]
fn cli_lists_diff_real_un_lists() {
    let (Some(old), Some(new)) = (
        shared_file("data/un/consolidated-2026-02-27.xml"),
        shared_file("data/un/consolidated-2026-05-08.xml"),
    ) else {
        return;
    };
    let (old, new) = (old.to_str().unwrap(), new.to_str().unwrap());
    let o = embargo(&["lists", "diff", old, new], None);
    assert_eq!(code(&o), 1);
    // The added and removed entries whole: reference, kind and name, in the report's order.
    let text = out(&o);
    let moved: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("+ ") || l.starts_with("- "))
        .collect();
    assert_eq!(
        moved,
        [
            "+ QDi.438 individual ABD EL HAMID SALIM IBRAHIM BRUKAN AL-KHATOUNI",
            "+ SDi.011 individual AL-GONEY HAMDAN DAGALO",
            "+ SDi.012 individual ALVARO ANDRES QUIJANO BECERRA",
            "+ SDi.013 individual CLAUDIA VIVIANA OLIVEROS FORERO",
            "+ QDi.439 individual HAMIDAH NABAGALA",
            "+ SDi.014 individual MATEO ANDRES DUQUE BOTERO",
            "+ QDi.437 individual SAMI JASIM MUHAMMAD JAATA AL-JABURI",
            "- QDe.137 entity AL-NUSRAH FRONT FOR THE PEOPLE OF THE LEVANT",
        ],
        "{text}"
    );
    assert_eq!(
        text.lines()
            .filter(|l| l.starts_with("added: "))
            .collect::<Vec<_>>(),
        // The summary line whole, unchanged entries included (7 + 136 + 866 = 1009).
        ["added: 7, removed: 1, changed: 136, unchanged: 866"],
        "{text}"
    );
    assert!(
        out(&o).contains("added: 7, removed: 1, changed: 136"),
        "{}",
        out(&o)
    );
    let o = embargo(&["lists", "diff", "--format", "json", old, new], None);
    let json: serde_json::Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(json["removed"][0]["reference"], "QDe.137");
    assert_eq!(json["added"].as_array().unwrap().len(), 7);
    let o = embargo(&["lists", "diff", new, new], None);
    assert_eq!(code(&o), 0);
}

#[test]
fn lists_show_writes_json_for_tools() {
    let output = common::embargo(
        &[
            "lists",
            "show",
            "--format",
            "json",
            "tests/screening/list.xml",
            "tests/screening/vessels.csv",
        ],
        None,
    );
    assert_eq!(common::code(&output), 0, "{}", common::err(&output));
    let lists = common::json_lines(&common::out(&output));
    assert_eq!(lists.len(), 2);
    assert_eq!(lists[0]["entries"], 4);
    assert_eq!(lists[0]["by_list_type"]["DPRK"], 2);
    assert_eq!(lists[0]["by_kind"]["individual"], 2);
    assert_eq!(lists[0]["date"], "2026-05-08T23:00:06.922Z");
    assert_eq!(lists[1]["format"], "designated vessels (CSV)");
    assert_eq!(lists[1]["by_kind"]["vessel"], 1);
}
