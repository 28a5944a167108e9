//! List import: the real UN and OFAC files from `EMBARGO_SHARED`, and small synthetic fixtures for errors.

use crate::common;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use common::{code, embargo, err, out, shared_file};
use embargo::internals::screening::lists::{
    self, Alias, Document, EntryKind, Format, ListCatalog, ListError, read_ofac_sdn, read_un_xml,
    read_vessels,
};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/lists")
        .join(name)
}

fn un(path: &Path) -> ListCatalog {
    eprintln!("reading {}", path.display());
    read_un_xml(BufReader::new(File::open(path).unwrap())).unwrap()
}

/// `UN_LIST_TYPE` values counted in the raw text, without the library's parser
fn raw_list_type_counts(path: &Path) -> BTreeMap<String, usize> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut counts = BTreeMap::new();
    for piece in text.split("<UN_LIST_TYPE>").skip(1) {
        let value = piece.split("</UN_LIST_TYPE>").next().unwrap().trim();
        *counts.entry(value.to_string()).or_insert(0) += 1;
    }
    counts
}

fn kinds(catalog: &ListCatalog) -> (usize, usize) {
    let counts = catalog.count_by_kind();
    (
        counts.get(&EntryKind::Individual).copied().unwrap_or(0),
        counts.get(&EntryKind::Entity).copied().unwrap_or(0),
    )
}

fn owned(counts: BTreeMap<&str, usize>) -> BTreeMap<String, usize> {
    counts
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

#[test]
#[cfg_attr(
    not(embargo_shared),
    ignore = "needs ../shared: set EMBARGO_SHARED=../shared"
)]
fn un_2026_05_08_counts() {
    let Some(path) = shared_file("data/un/consolidated-2026-05-08.xml") else {
        return;
    };
    let catalog = un(&path);
    assert!(catalog.problems.is_empty(), "{:?}", catalog.problems);
    assert_eq!(catalog.date.as_deref(), Some("2026-05-08T23:00:06.922Z"));
    assert_eq!(kinds(&catalog), (737, 272));
    assert_eq!(
        owned(catalog.count_by_list_type()),
        raw_list_type_counts(&path)
    );
}

#[test]
#[cfg_attr(
    not(embargo_shared),
    ignore = "needs ../shared: set EMBARGO_SHARED=../shared"
)]
fn un_2026_02_27_counts() {
    let Some(path) = shared_file("data/un/consolidated-2026-02-27.xml") else {
        return;
    };
    let catalog = un(&path);
    assert!(catalog.problems.is_empty(), "{:?}", catalog.problems);
    assert_eq!(kinds(&catalog), (730, 273));
    assert_eq!(
        owned(catalog.count_by_list_type()),
        raw_list_type_counts(&path)
    );
    // The real delta to 2026-05-08 (data/README.md).
    let removed = catalog.find("QDe.137").unwrap();
    assert_eq!(
        (removed.kind, removed.name(), removed.list_type.as_str()),
        (
            EntryKind::Entity,
            "AL-NUSRAH FRONT FOR THE PEOPLE OF THE LEVANT".to_string(),
            "Al-Qaida"
        )
    );
    assert!(catalog.find("SDi.011").is_none());
}

#[test]
#[cfg_attr(
    not(embargo_shared),
    ignore = "needs ../shared: set EMBARGO_SHARED=../shared"
)]
fn un_legacy_layout() {
    let Some(path) = shared_file("data/un/consolidated-legacy-2025-08-02.xml") else {
        return;
    };
    let catalog = un(&path);
    assert!(catalog.problems.is_empty(), "{:?}", catalog.problems);
    assert_eq!(catalog.entries.len(), 879);
    assert!(!catalog.count_by_list_type().contains_key("Iran"));
    assert_eq!(
        owned(catalog.count_by_list_type()),
        raw_list_type_counts(&path)
    );
}

