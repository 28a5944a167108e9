//! Lowering the files of a pack into one `Program`: rules, exceptions and tests, with the
//! checks that need all of them (duplicate ids, overrides, intervals).

use super::*;

pub(super) fn lower_files(files: &[&ast::RuleFile], diagnostics: &mut Diagnostics) -> Program {
    let decls = collect_decls(files, diagnostics);
    let mut used = lints::Used::default();
    let mut program = Program::default();
    let mut rule_spans: Vec<(FileId, Span)> = Vec::new();
    // Whether each rule compiled without error: an error leaves `false` in its condition.
    let mut rule_clean: Vec<bool> = Vec::new();
    // The citations marked `unconfirmed`, for W308 once every rule is known.
    let mut unconfirmed: Vec<lints::Unconfirmed> = Vec::new();
    // Each clean rule's days and citations, for W306 once every rule is known.
    let mut rule_days: Vec<lints::RuleDays> = Vec::new();

    for (file, f) in files.iter().enumerate() {
        for item in &f.items {
            let ast::Item::Rule(rule) = item else {
                continue;
            };
            let errors_before = diagnostics.error_count();
            let c = common(&rule.clauses, file, &decls, diagnostics);
            let head = rule.id.span;
            if c.regime.is_none() {
                missing(
                    diagnostics,
                    file,
                    head,
                    "the rule",
                    "regime",
                    "`regime DPRK`",
                );
            }
            if !c.has_cites {
                missing(
                    diagnostics,
                    file,
                    head,
                    "the rule",
                    "cites",
                    "`cites \"S/RES/1718 (2006)\" 8(b)`",
                );
            }
            if !c.has_in_force {
                missing(
                    diagnostics,
                    file,
                    head,
                    "the rule",
                    "in force",
                    "`in force from 2006-10-14`",
                );
            }
            if !c.overrides.is_empty() {
                diagnostics.push(
                    Diagnostic::new(
                        Code::E201,
                        file,
                        head,
                        "a rule cannot override other rules".to_string(),
                    )
                    .with_help("write an `exception` item with `overrides` instead"),
                );
            }
            if c.when.is_none() {
                missing(
                    diagnostics,
                    file,
                    head,
                    "the rule",
                    "when",
                    "`when origin within KP and ...`",
                );
            }
            if c.then.is_none() {
                missing(
                    diagnostics,
                    file,
                    head,
                    "the rule",
                    "then",
                    "`then prohibited \"{g.hs} procured from the DPRK\"`",
                );
            }
            let level = match &c.then {
                Some((v, _)) => match Level::parse(&v.node) {
                    Some(Level::Clear) | None => {
                        diagnostics.push(
                            Diagnostic::new(Code::E211, file, v.span, format!("`{}` is not a verdict a rule can give", v.node))
                                .with_help("a rule gives `prohibited`, `authorization_required`, `review` or `notify`"),
                        );
                        Level::Review
                    }
                    Some(l) => l,
                },
                None => Level::Review,
            };
            used.note(&c);
            let (cond, reason, vars, var_names) = lower_body(
                file,
                &decls,
                &mut used,
                diagnostics,
                c.when.as_ref(),
                Cond::Const(false),
                c.then.as_ref().map(|(_, r)| r),
            );
            let reason = reason.unwrap_or_default();
            // An error already replaced part of the condition with `false`: no lint on top.
            let had_errors = diagnostics.error_count() > errors_before;
            if !had_errors && let Some(never) = lints::never_fires(&cond, &c.intervals) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::W300,
                        file,
                        c.when.as_ref().map_or(head, |w| w.span),
                        "the rule can never fire".to_string(),
                    )
                    .with_label(never.reason)
                    .with_help(never.help),
                );
            }
            if !had_errors {
                lints::never_in_force(&c.intervals, file, head, diagnostics);
                let first = c
                    .intervals
                    .iter()
                    .zip(&c.interval_spans)
                    .min_by_key(|(iv, _)| iv.from)
                    .map(|(iv, span)| (iv.from, *span));
                rule_days.push(lints::RuleDays {
                    file,
                    cited: c.cited.clone(),
                    first,
                });
                lints::unexplained_gaps(
                    &c.cited,
                    &c.intervals,
                    &c.interval_spans,
                    file,
                    diagnostics,
                );
                lints::places_of_today(
                    &cond,
                    &c.intervals,
                    file,
                    c.when.as_ref().map_or(head, |w| w.span),
                    diagnostics,
                );
            }
            if let Some(regime) = &c.regime {
                unconfirmed.extend(c.cited.iter().filter(|x| x.unconfirmed).map(|x| {
                    lints::Unconfirmed {
                        regimes: vec![regime.node.clone()],
                        file,
                        cited: x.clone(),
                    }
                }));
            }
            rule_spans.push((file, rule.id.span));
            rule_clean.push(!had_errors);
            program.rules.push(ir::Rule {
                id: rule.id.node.clone(),
                title: c.title,
                regime: c.regime.map(|r| r.node).unwrap_or_default(),
                citations: c.citations,
                intervals: c.intervals,
                cond,
                level,
                reason,
                notes: c.notes,
                authorized_by: c.authorized_by,
                exceptions: Vec::new(),
                vars,
                var_names,
                file,
                span: rule.span,
            });
        }
    }

    for (file, f) in files.iter().enumerate() {
        for item in &f.items {
            let ast::Item::Exception(exc) = item else {
                continue;
            };
            let c = common(&exc.clauses, file, &decls, diagnostics);
            let head = exc.id.span;
            if c.overrides.is_empty() {
                missing(
                    diagnostics,
                    file,
                    head,
                    "the exception",
                    "overrides",
                    "`overrides un.dprk.coal.*`",
                );
            }
            if !c.has_cites {
                missing(
                    diagnostics,
                    file,
                    head,
                    "the exception",
                    "cites",
                    "`cites \"S/RES/2270 (2016)\" 29(b)`",
                );
            }
            if !c.has_in_force {
                missing(
                    diagnostics,
                    file,
                    head,
                    "the exception",
                    "in force",
                    "`in force from 2016-03-02 until 2017-08-04`",
                );
            }
            if let Some((v, _)) = &c.then {
                diagnostics.push(
                    Diagnostic::new(
                        Code::E201,
                        file,
                        v.span,
                        "an exception gives no verdict".to_string(),
                    )
                    .with_help(
                        "an exception lifts the findings of the rules it overrides; remove `then`",
                    ),
                );
            }
            if !c.authorized_by.is_empty() {
                diagnostics.push(
                    Diagnostic::new(
                        Code::E201,
                        file,
                        head,
                        "an exception cannot be lifted by an authorization".to_string(),
                    )
                    .with_help("put `unless authorized by` on the rules it overrides"),
                );
            }
            used.note(&c);
            let (cond, _, vars, var_names) = lower_body(
                file,
                &decls,
                &mut used,
                diagnostics,
                c.when.as_ref(),
                Cond::Const(true),
                None,
            );
            let exc_idx = program.exceptions.len();
            for pattern in &c.overrides {
                let matched: Vec<usize> = program
                    .rules
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| pattern_matches(&pattern.node, &r.id))
                    .map(|(i, _)| i)
                    .collect();
                if matched.is_empty() {
                    let help =
                        did_you_mean(&pattern.node, program.rules.iter().map(|r| r.id.as_str()))
                            .map(|s| format!("did you mean `{s}`?"))
                            .unwrap_or_else(|| {
                                "name a rule id, or a prefix ending in `.*`".to_string()
                            });
                    diagnostics.push(
                        Diagnostic::new(
                            Code::E205,
                            file,
                            pattern.span,
                            format!(
                                "`{}` matches no rule, so the exception overrides nothing",
                                pattern.node
                            ),
                        )
                        .with_label("no such rule")
                        .with_help(help),
                    );
                }
                for i in matched {
                    let Some(rule) = program.rules.get_mut(i) else {
                        continue;
                    };
                    if !rule.exceptions.contains(&exc_idx) {
                        rule.exceptions.push(exc_idx);
                    }
                    let overlaps = c.intervals.is_empty()
                        || rule
                            .intervals
                            .iter()
                            .any(|ri| c.intervals.iter().any(|ei| overlap(ri, ei)));
                    if !overlaps {
                        diagnostics.push(
                            Diagnostic::new(
                                Code::W301,
                                file,
                                pattern.span,
                                format!("the exception is never in force while `{}` is", rule.id),
                            )
                            .with_help("check the dates of both"),
                        );
                    }
                }
            }
            // The exception's regimes: its own, else those of the rules it overrides; an
            // exception that has ended is no reason for W308.
            let mut regimes: Vec<String> = match &c.regime {
                Some(r) => vec![r.node.clone()],
                None => program
                    .rules
                    .iter()
                    .filter(|r| c.overrides.iter().any(|p| pattern_matches(&p.node, &r.id)))
                    .map(|r| r.regime.clone())
                    .collect(),
            };
            regimes.sort();
            regimes.dedup();
            if c.intervals.iter().any(|iv| iv.until.is_none()) {
                unconfirmed.extend(c.cited.iter().filter(|x| x.unconfirmed).map(|x| {
                    lints::Unconfirmed {
                        regimes: regimes.clone(),
                        file,
                        cited: x.clone(),
                    }
                }));
            }
            program.exceptions.push(ir::Exception {
                id: exc.id.node.clone(),
                title: c.title,
                citations: c.citations,
                intervals: c.intervals,
                cond,
                notes: c.notes,
                vars,
                var_names,
            });
        }
    }

    lints::unconfirmed_in_force(&unconfirmed, &program.rules, diagnostics);
    lints::late_start(&rule_days, diagnostics);

    let mut tested: BTreeSet<String> = BTreeSet::new();
    for (file, f) in files.iter().enumerate() {
        for item in &f.items {
            let ast::Item::Test(t) = item else { continue };
            let case = lower_test(t, file, &program, diagnostics);
            for e in &case.expects {
                tested.extend(e.rules.iter().flatten().cloned());
            }
            program.tests.push(case);
        }
    }
    let any_tests = !program.tests.is_empty();
    for (rule, (file, span)) in program.rules.iter().zip(&rule_spans) {
        if any_tests && !tested.contains(&rule.id) {
            diagnostics.push(
                Diagnostic::new(Code::W302, *file, *span, format!("no test expects `{}` to fire", rule.id))
                    .with_help("add a `test` whose `expect ... by` names the rule, on the days around its boundaries"),
            );
        }
    }
    lints::duplicate_rules(&program.rules, &rule_spans, &rule_clean, diagnostics);
    // An error can hide a use (an unknown name, a dropped item): no lint on top.
    if !diagnostics.has_errors() && !program.rules.is_empty() {
        lints::unused_declarations(&decls, &used, diagnostics);
    }
    program.by_activity = index_by_activity(&program.rules);
    program.needs = program.rules.iter().map(|r| needs(&r.cond)).collect();
    program.candidates = index_by_needs(&program.by_activity, &program.needs);
    program
}

