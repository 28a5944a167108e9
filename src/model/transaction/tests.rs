//! Tests of `transaction`.

use super::*;

/// A number reads as written, every digit and place kept, from JSON's number or a string
/// holding one; anything else is not a number
/// A currency reads as its code
#[test]
fn a_currency_reads_as_its_code() {
    let money = Money {
        amount: Decimal::from(5),
        currency: *b"EUR",
    };
    assert_eq!(money.currency_str(), "EUR");
}

/// A party built by the library's builders holds what each was given; a kind or a country
/// not understood is left as it was
#[test]
fn a_party_built_holds_what_it_was_given() {
    let party = Party::named("Kim Chol")
        .with_kind("individual")
        .with_country("KP")
        .with_id("passport", "836110034");
    assert_eq!(party.name, "Kim Chol");
    assert_eq!(
        Vocab::PartyKind.value(party.kind),
        "individual",
        "{party:?}"
    );
    assert!(party.kind_given);
    assert_eq!(party.country, Place::parse("KP"));
    assert!(party.country.is_some());
    assert_eq!(
        party.ids.get("passport").map(String::as_str),
        Some("836110034")
    );
    let plain = Party::named("X")
        .with_kind("no such kind")
        .with_country("Atlantis");
    assert_eq!(Vocab::PartyKind.value(plain.kind), "entity");
    assert!(!plain.kind_given);
    assert_eq!(plain.country, None);
    assert!(plain.ids.is_empty() && plain.tags.is_empty() && plain.designations.is_empty());
}

/// The fast reading of a date gives what chrono's parser gives, for every text it takes,
/// and leaves the rest to it
#[test]
fn a_plain_date_reads_as_chrono_does() {
    for text in [
        "2022-09-05",
        "1966-11-20",
        "0001-01-01",
        "9999-12-31",
        "2024-02-29",
        "2023-02-29",
        "2022-13-01",
        "2022-00-10",
        "2022-09-00",
        "2022-09-31",
        "2022-9-05",
        "2022-09-5",
        "22-09-05",
        "2022/09/05",
        "2022-09-05 ",
        " 2022-09-05",
        "2022-09-0x",
        "20a2-09-05",
        "2022-09-05T00",
        "2022+09-05",
        "2022-09+05",
        "+202-09-05",
        "",
    ] {
        let chrono = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
        match plain_date(text) {
            Some(date) => assert_eq!(date, chrono, "{text:?}"),
            // Left to chrono: text not of the form DDDD-DD-DD
            None => assert!(
                text.len() != 10 || !text.bytes().all(|b| b.is_ascii_digit() || b == b'-'),
                "{text:?} is of the plain form but was not read"
            ),
        }
    }
    assert_eq!(
        plain_date("2022-09-05"),
        Some(NaiveDate::from_ymd_opt(2022, 9, 5))
    );
    assert_eq!(
        plain_date("1999-12-31"),
        Some(NaiveDate::from_ymd_opt(1999, 12, 31))
    );
    assert_eq!(plain_date("2022/09/05"), None);
    assert_eq!(plain_date("2022-09-5x"), None);
}

#[test]
fn a_number_reads_exactly_as_written() {
    let reads = |json: &str| {
        serde_json::from_str::<Num>(json)
            .ok()
            .map(|n| n.0.to_string())
    };
    for (json, want) in [
        ("0", Some("0")),
        ("1500", Some("1500")),
        ("-42", Some("-42")),
        ("18446744073709551615", Some("18446744073709551615")),
        ("1.50", Some("1.50")),
        ("0.1", Some("0.1")),
        ("1333568.52", Some("1333568.52")),
        // A float would read 12345678901234568
        ("12345678901234567.89", Some("12345678901234567.89")),
        ("1e3", Some("1000")),
        ("1.5E-7", Some("0.00000015")),
        ("-2.5e+2", Some("-250")),
        ("\"12.5\"", Some("12.5")),
        ("\"1\\u0030\"", Some("10")),
        ("\"1e3\"", Some("1000")),
        // Beyond rust_decimal's range: not read, as before
        ("1e300", None),
        ("\"abc\"", None),
        ("\"\"", None),
        ("true", None),
        ("null", None),
        ("[1]", None),
        ("{}", None),
    ] {
        assert_eq!(reads(json).as_deref(), want, "{json}");
    }
}