#[test]
#[cfg_attr(
    not(embargo_shared),
    ignore = "needs ../shared: set EMBARGO_SHARED=../shared"
)]
fn un_known_entries_keep_every_field() {
    let Some(path) = shared_file("data/un/consolidated-2026-05-08.xml") else {
        return;
    };
    let catalog = un(&path);
    let komid = catalog.find("KPe.001").unwrap();
    assert_eq!(komid.kind, EntryKind::Entity);
    assert_eq!(komid.list_type, "DPRK");
    assert_eq!(komid.listed_on.as_deref(), Some("2009-04-24"));
    assert_eq!(komid.name(), "KOREA MINING DEVELOPMENT TRADING CORPORATION");
    let aliases: Vec<(&str, &str)> = komid
        .aliases
        .iter()
        .map(|a| (a.quality.as_str(), a.name.as_str()))
        .collect();
    assert_eq!(
        aliases,
        [
            ("a.k.a.", "CHANGGWANG SINYONG CORPORATION"),
            ("a.k.a.", "EXTERNAL TECHNOLOGY GENERAL CORPORATION"),
            ("a.k.a.", "DPRKN MINING DEVELOPMENT TRADING COOPERATION"),
            ("a.k.a.", "\"KOMID\""),
        ]
    );

    let person = catalog.find("QDi.309").unwrap();
    assert_eq!(person.kind, EntryKind::Individual);
    assert_eq!(person.original_script.as_deref(), Some("عبد الرحمن"));
    // Six aliases: the first field joins three with "; " (`Abdul Rehman; Abd Ur-Rehman; Abdur
    // Rahman`), each read as an alias of its own
    assert_eq!(person.aliases.len(), 6);
    let first: Vec<&str> = person
        .aliases
        .iter()
        .take(3)
        .map(|a| a.name.as_str())
        .collect();
    assert_eq!(first, ["Abdul Rehman", "Abd Ur-Rehman", "Abdur Rahman"]);
    assert_eq!(
        person.aliases.last(),
        Some(&Alias {
            quality: "Low".into(),
            name: "Abdur Rehman Muhammad Yamin".into()
        })
    );
    assert_eq!(person.dates_of_birth, ["1965-10-03"]);
    assert_eq!(person.places_of_birth, ["Mirpur Khas, Pakistan"]);
    assert_eq!(person.nationalities, ["Pakistan"]);
    assert_eq!(
        person.documents.first(),
        Some(&Document {
            kind: "Passport".into(),
            number: "CV9157521".into(),
            country: "Pakistan".into()
        })
    );
}

#[test]
#[cfg_attr(
    not(embargo_shared),
    ignore = "needs ../shared: set EMBARGO_SHARED=../shared"
)]
fn ofac_sdn_with_aliases() {
    let (Some(sdn), Some(alt), Some(add)) = (
        shared_file("data/ofac/sdn.csv"),
        shared_file("data/ofac/alt.csv"),
        shared_file("data/ofac/add.csv"),
    ) else {
        return;
    };
    let mut alt = File::open(alt).unwrap();
    let mut add = File::open(add).unwrap();
    let catalog = read_ofac_sdn(
        File::open(sdn).unwrap(),
        Some(&mut alt as &mut dyn Read),
        Some(&mut add as &mut dyn Read),
    )
    .unwrap();
    assert!(catalog.problems.is_empty(), "{:?}", catalog.problems);
    assert_eq!(catalog.entries.len(), 8976);
    assert_eq!(catalog.alias_count(), 11910);
    let addresses: usize = catalog.entries.iter().map(|e| e.addresses.len()).sum();
    // 13,837 rows of add.csv, less 2,397 whose address, city and country are all `-0-`.
    assert_eq!(addresses, 11440);
    let bnc = catalog.find("306").unwrap();
    assert_eq!(bnc.name(), "BANCO NACIONAL DE CUBA");
    assert_eq!(bnc.list_type, "CUBA");
    assert_eq!(bnc.kind, EntryKind::Entity);
    // An entry under several programs counts under each.
    let by_program = catalog.count_by_list_type();
    assert!(
        by_program.keys().all(|p| !p.contains(']')),
        "{by_program:?}"
    );
    assert!(by_program.values().sum::<usize>() > catalog.entries.len());
}

/// Turns OFAC's DPRK vessel rows (`ent_num,name,program,vess_type,vess_flag,vess_owner,imo,remarks,source_file`)
/// into the designated-vessels layout of docs/lists.md
fn adapt_ofac_vessels(text: &str) -> String {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (name, program, flag, imo, remarks) = (
        column("name"),
        column("program"),
        column("vess_flag"),
        column("imo"),
        column("remarks"),
    );
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(lists::formats::VESSEL_COLUMNS).unwrap();
    for row in reader.records() {
        let row = row.unwrap();
        let imo_number = match row[imo].trim() {
            "" | "-0-" => row[remarks]
                .split("IMO ")
                .nth(1)
                .map(|r| r.chars().take_while(char::is_ascii_digit).collect())
                .unwrap_or_default(),
            n => n.to_string(),
        };
        let flag_value = match row[flag].trim() {
            "-0-" => "",
            f => f,
        };
        writer
            .write_record([
                row[name].trim(),
                imo_number.as_str(),
                flag_value,
                row[program].trim(),
                "OFAC SDN designation (North Korea Sanctions Regulations)",
                "",
            ])
            .unwrap();
    }
    String::from_utf8(writer.into_inner().unwrap()).unwrap()
}

