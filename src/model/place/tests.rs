//! Tests of `place`.

#[test]
fn country_names_read_in_either_order() {
    let code = |n: &str| Place::from_country_name(n).map(|p| p.to_string());
    assert_eq!(
        code("Democratic People's Republic of Korea").as_deref(),
        Some("KP")
    );
    assert_eq!(code("Iran (Islamic Republic of)").as_deref(), Some("IR"));
    assert_eq!(
        code("Democratic Republic of the Congo").as_deref(),
        Some("CD")
    );
    assert_eq!(code("United Republic of Tanzania").as_deref(), Some("TZ"));
    assert_eq!(code("Russian Federation").as_deref(), Some("RU"));
    assert_eq!(code("Congo").as_deref(), Some("CG"));
    assert_eq!(code("Korea"), None);
    assert_eq!(code(""), None);
}

use super::*;

#[test]
fn names_and_near_misses_suggest_a_code() {
    let hint = |n: &str| Place::suggest(n).map(|p| p.to_string());
    assert_eq!(hint("North Korea").as_deref(), Some("KP"));
    assert_eq!(hint("north korea").as_deref(), Some("KP"));
    assert_eq!(hint("Nroth Korea").as_deref(), Some("KP"));
    assert_eq!(hint("PRK").as_deref(), Some("KP"));
    assert_eq!(hint("Iran").as_deref(), Some("IR"));
    assert_eq!(hint("Russia").as_deref(), Some("RU"));
    assert_eq!(hint("Russian Federation").as_deref(), Some("RU"));
    assert_eq!(hint("Crimea").as_deref(), Some("UA-43"));
    // A misspelt full name finds its own country, not one sharing most of its words.
    assert_eq!(
        hint("Democratic Peoples Republic of Koreaa").as_deref(),
        Some("KP")
    );
    assert_eq!(
        hint("Lao Peoples Democratic Republc").as_deref(),
        Some("LA")
    );
    assert_eq!(hint("Korea"), None);
    assert_eq!(hint("Atlantis"), None);
    assert_eq!(hint(""), None);
}

