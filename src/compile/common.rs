//! The clauses rules and exceptions share (title, regime, citations, `in force`, `when`,
//! `then`, notes, overrides), checked once for both.

use super::*;

pub(super) fn one_elems<'e>(ctx: &mut Ctx<'_>, elems: &'e [SetElem]) -> Vec<&'e Spanned<Literal>> {
    let mut out = Vec::new();
    for e in elems {
        match e {
            SetElem::One(l) => out.push(l),
            SetElem::Range(a, b) => ctx.push(Diagnostic::new(
                Code::E201,
                ctx.file,
                a.span.to(b.span),
                "ranges `a..b` are for HS codes only".to_string(),
            )),
        }
    }
    out
}

/// The common clauses of rules and exceptions, checked
pub(super) struct Common {
    pub(super) title: Option<String>,
    pub(super) regime: Option<Spanned<String>>,
    pub(super) citations: Vec<Citation>,
    pub(super) intervals: Vec<Interval>,
    pub(super) when: Option<Spanned<ast::Expr>>,
    pub(super) then: Option<(Spanned<String>, Spanned<String>)>,
    pub(super) authorized_by: Vec<String>,
    pub(super) notes: Vec<ir::Note>,
    pub(super) overrides: Vec<Spanned<String>>,
    pub(super) has_in_force: bool,
    pub(super) has_cites: bool,
    /// The span of each interval of `intervals`, in the same order
    pub(super) interval_spans: Vec<Span>,
    /// Each citation's days: adoption, and the day it took effect (`from`, else adoption)
    pub(super) cited: Vec<lints::Cited>,
}