#[test]
#[cfg_attr(
    not(embargo_shared),
    ignore = "needs ../shared: set EMBARGO_SHARED=../shared"
)]
fn ofac_dprk_vessels_adapted_to_the_vessels_layout() {
    let Some(path) = shared_file("data/ofac/dprk-vessels.csv") else {
        return;
    };
    let adapted = adapt_ofac_vessels(&std::fs::read_to_string(path).unwrap());
    assert_eq!(lists::detect(adapted.as_bytes()), Some(Format::Vessels));
    let catalog = read_vessels(adapted.as_bytes()).unwrap();
    assert_eq!(catalog.entries.len(), 105, "{:?}", catalog.problems);
    // The one row without an IMO number is skipped, named by its record and field.
    let problems: Vec<String> = catalog.problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems, ["vessels record 18: field `imo`: missing"]);
    assert!(
        catalog
            .entries
            .iter()
            .all(|e| e.kind == EntryKind::Vessel && e.imo.as_ref().is_some_and(|i| i.len() == 7))
    );
}

#[test]
fn bad_xml_entries_are_skipped_and_named() {
    let catalog = un(&fixture("bad_entries.xml"));
    let refs: Vec<&str> = catalog
        .entries
        .iter()
        .map(|e| e.reference.as_str())
        .collect();
    assert_eq!(refs, ["TXi.001", "TXe.001"]);
    let problems: Vec<String> = catalog.problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        [
            "line 38: field `REFERENCE_NUMBER`: missing",
            "line 47: field `LISTED_ON`: `31/12/2029` is not a date YYYY-MM-DD",
        ]
    );
    let alpha = &catalog.entries[0];
    assert_eq!(alpha.name_parts, ["ALPHA", "TESTPERSON"]);
    assert_eq!(alpha.original_script.as_deref(), Some("Альфа"));
    assert_eq!(alpha.listed_on.as_deref(), Some("2029-12-31"));
    assert_eq!(
        alpha.comments.as_deref(),
        Some("Synthetic entry & no real person.")
    );
    assert_eq!(alpha.aliases.len(), 1);
    assert_eq!(alpha.dates_of_birth, ["1950-1955 (between)"]);
    assert_eq!(alpha.places_of_birth, ["Sampletown, Testland"]);
    assert_eq!(alpha.documents[0].number, "X0000000");
    assert_eq!(catalog.entries[1].aliases[0].quality, "a.k.a.");
}

#[test]
fn malformed_xml_names_its_line() {
    let file = File::open(fixture("malformed.xml")).unwrap();
    let error = read_un_xml(BufReader::new(file)).unwrap_err();
    assert!(matches!(error, ListError::Xml { line: 7, .. }), "{error}");
    let error = read_un_xml("<sanctions></sanctions>".as_bytes()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "line 1: expected the root element `CONSOLIDATED_LIST`, found `sanctions`"
    );
    let truncated = read_un_xml("<CONSOLIDATED_LIST><INDIVIDUALS>".as_bytes()).unwrap_err();
    assert!(matches!(truncated, ListError::Xml { .. }), "{truncated}");
}

#[test]
fn bad_ofac_rows_are_skipped_and_named() {
    let mut alt = File::open(fixture("alt.csv")).unwrap();
    let mut add = File::open(fixture("add.csv")).unwrap();
    let catalog = read_ofac_sdn(
        File::open(fixture("sdn.csv")).unwrap(),
        Some(&mut alt as &mut dyn Read),
        Some(&mut add as &mut dyn Read),
    )
    .unwrap();
    let refs: Vec<&str> = catalog
        .entries
        .iter()
        .map(|e| e.reference.as_str())
        .collect();
    assert_eq!(refs, ["1001", "1002", "1006"]);
    let problems: Vec<String> = catalog.problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        [
            "sdn.csv record 3: field `ent_num`: `x1003` is not a number",
            "sdn.csv record 4: field `row`: expected 12 columns, found 4",
            "sdn.csv record 5: field `SDN_Type`: unknown type `spaceship`",
            "alt.csv record 3: field `ent_num`: `9999` is not in sdn.csv",
            "alt.csv record 4: field `alt_name`: missing",
        ]
    );
    assert_eq!(catalog.entries[1].kind, EntryKind::Individual);
    assert_eq!(catalog.entries[1].aliases[0].quality, "fka");
    assert_eq!(
        catalog.entries[0].addresses,
        ["1 Test Street, Sampletown, Testland"]
    );
    assert_eq!(catalog.entries[2].imo.as_deref(), Some("9074729"));
}

