//! `explain` agrees with `evaluate` (and so does `evaluate_taking_id`): same verdict, same rules
//! fired, on every example record and every test record of the pack; and the command line shows
//! the tree.

use crate::common;

use std::collections::BTreeSet;

use common::{code, embargo, out};
use embargo::internals::eval::{Evaluator, RuleStatus, WeighedKind};
use embargo::internals::model::{InputFormat, RecordReader, Transaction, parse_record};
use embargo::internals::report::verdicts::json_line;

fn records(path: &str) -> Vec<Transaction> {
    let file = std::fs::File::open(path).unwrap();
    RecordReader::new(std::io::BufReader::new(file), InputFormat::from_path(path))
        .map(|r| r.unwrap())
        .filter_map(|text| parse_record(path, &text).ok())
        .collect()
}

fn agree(evaluator: &Evaluator<'_>, t: &Transaction, date: chrono::NaiveDate) {
    let verdict = evaluator.evaluate_on(t, date);
    let explanation = evaluator.explain_on(t, date);
    assert_eq!(
        json_line(&explanation.verdict),
        json_line(&verdict),
        "{}: the explanation's verdict is screen's",
        t.id
    );
    // The stream's way, which moves the id into the verdict: the same verdict, the id taken
    if date == t.date {
        let mut taken = t.clone();
        assert_eq!(
            json_line(&evaluator.evaluate_taking_id(&mut taken)),
            json_line(&verdict),
            "{}: evaluate_taking_id's verdict is evaluate's",
            t.id
        );
        assert!(taken.id.is_empty(), "{}: the id moved", t.id);
    }
    let fired: BTreeSet<&str> = explanation
        .rules
        .iter()
        .filter(|r| matches!(r.status, RuleStatus::Fired | RuleStatus::Error { .. }))
        .map(|r| r.id.as_str())
        .collect();
    // `list.NAME` findings come from list matches no rule used, not from a rule of the program.
    let want: BTreeSet<&str> = verdict
        .rule_ids()
        .into_iter()
        .filter(|r| !r.starts_with("list."))
        .collect();
    assert_eq!(fired, want, "{}: the rules fired", t.id);
    let lifted: BTreeSet<&str> = explanation
        .rules
        .iter()
        .filter(|r| matches!(r.status, RuleStatus::Lifted { .. }))
        .map(|r| r.id.as_str())
        .collect();
    let want: BTreeSet<&str> = verdict.lifted.iter().map(|l| l.rule.as_str()).collect();
    assert_eq!(lifted, want, "{}: the rules lifted", t.id);
    assert_eq!(explanation.rules.len(), evaluator_rules(evaluator));
    for r in &explanation.rules {
        let lifting: Vec<String> = r
            .weighed
            .iter()
            .filter(|w| w.lifted)
            .map(|w| match w.kind {
                WeighedKind::Exception => format!("exception {}", w.name),
                WeighedKind::Authorization => w.name.clone(),
            })
            .collect();
        match &r.status {
            RuleStatus::Lifted { by } => {
                assert_eq!(lifting, std::slice::from_ref(by), "{}: {}", t.id, r.id);
            }
            _ => assert!(lifting.is_empty(), "{}: {}", t.id, r.id),
        }
        let evaluated = matches!(
            r.status,
            RuleStatus::NotFired
                | RuleStatus::Fired
                | RuleStatus::Lifted { .. }
                | RuleStatus::Error { .. }
        );
        assert_eq!(r.condition.is_some(), evaluated, "{}: {}", t.id, r.id);
        for w in &r.weighed {
            let evaluated = w.kind == WeighedKind::Exception && !w.why.starts_with("out of force");
            assert_eq!(
                w.condition.is_some(),
                evaluated,
                "{}: {} {}",
                t.id,
                r.id,
                w.name
            );
        }
    }
}

fn evaluator_rules(_: &Evaluator<'_>) -> usize {
    PROGRAM.with(|p| p.rules.len())
}

