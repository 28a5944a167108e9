//! The surface syntax tree, exactly as written, with a span on every node.

use crate::source::Span;

/// A value with the span of the text it came from
#[derive(Clone, Debug)]
pub struct Spanned<T> {
    /// The value
    pub node: T,
    /// Where it was written
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Wraps a value with its span
    pub fn new(node: T, span: Span) -> Self {
        Spanned { node, span }
    }
}

/// One parsed rule file
#[derive(Clone, Debug, Default)]
pub struct RuleFile {
    /// Its items in file order (order never changes meaning)
    pub items: Vec<Item>,
}

/// A top-level declaration
#[derive(Clone, Debug)]
pub enum Item {
    /// `resolution "S/RES/1718 (2006)" adopted 2006-10-14`
    Resolution(Resolution),
    /// `regime DPRK { ... }`
    Regime(Regime),
    /// `set arms_hs: hs = [93, 8710]`
    Set(SetDecl),
    /// `rule id { ... }`
    Rule(Rule),
    /// `exception id { ... }`
    Exception(Exception),
    /// `test "name" { ... }`
    Test(Test),
}

/// Whether a resolution has legal effect
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResolutionStatus {
    /// Adopted: it can be cited
    Adopted,
    /// A draft vetoed by a permanent member: no legal effect
    Vetoed,
    /// A draft never put to the vote, or not adopted
    Draft,
}

/// A resolution or draft declaration
#[derive(Clone, Debug)]
pub struct Resolution {
    /// The symbol as the Council writes it
    pub symbol: Spanned<String>,
    /// Adopted, vetoed or draft
    pub status: Spanned<ResolutionStatus>,
    /// The day of the vote, if any
    pub date: Option<Spanned<String>>,
    /// Optional title
    pub title: Option<Spanned<String>>,
    /// The whole item
    pub span: Span,
}

/// A sanctions regime
#[derive(Clone, Debug)]
pub struct Regime {
    /// Its short name, used by rules
    pub name: Spanned<String>,
    /// Properties in any order: `title`, `committee`, `list`
    pub props: Vec<(Spanned<String>, Spanned<String>)>,
    /// The whole item
    pub span: Span,
}

/// A named set of values of one type
#[derive(Clone, Debug)]
pub struct SetDecl {
    /// Its name
    pub name: Spanned<String>,
    /// The element type as written: `hs`, `place`, `category`, ...
    pub ty: Spanned<String>,
    /// The elements
    pub elems: Vec<SetElem>,
    /// The whole item
    pub span: Span,
}

/// One element of a set
#[derive(Clone, Debug)]
pub enum SetElem {
    /// A single value
    One(Spanned<Literal>),
    /// An inclusive range of HS codes of the same length, `72..83`
    Range(Spanned<Literal>, Spanned<Literal>),
}

/// A literal value as written
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    /// `"text"`
    Str(String),
    /// Digits, possibly with a dot: `500`, `9306.90`, `07`
    Number(String),
    /// A number with a unit or currency: `500 USD`, `30 t`
    Quantity(String, String),
    /// `2017-12-22`
    Date(String),
    /// A bare word: a vocabulary value, a place code or a set name
    Word(String),
}

/// A rule: a measure with its citation, time in force, condition and verdict
#[derive(Clone, Debug)]
pub struct Rule {
    /// The dotted id
    pub id: Spanned<String>,
    /// Its clauses, as written
    pub clauses: Vec<Clause>,
    /// The whole item
    pub span: Span,
}

/// An exception that lifts other rules' findings when its condition holds
#[derive(Clone, Debug)]
pub struct Exception {
    /// The dotted id
    pub id: Spanned<String>,
    /// Its clauses (`overrides` among them)
    pub clauses: Vec<Clause>,
    /// The whole item
    pub span: Span,
}

/// A clause of a rule or exception
#[derive(Clone, Debug)]
pub enum Clause {
    /// `title "..."`
    Title(Spanned<String>),
    /// `regime DPRK`
    Regime(Spanned<String>),
    /// `cites "S/RES/1718 (2006)" 8(b), ...`
    Cites(Vec<Citation>),
    /// `in force from 2006-10-14 until 2016-01-16, from 2025-09-28`
    InForce(Vec<Interval>),
    /// `when <condition>`
    When(Spanned<Expr>),
    /// `then prohibited "reason"`
    Then(Spanned<String>, Spanned<String>),
    /// `unless authorized by "1718 Committee", "Security Council"`
    UnlessAuthorized(Vec<Spanned<String>>),
    /// `note "..."`, optionally only for records dated in an interval: `note "..." from 2025-09-28`
    Note(Spanned<String>, Option<Interval>),
    /// `overrides un.dprk.coal.*, un.dprk.iron`
    Overrides(Vec<Spanned<String>>),
}