#[test]
fn bad_vessel_rows_are_skipped_and_named() {
    let catalog = read_vessels(File::open(fixture("vessels.csv")).unwrap()).unwrap();
    let names: Vec<String> = catalog.entries.iter().map(|e| e.name()).collect();
    assert_eq!(names, ["SAMPLE STAR", "QUOTED, NAME"]);
    let problems: Vec<String> = catalog.problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        [
            "vessels record 3: field `imo`: `9074728` has a wrong check digit",
            "vessels record 4: field `imo`: `12345` is not 7 digits",
            "vessels record 5: field `designation_date`: `01/01/2030` is not a date YYYY-MM-DD",
            "vessels record 6: field `regime`: missing",
        ]
    );
    let star = &catalog.entries[0];
    assert_eq!(star.reference, "IMO 9074729");
    assert_eq!(
        star.legal_basis.as_deref(),
        Some("resolution 9999 (2030) para. 1")
    );
    assert_eq!(star.listed_on.as_deref(), Some("2030-01-01"));
    let missing = read_vessels("name,imo,flag\nA,9074729,X\n".as_bytes()).unwrap_err();
    assert_eq!(
        missing.to_string(),
        "vessels record 1 (header): field `regime`: missing column"
    );
}

#[test]
fn detects_the_format_from_the_content() {
    let head = |name: &str| std::fs::read(fixture(name)).unwrap();
    assert_eq!(lists::detect(&head("bad_entries.xml")), Some(Format::UnXml));
    assert_eq!(lists::detect(&head("sdn.csv")), Some(Format::OfacSdn));
    assert_eq!(lists::detect(&head("alt.csv")), Some(Format::OfacAlt));
    assert_eq!(lists::detect(&head("add.csv")), Some(Format::OfacAdd));
    assert_eq!(lists::detect(&head("vessels.csv")), Some(Format::Vessels));
    assert_eq!(lists::detect(b"hello,world\n"), None);
}

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
    individual        1
    entity            1
  by list type:
    Testland                            2
tests/lists/sdn.csv: OFAC SDN (sdn.csv)
  date: not given
  entries: 3, aliases: 2, skipped: 5
  by kind:
    individual        1
    entity            1
    vessel            1
  by list type:
    TESTPROG                            3
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
    assert_eq!(
        text,
        "\
LIST: UN Consolidated List (XML)
  date: 2026-05-08T23:00:06.922Z
  entries: 1009, aliases: 2827, skipped: 0
  by kind:
    individual      737
    entity          272
  by list type:
    Al-Qaida                          343
    CAR                                15
    DPRK                              155
    DRC                                53
    GB                                 10
    Haiti                              11
    Iran                              121
    Iraq                               75
    Libya                              30
    Somalia                            24
    SouthSudan                          8
    Sudan                              13
    Taliban                           140
    Yemen                              11
"
    );
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
score  strength reference      kind        list                 listed name                              matched
1.000  exact    1002           individual  TESTPROG (sdn.csv)   TESTPERSON, Beta                         BETA OLDNAME
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
score  strength reference      kind        list                 listed name                              matched
1.000  exact    IMO 9074729    vessel      Testland (vessels.csv) SAMPLE STAR                              imo 907-4729
1.000  exact    IMO 9074729    vessel      Testland (vessels.csv) QUOTED, NAME                             imo 907-4729
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

/// A record with one party, as JSON Lines
fn record(id: &str, date: &str, name: &str, kind: &str) -> String {
    serde_json::json!({
        "id": id, "date": date, "activity": "payment",
        "parties": [{"role": "payee", "name": name, "kind": kind}]
    })
    .to_string()
        + "\n"
}

/// The references of the matches of each verdict, by record id
fn matched(stdout: &str) -> BTreeMap<String, Vec<String>> {
    common::json_lines(stdout)
        .iter()
        .map(|v| {
            let mut refs: Vec<String> = v["findings"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|f| f["matches"].as_array().cloned().unwrap_or_default())
                .map(|m| m["reference"].as_str().unwrap().to_string())
                .collect();
            refs.dedup();
            (v["id"].as_str().unwrap().to_string(), refs)
        })
        .collect()
}