thread_local! {
    static PROGRAM: embargo::internals::ir::Program = {
        let (program, diagnostics) = embargo::internals::compile::compile(&embargo::internals::rules::embedded());
        assert!(!diagnostics.has_errors());
        program.unwrap()
    };
}

#[test]
fn explain_agrees_with_evaluate_on_examples_and_pack_tests() {
    PROGRAM.with(|program| {
        let evaluator = Evaluator::new(program);
        let mut n = 0;
        for path in ["examples/news-2022.jsonl", "examples/broken.jsonl"] {
            for t in records(path) {
                agree(&evaluator, &t, t.date);
                n += 1;
            }
        }
        for test in &program.tests {
            let Some(t) = &test.record else { continue };
            agree(&evaluator, t, t.date);
            n += 1;
            for e in &test.expects {
                if let Some(on) = e.on {
                    agree(&evaluator, t, on);
                    n += 1;
                }
            }
        }
        assert!(n > 100, "only {n} records checked");
    });
}

#[test]
fn explain_shows_the_tree_of_the_rule_that_fired() {
    let output = embargo(
        &["explain", "--id", "shells-2022", "examples/news-2022.jsonl"],
        None,
    );
    let text = out(&output);
    assert_eq!(code(&output), 1, "prohibited: exit 1\n{text}");
    assert!(text.contains("✓ un.dprk.arms.from_dprk"), "{text}");
    assert!(text.contains("satisfies it"), "{text}");
    assert!(text.contains("(found: "), "{text}");
    assert!(text.contains("skipped: no place in"), "{text}");
    assert!(text.ends_with('\n'));
    assert!(text.contains("verdict: prohibited"), "{text}");
}

#[test]
fn explain_says_when_a_place_lay_within_another_on_the_day() {
    // Issue 12, item 3: ZW lay within Southern Rhodesia (RH) until 17 April 1980.
    let record = r#"{"id": "zw", "date": "1970-01-01", "activity": "trade", "origin": "IR", "destination": "ZW", "goods": [{"hs": "271019"}]}"#;
    let output = embargo(&["explain", "-"], Some(record));
    let text = out(&output);
    assert_eq!(code(&output), 1, "prohibited: exit 1\n{text}");
    assert!(
        text.contains("destination within [RH]  (found: ZW)  (ZW lay within RH on 1970-01-01)"),
        "{text}"
    );
}

#[test]
fn explain_json_has_every_rule_and_the_verdict() {
    let output = embargo(
        &[
            "explain",
            "--format",
            "json",
            "--id",
            "shells-2022",
            "examples/news-2022.jsonl",
        ],
        None,
    );
    let v: serde_json::Value = serde_json::from_str(&out(&output)).unwrap();
    assert_eq!(v["verdict"]["verdict"], "prohibited");
    let n = PROGRAM.with(|p| p.rules.len());
    assert_eq!(v["rules"].as_array().unwrap().len(), n);
}

#[test]
fn explain_refuses_an_unknown_id() {
    let output = embargo(
        &["explain", "--id", "nope", "examples/news-2022.jsonl"],
        None,
    );
    assert_eq!(code(&output), 2);
}

#[test]
fn explain_shows_both_fields_of_a_field_comparison() {
    let record = r#"{"id": "home", "date": "2020-01-01", "activity": "travel", "origin": "FR", "destination": "ML", "parties": [{"role": "traveller", "name": "A", "country": "ML", "tags": ["banned"]}]}"#;
    let output = embargo(
        &[
            "explain",
            "--no-default-rules",
            "--rules",
            "tests/engine/field_comparisons.rules",
            "-",
        ],
        Some(record),
    );
    let text = out(&output);
    assert_eq!(code(&output), 0, "clear: exit 0\n{text}");
    assert!(
        text.contains("destination within p.country  (found: ML and ML)"),
        "{text}"
    );
    assert!(text.contains("lifted by exception t.travel.home"), "{text}");
}

