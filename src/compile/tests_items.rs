//! The `test` items of rule files lowered into test cases: the record written in the test and
//! what is expected of it.

use super::*;

pub(super) fn lower_test(
    t: &ast::Test,
    file: FileId,
    program: &Program,
    diagnostics: &mut Diagnostics,
) -> ir::TestCase {
    let mut expects = Vec::new();
    for e in &t.expects {
        let on = e.on.as_ref().and_then(|d| parse_date(d, file, diagnostics));
        let level = match Level::parse(&e.verdict.node) {
            Some(l) => l,
            None => {
                diagnostics.push(
                    Diagnostic::new(Code::E211, file, e.verdict.span, format!("unknown verdict `{}`", e.verdict.node))
                        .with_help("expect `prohibited`, `authorization_required`, `review`, `notify` or `clear`"),
                );
                continue;
            }
        };
        if let Some(ids) = &e.rules {
            for id in ids {
                // `list.NAME`: the finding of a list match no rule used (a test record's
                // designations come from the list `test`), not a rule of the pack.
                if !id.node.starts_with("list.") && !program.rules.iter().any(|r| r.id == id.node) {
                    let help = did_you_mean(&id.node, program.rules.iter().map(|r| r.id.as_str()))
                        .map(|s| format!("did you mean `{s}`?"))
                        .unwrap_or_else(|| "name the id of a rule in the loaded files".to_string());
                    diagnostics.push(
                        Diagnostic::new(
                            Code::E217,
                            file,
                            id.span,
                            format!("no rule has the id `{}`", id.node),
                        )
                        .with_label("unknown rule")
                        .with_help(help),
                    );
                }
            }
        }
        expects.push(ir::Expectation {
            on,
            level,
            rules: e
                .rules
                .as_ref()
                .map(|ids| ids.iter().map(|i| i.node.clone()).collect()),
            span: e.span,
        });
    }
    let record = match &t.record {
        None => {
            missing(
                diagnostics,
                file,
                t.name.span,
                "the test",
                "record",
                "`record {id: t1, date: 2022-09-05, activity: trade}`",
            );
            None
        }
        Some(text) => {
            let first_on = t
                .expects
                .iter()
                .find_map(|e| e.on.as_ref())
                .map(|d| d.node.clone());
            test_record(text, &t.name.node, first_on, file, diagnostics)
        }
    };
    if t.expects.is_empty() {
        missing(
            diagnostics,
            file,
            t.name.span,
            "the test",
            "expect",
            "`expect prohibited by un.dprk.arms.from_dprk`",
        );
    }
    if record.as_ref().is_some_and(|_| t.record.is_some())
        && t.expects.iter().any(|e| e.on.is_none())
    {
        // The record's own date is used for these; it must have one.
        if let Some(text) = &t.record
            && !text.node.contains("date")
        {
            diagnostics.push(
                Diagnostic::new(
                    Code::E213,
                    file,
                    text.span,
                    "an `expect` without `on DATE` needs the record's `date`".to_string(),
                )
                .with_help(
                    "add `date: YYYY-MM-DD` to the record or `on YYYY-MM-DD` to the expectation",
                ),
            );
        }
    }
    ir::TestCase {
        name: t.name.node.clone(),
        file,
        span: t.span,
        record,
        expects,
    }
}

pub(super) fn test_record(
    text: &Spanned<String>,
    name: &str,
    first_on: Option<String>,
    file: FileId,
    diagnostics: &mut Diagnostics,
) -> Option<crate::model::Transaction> {
    // The record, read strictly as `screen` reads records, with what screening against a list
    // would find given by the test (docs/language.md#tests): every problem, at its field.
    let mut defaults = vec![("id", name)];
    if let Some(d) = &first_on {
        defaults.push(("date", d.as_str()));
    }
    let read = crate::model::read::read_test_record(&text.node, &defaults);
    match read {
        Ok(t) => Some(t),
        Err(problems) => {
            for p in problems {
                let start = text.span.start.saturating_add(p.offset).min(text.span.end);
                let end = start.saturating_add(p.len).min(text.span.end);
                let span = Span { start, end };
                diagnostics.push(if p.unreadable {
                    Diagnostic::new(Code::E105, file, span, p.message).with_help(
                        "write the record as a YAML flow mapping: `{id: t1, date: 2022-09-05, activity: trade}`",
                    )
                } else {
                    Diagnostic::new(Code::E400, file, span, format!("the test record is invalid: {}", p.message))
                });
            }
            None
        }
    }
}
