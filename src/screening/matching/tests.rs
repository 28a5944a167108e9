//! Unit tests of matching: corroboration within bounds, frequent names, kinds and countries.

use super::*;

/// An entry born in a country that no longer exists: its successors' codes count too, so
/// that a party of Serbia is not contradicted by a birth in `Yugoslavia` (issue 12, item 3)
#[test]
fn a_former_country_of_an_entry_reaches_its_successors() {
    let entry = ListEntry {
        reference: "X.1".into(),
        list_type: "T".into(),
        name_parts: vec!["A".into()],
        places_of_birth: vec!["Belgrade, Yugoslavia".into()],
        nationalities: vec!["Southern Rhodesia".into()],
        ..ListEntry::new(crate::screening::lists::EntryKind::Individual)
    };
    let countries = entry_countries(&entry, &mut HashMap::new());
    for c in [b"YU", b"RS", b"ME", b"XK", b"RH", b"ZW"] {
        assert!(countries.contains(c), "{countries:?}");
    }
    assert!(!countries.contains(b"KP"));
}

/// Eleven entities named exactly like the vessel searched for, and the vessel itself under
/// a slightly different name: the vessel is found, though eleven better-scoring entities
/// come first in the index
#[test]
fn the_kind_is_filtered_before_the_best_candidates_are_kept() {
    let mut sdn = String::new();
    for i in 1..=11 {
        sdn.push_str(&format!(
            "{i},\"OCEAN STAR\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
        ));
    }
    sdn.push_str("99,\"OCEAN STARR\",\"vessel\",\"DPRK\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"Vessel Registration Identification IMO 9074729.\"\r\n");
    let catalog = crate::screening::lists::read_ofac_sdn(sdn.as_bytes(), None, None).unwrap();
    assert_eq!(catalog.entries.len(), 12);
    let mut matcher = ListMatcher::new();
    matcher.add("sdn.csv", &catalog);
    let vessel = Vessel {
        name: Some("Ocean Star".into()),
        imo: None,
        flag: None,
        role: None,
        designations: Vec::new(),
    };
    let found = matcher.vessel(&vessel);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].reference, "99");
    assert_eq!(found[0].listed, ["OFAC DPRK"]);
}

fn person(reference: &str, parts: &[&str], dob: &[&str], nationality: &[&str]) -> ListEntry {
    ListEntry {
        reference: reference.into(),
        list_type: "T".into(),
        name_parts: parts.iter().map(|p| p.to_string()).collect(),
        dates_of_birth: dob.iter().map(|d| d.to_string()).collect(),
        nationalities: nationality.iter().map(|n| n.to_string()).collect(),
        ..ListEntry::new(EntryKind::Individual)
    }
}

/// Common Korean names (given names and surnames shared by many people), each listed name
/// made of frequent parts
fn korean_catalog() -> ListCatalog {
    let dprk = "Democratic People's Republic of Korea";
    let entries = vec![
        person("K.1", &["KIM", "Chol"], &["1965-04-12"], &[dprk]),
        person("K.2", &["KIM", "Song", "Il"], &[], &[dprk]),
        person("K.3", &["KIM", "Yong", "Chol"], &[], &[dprk]),
        person("K.4", &["RI", "Chol"], &[], &[dprk]),
        person("K.5", &["PAK", "Chol", "Su"], &[], &[dprk]),
        person("K.6", &["KIM", "Hyok"], &[], &[dprk]),
        person("K.7", &["KETTLEBY", "Jonathan"], &["1961"], &["Germany"]),
    ];
    ListCatalog {
        entries,
        ..ListCatalog::default()
    }
}

fn individual(name: &str, country: Option<&str>, ids: &[(&str, &str)]) -> Party {
    Party {
        role: 0,
        name: name.into(),
        kind: crate::model::Vocab::PartyKind
            .code("individual")
            .unwrap_or(0),
        country: country.and_then(Place::parse),
        ids: ids
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        tags: Vec::new(),
        count: None,
        kind_given: true,
        designations: Vec::new(),
    }
}

fn found<'d>(found: &'d [Designation], reference: &str) -> Option<&'d Designation> {
    found.iter().find(|d| d.reference == reference)
}