/// Every authorization and exception is weighed, each with why it lifts or does not; the first
/// that lifts ends the search for `screen` but not for `explain`
#[test]
fn explain_weighs_every_authorization_and_exception_with_its_reason() {
    let path = "tests/engine/exceptions.rules";
    let program = common::program(path, &std::fs::read_to_string(path).unwrap());
    let evaluator = Evaluator::new(&program);
    let text = r#"{"id": "x", "date": "2016-06-01", "activity": "trade", "origin": "LY",
        "transit": ["LY-BA"], "goods": [{"hs": "270112"}],
        "parties": [{"role": "seller", "name": "miner", "tags": ["livelihood"]}],
        "authorizations": [{"by": "Security Council"},
            {"by": "T Committee", "covers": ["t.iron.export"]},
            {"by": "T Committee", "date": "2016-07-01"},
            {"by": "T Committee", "reference": "A"},
            {"by": "T Committee", "reference": "B"}]}"#;
    // What was weighed for the coal rule: (name, lifted, why)
    let weighed_for_coal =
        |t: &embargo::internals::model::Transaction| -> Vec<(String, bool, String)> {
            let explanation = evaluator.explain(t);
            let coal = explanation
                .rules
                .iter()
                .find(|r| r.id == "t.coal.export")
                .unwrap();
            coal.weighed
                .iter()
                .map(|w| (w.name.clone(), w.lifted, w.why.clone()))
                .collect()
        };
    let t = common::record(text);
    let explanation = evaluator.explain(&t);
    let weighed = weighed_for_coal(&t);
    let want = [
        (
            "authorization by Security Council",
            false,
            "body mismatch: Security Council is not one of T Committee",
        ),
        (
            "authorization by T Committee",
            false,
            "covers mismatch: it does not cover t.coal.export",
        ),
        (
            "authorization by T Committee",
            false,
            "date mismatch: granted on 2016-07-01, after 2016-06-01",
        ),
        (
            "authorization by T Committee (A)",
            true,
            "lifts the finding",
        ),
        ("authorization by T Committee (B)", false, "applies too"),
        (
            "t.coal.livelihood",
            false,
            "condition true (already lifted)",
        ),
        ("t.transit", false, "condition true (already lifted)"),
    ]
    .map(|(n, l, w)| (n.to_string(), l, w.to_string()));
    assert_eq!(weighed, want);
    // The verdict is screen's: lifted by the first that lifts.
    let verdict = evaluator.evaluate(&t);
    assert_eq!(verdict.verdict.as_str(), "clear");
    assert_eq!(json_line(&explanation.verdict), json_line(&verdict));
    assert!(
        json_line(&verdict).contains("authorization by T Committee (A)"),
        "{}",
        json_line(&verdict)
    );

    // Without the authorizations, the first exception lifts and the second does not again.
    let mut t = t.clone();
    t.authorizations.clear();
    let weighed = weighed_for_coal(&t);
    let want = [
        (
            "t.coal.livelihood",
            true,
            "condition true: lifts the finding",
        ),
        ("t.transit", false, "condition true (already lifted)"),
    ]
    .map(|(n, l, w)| (n.to_string(), l, w.to_string()));
    assert_eq!(weighed, want);
    assert_eq!(
        json_line(&evaluator.explain(&t).verdict),
        json_line(&evaluator.evaluate(&t))
    );
}

