//! Tokens: white space and comments, keywords, names, strings, numbers, dates.

use nom::{
    Err, IResult, Input, Parser,
    bytes::complete::{tag, take_while, take_while1},
    character::complete::char,
};

use super::{In, PResult, err::PError};
use crate::ast::Spanned;
use crate::diagnostics::Code;
use crate::source::Span;

/// Skips spaces, newlines and `#` comments to the end of their line
pub(crate) fn ws(mut input: In<'_>) -> IResult<In<'_>, (), PError> {
    loop {
        let (rest, _) = take_while(|c: char| c.is_whitespace())(input)?;
        input = rest;
        if input.fragment().starts_with('#') {
            let (rest, _) = take_while(|c: char| c != '\n')(input)?;
            input = rest;
        } else {
            return Ok((input, ()));
        }
    }
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The span from `start` to the current position of `rest`
pub(crate) fn span_from(start: &In<'_>, rest: &In<'_>) -> Span {
    Span::new(start.location_offset(), rest.location_offset())
}

/// Runs `parser` after white space and wraps its output with its span
pub(crate) fn spanned<'a, O>(
    mut parser: impl Parser<In<'a>, Output = O, Error = PError>,
) -> impl FnMut(In<'a>) -> PResult<'a, Spanned<O>> {
    move |input: In<'a>| {
        let (start, _) = ws(input)?;
        let (rest, node) = parser.parse(start)?;
        Ok((rest, Spanned::new(node, span_from(&start, &rest))))
    }
}

/// Replaces a failure that made no progress with "expected `what`"
pub(crate) fn expect<'a, O>(
    what: &'static str,
    mut parser: impl Parser<In<'a>, Output = O, Error = PError>,
) -> impl FnMut(In<'a>) -> PResult<'a, O> {
    move |input: In<'a>| {
        let (start, _) = ws(input)?;
        match parser.parse(start) {
            Err(Err::Error(e)) if e.pos <= start.location_offset() => {
                Err(Err::Error(PError::at(&start, Code::E100, what)))
            }
            other => other,
        }
    }
}

/// A keyword: the word, not followed by a name character
pub(crate) fn keyword<'a>(word: &'static str) -> impl FnMut(In<'a>) -> PResult<'a, Span> {
    move |input: In<'a>| {
        let (start, _) = ws(input)?;
        let (rest, _) = tag(word)(start)?;
        if rest.fragment().starts_with(is_ident_char) {
            return Err(Err::Error(PError::at(
                &start,
                Code::E100,
                format!("`{word}`"),
            )));
        }
        Ok((rest, span_from(&start, &rest)))
    }
}

/// A symbol such as `{`, `:` or `==`
pub(crate) fn symbol<'a>(sym: &'static str) -> impl FnMut(In<'a>) -> PResult<'a, Span> {
    move |input: In<'a>| {
        let (start, _) = ws(input)?;
        match tag::<_, _, PError>(sym)(start) {
            Ok((rest, _)) => Ok((rest, span_from(&start, &rest))),
            Err(_) => Err(Err::Error(PError::at(
                &start,
                Code::E100,
                format!("`{sym}`"),
            ))),
        }
    }
}

/// A name: letters, digits and `_`, starting with a letter or `_`
pub(crate) fn ident(input: In<'_>) -> PResult<'_, Spanned<String>> {
    let (start, _) = ws(input)?;
    if !start.fragment().starts_with(is_ident_start) {
        return Err(Err::Error(PError::at(&start, Code::E100, "a name")));
    }
    let (rest, word) = take_while1(is_ident_char)(start)?;
    Ok((
        rest,
        Spanned::new(word.fragment().to_string(), span_from(&start, &rest)),
    ))
}

/// A dotted rule id such as `un.dprk.arms.from_dprk`; with `glob`, a final `.*` is allowed
pub(crate) fn rule_id<'a>(glob: bool) -> impl FnMut(In<'a>) -> PResult<'a, Spanned<String>> {
    move |input: In<'a>| {
        let (start, _) = ws(input)?;
        if !start.fragment().starts_with(is_ident_start) {
            return Err(Err::Error(PError::at(
                &start,
                Code::E100,
                "a rule id such as `un.dprk.arms`",
            )));
        }
        let (mut rest, _) = take_while1(is_ident_char)(start)?;
        loop {
            let frag = rest.fragment();
            let after_dot = frag.get(1..).unwrap_or("");
            if frag.starts_with('.') && after_dot.starts_with(is_ident_char) {
                let (r, _) = take_while1(is_ident_char)(rest.take_from(1))?;
                rest = r;
            } else if glob && frag.starts_with(".*") {
                rest = rest.take_from(2);
                break;
            } else {
                break;
            }
        }
        let len = rest.location_offset() - start.location_offset();
        let text = start.fragment().get(..len).unwrap_or("").to_string();
        Ok((rest, Spanned::new(text, span_from(&start, &rest))))
    }
}