/// Text borrows from the record where JSON lets it (no escape), and is owned where not
#[test]
fn text_borrows_unless_escaped() {
    let plain: Vec<Text<'_>> = serde_json::from_str(r#"["KP", "UA-14"]"#).unwrap_or_default();
    assert!(plain.iter().all(|t| matches!(t.0, Cow::Borrowed(_))));
    assert_eq!(
        plain.iter().map(|t| &**t).collect::<Vec<_>>(),
        ["KP", "UA-14"]
    );
    let escaped: Vec<Text<'_>> = serde_json::from_str(r#"["K\u0050"]"#).unwrap_or_default();
    assert!(matches!(escaped.first().map(|t| &t.0), Some(Cow::Owned(s)) if s == "KP"));
    let yaml: Vec<Text<'_>> = serde_yaml::from_str("[KP]").unwrap_or_default();
    assert_eq!(yaml.iter().map(|t| &**t).collect::<Vec<_>>(), ["KP"]);
    // From a reader that hands over its own strings
    let owned = <Text<'static> as Deserialize>::deserialize(serde_json::Value::String("KP".into()))
        .unwrap_or_default();
    assert_eq!(&*owned, "KP");
    let not_text = serde_json::from_str::<Text<'_>>("1")
        .map(|_| ())
        .unwrap_err();
    assert!(
        not_text.to_string().contains("expected a string"),
        "{not_text}"
    );
}

/// The checked record of one JSON record, or the messages of its errors
fn checked(json: &str) -> Result<Transaction, Vec<String>> {
    serde_json::from_str::<RawRecord<'_>>(json)
        .map_err(|e| vec![e.to_string()])
        .and_then(|raw| {
            raw.check().map_err(|e| {
                e.into_iter()
                    .map(|f| format!("{}: {}", f.field, f.message))
                    .collect()
            })
        })
}