/// A rule the record cannot meet is skipped, saying what the record lacks, and only that
#[test]
fn a_skipped_rule_names_exactly_what_the_record_lacks() {
    let text = r#"resolution "S/RES/1718 (2006)" adopted 2006-10-14
regime T { list "T" }
rule t.place {
  regime T
  cites "S/RES/1718 (2006)" 8
  in force from 2006-10-14
  when origin within KP
  then prohibited "from KP"
}
rule t.listed {
  regime T
  cites "S/RES/1718 (2006)" 8
  in force from 2006-10-14
  when any parties p: p.ids.un_ref starts with "KPi."
  then prohibited "listed"
}
rule t.both {
  regime T
  cites "S/RES/1718 (2006)" 8
  in force from 2006-10-14
  when origin within KP and any parties p: p.ids.un_ref starts with "KPi."
  then prohibited "listed, from KP"
}
rule t.old {
  regime T
  cites "S/RES/1718 (2006)" 8
  in force from 2006-10-14 until 2010-01-01
  when activity == trade
  then prohibited "old"
}
rule t.carried {
  regime T
  cites "S/RES/1718 (2006)" 8
  in force from 2006-10-14
  when any parties p: p.tags has unita and any vessels v: v.listed has T
  then prohibited "carried"
}
rule t.goods {
  regime T
  cites "S/RES/1718 (2006)" 8
  in force from 2006-10-14
  when any goods g: g.categories has [luxury, arms] or g.hs within [93, 8710..8711]
  then prohibited "goods"
}
"#;
    let program = common::program("t.rules", text);
    let evaluator = Evaluator::new(&program);
    let missing = |record: &str| -> Vec<(String, Vec<String>)> {
        let t = common::record(record);
        let mut out: Vec<(String, Vec<String>)> = evaluator
            .explain(&t)
            .rules
            .iter()
            .map(|r| match &r.status {
                // A rule skipped has no condition to show.
                RuleStatus::SkippedNeeds { missing } if r.condition.is_none() => {
                    (r.id.clone(), missing.clone())
                }
                RuleStatus::OutOfForce if r.condition.is_none() => {
                    (r.id.clone(), vec!["out of force".into()])
                }
                other => (r.id.clone(), vec![format!("{other:?}")]),
            })
            .collect();
        out.sort();
        out
    };
    let owned = |v: &[(&str, &[&str])]| -> Vec<(String, Vec<String>)> {
        v.iter()
            .map(|(id, m)| (id.to_string(), m.iter().map(|s| s.to_string()).collect()))
            .collect()
    };
    assert_eq!(
        missing(
            r#"{"id": "a", "date": "2020-01-01", "activity": "trade", "origin": "RU", "parties": [{"role": "buyer", "name": "B"}]}"#
        ),
        owned(&[
            ("t.both", &["no place in KP", "no party with un_ref"]),
            (
                "t.carried",
                &["no vessel designated on a list", "no party with tags"]
            ),
            (
                "t.goods",
                &["no goods of arms, luxury, HS chapter 87, HS chapter 93"]
            ),
            ("t.listed", &["no party with un_ref"]),
            ("t.old", &["out of force"]),
            ("t.place", &["no place in KP"]),
        ])
    );
    // Goods of another chapter, or of another category, do not meet the rule's needs; one of
    // its chapters does, and the rule is weighed
    assert_eq!(
        missing(
            r#"{"id": "c", "date": "2020-01-01", "activity": "trade", "goods": [{"hs": "8802", "categories": ["dual_use"]}, {"hs": "87"}]}"#
        )
        .into_iter()
        .find(|(id, _)| id == "t.goods"),
        Some(("t.goods".to_string(), vec!["NotFired".to_string()]))
    );
    assert_eq!(
        missing(
            r#"{"id": "b", "date": "2020-01-01", "activity": "trade", "origin": "RU", "parties": [{"role": "buyer", "name": "B", "ids": {"un_ref": "KPi.001"}}], "goods": [{"hs": "2710", "categories": ["luxury"]}]}"#
        ),
        owned(&[
            ("t.both", &["no place in KP"]),
            (
                "t.carried",
                &["no vessel designated on a list", "no party with tags"]
            ),
            ("t.goods", &["Fired"]),
            ("t.listed", &["Fired"]),
            ("t.old", &["out of force"]),
            ("t.place", &["no place in KP"]),
        ])
    );
    // A party's tags meet one need; a vessel that screening did not find on a list does not
    // meet the other
    assert_eq!(
        missing(
            r#"{"id": "d", "date": "2020-01-01", "activity": "trade", "parties": [{"role": "buyer", "name": "B", "tags": ["unita"]}], "vessels": [{"name": "V", "imo": "9123456"}]}"#
        )
        .into_iter()
        .find(|(id, _)| id == "t.carried"),
        Some((
            "t.carried".to_string(),
            vec!["no vessel designated on a list".to_string()]
        ))
    );
}

