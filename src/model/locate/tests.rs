//! Tests of `locate`.

use super::*;

#[test]
fn json_keys_and_values_know_their_place() {
    let text = "{\"id\": \"a\",\n  \"goods\": [{\"hs\": \"93\"}, {\"h\\u00e9\": 1.5e3}]}";
    let node = json(text).unwrap();
    let (pos, _) = node.find("id").unwrap();
    assert_eq!(pos, Pos { line: 1, column: 2 });
    let (pos, n) = node.find("goods[0].hs").unwrap();
    assert_eq!(
        pos,
        Pos {
            line: 2,
            column: 14
        }
    );
    assert_eq!(
        n.value,
        Value::Str {
            text: "93".into(),
            plain: false
        }
    );
    let (pos, n) = node.find("goods[1].hé").unwrap();
    assert_eq!(
        pos,
        Pos {
            line: 2,
            column: 28
        }
    );
    assert_eq!(n.value, Value::Number("1.5e3".into()));
    assert_eq!(
        node.nearest("goods[1].x[3]"),
        Pos {
            line: 2,
            column: 27
        }
    );
    assert!(json("{\"a\": 1} x").is_err());
    assert!(json("{\"a\": tru}").is_err());
}

#[test]
fn plain_yaml_scalars_read_as_yaml_reads_them_in_json() {
    let node =
        yaml("{a: 1, b: 0.5, c: true, d: ~, e: KP, f: \"1\", g: [x, 2], h: {i: null}}").unwrap();
    assert_eq!(
        node.to_json(),
        serde_json::json!({"a": 1, "b": 0.5, "c": true, "d": null, "e": "KP", "f": "1",
                "g": ["x", 2], "h": {"i": null}})
    );
}

#[test]
fn yaml_keys_and_values_know_their_place() {
    let text = "id: a\ngoods:\n  - hs: '93'\n    categories: [arms, x]\nparties: &p\n  - {role: buyer}\nmore: *p\n";
    let node = yaml(text).unwrap();
    assert_eq!(node.find("id").unwrap().0, Pos { line: 1, column: 1 });
    assert_eq!(
        node.find("goods[0].hs").unwrap().0,
        Pos { line: 3, column: 5 }
    );
    assert_eq!(
        node.find("goods[0].categories[1]").unwrap().0,
        Pos {
            line: 4,
            column: 24
        }
    );
    let (_, more) = node.find("more[0].role").unwrap();
    assert_eq!(
        more.value,
        Value::Str {
            text: "buyer".into(),
            plain: true
        }
    );
    assert!(yaml("a: [").is_err());
}

#[test]
fn paths_split_into_keys_and_indexes() {
    let segs: Vec<Seg<'_>> = path_segments("goods[0].categories[12]").collect();
    assert_eq!(
        segs,
        vec![
            Seg::Key("goods"),
            Seg::Index(0),
            Seg::Key("categories"),
            Seg::Index(12)
        ]
    );
    assert_eq!(path_segments("").count(), 0);
}

fn plain(text: &str) -> Node {
    scalar(text, true)
}

fn scalar(text: &str, plain: bool) -> Node {
    Node {
        pos: Pos::default(),
        value: Value::Str {
            text: text.into(),
            plain,
        },
    }
}

#[test]
fn plain_scalars_are_nulls_booleans_numbers_or_text_as_yaml_has_them() {
    for text in ["false", "False", "FALSE"] {
        assert_eq!(plain(text).to_json(), serde_json::json!(false), "{text}");
    }
    for text in ["", "~", "null", "Null", "NULL"] {
        assert!(plain(text).is_null(), "{text}");
        assert_eq!(plain(text).to_json(), serde_json::Value::Null, "{text}");
    }
    assert!(
        Node {
            pos: Pos::default(),
            value: Value::Null
        }
        .is_null()
    );
    // Quoted, it is text; unquoted, a word is text too
    assert!(!scalar("null", false).is_null());
    assert!(!plain("KP").is_null());
    assert!(
        !Node {
            pos: Pos::default(),
            value: Value::Bool(false)
        }
        .is_null()
    );
}