/// A legal citation
#[derive(Clone, Debug)]
pub struct Citation {
    /// The resolution's symbol
    pub resolution: Spanned<String>,
    /// The paragraph as numbered: `8(b)`, `Annex B, 4`
    pub paragraph: Spanned<String>,
    /// Marked `unconfirmed`: the paragraph number could not be confirmed
    pub unconfirmed: bool,
    /// `from 2005-03-29 + 30 days`: the day the cited paragraph took effect, when the text sets
    /// one later than the adoption
    pub from: Option<DateExpr>,
}

/// A date with an optional offset: `2017-12-22 + 24 months`
#[derive(Clone, Debug)]
pub struct DateExpr {
    /// The date
    pub date: Spanned<String>,
    /// An offset in `days`, `months` or `years`
    pub offset: Option<(i64, Spanned<String>)>,
    /// The whole expression
    pub span: Span,
}

/// Where an interval starts
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Start {
    /// `from D`: D is the first day in force
    From,
    /// `after D`: the day after D is the first day in force
    After,
}

/// An in-force interval; both ends are days in force
#[derive(Clone, Debug)]
pub struct Interval {
    /// `from` or `after`
    pub start_kind: Start,
    /// The start
    pub start: DateExpr,
    /// The last day in force, if it ends
    pub until: Option<DateExpr>,
    /// The whole interval
    pub span: Span,
}

/// A path into the record or a bound element: `goods`, `g.hs`, `p.ids.un_ref`
#[derive(Clone, Debug)]
pub struct Path {
    /// Its segments, each with its span
    pub segments: Vec<Spanned<String>>,
    /// The whole path
    pub span: Span,
}

/// A quantifier over a list
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantifier {
    /// Some element satisfies the body
    Any,
    /// Every element satisfies it (true for an empty list)
    All,
    /// No element satisfies it
    None,
}

/// A comparison operator
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `in`: membership of a value in a set or list
    In,
    /// `not in`
    NotIn,
    /// `within`: a place within a country, an HS code within a heading or chapter
    Within,
    /// `not within`
    NotWithin,
    /// `has`: a list contains a value (or any value of a set)
    Has,
    /// `starts with`: a string begins with one of the given prefixes (`p.ids.un_ref starts with "KP"`)
    StartsWith,
}

impl CmpOp {
    /// The operator as written
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::In => "in",
            CmpOp::NotIn => "not in",
            CmpOp::Within => "within",
            CmpOp::NotWithin => "not within",
            CmpOp::Has => "has",
            CmpOp::StartsWith => "starts with",
        }
    }
}

/// The right side of a comparison
#[derive(Clone, Debug)]
pub enum Operand {
    /// One value (a bare word may turn out to name a set)
    One(Spanned<Literal>),
    /// A list written in place: `[KP, IR]`
    List(Vec<SetElem>, Span),
    /// Another field of the record or of a bound element: `destination`, `p.country`
    Field(Path),
}

/// A condition
#[derive(Clone, Debug)]
pub enum Expr {
    /// `a and b and c`
    And(Vec<Spanned<Expr>>),
    /// `a or b`
    Or(Vec<Spanned<Expr>>),
    /// `not a`
    Not(Box<Spanned<Expr>>),
    /// `any goods g: body`
    Quant {
        /// any, all or none
        quantifier: Quantifier,
        /// The list
        list: Path,
        /// The element's name
        var: Spanned<String>,
        /// The condition on each element
        body: Box<Spanned<Expr>>,
    },
    /// `count(parties p: p.role == worker) >= 2`
    Count {
        /// The list
        list: Path,
        /// The element's name
        var: Spanned<String>,
        /// The condition on each element
        body: Box<Spanned<Expr>>,
        /// The comparison
        op: Spanned<CmpOp>,
        /// The number compared with
        n: Spanned<String>,
    },
    /// `exists p.ids.un_ref`
    Exists(Path),
    /// `path op operand`
    Cmp {
        /// The field
        lhs: Path,
        /// The operator
        op: Spanned<CmpOp>,
        /// The value, list or set
        rhs: Operand,
    },
    /// `true` or `false`
    Bool(bool),
}

/// An example inside a rule file: a record, and the verdicts expected on some days
#[derive(Clone, Debug)]
pub struct Test {
    /// Its name
    pub name: Spanned<String>,
    /// The record's text (a YAML flow mapping or JSON object) and its span
    pub record: Option<Spanned<String>>,
    /// What is expected
    pub expects: Vec<Expect>,
    /// The whole item
    pub span: Span,
}

/// One expectation of a test
#[derive(Clone, Debug)]
pub struct Expect {
    /// The day to judge the record on, instead of its own `date`
    pub on: Option<Spanned<String>>,
    /// The expected verdict: `prohibited`, ..., `clear`, `invalid`
    pub verdict: Spanned<String>,
    /// The rules expected to fire, exactly (when given)
    pub rules: Option<Vec<Spanned<String>>>,
    /// The whole line
    pub span: Span,
}