/// Once `and` meets a false part or `or` a true one, the parts after it are shown not evaluated,
/// and only those
#[test]
fn the_parts_after_the_decisive_one_are_not_evaluated() {
    use embargo::internals::eval::Truth;
    let text = r#"resolution "S/RES/1718 (2006)" adopted 2006-10-14
regime T { list "T" }
rule t.and {
  regime T
  cites "S/RES/1718 (2006)" 8
  in force from 2006-10-14
  when origin within RU and destination within KP and activity == trade
  then prohibited "and"
}
rule t.or {
  regime T
  cites "S/RES/1718 (2006)" 8
  in force from 2006-10-14
  when origin within KP or destination within KP or activity == trade
  then prohibited "or"
}
"#;
    let program = common::program("t.rules", text);
    let t = common::record(
        r#"{"id": "a", "date": "2020-01-01", "activity": "trade", "origin": "KP", "destination": "CN"}"#,
    );
    let explanation = Evaluator::new(&program).explain(&t);
    let outcomes = |id: &str| -> (Truth, Vec<Truth>) {
        let rule = explanation.rules.iter().find(|r| r.id == id).unwrap();
        let node = rule.condition.as_ref().unwrap();
        (
            node.outcome,
            node.children.iter().map(|c| c.outcome).collect(),
        )
    };
    use Truth::{False, NotEvaluated, True};
    assert_eq!(
        outcomes("t.and"),
        (False, vec![False, NotEvaluated, NotEvaluated])
    );
    assert_eq!(
        outcomes("t.or"),
        (True, vec![True, NotEvaluated, NotEvaluated])
    );
}