/// Lowers a condition (`default` when there is none) and, with the same variables in scope, a
/// reason template; returns them with what each variable ranges over
pub(super) fn lower_body(
    file: FileId,
    decls: &Decls,
    used: &mut lints::Used,
    diagnostics: &mut Diagnostics,
    when: Option<&Spanned<ast::Expr>>,
    default: Cond,
    reason: Option<&Spanned<String>>,
) -> (Cond, Option<ir::Template>, Vec<ir::ListRef>, Vec<String>) {
    let mut ctx = Ctx {
        file,
        diagnostics,
        sets: &decls.sets,
        used_sets: &mut used.sets,
    };
    let mut lowerer = Lowerer {
        ctx: &mut ctx,
        scope: Scope::default(),
    };
    let cond = match when {
        Some(w) => lowerer.cond(w),
        None => default,
    };
    let template = reason.map(|r| lowerer.template(r));
    let vars = lowerer.scope.vars.iter().map(|(_, l)| *l).collect();
    let var_names = lowerer.scope.vars.iter().map(|(n, _)| n.clone()).collect();
    (cond, template, vars, var_names)
}

pub(super) fn overlap(a: &Interval, b: &Interval) -> bool {
    let a_end = a.until.unwrap_or(NaiveDate::MAX);
    let b_end = b.until.unwrap_or(NaiveDate::MAX);
    a.from <= b_end && b.from <= a_end
}

/// Whether an `overrides` pattern (an id, or a prefix ending in `.*`) matches a rule id
pub fn pattern_matches(pattern: &str, id: &str) -> bool {
    match pattern.strip_suffix(".*") {
        Some(prefix) => id
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('.')),
        None => pattern == id,
    }
}