/// An entry matches only records dated on or after its listing date: the day before
/// `LISTED_ON` gets no match from it (not even weak), the day itself does; by name and by
/// `ids.un_ref` alike
#[test]
fn an_entry_matches_only_from_its_listing_date() {
    let input = [
        record("before", "2020-06-14", "RI FICTUS CHOL", "individual"),
        record("on", "2020-06-15", "RI FICTUS CHOL", "individual"),
        record("near-before", "2020-06-14", "RI FICTUS CHOLL", "individual"),
        record("near-on", "2020-06-15", "RI FICTUS CHOLL", "individual"),
    ]
    .concat();
    let output = embargo(
        &["screen", "--list", "tests/lists/snap-2026-01-10.xml", "-"],
        Some(&input),
    );
    let found = matched(&out(&output));
    assert_eq!(found["before"], Vec::<String>::new(), "{}", out(&output));
    assert_eq!(found["near-before"], Vec::<String>::new());
    assert_eq!(found["on"], ["KPi.953"]);
    assert_eq!(found["near-on"], ["KPi.953"]);
    let verdicts = common::json_lines(&out(&output));
    assert_eq!(verdicts[0]["verdict"], "clear");
    assert_eq!(verdicts[1]["verdict"], "prohibited");
    assert_eq!(code(&output), 1);

    // explain: the same record the day before, and on the day
    for (date, verdict) in [("2020-06-14", "clear"), ("2020-06-15", "prohibited")] {
        let one = record("x", date, "RI FICTUS CHOL", "individual");
        let output = embargo(
            &[
                "explain",
                "--format",
                "json",
                "--list",
                "tests/lists/snap-2026-01-10.xml",
                "-",
            ],
            Some(&one),
        );
        let json: serde_json::Value = serde_json::from_str(&out(&output)).unwrap();
        assert_eq!(json["verdict"]["verdict"], verdict, "{}", out(&output));
    }
}

/// The library's matcher: the listing date filters identifiers and names, and a matcher without
/// a date (`party`) finds every entry
#[test]
fn the_matcher_leaves_out_entries_listed_after_the_record() {
    let catalog = read_un_xml(BufReader::new(
        File::open(fixture("snap-2026-01-10.xml")).unwrap(),
    ))
    .unwrap();
    let mut matcher = embargo::internals::screening::matching::ListMatcher::new();
    matcher.add("snap.xml", &catalog);
    let text = |date: &str| embargo::internals::model::RecordText {
        line: 1,
        column: 1,
        text: serde_json::json!({
            "id": "a", "date": date, "activity": "payment",
            "parties": [{"role": "payee", "name": "Ri Fictus Chol", "kind": "individual",
                         "ids": {"un_ref": "KPi.953"}}]
        })
        .to_string(),
        yaml: false,
    };
    let mut t = embargo::internals::model::parse_record("t", &text("2020-06-14")).unwrap();
    matcher.annotate(&mut t);
    assert!(t.parties[0].designations.is_empty(), "{:?}", t.parties[0]);
    assert_eq!(matcher.party(&t.parties[0]).len(), 1);
    let mut t = embargo::internals::model::parse_record("t", &text("2020-06-15")).unwrap();
    matcher.annotate(&mut t);
    let by: Vec<&str> = t.parties[0]
        .designations
        .iter()
        .map(|d| d.matched_by.as_str())
        .collect();
    assert_eq!(by, ["un_ref"]);
}

