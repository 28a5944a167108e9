//! Tests of the HTML report: the page of a small run with a fixed time (a snapshot), what is
//! kept and counted, the escapes, the Content-Security-Policy and the citations' addresses.

use super::*;

use crate::eval::{Finding, Lifted};
use crate::model::{Designation, RecordText, parse_record};
use crate::provenance::ListVersion;
use crate::screening::names::Strength;
use crate::screening::suppress::Decision;

fn facts(json: &str) -> RecordFacts {
    let text = RecordText {
        line: 1,
        column: 1,
        text: json.into(),
        yaml: false,
        table: None,
    };
    match parse_record("test", &text) {
        Ok(t) => RecordFacts::of(&t),
        Err(e) => panic!("an invalid record: {e:?}"),
    }
}

fn designation(name: &str) -> Designation {
    Designation {
        list: "consolidated.xml (2025-01-02)".into(),
        reference: "KPe.901".into(),
        list_type: "DPRK".into(),
        listed_name: name.into(),
        matched_by: "name".into(),
        matched_value: name.into(),
        matched: name.into(),
        score: 0.96,
        strength: Strength::Strong,
        why: vec!["name 0.96".into()],
        un_ref: true,
        listed: vec!["DPRK".into()],
    }
}

fn finding(rule: &str, level: Level, regime: &str, reason: &str) -> Finding {
    Finding {
        rule: rule.into(),
        verdict: level,
        regime: regime.into(),
        citations: vec![
            Citation {
                resolution: "S/RES/1718 (2006)".into(),
                paragraph: "8(b)".into(),
                unconfirmed: false,
                adopted: None,
            },
            Citation {
                resolution: "S/RES/2397 (2017)".into(),
                paragraph: "7".into(),
                unconfirmed: true,
                adopted: None,
            },
        ],
        reason: reason.into(),
        notes: Vec::new(),
        matches: Vec::new(),
    }
}

fn verdict(id: &str, outcome: Outcome, findings: Vec<Finding>) -> Verdict {
    Verdict {
        id: Some(id.into()),
        verdict: outcome,
        findings: Some(findings),
        errors: None,
        lifted: Vec::new(),
        line: None,
        suppressed: Vec::new(),
    }
}

/// A run of five records: prohibited (with a list match and a note), review (a party named as
/// a script, a lifted rule and a suppressed match), clear, notify, invalid
fn report(limit: usize) -> HtmlReport {
    let mut report = HtmlReport::new(limit);

    let mut f = finding(
        "un.dprk.arms.from_dprk",
        Level::Prohibited,
        "DPRK",
        "goods[0] (hs 930690, category arms) procured from KP",
    );
    f.notes.push("a note for the reviewer".into());
    f.matches.push(MatchUsed {
        of: "parties[0]".into(),
        designation: designation("KOREA MINING DEVELOPMENT TRADING CORPORATION"),
    });
    let v = verdict("shells-2022", Outcome::Level(Level::Prohibited), vec![f]);
    let record = facts(
        r#"{"id": "shells-2022", "date": "2022-09-05", "activity": "trade", "origin": "KP",
            "parties": [{"role": "seller", "name": "Korea Mining Development Trading Corporation"}],
            "vessels": [{"name": "WISE HONEST", "imo": "8905490"}],
            "meta": {"batch": 7}}"#,
    );
    report.add(Entry::of(&v, Some(&record)));

    let mut v = verdict(
        "<b>x</b>",
        Outcome::Level(Level::Review),
        vec![finding(
            "list.consolidated.xml",
            Level::Review,
            "Iran",
            "parties[0] <script>alert(1)</script> resembles a designated name",
        )],
    );
    v.lifted.push(Lifted {
        rule: "un.iran.arms.to_iran".into(),
        by: "authorization by 1737 Committee (<ref>)".into(),
        matches: Vec::new(),
    });
    v.suppressed.push(SuppressedMatch {
        of: "parties[1]".into(),
        designation: designation("OTHER NAME"),
        suppression: Decision {
            by: "analyst".into(),
            reason: "a false positive".into(),
            on: "2025-01-01".into(),
            expires: "2025-12-31".into(),
        },
    });
    let record = facts(
        r#"{"id": "<b>x</b>", "date": "2023-01-01", "activity": "payment",
            "parties": [{"role": "payee", "name": "<script>alert(1)</script>"},
                        {"role": "payer", "name": "O'Brien & \"Sons\""}],
            "meta": "<img src=x onerror=alert(2)>"}"#,
    );
    report.add(Entry::of(&v, Some(&record)));

    let v = verdict("tobacco", Outcome::Level(Level::Clear), Vec::new());
    report.add(Entry::of(&v, None));

    let v = verdict(
        "workers",
        Outcome::Level(Level::Notify),
        vec![finding(
            "un.dprk.workers.notify",
            Level::Notify,
            "DPRK",
            "parties[0] works abroad",
        )],
    );
    report.add(Entry::of(&v, None));

    let v = Verdict::invalid(
        None,
        9,
        vec![
            "line 9, column 3: `orgin` is not a field; did you mean `origin`?\n  second line"
                .into(),
        ],
    );
    report.add(Entry::of(&v, None));
    report
}