pub(super) fn common(
    clauses: &[Clause],
    file: FileId,
    decls: &Decls,
    diagnostics: &mut Diagnostics,
) -> Common {
    let mut c = Common {
        title: None,
        regime: None,
        citations: Vec::new(),
        intervals: Vec::new(),
        when: None,
        then: None,
        authorized_by: Vec::new(),
        notes: Vec::new(),
        overrides: Vec::new(),
        has_in_force: false,
        has_cites: false,
        interval_spans: Vec::new(),
        cited: Vec::new(),
    };
    let mut seen: HashMap<&'static str, Span> = HashMap::new();
    let mut once = |name: &'static str, span: Span, diagnostics: &mut Diagnostics| {
        // The first clause stays the one named, however many repeat it.
        if let std::collections::hash_map::Entry::Occupied(first) = seen.entry(name) {
            let first = *first.get();
            diagnostics.push(
                Diagnostic::new(Code::E214, file, span, format!("`{name}` appears twice"))
                    .with_related(file, first, "first here")
                    .with_help(format!("write one `{name}` clause")),
            );
        } else {
            seen.insert(name, span);
        }
    };
    let mut earliest_adoption: Option<NaiveDate> = None;
    // The span of each lowered interval, in the order of `c.intervals`.
    let mut interval_spans: Vec<Span> = Vec::new();
    for clause in clauses {
        match clause {
            Clause::Title(t) => {
                once("title", t.span, diagnostics);
                c.title = Some(t.node.clone());
            }
            Clause::Regime(r) => {
                once("regime", r.span, diagnostics);
                if !decls.regimes.contains_key(&r.node) {
                    let help = did_you_mean(&r.node, decls.regimes.keys().map(String::as_str))
                        .map(|s| format!("did you mean `{s}`?"))
                        .unwrap_or_else(|| format!("declare it: `regime {} {{ ... }}`", r.node));
                    diagnostics.push(
                        Diagnostic::new(
                            Code::E203,
                            file,
                            r.span,
                            format!("unknown regime `{}`", r.node),
                        )
                        .with_label("not declared")
                        .with_help(help),
                    );
                }
                c.regime = Some(r.clone());
            }
            Clause::Cites(cites) => {
                c.has_cites = true;
                for cite in cites {
                    if !paragraph_is_well_formed(&cite.paragraph.node) {
                        diagnostics.push(
                            Diagnostic::new(
                                Code::E104,
                                file,
                                cite.paragraph.span,
                                format!(
                                    "`{}` is not a paragraph as resolutions number them",
                                    cite.paragraph.node
                                ),
                            )
                            .with_help("write `8`, `8(b)`, `8(a)(iii)` or \"Annex B, 4\""),
                        );
                    }
                    match decls.resolutions.get(&cite.resolution.node) {
                        None => {
                            let help = did_you_mean(
                                &cite.resolution.node,
                                decls.resolutions.keys().map(String::as_str),
                            )
                            .map(|s| format!("did you mean \"{s}\"?"))
                            .unwrap_or_else(|| {
                                format!(
                                    "declare it: `resolution \"{}\" adopted YYYY-MM-DD`",
                                    cite.resolution.node
                                )
                            });
                            diagnostics.push(
                                Diagnostic::new(
                                    Code::E204,
                                    file,
                                    cite.resolution.span,
                                    format!("unknown resolution \"{}\"", cite.resolution.node),
                                )
                                .with_label("not declared")
                                .with_help(help),
                            );
                        }
                        Some(info) if info.status != ResolutionStatus::Adopted => {
                            let what = if info.status == ResolutionStatus::Vetoed {
                                "was vetoed"
                            } else {
                                "is a draft that was never adopted"
                            };
                            diagnostics.push(
                                Diagnostic::new(Code::E207, file, cite.resolution.span, format!("\"{}\" {what} and has no legal effect", info.symbol))
                                    .with_label("cannot be cited")
                                    .with_help("cite the adopted resolutions that impose the measure; a vetoed draft may be recorded, never enforced"),
                            );
                        }
                        Some(info) => {
                            let mut effective = info.adopted;
                            if let Some(d) = info.adopted {
                                earliest_adoption =
                                    Some(earliest_adoption.map_or(d, |e: NaiveDate| e.min(d)));
                                let from = cite
                                    .from
                                    .as_ref()
                                    .and_then(|f| date_expr(f, file, diagnostics));
                                if let (Some(f), Some(expr)) = (from, &cite.from)
                                    && f < d
                                {
                                    diagnostics.push(
                                        Diagnostic::new(Code::E208, file, expr.span, format!("the paragraph takes effect on {f}, before the resolution was adopted on {d}"))
                                            .with_label("before the law existed")
                                            .with_help("`from` names the day the cited paragraph took effect, on or after the adoption"),
                                    );
                                }
                                let took_effect = from.filter(|f| *f >= d).unwrap_or(d);
                                effective = Some(took_effect);
                                c.cited.push(lints::Cited {
                                    text: format!(
                                        "\"{}\" {}",
                                        cite.resolution.node, cite.paragraph.node
                                    ),
                                    adopted: d,
                                    effective: took_effect,
                                    unconfirmed: cite.unconfirmed,
                                    span: cite.resolution.span.to(cite.paragraph.span),
                                });
                            }
                            c.citations.push(Citation {
                                resolution: cite.resolution.node.clone(),
                                paragraph: cite.paragraph.node.clone(),
                                unconfirmed: cite.unconfirmed,
                                adopted: effective,
                            });
                        }
                    }
                }
            }
            Clause::InForce(intervals) => {
                c.has_in_force = true;
                for iv in intervals {
                    let start = date_expr(&iv.start, file, diagnostics);
                    let start = match (start, iv.start_kind) {
                        (Some(d), ast::Start::After) => d.succ_opt(),
                        (d, _) => d,
                    };
                    let until = iv
                        .until
                        .as_ref()
                        .and_then(|u| date_expr(u, file, diagnostics));
                    let Some(from) = start else { continue };
                    if let Some(u) = until
                        && u < from
                    {
                        diagnostics.push(
                            Diagnostic::new(Code::E208, file, iv.span, format!("the interval ends ({u}) before it starts ({from})"))
                                .with_label("inverted")
                                .with_help("`until` names the last day in force; it cannot come before the first"),
                        );
                        continue;
                    }
                    c.intervals.push(Interval { from, until });
                    interval_spans.push(iv.span);
                }
            }
            Clause::When(e) => {
                once("when", e.span, diagnostics);
                c.when = Some(e.clone());
            }
            Clause::Then(v, r) => {
                once("then", v.span, diagnostics);
                c.then = Some((v.clone(), r.clone()));
            }
            Clause::UnlessAuthorized(bodies) => {
                c.authorized_by
                    .extend(bodies.iter().map(|b| b.node.clone()));
            }
            Clause::Note(n, during) => {
                let during = during.as_ref().and_then(|iv| {
                    let from = date_expr(&iv.start, file, diagnostics)?;
                    let from = if iv.start_kind == ast::Start::After {
                        from.succ_opt()?
                    } else {
                        from
                    };
                    let until = iv
                        .until
                        .as_ref()
                        .and_then(|u| date_expr(u, file, diagnostics));
                    if let Some(u) = until
                        && u < from
                    {
                        diagnostics.push(
                            Diagnostic::new(
                                Code::E208,
                                file,
                                iv.span,
                                format!("the note's interval ends ({u}) before it starts ({from})"),
                            )
                            .with_label("inverted")
                            .with_help("`until` names the last day the note applies"),
                        );
                        return None;
                    }
                    Some(Interval { from, until })
                });
                c.notes.push(ir::Note {
                    text: n.node.clone(),
                    during,
                });
            }
            Clause::Overrides(ids) => c.overrides.extend(ids.iter().cloned()),
        }
    }
    // INVARIANT: an interval never starts before the earliest resolution the rule cites.
    c.interval_spans = interval_spans;
    if let Some(adopted) = earliest_adoption {
        for (lowered, span) in c.intervals.iter().zip(&c.interval_spans) {
            if lowered.from < adopted {
                diagnostics.push(
                    Diagnostic::new(Code::E208, file, *span, format!("the interval starts on {} but the earliest resolution cited was adopted on {adopted}", lowered.from))
                        .with_label("before the law existed")
                        .with_help("a measure cannot be in force before the resolution that imposes it"),
                );
            }
        }
    }
    c
}

pub(super) fn missing(
    diagnostics: &mut Diagnostics,
    file: FileId,
    span: Span,
    what: &str,
    clause: &str,
    example: &str,
) {
    diagnostics.push(
        Diagnostic::new(
            Code::E213,
            file,
            span,
            format!("{what} has no `{clause}` clause"),
        )
        .with_label(format!("needs `{clause}`"))
        .with_help(format!("add it, for example: {example}")),
    );
}
