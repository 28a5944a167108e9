//! The registry of diagnostic codes: each code is stable and never reused.

/// A stable diagnostic code; `docs/diagnostics.md` has a section for each
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(
    missing_docs,
    reason = "each variant is documented by CODES and docs/diagnostics.md"
)]
pub enum Code {
    E100,
    E101,
    E102,
    E103,
    E104,
    E105,
    E200,
    E201,
    E202,
    E203,
    E204,
    E205,
    E206,
    E207,
    E208,
    E209,
    E210,
    E211,
    E212,
    E213,
    E214,
    E215,
    E216,
    E217,
    W300,
    W301,
    W302,
    W303,
    W304,
    W305,
    W306,
    W307,
    W308,
    W309,
    E400,
    E500,
}

/// Every code with its short name and one-line meaning, in order
pub const CODES: &[(Code, &str, &str)] = &[
    (
        Code::E100,
        "syntax-error",
        "the text does not follow the grammar",
    ),
    (
        Code::E101,
        "unterminated-string",
        "a string has no closing quote",
    ),
    (
        Code::E102,
        "invalid-date",
        "a date is not a real day written YYYY-MM-DD",
    ),
    (
        Code::E103,
        "nesting-too-deep",
        "conditions are nested deeper than the limit",
    ),
    (
        Code::E104,
        "invalid-paragraph",
        "a cited paragraph is not written as the resolutions number them",
    ),
    (
        Code::E105,
        "invalid-record-literal",
        "a test's record is not a readable YAML/JSON mapping",
    ),
    (
        Code::E200,
        "unknown-field",
        "a path names a field that records do not have",
    ),
    (
        Code::E201,
        "type-mismatch",
        "an operator or value does not fit the type of the field",
    ),
    (
        Code::E202,
        "unknown-set",
        "a named set is used but never declared",
    ),
    (
        Code::E203,
        "unknown-regime",
        "a rule names a regime that is not declared",
    ),
    (
        Code::E204,
        "unknown-resolution",
        "a citation names a resolution that is not declared",
    ),
    (
        Code::E205,
        "overrides-nothing",
        "an exception names rules that do not exist",
    ),
    (
        Code::E206,
        "duplicate-definition",
        "two items have the same name or id",
    ),
    (
        Code::E207,
        "cites-non-adopted",
        "a rule cites a vetoed or draft resolution, which has no legal effect",
    ),
    (
        Code::E208,
        "invalid-interval",
        "an in-force interval ends before it starts or starts before its resolution was adopted",
    ),
    (
        Code::E209,
        "invalid-hs-code",
        "an HS code is not 2, 4, 6, 8 or 10 digits",
    ),
    (
        Code::E210,
        "unknown-place",
        "a place is not an ISO 3166-1 alpha-2 or ISO 3166-2 code",
    ),
    (
        Code::E211,
        "unknown-value",
        "a value is not in the field's vocabulary",
    ),
    (
        Code::E212,
        "unbound-name",
        "a reason template or path names a variable that no quantifier binds",
    ),
    (
        Code::E213,
        "missing-clause",
        "a rule, exception or test lacks a clause it needs",
    ),
    (
        Code::E214,
        "duplicate-clause",
        "a clause that may appear once appears twice",
    ),
    (
        Code::E215,
        "free-text-field",
        "a rule reads a free-text field, which rules must never read",
    ),
    (
        Code::E216,
        "set-shadows-value",
        "a set's name is also a vocabulary value, which makes conditions ambiguous",
    ),
    (
        Code::E217,
        "unknown-rule",
        "a test expects a rule id that no rule has",
    ),
    (
        Code::W300,
        "never-fires",
        "a rule's condition can never be true",
    ),
    (
        Code::W301,
        "exception-out-of-force",
        "an exception is never in force while a rule it overrides is",
    ),
    (
        Code::W302,
        "rule-without-tests",
        "no test in the loaded files expects this rule to fire",
    ),
    (
        Code::W303,
        "never-in-force",
        "every in-force interval of a rule ends before the UN Charter entered into force (1945-10-24)",
    ),
    (
        Code::W304,
        "duplicate-rule",
        "two rules have the same condition and cite the same paragraphs",
    ),
    (
        Code::W305,
        "unused-declaration",
        "a declared set, adopted resolution or regime is used by no rule or exception",
    ),
    (
        Code::W306,
        "late-start",
        "a rule's first day in force is later than the day the earliest resolution it cites took effect",
    ),
    (
        Code::W307,
        "unexplained-gap",
        "a rule stops and resumes, and no resolution it cites was adopted or took effect on either side of the gap",
    ),
    (
        Code::W308,
        "unconfirmed-citation",
        "a citation in a regime still in force is marked `unconfirmed`",
    ),
    (
        Code::W309,
        "place-of-today",
        "a rule names a place by today's code where, on every day it is in force, the place lay within a country that no longer exists",
    ),
    (
        Code::E400,
        "invalid-record",
        "a test's record breaks the record format",
    ),
    (
        Code::E500,
        "evaluation-error",
        "a condition could not be evaluated on a record",
    ),
];

impl Code {
    /// The code as written in output, such as `E200`
    pub fn as_str(self) -> &'static str {
        match self {
            Code::E100 => "E100",
            Code::E101 => "E101",
            Code::E102 => "E102",
            Code::E103 => "E103",
            Code::E104 => "E104",
            Code::E105 => "E105",
            Code::E200 => "E200",
            Code::E201 => "E201",
            Code::E202 => "E202",
            Code::E203 => "E203",
            Code::E204 => "E204",
            Code::E205 => "E205",
            Code::E206 => "E206",
            Code::E207 => "E207",
            Code::E208 => "E208",
            Code::E209 => "E209",
            Code::E210 => "E210",
            Code::E211 => "E211",
            Code::E212 => "E212",
            Code::E213 => "E213",
            Code::E214 => "E214",
            Code::E215 => "E215",
            Code::E216 => "E216",
            Code::E217 => "E217",
            Code::W300 => "W300",
            Code::W301 => "W301",
            Code::W302 => "W302",
            Code::W303 => "W303",
            Code::W304 => "W304",
            Code::W305 => "W305",
            Code::W306 => "W306",
            Code::W307 => "W307",
            Code::W308 => "W308",
            Code::W309 => "W309",
            Code::E400 => "E400",
            Code::E500 => "E500",
        }
    }

    /// The short kebab-case name
    pub fn name(self) -> &'static str {
        CODES
            .iter()
            .find(|(code, _, _)| *code == self)
            .map(|(_, name, _)| *name)
            .unwrap_or("")
    }

    /// Whether the code is a warning (a lint) rather than an error
    pub fn is_warning(self) -> bool {
        self.as_str().starts_with('W')
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
