//! List import: the real UN and OFAC files from `EMBARGO_SHARED`, and small synthetic fixtures for errors.

use crate::common;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use common::shared_file;
use embargo::internals::screening::lists::{
    self, Alias, Document, EntryKind, Format, ListCatalog, ListError, read_ofac_sdn, read_un_xml,
    read_vessels,
};

pub(crate) fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/lists")
        .join(name)
}

pub(crate) fn un(path: &Path) -> ListCatalog {
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

/// A column that is not UTF-8 (OFAC's files are Latin-1 at times) is read with the bad bytes
/// replaced, and trimmed as any other; `-0-` and blank columns are absent
#[test]
fn ofac_columns_not_in_utf8_are_read_with_replacements() {
    let sdn: &[u8] = b"7001,\" Soci\xe9t\xe9 G\xe9n\xe9rale \",-0- ,SDGT,-0-,-0-,-0-,-0-,-0-,  ,-0-, \xffremark\n";
    let catalog = read_ofac_sdn(sdn, None, None).unwrap();
    assert!(catalog.problems.is_empty(), "{:?}", catalog.problems);
    let entry = &catalog.entries[0];
    assert_eq!(
        entry.name_parts,
        ["Soci\u{FFFD}t\u{FFFD} G\u{FFFD}n\u{FFFD}rale"]
    );
    assert_eq!(entry.kind, EntryKind::Entity);
    assert_eq!(entry.list_type, "SDGT");
    assert_eq!(entry.flag, None);
    assert_eq!(entry.comments.as_deref(), Some("\u{FFFD}remark"));
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