/// A quantifier says which element decided it, or that there was none to try (on a condition
/// that needs no goods of the record, so that the rules are weighed on every record)
#[test]
fn a_quantifier_notes_what_decided_it() {
    let text = r#"resolution "S/RES/1718 (2006)" adopted 2006-10-14
regime T { list "T" }
rule t.any {
  regime T
  cites "S/RES/1718 (2006)" 8
  in force from 2006-10-14
  when any goods g: not (g.hs within [87, 27])
  then prohibited "any"
}
rule t.all {
  regime T
  cites "S/RES/1718 (2006)" 8
  in force from 2006-10-14
  when all goods g: not (g.hs within [87, 27])
  then prohibited "all"
}
rule t.none {
  regime T
  cites "S/RES/1718 (2006)" 8
  in force from 2006-10-14
  when none goods g: not (g.hs within [87, 27])
  then prohibited "none"
}
"#;
    let program = common::program("t.rules", text);
    let evaluator = Evaluator::new(&program);
    let notes = |goods: &str| -> Vec<(String, Option<String>)> {
        let t = common::record(&format!(
            r#"{{"id": "q", "date": "2020-01-01", "activity": "trade", "goods": {goods}}}"#
        ));
        let explanation = evaluator.explain(&t);
        ["t.any", "t.all", "t.none"]
            .iter()
            .map(|id| {
                let rule = explanation.rules.iter().find(|r| r.id == *id).unwrap();
                (
                    id.to_string(),
                    rule.condition.as_ref().unwrap().note.clone(),
                )
            })
            .collect()
    };
    let want = |v: [&str; 3]| -> Vec<(String, Option<String>)> {
        ["t.any", "t.all", "t.none"]
            .iter()
            .zip(v)
            .map(|(id, n)| (id.to_string(), Some(n.to_string())))
            .collect()
    };
    // The variable is named as the rule names it, in the quantifier and in each element tried.
    let t = common::record(
        r#"{"id": "q", "date": "2020-01-01", "activity": "trade", "goods": [{"hs": "870899"}]}"#,
    );
    let explanation = evaluator.explain(&t);
    let any = explanation.rules.iter().find(|r| r.id == "t.any").unwrap();
    let node = any.condition.as_ref().unwrap();
    let texts: Vec<&str> = node.children.iter().map(|c| c.text.as_str()).collect();
    assert_eq!(
        (node.text.as_str(), texts),
        ("any g in goods", vec!["g = goods[0]"])
    );
    assert_eq!(
        notes("[]"),
        want(["no element", "no element", "no element"])
    );
    assert_eq!(
        notes(r#"[{"hs": "870899"}, {"hs": "271019"}]"#),
        want([
            "no element satisfies it",
            "goods[0] does not satisfy it",
            "no element satisfies it"
        ])
    );
    assert_eq!(
        notes(r#"[{"hs": "930690"}, {"hs": "930190"}]"#),
        want([
            "goods[0] satisfies it",
            "every element satisfies it",
            "goods[0] satisfies it"
        ])
    );
}

/// `explain --format json` of the news story's record `id` with `more` options
fn explained(id: &str, more: &[&str]) -> (i32, serde_json::Value) {
    let mut args = vec!["explain", "--format", "json", "--id", id];
    args.extend(more);
    args.push("examples/news-2022.jsonl");
    let o = embargo(&args, None);
    let json = serde_json::from_str(&out(&o)).unwrap_or(serde_json::Value::Null);
    (code(&o), json)
}

/// The ids of an explanation's rules
fn rule_ids(json: &serde_json::Value) -> Vec<String> {
    json["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn explain_shows_only_the_rules_asked_for_and_the_whole_verdict() {
    let (code_all, all) = explained("shells-2022", &[]);
    let every = rule_ids(&all);
    assert!(every.len() > 100, "{}", every.len());

    // --rule: that rule, the verdict unchanged
    let (c, one) = explained("shells-2022", &["--rule", "un.dprk.arms.from_dprk"]);
    assert_eq!(c, code_all);
    assert_eq!(rule_ids(&one), ["un.dprk.arms.from_dprk"]);
    assert_eq!(one["verdict"], all["verdict"]);

    // --regime: every rule of the regime, in program order
    let (_, dprk) = explained("shells-2022", &["--regime", "DPRK"]);
    let expected: Vec<String> = all["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["regime"] == "DPRK")
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert!(expected.len() > 5 && expected.len() < every.len());
    assert_eq!(rule_ids(&dprk), expected);

    // --fired: the rules of the findings and of the lifted
    let (_, fired) = explained("shells-2022", &["--fired"]);
    let mut gave: Vec<String> = all["verdict"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .chain(all["verdict"]["lifted"].as_array().into_iter().flatten())
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .filter(|r| every.contains(r))
        .collect();
    gave.sort();
    gave.dedup();
    let mut shown = rule_ids(&fired);
    shown.sort();
    assert!(!shown.is_empty());
    assert_eq!(shown, gave);

    // Together they narrow each other: a DPRK rule that did not fire is not shown with --fired
    let (_, both) = explained("shells-2022", &["--regime", "Iran", "--fired"]);
    assert!(rule_ids(&both).is_empty(), "{both}");

    // The human tree says how many of the program's rules it shows
    let o = embargo(
        &[
            "explain",
            "--rule",
            "un.dprk.arms.from_dprk",
            "--id",
            "shells-2022",
            "examples/news-2022.jsonl",
        ],
        None,
    );
    let first = out(&o).lines().next().unwrap().to_string();
    assert_eq!(
        first,
        format!(
            "record shells-2022 judged on 2022-09-05: 1 of the program's {} rule(s) shown (--rule, --regime, --fired)",
            every.len()
        )
    );
}

#[test]
fn a_rule_or_regime_not_in_the_program_is_an_error_with_the_closest() {
    let o = embargo(
        &[
            "explain",
            "--rule",
            "un.dprk.arms.from_dprkk",
            "examples/news-2022.jsonl",
        ],
        None,
    );
    assert_eq!(code(&o), 2);
    assert!(
        common::err(&o).contains(
            "--rule un.dprk.arms.from_dprkk: no rule of that name in the program: did you mean `un.dprk.arms.from_dprk`?"
        ),
        "{}",
        common::err(&o)
    );
    let o = embargo(
        &["explain", "--regime", "DPKR", "examples/news-2022.jsonl"],
        None,
    );
    assert_eq!(code(&o), 2);
    assert!(
        common::err(&o).contains("--regime DPKR: no regime of that name in the program"),
        "{}",
        common::err(&o)
    );
}