/// A list that cannot be read stops `screen` and `explain` with exit 2 and the reason, unless
/// --no-lists: each broken cache kept under tests/lists/cache/, and list files given with --list
#[test]
fn lists_that_cannot_be_read_fail_closed() {
    let input = record("a", "2026-02-01", "NORTHERN STAR FICTIVE BANK", "entity");
    let mut report = String::new();
    for case in [
        "truncated",
        "sha-mismatch",
        "count-mismatch",
        "date-mismatch",
        "empty",
        "corrupt-meta",
        "no-meta",
        "no-list",
    ] {
        let dir = format!("tests/lists/cache/{case}");
        for command in ["screen", "explain"] {
            let output = embargo(&[command, "--cache-dir", &dir, "-"], Some(&input));
            assert_eq!(code(&output), 2, "{case} {command}: {}", err(&output));
            assert!(err(&output).contains(&dir), "{case}: {}", err(&output));
            assert!(out(&output).is_empty(), "{case}: {}", out(&output));
            if command == "screen" {
                let last = err(&output).lines().last().unwrap_or_default().to_string();
                report.push_str(&format!("{case}: {last}\n"));
            }
        }
        let output = embargo(
            &["screen", "--cache-dir", &dir, "--no-lists", "-"],
            Some(&input),
        );
        assert_eq!(code(&output), 0, "{case} --no-lists: {}", err(&output));
    }
    for file in [
        "truncated.xml",
        "empty.xml",
        "malformed.xml",
        "not-a-list.txt",
    ] {
        let path = format!("tests/lists/{file}");
        let output = embargo(&["screen", "--list", &path, "-"], Some(&input));
        assert_eq!(code(&output), 2, "{file}: {}", err(&output));
        assert!(out(&output).is_empty(), "{file}: {}", out(&output));
        let last = err(&output).lines().last().unwrap_or_default().to_string();
        report.push_str(&format!("--list {file}: {last}\n"));
    }
    insta::assert_snapshot!(report);

    // A list whose every entry is skipped: each reason is said before the list is refused
    let output = embargo(
        &["screen", "--list", "tests/lists/all_bad.xml", "-"],
        Some(&input),
    );
    assert_eq!(code(&output), 2, "{}", err(&output));
    let stderr = err(&output);
    let said: Vec<&str> = stderr.lines().collect();
    let problem = said
        .iter()
        .position(|l| l.contains("field `REFERENCE_NUMBER`: missing"));
    let refused = said
        .iter()
        .position(|l| l.contains("the list has no entries"));
    assert!(problem.is_some() && problem < refused, "{}", err(&output));
    // stderr whole: the one skipped entry with its line, then the refusal, and nothing else.
    assert_eq!(
        stderr,
        "\
embargo: tests/lists/all_bad.xml: line 4: field `REFERENCE_NUMBER`: missing
embargo: tests/lists/all_bad.xml: the list has no entries: refusing to screen against an empty list
"
    );
    assert_eq!(out(&output), "");

    // The good copy of the same list screens.
    let output = embargo(
        &["screen", "--cache-dir", "tests/lists/cache/good", "-"],
        Some(&input),
    );
    assert_eq!(code(&output), 1, "{}", err(&output));
    assert_eq!(matched(&out(&output))["a"], ["KPe.952"]);
    assert!(
        err(&output).contains("snapshots used (generated): 2026-01-10T23:00:00.000Z"),
        "{}",
        err(&output)
    );
    // stderr whole: which cached copy, of when and downloaded when, then the one snapshot used.
    assert_eq!(
        err(&output),
        "\
embargo: screening parties against the cached UN list of 2026-01-10T23:00:00.000Z (downloaded 2026-01-11T08:00:00Z)
embargo: un-consolidated.xml: snapshots used (generated): 2026-01-10T23:00:00.000Z
"
    );
}

/// A vessel of the designated-vessels CSV matches from its `designation_date` on, by IMO number
/// and by name; one without a designation date matches whatever the date
#[test]
fn a_vessel_matches_only_from_its_designation_date() {
    let catalog = read_vessels(File::open(fixture("vessels.csv")).unwrap()).unwrap();
    let sample = catalog.find("IMO 9074729").unwrap();
    assert_eq!(sample.listed_on.as_deref(), Some("2030-01-01"));
    let mut matcher = embargo::internals::screening::matching::ListMatcher::new();
    matcher.add("vessels.csv", &catalog);
    for (date, found) in [("2029-12-31", false), ("2030-01-01", true)] {
        let text = embargo::internals::model::RecordText {
            line: 1,
            column: 1,
            text: serde_json::json!({
                "id": "v", "date": date, "activity": "trade",
                "vessels": [{"name": "Sample Star", "imo": "9074729"}]
            })
            .to_string(),
            yaml: false,
        };
        let mut t = embargo::internals::model::parse_record("t", &text).unwrap();
        matcher.annotate(&mut t);
        // `QUOTED, NAME` has the same IMO number and no designation date: it matches always
        // (and, with the same reference, stands for the entry the day before).
        let names: Vec<&str> = t.vessels[0]
            .designations
            .iter()
            .map(|d| d.listed_name.as_str())
            .collect();
        assert_eq!(names.contains(&"SAMPLE STAR"), found, "{date}: {names:?}");
    }
}