/// `Kim Chol`: a common surname and a common given name; listed exactly so, it is weak at
/// most, even with the country agreeing; a date of birth or a nationality corroborating
/// lifts the cap
#[test]
fn a_name_of_frequent_parts_alone_is_weak_at_most() {
    let catalog = korean_catalog();
    let mut matcher = ListMatcher::new();
    matcher.add("list.xml", &catalog);
    for country in [None, Some("KP")] {
        let d = matcher.party(&individual("Kim Chol", country, &[]));
        let d = found(&d, "K.1").expect("found, weak");
        assert_eq!(d.strength, Strength::Weak, "{d:?}");
        assert!(d.why.iter().any(|w| w.contains("frequent")), "{d:?}");
        // The name's score, then why it is capped (any line with "frequent" passed).
        assert_eq!(
            d.why[..2],
            [
                "name `Kim Chol` against `KIM Chol`: 1.00",
                "every part of the name is frequent in the list (a common given name and surname): weak at most without a date of birth or nationality"
            ],
            "{country:?}"
        );
        assert_eq!(d.why.len(), 2 + usize::from(country.is_some()), "{d:?}");
    }
    let d = matcher.party(&individual("Kim Chol", None, &[("dob", "1965-04-12")]));
    let d = found(&d, "K.1").expect("found");
    assert!(d.strength >= Strength::Strong, "{d:?}");
    assert!(
        d.why
            .iter()
            .any(|w| w.contains("date of birth corroborates"))
    );
    let d = matcher.party(&individual("Kim Chol", None, &[("nationality", "KP")]));
    assert!(found(&d, "K.1").expect("found").strength >= Strength::Strong);
    // A rare name is not capped
    let d = matcher.party(&individual("Jonathan Kettleby", None, &[]));
    assert_eq!(found(&d, "K.7").expect("found").strength, Strength::Exact);
}

/// Corroboration by country makes a weak match likelier, never strong; a strong one comes
/// nearer exact
#[test]
fn corroboration_moves_within_bounds() {
    assert!(corroborate(0.85) < STRONG);
    assert!(corroborate(0.85) > 0.85);
    assert!(corroborate(0.91) < STRONG);
    assert!(corroborate(0.95) > 0.95);
    assert!(corroborate(0.95) < 1.0);
    let catalog = korean_catalog();
    let mut matcher = ListMatcher::new();
    matcher.add("list.xml", &catalog);
    // A contained name, a distinctive part missing: weak, and still weak with its country
    let party = individual("Jonathan Kettleby", Some("DE"), &[]);
    let mut entry_catalog = ListCatalog {
        entries: vec![person(
            "K.8",
            &["KETTLEBY", "Jonathan", "Aldous"],
            &[],
            &["Germany"],
        )],
        ..ListCatalog::default()
    };
    entry_catalog.format = None;
    let mut contained = ListMatcher::new();
    contained.add("list.xml", &entry_catalog);
    let d = contained.party(&party);
    let d = found(&d, "K.8").expect("found");
    assert_eq!(d.strength, Strength::Weak, "{d:?}");
    assert!(d.why.iter().any(|w| w.contains("corroborates")), "{d:?}");
    assert_eq!(
        d.why,
        [
            "name `Jonathan Kettleby` against `KETTLEBY Jonathan Aldous`: 0.91",
            "country DE corroborates (the entry's: DD, DE)"
        ]
    );
    // A strong match corroborated comes nearer exact
    let d = matcher.party(&individual("Jonathon Kettleby", Some("DE"), &[]));
    let d = found(&d, "K.7").expect("found");
    let alone = matcher.party(&individual("Jonathon Kettleby", None, &[]));
    let alone = found(&alone, "K.7").expect("found");
    assert!(d.score >= alone.score, "{d:?} {alone:?}");
    // Nearer, not merely no further: a corroboration that changed nothing passed `>=`.
    assert!(d.score > alone.score, "{d:?} {alone:?}");
}