#[test]
fn places_nest_in_their_country() {
    let donetsk = Place::parse("ua-14").unwrap();
    let ukraine = Place::parse("UA").unwrap();
    assert!(donetsk.within(&ukraine));
    assert!(!ukraine.within(&donetsk));
    assert!(Place::parse("XX").is_none());
    assert!(Place::parse("UA-99").is_none());
    assert!(Place::parse("").is_none());
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn within_on(a: &str, b: &str, date: &str) -> bool {
    Place::parse(a)
        .unwrap()
        .within_on(&Place::parse(b).unwrap(), day(date))
}

#[test]
fn the_table_reads_whole() {
    let (history, bad) = History::read(PLACES);
    assert!(
        bad.is_empty(),
        "lines of places.txt that do not read: {bad:?}"
    );
    assert!(history.codes.len() >= 26);
    // Every place of a `within` line is a code read on input.
    for e in &history.edges {
        assert!(Place::parse(e.child.as_str()).is_some(), "{}", e.child);
        assert!(Place::parse(e.parent.as_str()).is_some(), "{}", e.parent);
    }
    // No withdrawn code is one ISO 3166-1 assigns today, and each is the ISO 3166-3 entry
    // it says it is (as the rust_iso3166 crate has it), XK apart.
    for c in &history.codes {
        assert!(rust_iso3166::from_alpha2(c.code).is_none(), "{}", c.code);
        if c.code != "XK" {
            let entry = rust_iso3166::iso3166_3::from_code(c.iso3166_3)
                .unwrap_or_else(|| panic!("{} is not in ISO 3166-3", c.iso3166_3));
            assert_eq!(entry.former.alpha2, c.code, "{}", c.iso3166_3);
            assert_eq!(entry.former.alpha3, c.alpha3, "{}", c.iso3166_3);
        }
    }
    // Every ISO 3166-3 entry whose code is not given again today is read.
    for entry in rust_iso3166::iso3166_3::ALL {
        let code = entry.former.alpha2;
        if rust_iso3166::from_alpha2(code).is_none() {
            assert!(history.code(code).is_some(), "{} ({code})", entry.code);
        }
    }
}

#[test]
fn withdrawn_codes_are_read() {
    for code in ["RH", "yu", "CS", "ZR", "SU", "DD", "BU", "TP", "AN", "XK"] {
        assert!(Place::parse(code).is_some(), "{code}");
    }
    // Withdrawn and given to another country: that country.
    assert!(Place::parse("AI").unwrap().withdrawn().next().is_none());
    let rh = Place::parse("RH").unwrap();
    let entry = rh.withdrawn().next().unwrap();
    assert_eq!(entry.iso3166_3, "RHZW");
    assert_eq!(Place::parse("CS").unwrap().withdrawn().count(), 2);
    assert!(Place::parse("QQ").is_none());
}

#[test]
fn places_lie_within_others_on_the_days_they_did() {
    // The brief's cases (issue 12, item 3).
    assert!(within_on("ZW", "RH", "1970-01-01"));
    assert!(within_on("ZW", "RH", "1980-04-17"));
    assert!(!within_on("ZW", "RH", "1980-04-18"));
    assert!(!within_on("ZW", "RH", "1985-01-01"));
    assert!(within_on("RS", "YU", "1993-01-01"));
    assert!(within_on("ME", "YU", "1993-01-01"));
    assert!(within_on("XK", "YU", "1999-06-10"));
    assert!(!within_on("RS", "YU", "2010-01-01"));
    assert!(within_on("SS", "SD", "2005-01-01"));
    assert!(within_on("SS", "SD", "2011-07-08"));
    assert!(!within_on("SS", "SD", "2011-07-09"));
    assert!(!within_on("SS", "SD", "2015-01-01"));
    // A subdivision follows its country.
    assert!(within_on("SS-EC", "SD", "2005-01-01"));
    assert!(!within_on("SS-EC", "SD", "2015-01-01"));
    // Never the other way.
    assert!(!within_on("SD", "SS", "2005-01-01"));
    assert!(!within_on("RH", "ZW", "1970-01-01"));
    // A withdrawn code named later is its successor.
    assert!(within_on("RH", "ZW", "1985-01-01"));
    // The SFRY's republics left it when the FRY was proclaimed.
    assert!(within_on("HR", "YU", "1991-09-25"));
    assert!(!within_on("HR", "YU", "1992-05-30"));
    // Renamed: the same place on every day.
    assert!(within_on("CD", "ZR", "1995-01-01"));
    assert!(within_on("ZR", "CD", "2005-01-01"));
    assert!(within_on("BU", "MM", "1985-01-01"));
    // Today's places within today's countries, as before.
    assert!(within_on("UA-14", "UA", "2022-01-01"));
    assert!(!within_on("KP", "KR", "2022-01-01"));
}

#[test]
fn cs_is_czechoslovakia_until_1993_then_serbia_and_montenegro() {
    assert!(within_on("SK", "CS", "1992-12-31"));
    assert!(!within_on("SK", "CS", "1993-01-01"));
    assert!(!within_on("RS", "CS", "1992-12-31"));
    assert!(within_on("RS", "CS", "1993-01-01"));
    assert!(within_on("ME", "CS", "2004-01-01"));
    assert!(!within_on("ME", "CS", "2007-01-01"));
    // The same place as YU from 1993 until June 2006, chains followed.
    assert!(within_on("CS", "YU", "2004-01-01"));
    assert!(within_on("YU", "CS", "1995-01-01"));
    assert!(!within_on("CS", "YU", "1992-06-01"));
    // Named after the Union ended, YU and CS are Serbia; Serbia is never within itself twice.
    assert!(within_on("YU", "RS", "2010-01-01"));
    assert!(within_on("CS", "RS", "2010-01-01"));
    assert!(!within_on("YU", "RS", "2000-01-01"));
    assert!(!within_on("ME", "RS", "2000-01-01"));
    assert!(within_on("SU", "RU", "1995-01-01"));
    assert!(!within_on("UA", "RU", "1990-01-01"));
}

#[test]
fn dated_places_are_known_to_the_checks() {
    let rh = Place::parse("RH").unwrap();
    assert_eq!(rh.dated_countries(), vec![*b"ZW"]);
    let yu = Place::parse("YU").unwrap().dated_countries();
    for c in [b"RS", b"ME", b"XK", b"SI", b"HR", b"BA", b"MK", b"CS"] {
        assert!(yu.contains(c), "{yu:?}");
    }
    let yu_text: Vec<String> = yu
        .iter()
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    // Exactly the successors, no other country (an extra one passed the contains above).
    assert_eq!(yu_text, ["BA", "CS", "HR", "ME", "MK", "RS", "SI", "XK"]);
    assert!(Place::parse("KP").unwrap().dated_countries().is_empty());
    let former = |p: &str, from: &str, until: &str| {
        Place::parse(p)
            .unwrap()
            .former_country(day(from), day(until))
            .map(|p| p.to_string())
    };
    assert_eq!(
        former("ZW", "1966-12-16", "1979-12-20").as_deref(),
        Some("RH")
    );
    assert_eq!(
        former("ZW-HA", "1966-12-16", "1979-12-20").as_deref(),
        Some("RH")
    );
    assert_eq!(former("ZW", "1966-12-16", "1985-01-01"), None);
    assert_eq!(
        former("RS", "1992-05-30", "1996-10-01").as_deref(),
        Some("YU")
    );
    assert_eq!(
        former("RS", "1998-03-31", "2001-09-10").as_deref(),
        Some("YU")
    );
    assert_eq!(former("SS", "2004-07-30", "2010-01-01"), None);
    // Renamed, not ended: Myanmar is not named "by accident".
    assert_eq!(former("MM", "2000-01-01", "2001-01-01"), None);
    assert_eq!(former("RH", "1970-01-01", "1971-01-01"), None);
    let zw = Place::parse("ZW").unwrap();
    assert!(zw.may_be_within(&rh));
    assert!(!zw.may_be_within(&Place::parse("ZA").unwrap()));
}

#[test]
fn old_names_suggest_withdrawn_codes() {
    let hint = |n: &str| Place::suggest(n).map(|p| p.to_string());
    assert_eq!(hint("Southern Rhodesia").as_deref(), Some("RH"));
    assert_eq!(hint("Rhodesia").as_deref(), Some("RH"));
    assert_eq!(hint("Yugoslavia").as_deref(), Some("YU"));
    assert_eq!(hint("Yugoslvia").as_deref(), Some("YU"));
    assert_eq!(hint("YUG").as_deref(), Some("YU"));
    assert_eq!(hint("RHO").as_deref(), Some("RH"));
    assert_eq!(hint("Zaire").as_deref(), Some("ZR"));
    assert_eq!(hint("Soviet Union").as_deref(), Some("SU"));
    assert_eq!(hint("Czechoslovakia").as_deref(), Some("CS"));
    assert_eq!(hint("Serbia and Montenegro").as_deref(), Some("CS"));
    assert_eq!(hint("Kosovo").as_deref(), Some("XK"));
    // A name of today's code keeps it.
    assert_eq!(hint("Burma").as_deref(), Some("MM"));
    assert_eq!(hint("East Timor").as_deref(), Some("TL"));
}

#[test]
fn hs_codes_nest_in_headings_and_chapters() {
    let code = Hs::parse("2710.19").unwrap();
    assert_eq!(code.as_str(), "271019");
    assert!(code.within(&Hs::parse("2710").unwrap()));
    assert!(code.within(&Hs::parse("27").unwrap()));
    assert!(!code.within(&Hs::parse("28").unwrap()));
    assert!(Hs::parse("7").is_none());
    assert!(Hs::parse("12345678901").is_none());
    assert!(Hs::parse("12a4").is_none());
    let lo = Hs::parse("72").unwrap();
    let hi = Hs::parse("83").unwrap();
    assert!(Hs::parse("7308").unwrap().within_range(&lo, &hi));
    assert!(!Hs::parse("8401").unwrap().within_range(&lo, &hi));
}