/// A double-quoted string with `\"`, `\\`, `\n` and `\t` escapes
pub(crate) fn string(input: In<'_>) -> PResult<'_, Spanned<String>> {
    let (start, _) = ws(input)?;
    let (mut rest, _) = char('"')(start).map_err(|_: Err<PError>| {
        Err::Error(PError::at(&start, Code::E100, "a string in double quotes"))
    })?;
    let mut out = String::new();
    loop {
        let mut chars = rest.fragment().chars();
        match chars.next() {
            None | Some('\n') => {
                return Err(Err::Failure(
                    PError::at(&start, Code::E101, "a closing `\"`")
                        .with_help("strings end on the line they start on; add the closing quote"),
                ));
            }
            Some('"') => {
                rest = rest.take_from(1);
                break;
            }
            Some('\\') => {
                let escaped = match chars.next() {
                    Some('"') => '"',
                    Some('\\') => '\\',
                    Some('n') => '\n',
                    Some('t') => '\t',
                    _ => {
                        return Err(Err::Failure(PError::at(
                            &rest,
                            Code::E100,
                            "an escape: `\\\"`, `\\\\`, `\\n` or `\\t`",
                        )));
                    }
                };
                out.push(escaped);
                rest = rest.take_from(2);
            }
            Some(c) => {
                out.push(c);
                rest = rest.take_from(c.len_utf8());
            }
        }
    }
    Ok((rest, Spanned::new(out, span_from(&start, &rest))))
}

fn digits(input: In<'_>) -> PResult<'_, In<'_>> {
    take_while1(|c: char| c.is_ascii_digit())(input)
}

/// A date `YYYY-MM-DD` (its shape only; the checker checks the day exists)
pub(crate) fn date(input: In<'_>) -> PResult<'_, Spanned<String>> {
    let (start, _) = ws(input)?;
    let frag = start.fragment().as_bytes();
    let shape_ok = frag.len() >= 10
        && frag.iter().take(10).enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
        && !frag.get(10).is_some_and(|b| b.is_ascii_alphanumeric());
    if !shape_ok {
        return Err(Err::Error(PError::at(
            &start,
            Code::E100,
            "a date like 2017-12-22",
        )));
    }
    let rest = start.take_from(10);
    let text = start.fragment().get(..10).unwrap_or("").to_string();
    Ok((rest, Spanned::new(text, span_from(&start, &rest))))
}

/// A number: digits with an optional `.digits`
pub(crate) fn number(input: In<'_>) -> PResult<'_, Spanned<String>> {
    let (start, _) = ws(input)?;
    let (mut rest, _) =
        digits(start).map_err(|_| Err::Error(PError::at(&start, Code::E100, "a number")))?;
    if rest.fragment().starts_with('.')
        && rest
            .fragment()
            .get(1..)
            .is_some_and(|s| s.starts_with(|c: char| c.is_ascii_digit()))
    {
        let (r, _) = digits(rest.take_from(1))?;
        rest = r;
    }
    let len = rest.location_offset() - start.location_offset();
    let text = start.fragment().get(..len).unwrap_or("").to_string();
    Ok((rest, Spanned::new(text, span_from(&start, &rest))))
}

/// A bare word value: a name, possibly with `-` parts (`UA-14`)
pub(crate) fn word(input: In<'_>) -> PResult<'_, Spanned<String>> {
    let (start, _) = ws(input)?;
    if !start.fragment().starts_with(is_ident_start) {
        return Err(Err::Error(PError::at(&start, Code::E100, "a value")));
    }
    let (mut rest, _) = take_while1(is_ident_char)(start)?;
    while rest.fragment().starts_with('-')
        && rest
            .fragment()
            .get(1..)
            .is_some_and(|s| s.starts_with(|c: char| c.is_ascii_alphanumeric()))
    {
        let (r, _) = take_while1(|c: char| c.is_ascii_alphanumeric())(rest.take_from(1))?;
        rest = r;
    }
    let len = rest.location_offset() - start.location_offset();
    let text = start.fragment().get(..len).unwrap_or("").to_string();
    Ok((rest, Spanned::new(text, span_from(&start, &rest))))
}

/// A paragraph number as resolutions write it: `8`, `8(b)`, `8(a)(iii)`, or a string
/// such as `"Annex B, 6(b)"`
pub(crate) fn paragraph(input: In<'_>) -> PResult<'_, Spanned<String>> {
    let (start, _) = ws(input)?;
    if start.fragment().starts_with('"') {
        return string(start);
    }
    let (mut rest, _) = digits(start).map_err(|_| {
        Err::Error(PError::at(
            &start,
            Code::E104,
            "a paragraph such as `8(b)` or \"Annex B, 4\"",
        ))
    })?;
    while rest.fragment().starts_with('(') {
        let (r, _) = char('(')(rest)?;
        let (r, _) =
            take_while1(|c: char| c.is_ascii_alphanumeric())(r).map_err(|_: Err<PError>| {
                Err::Failure(PError::at(
                    &r,
                    Code::E104,
                    "a sub-paragraph letter or number",
                ))
            })?;
        let (r, _) = char(')')(r).map_err(|_: Err<PError>| {
            Err::Failure(PError::at(&r, Code::E104, "`)` closing the sub-paragraph"))
        })?;
        rest = r;
    }
    let len = rest.location_offset() - start.location_offset();
    let text = start.fragment().get(..len).unwrap_or("").to_string();
    Ok((rest, Spanned::new(text, span_from(&start, &rest))))
}

/// Turns a recoverable error into a failure: once a keyword has committed the parser to a
/// production, a later error is reported where it happened instead of backtracking
pub(crate) fn cut<'a, O>(
    mut parser: impl Parser<In<'a>, Output = O, Error = PError>,
) -> impl FnMut(In<'a>) -> PResult<'a, O> {
    move |input: In<'a>| match parser.parse(input) {
        Err(Err::Error(e)) => Err(Err::Failure(e)),
        other => other,
    }
}