/// A date of birth or a nationality that contradicts the entry's lowers the score
#[test]
fn a_contradicting_birth_or_nationality_lowers_the_score() {
    let catalog = korean_catalog();
    let mut matcher = ListMatcher::new();
    matcher.add("list.xml", &catalog);
    let plain = matcher.party(&individual("Jonathon Kettleby", None, &[]));
    let plain = found(&plain, "K.7").expect("found").score;
    let mut contradicted = Vec::new();
    for ids in [
        [("date_of_birth", "1984-02-03")],
        [("nationality", "France")],
    ] {
        let d = matcher.party(&individual("Jonathon Kettleby", None, &ids));
        let d = found(&d, "K.7").expect("found");
        assert!(d.score < plain, "{ids:?}: {d:?}");
        assert!(d.why.iter().any(|w| w.contains("contradicts")), "{d:?}");
        contradicted.push((d.score, d.why.clone()));
    }
    // By how much, and why: the name's own score, then what contradicts (any line with
    // "contradicts" passed, and any lower score).
    // (0.98: `jonathon~jonathan` differ only in a vowel, 0.95)
    let name = "name `Jonathon Kettleby` against `KETTLEBY Jonathan`: 0.98";
    assert_eq!(
        contradicted,
        [
            (
                0.829,
                vec![
                    name.to_string(),
                    "date of birth contradicts (the entry's: 1961)".to_string()
                ]
            ),
            (
                0.878,
                vec![
                    name.to_string(),
                    "nationality contradicts (the entry's: Germany)".to_string()
                ]
            ),
        ]
    );
    // A year within a range agrees
    assert_eq!(birth_agrees("1952", &["1950-1955".into()]), Some(true));
    assert_eq!(birth_agrees("1961-03-05", &["1961".into()]), Some(true));
    assert_eq!(
        birth_agrees("1961-03-05", &["1961-03-06".into()]),
        Some(false)
    );
    assert_eq!(birth_agrees("1961", &[]), None);
}

/// Token rarity: counted once when the index is built, over every name and alias
#[test]
fn the_index_counts_how_common_each_part_is() {
    let catalog = korean_catalog();
    let index = catalog.index(Schema::Person);
    assert_eq!(index.part_frequency("kim"), 4);
    assert!(index.is_frequent("kim") && index.is_frequent("chol"));
    assert!(!index.is_frequent("kettleby") && !index.is_frequent("hyok"));
    assert!(index.rarity("kim") < index.rarity("hyok"));
    assert_eq!(index.rarity("kettleby"), 1.0);
    assert_eq!(index.rarity("unlisted"), 1.0);
    // Through the index, a name with a part the listed one lacks stays below strong
    let with_rarity = index.search("Kim Hyok Chol", 10);
    let k6 = with_rarity.iter().find(|c| c.reference == "K.6");
    assert!(k6.is_some_and(|c| c.score < STRONG), "{with_rarity:?}");
}

/// A payer called `Trading company`, with the listed company's country, against a listed
/// `... Trading Company`: no match (issue 13: it was strong, and the payment prohibited)
#[test]
fn a_generic_company_name_is_not_found_whatever_its_country() {
    let entity = ListEntry {
        reference: "E.1".into(),
        list_type: "T".into(),
        name_parts: vec!["KOREA FICTIVE TRADING COMPANY".into()],
        nationalities: vec!["Democratic People's Republic of Korea".into()],
        ..ListEntry::new(EntryKind::Entity)
    };
    let catalog = ListCatalog {
        entries: vec![entity],
        ..ListCatalog::default()
    };
    let mut matcher = ListMatcher::new();
    matcher.add("list.xml", &catalog);
    let mut party = individual("Trading company", Some("KP"), &[]);
    party.kind = crate::model::Vocab::PartyKind.code("entity").unwrap_or(0);
    assert!(matcher.party(&party).is_empty());
    party.kind_given = false;
    assert!(matcher.party(&party).is_empty());
    // The distinctive part alone finds it, below strong (the rest of the name is missing)
    party.name = "Korea Fictive".into();
    let d = matcher.party(&party);
    let d = found(&d, "E.1").expect("found");
    assert!(d.strength < Strength::Strong, "{d:?}");
}
