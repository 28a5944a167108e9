//! Every HS code the embedded pack names exists in HS 2022, and every place in ISO 3166
//! (../shared/data, from `EMBARGO_SHARED`).

use crate::common;

use std::collections::BTreeSet;

use common::shared_file;

fn program() -> embargo::internals::ir::Program {
    let (program, diagnostics) =
        embargo::internals::compile::compile(&embargo::internals::rules::embedded());
    program.unwrap_or_else(|| panic!("the embedded pack compiles: {diagnostics:?}"))
}

/// The `hscode` column of the HS nomenclature (2-, 4- and 6-digit codes)
fn hs_2022(csv: &str) -> BTreeSet<String> {
    csv.lines()
        .skip(1)
        .filter_map(|line| line.split(',').nth(1))
        .map(str::to_string)
        .collect()
}

/// The values of `field` in the list `list` of an iso-codes JSON file
fn iso_codes(json: &str, list: &str, field: &str) -> BTreeSet<String> {
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    value[list]
        .as_array()
        .unwrap_or_else(|| panic!("no `{list}` list"))
        .iter()
        .map(|entry| entry[field].as_str().unwrap().to_string())
        .collect()
}

#[test]
#[cfg_attr(
    not(embargo_shared),
    ignore = "needs ../shared: set EMBARGO_SHARED=../shared"
)]
fn every_hs_code_of_the_pack_exists_in_hs_2022() {
    let Some(csv) = shared_file("data/hs/harmonized-system.csv") else {
        return;
    };
    let known = hs_2022(&std::fs::read_to_string(csv).unwrap());
    assert!(known.contains("03") && known.contains("0301") && known.contains("030111"));
    // Every row's code, no more (97 chapters, 1,229 headings, 5,613 subheadings, `TOTAL`): a
    // reader that took other columns too would make the check below pass on anything.
    assert_eq!(known.len(), 6940);
    let program = program();
    let named = program.hs_codes_named();
    let missing: Vec<String> = named
        .iter()
        .filter(|(hs, _)| {
            // National subdivisions (8 or 10 digits) are checked by their HS subheading.
            let code = hs.as_str();
            !known.contains(code.get(..6).unwrap_or(code))
        })
        .map(|(hs, by)| format!("{hs} (named by {by})"))
        .collect();
    eprintln!(
        "{} HS codes named; {} mentions of missing ones",
        program.hs_codes().len(),
        missing.len()
    );
    assert!(
        missing.is_empty(),
        "HS codes not in HS 2022:\n  {}",
        missing.join("\n  ")
    );
}

#[test]
#[cfg_attr(
    not(embargo_shared),
    ignore = "needs ../shared: set EMBARGO_SHARED=../shared"
)]
fn every_place_of_the_pack_exists_in_iso_3166() {
    let (Some(countries), Some(subdivisions)) = (
        shared_file("data/iso3166/iso_3166-1.json"),
        shared_file("data/iso3166/iso_3166-2.json"),
    ) else {
        return;
    };
    let mut known = iso_codes(
        &std::fs::read_to_string(countries).unwrap(),
        "3166-1",
        "alpha_2",
    );
    known.extend(iso_codes(
        &std::fs::read_to_string(subdivisions).unwrap(),
        "3166-2",
        "code",
    ));
    assert!(known.contains("KP") && known.contains("UA-14"));
    // 249 countries and 5,127 subdivisions: a reader that took other fields too would make the
    // check below pass on anything.
    assert_eq!(known.len(), 249 + 5127);
    // Withdrawn codes (ISO 3166-3: `RH` of `RHZW`), which rules name for territories that no
    // longer exist (issue 12, item 3); the shared data has no ISO 3166-3 file.
    known.extend(
        rust_iso3166::iso3166_3::ALL
            .iter()
            .map(|c| c.former.alpha2.to_string()),
    );
    let program = program();
    let named = program.places_named();
    let missing: Vec<String> = named
        .iter()
        .filter(|(place, _)| !known.contains(place.as_str()))
        .map(|(place, by)| format!("{place} (named by {by})"))
        .collect();
    eprintln!(
        "{} places named; {} mentions of missing ones",
        program.places().len(),
        missing.len()
    );
    assert!(
        missing.is_empty(),
        "places not in ISO 3166:\n  {}",
        missing.join("\n  ")
    );
}
