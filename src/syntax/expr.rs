//! Conditions: `or` below `and` below `not`, quantifiers, comparisons and literals.

use nom::{Err, Parser, branch::alt, combinator::opt, multi::separated_list0};

use super::lexical::{
    cut, date, expect, ident, keyword, number, spanned, string, symbol, word, ws,
};
use super::{In, PResult, err::PError};
use crate::ast::{CmpOp, Expr, Literal, Operand, Path, Quantifier, SetElem, Spanned};
use crate::diagnostics::Code;
use crate::source::Span;

/// How deeply conditions may nest before the parser refuses them
pub const MAX_DEPTH: usize = 48;

const UNITS: &[&str] = &["bbl", "t", "kg", "l", "m3", "pcs", "usd"];

/// A condition
pub(crate) fn expr(depth: usize) -> impl FnMut(In<'_>) -> PResult<'_, Spanned<Expr>> {
    move |input: In<'_>| {
        let (rest, first) = and_expr(depth)(input)?;
        let mut parts = vec![first];
        let mut rest = rest;
        while let Ok((r, _)) = keyword("or")(rest) {
            let (r, next) = cut(and_expr(depth))(r)?;
            parts.push(next);
            rest = r;
        }
        Ok((rest, join(parts, Expr::Or)))
    }
}

fn join(mut parts: Vec<Spanned<Expr>>, make: fn(Vec<Spanned<Expr>>) -> Expr) -> Spanned<Expr> {
    if parts.len() == 1
        && let Some(only) = parts.pop()
    {
        return only;
    }
    let span = match (parts.first(), parts.last()) {
        (Some(a), Some(b)) => a.span.to(b.span),
        _ => Span::default(),
    };
    Spanned::new(make(parts), span)
}

fn and_expr(depth: usize) -> impl FnMut(In<'_>) -> PResult<'_, Spanned<Expr>> {
    move |input: In<'_>| {
        let (rest, first) = unary(depth)(input)?;
        let mut parts = vec![first];
        let mut rest = rest;
        while let Ok((r, _)) = keyword("and")(rest) {
            let (r, next) = cut(unary(depth))(r)?;
            parts.push(next);
            rest = r;
        }
        Ok((rest, join(parts, Expr::And)))
    }
}

fn unary(depth: usize) -> impl FnMut(In<'_>) -> PResult<'_, Spanned<Expr>> {
    move |input: In<'_>| {
        // Every nesting (`not`, parentheses, quantifiers, `count`) passes through here.
        if depth > MAX_DEPTH {
            let (start, _) = ws(input)?;
            return Err(Err::Failure(
                PError::at(
                    &start,
                    Code::E103,
                    format!("conditions nested at most {MAX_DEPTH} deep"),
                )
                .with_help("split the condition into named sets or several rules"),
            ));
        }
        let (start, _) = ws(input)?;
        if let Ok((rest, kw)) = keyword("not")(start) {
            let (rest, inner) = cut(unary(depth + 1))(rest)?;
            let span = kw.to(inner.span);
            return Ok((rest, Spanned::new(Expr::Not(Box::new(inner)), span)));
        }
        if let Ok((rest, open)) = symbol("(")(start) {
            let (rest, inner) = cut(expr(depth + 1))(rest)?;
            let (rest, close) = cut(expect("`)` closing the condition", symbol(")")))(rest)?;
            return Ok((rest, Spanned::new(inner.node, open.to(close))));
        }
        for (word_, quantifier) in [
            ("any", Quantifier::Any),
            ("all", Quantifier::All),
            ("none", Quantifier::None),
        ] {
            if let Ok((rest, kw)) = keyword(word_)(start) {
                let (rest, (list, var, _, body)) = cut((
                    expect("a list such as `goods` or `parties`", path),
                    expect("a name for each element, such as `g`", ident),
                    expect("`:` before the condition on each element", symbol(":")),
                    expr(depth + 1),
                ))
                .parse(rest)?;
                let span = kw.to(body.span);
                return Ok((
                    rest,
                    Spanned::new(
                        Expr::Quant {
                            quantifier,
                            list,
                            var,
                            body: Box::new(body),
                        },
                        span,
                    ),
                ));
            }
        }
        if let Ok((rest, kw)) = keyword("count")(start) {
            let (rest, (_, list, var, _, body, _, op, n)) = cut((
                expect("`(` after `count`", symbol("(")),
                expect("a list such as `parties`", path),
                expect("a name for each element", ident),
                expect("`:` before the condition on each element", symbol(":")),
                expr(depth + 1),
                expect("`)` closing `count(`", symbol(")")),
                expect("a comparison such as `>=`", spanned(cmp_op)),
                expect("a whole number", number),
            ))
            .parse(rest)?;
            let span = kw.to(n.span);
            return Ok((
                rest,
                Spanned::new(
                    Expr::Count {
                        list,
                        var,
                        body: Box::new(body),
                        op,
                        n,
                    },
                    span,
                ),
            ));
        }
        if let Ok((rest, kw)) = keyword("exists")(start) {
            let (rest, p) = cut(expect("a path such as `p.ids.un_ref`", path))(rest)?;
            let span = kw.to(p.span);
            return Ok((rest, Spanned::new(Expr::Exists(p), span)));
        }
        for (word_, value) in [("true", true), ("false", false)] {
            if let Ok((rest, kw)) = keyword(word_)(start) {
                return Ok((rest, Spanned::new(Expr::Bool(value), kw)));
            }
        }
        let (rest, lhs) = expect("a condition such as `origin within KP`", path)(start)?;
        let (rest, op) = cut(expect(
            "an operator: `==`, `!=`, `<`, `<=`, `>`, `>=`, `in`, `not in`, `within`, `not within` or `has`",
            spanned(cmp_op),
        ))(rest)?;
        let (rest, rhs) = cut(expect("a value, a set name or a list `[...]`", operand))(rest)?;
        let span = match &rhs {
            Operand::One(lit) => lhs.span.to(lit.span),
            Operand::List(_, s) => lhs.span.to(*s),
            Operand::Field(p) => lhs.span.to(p.span),
        };
        Ok((rest, Spanned::new(Expr::Cmp { lhs, op, rhs }, span)))
    }
}