fn run_info<'a>(provenance: &'a Provenance, command: &'a [String]) -> Run<'a> {
    Run {
        when: "2025-06-01T12:00:00Z",
        command,
        input: "examples/news-2022.jsonl",
        seconds: 0.0125,
        provenance,
    }
}

fn provenance() -> Provenance {
    Provenance {
        engine: "0.1.0".into(),
        pack: "sha256:00".into(),
        lists: vec![ListVersion {
            name: "consolidated.xml".into(),
            generated: Some("2025-01-02T00:00:00".into()),
            sha256: "ab".into(),
        }],
    }
}

fn command() -> Vec<String> {
    ["embargo", "screen", "--format", "html", "my records.jsonl"]
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn page(limit: usize) -> String {
    let provenance = provenance();
    let command = command();
    report(limit).render(&run_info(&provenance, &command))
}

/// The page between `<body>` and its script: what is rendered from the run (the style and the
/// script are the files of `src/report/html/`)
fn body(page: &str) -> &str {
    let start = page.find("<body>").unwrap_or(0);
    let end = page.rfind("<script>").unwrap_or(page.len());
    page.get(start..end).unwrap_or("")
}

#[test]
fn the_page_has_the_summary_then_the_listed_records() {
    insta::assert_snapshot!(body(&page(LIMIT)));
}

#[test]
fn counts_are_kept_for_every_record_and_rows_only_for_those_not_clear() {
    let r = report(LIMIT);
    assert_eq!(r.records(), 5);
    assert_eq!(r.rows.len(), 4);
    assert_eq!(r.by_verdict, [1, 0, 1, 1, 1, 1]);
    assert_eq!(
        r.by_regime.iter().collect::<Vec<_>>(),
        [(&"DPRK".to_string(), &2), (&"Iran".to_string(), &1)]
    );
    // Numbered as read: the clear record (3) is counted, not listed
    let page = page(LIMIT);
    for n in [1, 2, 4, 5] {
        assert!(page.contains(&format!("<tr id=\"r{n}\"")), "row {n}");
    }
    assert!(!page.contains("<tr id=\"r3\""));
    assert!(page.contains("data-count=\"clear\">1<"));
    assert!(page.contains("data-count=\"records\">5<"));
}

#[test]
fn past_the_limit_records_are_counted_and_the_page_says_how_many_are_not_listed() {
    let r = report(2);
    assert_eq!(r.rows.len(), 2);
    assert_eq!(r.omitted, 2);
    assert_eq!(r.records(), 5);
    let page = page(2);
    assert!(page.contains("data-omitted=\"2\""), "{page}");
    assert!(page.contains("Only the first 2 of these 4 records are listed"));
    assert!(!page.contains("<tr id=\"r4\""));
    assert_eq!(crate::report::thousands(0), "0");
    assert_eq!(crate::report::thousands(999), "999");
    assert_eq!(crate::report::thousands(90_000), "90,000");
    assert_eq!(crate::report::thousands(1_234_567), "1,234,567");
}

#[test]
fn text_from_records_is_text_never_markup() {
    let page = page(LIMIT);
    let body = body(&page);
    // The only elements are the report's own
    assert!(!body.contains("<script"), "{body}");
    assert!(!body.contains("<img"));
    assert!(!body.contains("<b>"));
    assert!(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(body.contains("O&#39;Brien &amp; &quot;Sons&quot;"));
    assert!(body.contains("&lt;b&gt;x&lt;/b&gt;"));
    assert_eq!(
        page.matches("<script>").count(),
        1,
        "the page's own script only"
    );
}

#[test]
fn the_page_fetches_nothing() {
    let page = page(LIMIT);
    let csp = content_security_policy();
    assert!(page.contains(&format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">"
    )));
    assert!(csp.starts_with("default-src 'none'; "), "{csp}");
    assert!(!csp.contains("unsafe"), "{csp}");
    // Nothing refers to another file or host but the citations' links, which load nothing
    for needle in [
        "src=\"",
        "<img",
        "<iframe",
        "<link rel=\"stylesheet\"",
        "@import",
        "url(",
        "http://",
    ] {
        assert!(!page.contains(needle), "{needle}");
    }
    let links: Vec<&str> = page
        .match_indices("https://")
        .map(|(i, _)| page.get(i..i + 23).unwrap_or(""))
        .collect();
    assert!(
        links.iter().all(|l| *l == "https://docs.un.org/en/"),
        "{links:?}"
    );
}

#[test]
fn the_policy_hashes_are_those_of_the_style_and_script() {
    let page = page(LIMIT);
    let style = page
        .split_once("<style>")
        .and_then(|(_, rest)| rest.split_once("</style>"))
        .map(|(css, _)| css);
    assert_eq!(style, Some(CSS));
    let script = page
        .split_once("<script>")
        .and_then(|(_, rest)| rest.split_once("</script>"))
        .map(|(js, _)| js);
    assert_eq!(script, Some(JS));
    // The policy names them by the base64 of their SHA-256, as CSP writes it (the empty
    // string's is `47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=`)
    let policy = content_security_policy();
    assert!(
        policy.contains(&format!(
            "style-src 'sha256-{}'",
            BASE64.encode(Sha256::digest(CSS.as_bytes()))
        )),
        "{policy}"
    );
    assert_eq!(
        BASE64.encode(Sha256::digest(b"")),
        "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="
    );
}

#[test]
fn citations_link_to_the_official_document_page() {
    assert_eq!(
        document_url("S/RES/1718 (2006)"),
        "https://docs.un.org/en/S/RES/1718(2006)"
    );
    assert_eq!(
        document_url("S/2023/638"),
        "https://docs.un.org/en/S/2023/638"
    );
    assert_eq!(
        document_url("S/RES/1\"><x (2006)"),
        "https://docs.un.org/en/S/RES/1%22%3E%3Cx(2006)"
    );
    let page = page(LIMIT);
    assert!(page.contains(
        "<a class=\"cite\" href=\"https://docs.un.org/en/S/RES/1718(2006)\" rel=\"noopener noreferrer\" target=\"_blank\">S/RES/1718 (2006)</a>, para. 8(b)"
    ));
}

#[test]
fn every_resolution_of_the_pack_has_an_address() {
    // Each resolution the shipped pack declares, as its citations write it
    let (program, _) = crate::compile::compile(&crate::rules::embedded());
    let Some(program) = program else {
        panic!("the embedded pack compiles")
    };
    let mut n = 0;
    for rule in &program.rules {
        for c in &rule.citations {
            let url = document_url(&c.resolution);
            let symbol = url.strip_prefix(DOCUMENTS).unwrap_or("");
            assert!(
                symbol.starts_with("S/RES/") || symbol.starts_with("S/20"),
                "{}",
                c.resolution
            );
            assert!(!symbol.contains(['%', ' ']), "{url}");
            n += 1;
        }
    }
    assert!(n > 100, "{n} citations");
}

#[test]
fn the_command_line_is_quoted_as_a_shell_takes_it_back() {
    assert_eq!(
        command_line(&command()),
        "embargo screen --format html 'my records.jsonl'"
    );
    assert_eq!(
        command_line(&["it's".into(), String::new()]),
        r"'it'\''s' ''"
    );
}

#[test]
fn a_run_with_nothing_to_list_says_so() {
    let mut r = HtmlReport::default();
    r.add(Entry::of(
        &verdict("a", Outcome::Level(Level::Clear), Vec::new()),
        None,
    ));
    let provenance = Provenance::new("sha256:00".into(), Vec::new());
    let command = command();
    let page = r.render(&run_info(&provenance, &command));
    assert!(page.contains("No record to list."));
    assert!(page.contains("No record has a finding."));
    assert!(page.contains("none: parties and vessels were not screened"));
    assert!(!page.contains("id=\"filters\""));
}