#[test]
fn values_are_described_as_a_reader_of_the_record_sees_them() {
    let described = |n: Node| n.describe();
    assert_eq!(described(plain("12")), "the number 12");
    assert_eq!(described(plain("1.5")), "the number 1.5");
    assert_eq!(described(plain("true")), "true");
    assert_eq!(described(plain("KP")), "\"KP\"");
    assert_eq!(described(scalar("12", false)), "\"12\"");
    assert_eq!(described(plain("")), "nothing");
    assert_eq!(described(plain("~")), "\"~\"");
    assert_eq!(
        described(Node {
            pos: Pos::default(),
            value: Value::Null
        }),
        "null"
    );
    assert_eq!(
        described(Node {
            pos: Pos::default(),
            value: Value::Number("7".into())
        }),
        "the number 7"
    );
}

#[test]
fn columns_count_characters_not_bytes() {
    let node = json("{\"é\": 1, \"b\": 2}").unwrap();
    assert_eq!(
        node.find("b").unwrap().0,
        Pos {
            line: 1,
            column: 10
        }
    );
}

#[test]
fn objects_nest_as_deep_as_a_record_may_and_no_deeper() {
    let max = super::super::read::MAX_RECORD_DEPTH;
    let nest = |levels: usize| format!("{}1{}", "{\"a\": ".repeat(levels), "}".repeat(levels));
    assert!(json(&nest(max)).is_ok());
    let e = json(&nest(max + 1)).expect_err("one level too deep");
    assert_eq!(e.message, "collections nested too deeply");
    // Lists as well as objects
    let lists = |levels: usize| format!("{{\"a\": {}1{}}}", "[".repeat(levels), "]".repeat(levels));
    assert!(json(&lists(max - 1)).is_ok());
    assert!(json(&lists(max)).is_err());
}

#[test]
fn a_yaml_record_may_expand_to_max_nodes_values_and_no_more() {
    // Counted: the stream's and the document's start, the list's start and end, and each
    // of its values
    let list = |values: usize| format!("[{}]", vec!["x"; values].join(", "));
    let largest = (MAX_NODES - 10..MAX_NODES)
        .take_while(|&n| yaml(&list(n)).is_ok())
        .last();
    assert_eq!(largest, Some(MAX_NODES - 4));
    assert!(yaml(&list(MAX_NODES - 4)).is_ok());
    let e = yaml(&list(MAX_NODES - 3)).expect_err("one value too many");
    assert_eq!(e.message, "the record expands to too many values");
    // Through aliases: ten of a list of 12,222 values (its lists' starts and ends counted) expand
    // past the limit, seven (with the lists they are made of) do not
    let nested = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n\
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n";
    assert!(yaml(&format!("{nested}e: [{}]\n", ["*d"; 7].join(", "))).is_ok());
    let e = yaml(&format!("{nested}e: [{}]\n", ["*d"; 10].join(", "))).expect_err("too many");
    assert_eq!(e.message, "the record expands to too many values");
}

/// An alias counts as the values it stands for: as many copies of a mapping or a list as
/// fit written out fit as aliases, and no more
#[test]
fn an_alias_counts_as_what_it_stands_for() {
    // The largest n for which the record `text(n)` is read, within 1,000 values
    let largest = |text: &dyn Fn(usize) -> String| {
        (0..1_000)
            .take_while(|&n| yaml_within(&text(n), 1_000).is_ok())
            .last()
            .unwrap_or(0)
    };
    for value in [
        "{a: x, b: x, c: x, d: x}",
        "[x, x, x]",
        "{a: [x, x], b: {c: x}}",
    ] {
        let written = largest(&|n| format!("m: &m {value}\nl: [{}]\n", vec![value; n].join(", ")));
        let aliased = largest(&|n| format!("m: &m {value}\nl: [{}]\n", vec!["*m"; n].join(", ")));
        assert_eq!(aliased, written, "{value}");
        assert!(written > 50, "{value}: {written}");
    }
}
