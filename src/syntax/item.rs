//! Top-level items: resolutions, regimes, sets, rules, exceptions and tests.

use nom::{Err, Parser, multi::separated_list1};

use super::expr::{expr, set_elems};
use super::lexical::{
    cut, date, expect, ident, keyword, number, paragraph, rule_id, span_from, spanned, string,
    symbol, word, ws,
};
use super::{In, PResult, err::PError};
use crate::ast::*;
use crate::diagnostics::Code;

/// The keywords that start an item; recovery resumes at the next line that starts with one
pub const ITEM_KEYWORDS: &[&str] = &["resolution", "regime", "set", "rule", "exception", "test"];

/// One item
pub(crate) fn item(input: In<'_>) -> PResult<'_, Item> {
    let (start, _) = ws(input)?;
    if keyword("resolution")(start).is_ok() {
        return resolution(start).map(|(r, v)| (r, Item::Resolution(v)));
    }
    if keyword("regime")(start).is_ok() {
        return regime(start).map(|(r, v)| (r, Item::Regime(v)));
    }
    if keyword("set")(start).is_ok() {
        return set_decl(start).map(|(r, v)| (r, Item::Set(v)));
    }
    if keyword("rule")(start).is_ok() {
        return rule(start).map(|(r, v)| (r, Item::Rule(v)));
    }
    if keyword("exception")(start).is_ok() {
        return exception(start).map(|(r, v)| (r, Item::Exception(v)));
    }
    if keyword("test")(start).is_ok() {
        return test(start).map(|(r, v)| (r, Item::Test(v)));
    }
    Err(Err::Error(PError::at(
        &start,
        Code::E100,
        "an item: `resolution`, `regime`, `set`, `rule`, `exception` or `test`",
    )))
}

fn resolution(input: In<'_>) -> PResult<'_, Resolution> {
    let (rest, _) = keyword("resolution")(input)?;
    let (rest, symbol_) = cut(expect(
        "the resolution's symbol in quotes, such as \"S/RES/1718 (2006)\"",
        string,
    ))(rest)?;
    let (rest, status) = cut(expect(
        "`adopted DATE`, `vetoed DATE` or `draft`",
        spanned(|i| {
            if let Ok((r, _)) = keyword("adopted")(i) {
                return Ok((r, ResolutionStatus::Adopted));
            }
            if let Ok((r, _)) = keyword("vetoed")(i) {
                return Ok((r, ResolutionStatus::Vetoed));
            }
            keyword("draft")(i).map(|(r, _)| (r, ResolutionStatus::Draft))
        }),
    ))(rest)?;
    let (rest, date_) = if status.node == ResolutionStatus::Draft {
        nom::combinator::opt(date).parse(rest)?
    } else {
        let (r, d) = cut(expect("the date of the vote, such as 2006-10-14", date))(rest)?;
        (r, Some(d))
    };
    let (rest, title) = match keyword("title")(rest) {
        Ok((r, _)) => {
            let (r, t) = cut(expect("a title in quotes", string))(r)?;
            (r, Some(t))
        }
        Err(_) => (rest, None),
    };
    let (start, _) = ws(input)?;
    Ok((
        rest,
        Resolution {
            symbol: symbol_,
            status,
            date: date_,
            title,
            span: span_from(&start, &rest),
        },
    ))
}

fn regime(input: In<'_>) -> PResult<'_, Regime> {
    let (start, _) = ws(input)?;
    let (rest, _) = keyword("regime")(start)?;
    let (rest, name) = cut(expect("the regime's name, such as `DPRK`", ident))(rest)?;
    let (mut rest, _) = cut(expect("`{`", symbol("{")))(rest)?;
    let mut props = Vec::new();
    loop {
        if let Ok((r, _)) = symbol("}")(rest) {
            rest = r;
            break;
        }
        let (r, key) = cut(expect(
            "`title`, `committee`, `list` or `}`",
            spanned(|i| {
                for k in ["title", "committee", "list"] {
                    if let Ok((r, _)) = keyword(k)(i) {
                        return Ok((r, k.to_string()));
                    }
                }
                Err(Err::Error(PError::at(&i, Code::E100, "a regime property")))
            }),
        ))(rest)?;
        let (r, value) = cut(expect("a string in quotes", string))(r)?;
        props.push((key, value));
        rest = r;
    }
    Ok((
        rest,
        Regime {
            name,
            props,
            span: span_from(&start, &rest),
        },
    ))
}

fn set_decl(input: In<'_>) -> PResult<'_, SetDecl> {
    let (start, _) = ws(input)?;
    let (rest, _) = keyword("set")(start)?;
    let (rest, (name, _, ty, _, _, elems, _)) = cut((
        expect("the set's name", ident),
        expect("`:` and the element type, such as `: hs`", symbol(":")),
        expect("an element type: `hs`, `place`, `category`, `role`, `service`, `activity`, `kind`, `unit`, `tag` or `string`", ident),
        expect("`=`", symbol("=")),
        expect("`[`", symbol("[")),
        set_elems,
        expect("`]` closing the set, or `,` before the next element", symbol("]")),
    ))
    .parse(rest)?;
    Ok((
        rest,
        SetDecl {
            name,
            ty,
            elems,
            span: span_from(&start, &rest),
        },
    ))
}

fn rule(input: In<'_>) -> PResult<'_, Rule> {
    let (start, _) = ws(input)?;
    let (rest, _) = keyword("rule")(start)?;
    let (rest, id) = cut(expect(
        "a rule id such as `un.dprk.arms.to_dprk`",
        rule_id(false),
    ))(rest)?;
    let (rest, clauses) = cut(clause_block)(rest)?;
    Ok((
        rest,
        Rule {
            id,
            clauses,
            span: span_from(&start, &rest),
        },
    ))
}

fn exception(input: In<'_>) -> PResult<'_, Exception> {
    let (start, _) = ws(input)?;
    let (rest, _) = keyword("exception")(start)?;
    let (rest, id) = cut(expect(
        "an exception id such as `un.dprk.livelihood`",
        rule_id(false),
    ))(rest)?;
    let (rest, clauses) = cut(clause_block)(rest)?;
    Ok((
        rest,
        Exception {
            id,
            clauses,
            span: span_from(&start, &rest),
        },
    ))
}

fn clause_block(input: In<'_>) -> PResult<'_, Vec<Clause>> {
    let (mut rest, _) = expect("`{`", symbol("{"))(input)?;
    let mut clauses = Vec::new();
    loop {
        if let Ok((r, _)) = symbol("}")(rest) {
            return Ok((r, clauses));
        }
        let (r, c) = cut(clause)(rest)?;
        clauses.push(c);
        rest = r;
    }
}

fn clause(input: In<'_>) -> PResult<'_, Clause> {
    let (start, _) = ws(input)?;
    if let Ok((r, _)) = keyword("title")(start) {
        return cut(expect("a title in quotes", string))(r).map(|(r, t)| (r, Clause::Title(t)));
    }
    if let Ok((r, _)) = keyword("regime")(start) {
        return cut(expect("a regime name", ident))(r).map(|(r, t)| (r, Clause::Regime(t)));
    }
    if let Ok((r, _)) = keyword("cites")(start) {
        return cut(separated_list1(symbol(","), citation))
            .parse(r)
            .map(|(r, c)| (r, Clause::Cites(c)));
    }
    if let Ok((r, _)) = keyword("in")(start) {
        let (r, _) = cut(expect("`force` after `in`", keyword("force")))(r)?;
        return cut(separated_list1(symbol(","), interval))
            .parse(r)
            .map(|(r, c)| (r, Clause::InForce(c)));
    }
    if let Ok((r, _)) = keyword("when")(start) {
        return cut(expr(0))(r).map(|(r, e)| (r, Clause::When(e)));
    }
    if let Ok((r, _)) = keyword("then")(start) {
        let (r, verdict) = cut(expect(
            "a verdict: `prohibited`, `authorization_required`, `review` or `notify`",
            word,
        ))(r)?;
        let (r, reason) = cut(expect(
            "a reason in quotes, such as \"{g.hs} supplied to {destination}\"",
            string,
        ))(r)?;
        return Ok((r, Clause::Then(verdict, reason)));
    }
    if let Ok((r, _)) = keyword("unless")(start) {
        let (r, _) = cut(expect(
            "`authorized by` after `unless`",
            (keyword("authorized"), keyword("by")),
        ))
        .parse(r)?;
        return cut(separated_list1(
            symbol(","),
            expect("who grants it, in quotes: \"1718 Committee\"", string),
        ))
        .parse(r)
        .map(|(r, c)| (r, Clause::UnlessAuthorized(c)));
    }
    if let Ok((r, _)) = keyword("note")(start) {
        let (r, text) = cut(expect("a note in quotes", string))(r)?;
        if keyword("from")(r).is_ok() || keyword("after")(r).is_ok() {
            let (r, during) = cut(interval)(r)?;
            return Ok((r, Clause::Note(text, Some(during))));
        }
        return Ok((r, Clause::Note(text, None)));
    }
    if let Ok((r, _)) = keyword("overrides")(start) {
        return cut(separated_list1(
            symbol(","),
            expect(
                "a rule id or a pattern such as `un.dprk.coal.*`",
                rule_id(true),
            ),
        ))
        .parse(r)
        .map(|(r, c)| (r, Clause::Overrides(c)));
    }
    Err(Err::Error(PError::at(
        &start,
        Code::E100,
        "a clause (`title`, `regime`, `cites`, `in force`, `when`, `then`, `unless authorized by`, `note`, `overrides`) or `}`",
    )))
}

fn citation(input: In<'_>) -> PResult<'_, Citation> {
    let (rest, resolution) = expect(
        "a resolution symbol in quotes, such as \"S/RES/1718 (2006)\"",
        string,
    )(input)?;
    let (rest, paragraph_) = cut(expect(
        "a paragraph such as `8(b)` or \"Annex B, 4\"",
        paragraph,
    ))(rest)?;
    let (rest, unconfirmed) = match keyword("unconfirmed")(rest) {
        Ok((r, _)) => (r, true),
        Err(_) => (rest, false),
    };
    let (rest, from) = match keyword("from")(rest) {
        Ok((r, _)) => {
            let (r, d) = cut(date_expr)(r)?;
            (r, Some(d))
        }
        Err(_) => (rest, None),
    };
    Ok((
        rest,
        Citation {
            resolution,
            paragraph: paragraph_,
            unconfirmed,
            from,
        },
    ))
}

fn date_expr(input: In<'_>) -> PResult<'_, DateExpr> {
    let (rest, d) = expect("a date like 2017-12-22", date)(input)?;
    if let Ok((r, _)) = symbol("+")(rest) {
        let (r, n) = cut(expect("a whole number", number))(r)?;
        let (r, unit) = cut(expect(
            "`days`, `months` or `years`",
            spanned(|i| {
                for u in ["days", "months", "years", "day", "month", "year"] {
                    if let Ok((r, _)) = keyword(u)(i) {
                        return Ok((r, u.trim_end_matches('s').to_string() + "s"));
                    }
                }
                Err(Err::Error(PError::at(&i, Code::E100, "a unit")))
            }),
        ))(r)?;
        let count: i64 = n.node.parse().map_err(|_| {
            Err::Failure(PError::at(
                &input,
                Code::E100,
                "a whole number of days, months or years",
            ))
        })?;
        let span = d.span.to(unit.span);
        return Ok((
            r,
            DateExpr {
                date: d,
                offset: Some((count, unit)),
                span,
            },
        ));
    }
    let span = d.span;
    Ok((
        rest,
        DateExpr {
            date: d,
            offset: None,
            span,
        },
    ))
}

fn interval(input: In<'_>) -> PResult<'_, Interval> {
    let (start, _) = ws(input)?;
    let (rest, start_kind) = if let Ok((r, _)) = keyword("from")(start) {
        (r, Start::From)
    } else if let Ok((r, _)) = keyword("after")(start) {
        (r, Start::After)
    } else {
        return Err(Err::Error(PError::at(
            &start,
            Code::E100,
            "`from DATE` or `after DATE`",
        )));
    };
    let (rest, begin) = cut(date_expr)(rest)?;
    let (rest, until) = match keyword("until")(rest) {
        Ok((r, _)) => {
            let (r, d) = cut(date_expr)(r)?;
            (r, Some(d))
        }
        Err(_) => (rest, None),
    };
    Ok((
        rest,
        Interval {
            start_kind,
            start: begin,
            until,
            span: span_from(&start, &rest),
        },
    ))
}

fn test(input: In<'_>) -> PResult<'_, Test> {
    let (start, _) = ws(input)?;
    let (rest, _) = keyword("test")(start)?;
    let (rest, name) = cut(expect("the test's name in quotes", string))(rest)?;
    let (mut rest, _) = cut(expect("`{`", symbol("{")))(rest)?;
    let mut record = None;
    let mut expects = Vec::new();
    loop {
        if let Ok((r, _)) = symbol("}")(rest) {
            rest = r;
            break;
        }
        if let Ok((r, kw)) = keyword("record")(rest) {
            if record.is_some() {
                return Err(Err::Failure(
                    PError::at(&rest, Code::E100, "one `record` per test")
                        .with_help("write another `test` for another record"),
                ));
            }
            let _ = kw;
            let (r, text) = cut(record_block)(r)?;
            record = Some(text);
            rest = r;
            continue;
        }
        let (r, e) = cut(expect(
            "`record {...}`, `expect ...`, `on DATE expect ...` or `}`",
            expect_line,
        ))(rest)?;
        expects.push(e);
        rest = r;
    }
    Ok((
        rest,
        Test {
            name,
            record,
            expects,
            span: span_from(&start, &rest),
        },
    ))
}

fn expect_line(input: In<'_>) -> PResult<'_, Expect> {
    let (start, _) = ws(input)?;
    let (rest, on) = match keyword("on")(start) {
        Ok((r, _)) => {
            let (r, d) = cut(expect("a date like 2017-12-22", date))(r)?;
            (r, Some(d))
        }
        Err(_) => (start, None),
    };
    let (rest, _) = if on.is_some() {
        cut(expect("`expect`", keyword("expect")))(rest)?
    } else {
        keyword("expect")(rest)?
    };
    let (rest, verdict) = cut(expect(
        "a verdict: `prohibited`, `authorization_required`, `review`, `notify` or `clear`",
        word,
    ))(rest)?;
    let (rest, rules) = match keyword("by")(rest) {
        Ok((r, _)) => {
            let (r, ids) = cut(separated_list1(
                symbol(","),
                expect("a rule id", rule_id(false)),
            ))
            .parse(r)?;
            (r, Some(ids))
        }
        Err(_) => (rest, None),
    };
    Ok((
        rest,
        Expect {
            on,
            verdict,
            rules,
            span: span_from(&start, &rest),
        },
    ))
}

/// How deeply a test's record may nest; serde_yaml refuses deeper records anyway, after a scan
/// whose time grows with the square of the depth
pub const MAX_RECORD_LITERAL_DEPTH: usize = 128;

/// `{ ... }` with matching braces and brackets, quotes respected: the record's text
pub(crate) fn record_block(input: In<'_>) -> PResult<'_, Spanned<String>> {
    let (start, _) = ws(input)?;
    if !start.fragment().starts_with('{') {
        return Err(Err::Error(PError::at(
            &start,
            Code::E105,
            "`{` starting the record",
        )));
    }
    // The closers expected, innermost last.
    let mut open: Vec<char> = Vec::new();
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut prev = ' ';
    for (i, c) in start.fragment().char_indices() {
        let before = std::mem::replace(&mut prev, c);
        let prev = before;
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' && q == '"' {
                escaped = true;
            } else if c == q || c == '\n' {
                quote = None;
            }
            continue;
        }
        let here = || nom::Input::take_from(&start, i);
        match c {
            // A quote starts a quoted scalar only where a token can start (not in `O'Brien`).
            '"' | '\'' if prev.is_whitespace() || matches!(prev, '{' | '[' | ',' | ':') => {
                quote = Some(c)
            }
            '{' | '[' => {
                open.push(if c == '{' { '}' } else { ']' });
                if open.len() > MAX_RECORD_LITERAL_DEPTH {
                    return Err(Err::Failure(
                        PError::at(
                            &here(),
                            Code::E105,
                            format!("a record nested at most {MAX_RECORD_LITERAL_DEPTH} deep"),
                        )
                        .with_help("a record's lists and mappings nest only a few levels"),
                    ));
                }
            }
            '}' | ']' => {
                if open.pop() != Some(c) {
                    let other = if c == '}' { ']' } else { '}' };
                    return Err(Err::Failure(
                        PError::at(
                            &here(),
                            Code::E105,
                            format!(
                                "`{other}`, since the innermost open bracket of the record needs it"
                            ),
                        )
                        .with_help("every `{` closes with `}` and every `[` with `]`"),
                    ));
                }
                if open.is_empty() {
                    let rest = nom::Input::take_from(&start, i + 1);
                    let text = start.fragment().get(..=i).unwrap_or("").to_string();
                    return Ok((rest, Spanned::new(text, span_from(&start, &rest))));
                }
            }
            _ => {}
        }
    }
    Err(Err::Failure(
        PError::at(&start, Code::E105, "`}` closing the record")
            .with_help("every `{` and `[` in the record needs its closing `}` or `]`"),
    ))
}