/// `small_arms` and `heavy_arms` are kinds of `arms`: an item of either is of `arms` too,
/// once; other categories imply nothing
#[test]
fn small_and_heavy_arms_are_arms() {
    let categories = |list: &str| {
        checked(&format!(
                r#"{{"id": "a", "date": "2020-01-01", "activity": "trade", "goods": [{{"categories": {list}}}]}}"#
            ))
            .map(|t| {
                t.goods
                    .first()
                    .map(|g| {
                        g.categories
                            .iter()
                            .map(|&c| Vocab::Category.value(c))
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default()
            })
    };
    assert_eq!(
        categories(r#"["small_arms"]"#),
        Ok(vec!["small_arms", "arms"])
    );
    assert_eq!(
        categories(r#"["luxury", "heavy_arms"]"#),
        Ok(vec!["luxury", "heavy_arms", "arms"])
    );
    assert_eq!(
        categories(r#"["arms", "small_arms"]"#),
        Ok(vec!["arms", "small_arms"])
    );
    assert_eq!(categories(r#"["luxury"]"#), Ok(vec!["luxury"]));
}

/// An IMO number is 7 digits
#[test]
fn an_imo_number_is_seven_digits() {
    let imo = |imo: &str| {
        checked(&format!(
                r#"{{"id": "a", "date": "2020-01-01", "activity": "vessel_operation", "vessels": [{{"name": "V", "imo": "{imo}"}}]}}"#
            ))
            .map(|t| t.vessels.first().and_then(|v| v.imo.clone()))
    };
    assert_eq!(imo("9123456"), Ok(Some("9123456".to_string())));
    for wrong in ["912345", "91234567", "912345a", "ABCDEFG"] {
        assert_eq!(
            imo(wrong),
            Err(vec![format!(
                "vessels[0].imo: expected an IMO number of 7 digits such as \"9123456\", found {wrong:?}"
            )])
        );
    }
}

/// A party stands for 0 people or more
#[test]
fn a_count_is_zero_or_more() {
    let count = |n: i64| {
        checked(&format!(
                r#"{{"id": "a", "date": "2020-01-01", "activity": "travel", "parties": [{{"role": "traveller", "name": "T", "count": {n}}}]}}"#
            ))
            .map(|t| t.parties.first().and_then(|p| p.count))
    };
    assert_eq!(count(0), Ok(Some(0)));
    assert_eq!(count(3), Ok(Some(3)));
    assert_eq!(
        count(-1),
        Err(vec![
            "parties[0].count: expected a number of people, 0 or more, found -1".to_string()
        ])
    );
}

/// An amount is kept exactly, its currency upper-cased; a currency that is not three
/// letters is an error of the amount's currency
#[test]
fn an_amount_keeps_its_currency() {
    let t = checked(
        r#"{"id": "a", "date": "2020-01-01", "activity": "payment", "amount": {"amount": "12.50", "currency": "usd"}}"#,
    );
    let amount = t.map(|t| t.amount);
    assert_eq!(
        amount,
        Ok(Some(Money {
            amount: Decimal::new(1250, 2),
            currency: *b"USD"
        }))
    );
    for currency in ["U5D", "US", "USDX", ""] {
        let errors = checked(&format!(
                r#"{{"id": "a", "date": "2020-01-01", "activity": "payment", "amount": {{"amount": 1, "currency": "{currency}"}}}}"#
            ))
            .map(|_| ())
            .unwrap_err();
        assert_eq!(
            errors,
            [format!(
                "amount.currency: expected an ISO 4217 currency code such as \"USD\", found {currency:?}"
            )]
        );
    }
}

/// The reading in place refuses what serde's derived reading refused, and a record that is
/// not a mapping; each of these records then goes to the tracked reading, which says why
#[test]
fn the_reading_in_place_refuses_what_the_derived_one_did() {
    let refused = [
        // A field the format does not know, in the record, a party, a good
        r#"{"id": "a", "date": "2020-01-01", "activity": "trade", "orgin": "KP"}"#,
        r#"{"id": "a", "date": "2020-01-01", "activity": "trade", "parties": [{"role": "payee", "name": "X", "nme": "Y"}]}"#,
        r#"{"id": "a", "date": "2020-01-01", "activity": "trade", "goods": [{"hs": "8703", "valu": 1}]}"#,
        // A field given twice, in the record, a party, a good
        r#"{"id": "a", "date": "2020-01-01", "activity": "trade", "id": "b"}"#,
        r#"{"id": "a", "date": "2020-01-01", "activity": "trade", "parties": [], "parties": []}"#,
        r#"{"id": "a", "date": "2020-01-01", "activity": "trade", "parties": [{"role": "payee", "name": "X", "name": "Y"}]}"#,
        r#"{"id": "a", "date": "2020-01-01", "activity": "trade", "goods": [{"hs": "8703", "hs": "8704"}]}"#,
        // A required field missing, in the record and in a party
        r#"{"date": "2020-01-01", "activity": "trade"}"#,
        r#"{"id": "a", "activity": "trade"}"#,
        r#"{"id": "a", "date": "2020-01-01"}"#,
        r#"{"id": "a", "date": "2020-01-01", "activity": "trade", "parties": [{"role": "payee"}]}"#,
        r#"{"id": "a", "date": "2020-01-01", "activity": "trade", "parties": [{"name": "X"}]}"#,
        // A value of the wrong type
        r#"{"id": "a", "date": "2020-01-01", "activity": "trade", "parties": null}"#,
        r#"{"id": "a", "date": "2020-01-01", "activity": "trade", "goods": [["8703"]]}"#,
        r#"{"id": "a", "date": "2020-01-01", "activity": "trade", "transit": "KP"}"#,
        r#"{"id": 1, "date": "2020-01-01", "activity": "trade"}"#,
        // Not a mapping: serde's derived reading took an array as the fields in order
        r#"["a", "2020-01-01", "trade"]"#,
        r#""a""#,
    ];
    for json in refused {
        assert!(
            serde_json::from_str::<RawRecord<'_>>(json).is_err(),
            "read: {json}"
        );
        let record = crate::model::RecordText {
            line: 1,
            column: 1,
            text: json.to_owned(),
            yaml: false,
            table: None,
        };
        let errors = crate::model::parse_record("t", &record).map_or_else(|e| e.errors, |_| vec![]);
        assert!(
            !errors.is_empty(),
            "no error from the tracked reading: {json}"
        );
    }
}

/// Lists longer than those held inline are read whole, in order, each element in its place
#[test]
fn lists_longer_than_those_held_inline_are_read_whole() {
    let json = r#"{"id": "a", "date": "2020-01-01", "activity": "trade",
        "parties": [{"role": "payer", "name": "P0"}, {"role": "payee", "name": "P1", "country": "KP"},
                    {"role": "broker", "name": "P2", "ids": {"lei": "L"}, "tags": ["t"], "count": 3}],
        "goods": [{"hs": "01"}, {"hs": "02"}, {"hs": "03", "quantity": 5, "unit": "kg"}],
        "transit": ["CN", "RU", "IR"],
        "vessels": [{"name": "V0"}, {"name": "V1", "imo": "9123456"}]}"#;
    let t = checked(json).expect("a record");
    let names: Vec<&str> = t.parties.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["P0", "P1", "P2"]);
    assert_eq!(t.parties.get(2).map(|p| p.count), Some(Some(3)));
    assert_eq!(
        t.parties
            .get(2)
            .and_then(|p| p.ids.get("lei"))
            .map(String::as_str),
        Some("L")
    );
    let hs: Vec<String> = t
        .goods
        .iter()
        .filter_map(|g| g.hs.map(|h| h.as_str().to_owned()))
        .collect();
    assert_eq!(hs, ["01", "02", "03"]);
    assert_eq!(t.transit.len(), 3);
    let vessels: Vec<Option<&str>> = t.vessels.iter().map(|v| v.name.as_deref()).collect();
    assert_eq!(vessels, [Some("V0"), Some("V1")]);
    // Empty lists and no lists read the same
    let empty = checked(
        r#"{"id": "a", "date": "2020-01-01", "activity": "trade", "parties": [], "goods": [], "transit": []}"#,
    )
    .expect("a record");
    assert!(empty.parties.is_empty() && empty.goods.is_empty() && empty.transit.is_empty());
}

/// A list exactly as long as those held inline is read without moving onto the heap: no place
/// is pushed for an element after the last when the list is full
#[test]
fn a_list_as_long_as_those_held_inline_stays_inline() {
    let raw: RawRecord<'_> = serde_json::from_str(
        r#"{"id": "a", "date": "2020-01-01", "activity": "trade",
            "parties": [{"role": "payer", "name": "A"}, {"role": "payee", "name": "B"}],
            "goods": [{"hs": "01"}, {"hs": "02"}], "vessels": [{"name": "V"}],
            "transit": ["CN", "RU"]}"#,
    )
    .expect("a record");
    let lengths = (
        raw.parties.len(),
        raw.goods.len(),
        raw.vessels.len(),
        raw.transit.len(),
    );
    assert_eq!(lengths, (2, 2, 1, 2));
    assert!(
        !raw.parties.spilled()
            && !raw.goods.spilled()
            && !raw.vessels.spilled()
            && !raw.transit.spilled()
    );
}