/// A path: names joined by dots
pub(crate) fn path(input: In<'_>) -> PResult<'_, Path> {
    let (rest, first) = ident(input)?;
    if ["and", "or", "not", "then", "when", "in", "within", "has"].contains(&first.node.as_str()) {
        return Err(Err::Error(PError::at(&input, Code::E100, "a path")));
    }
    let mut segments = vec![first];
    let mut rest = rest;
    while rest.fragment().starts_with('.') {
        let (r, seg) =
            cut(expect("a field name after `.`", ident))(nom::Input::take_from(&rest, 1))?;
        segments.push(seg);
        rest = r;
    }
    let span = match (segments.first(), segments.last()) {
        (Some(a), Some(b)) => a.span.to(b.span),
        _ => Span::default(),
    };
    Ok((rest, Path { segments, span }))
}

fn cmp_op(input: In<'_>) -> PResult<'_, CmpOp> {
    alt((
        symbol("==").map(|_| CmpOp::Eq),
        symbol("!=").map(|_| CmpOp::Ne),
        symbol("<=").map(|_| CmpOp::Le),
        symbol(">=").map(|_| CmpOp::Ge),
        symbol("<").map(|_| CmpOp::Lt),
        symbol(">").map(|_| CmpOp::Gt),
        (keyword("not"), keyword("in")).map(|_| CmpOp::NotIn),
        (keyword("not"), keyword("within")).map(|_| CmpOp::NotWithin),
        keyword("in").map(|_| CmpOp::In),
        keyword("within").map(|_| CmpOp::Within),
        keyword("has").map(|_| CmpOp::Has),
        (keyword("starts"), keyword("with")).map(|_| CmpOp::StartsWith),
    ))
    .parse(input)
}

fn operand(input: In<'_>) -> PResult<'_, Operand> {
    let (start, _) = ws(input)?;
    if let Ok((rest, open)) = symbol("[")(start) {
        let (rest, elems) = set_elems(rest)?;
        let (rest, close) = cut(expect("`]` closing the list", symbol("]")))(rest)?;
        return Ok((rest, Operand::List(elems, open.to(close))));
    }
    // Another field, when it has a dot (`p.country`); a single word such as `destination` is
    // read as a word, and the checker knows it for a field of the record.
    if let Ok((rest, p)) = path(start)
        && p.segments.len() > 1
    {
        return Ok((rest, Operand::Field(p)));
    }
    let (rest, lit) = literal(start)?;
    // A range written without brackets, `within 72..83`, is a list of one range.
    if let Ok((rest, _)) = symbol("..")(rest) {
        let (rest, last) = cut(expect("the end of the range", literal))(rest)?;
        let span = lit.span.to(last.span);
        return Ok((rest, Operand::List(vec![SetElem::Range(lit, last)], span)));
    }
    Ok((rest, Operand::One(lit)))
}

/// Elements of a list or set, separated by commas: values and `a..b` ranges
pub(crate) fn set_elems(input: In<'_>) -> PResult<'_, Vec<SetElem>> {
    let (rest, elems) = separated_list0(symbol(","), set_elem).parse(input)?;
    // A trailing comma is allowed.
    let (rest, _) = opt(symbol(",")).parse(rest)?;
    Ok((rest, elems))
}

fn set_elem(input: In<'_>) -> PResult<'_, SetElem> {
    let (rest, first) = literal(input)?;
    if let Ok((rest, _)) = symbol("..")(rest) {
        let (rest, last) = cut(expect("the end of the range", literal))(rest)?;
        return Ok((rest, SetElem::Range(first, last)));
    }
    Ok((rest, SetElem::One(first)))
}

/// A literal: string, date, number (with a unit or currency), or word
pub(crate) fn literal(input: In<'_>) -> PResult<'_, Spanned<Literal>> {
    let (start, _) = ws(input)?;
    if let Ok((rest, s)) = string(start) {
        return Ok((rest, Spanned::new(Literal::Str(s.node), s.span)));
    }
    if let Ok((rest, d)) = date(start) {
        return Ok((rest, Spanned::new(Literal::Date(d.node), d.span)));
    }
    if let Ok((rest, n)) = number(start) {
        // A unit or currency follows on the same line: `500 USD`, `30 t`.
        let same_line = rest.fragment().starts_with(' ');
        if same_line && let Ok((r, unit)) = word(rest) {
            let is_currency =
                unit.node.len() == 3 && unit.node.chars().all(|c| c.is_ascii_uppercase());
            if is_currency || UNITS.contains(&unit.node.as_str()) {
                return Ok((
                    r,
                    Spanned::new(Literal::Quantity(n.node, unit.node), n.span.to(unit.span)),
                ));
            }
        }
        return Ok((rest, Spanned::new(Literal::Number(n.node), n.span)));
    }
    let (rest, w) = word(start)?;
    Ok((rest, Spanned::new(Literal::Word(w.node), w.span)))
}
