//! The TextMate grammar of rule files (`editors/vscode/syntaxes/embargo.tmLanguage.json`): every
//! regex compiles, every keyword the parser knows is highlighted as one, and every file of
//! `rules/` tokenizes (by a small TextMate tokenizer here: line by line, the earliest match wins,
//! `begin`/`end` rules nest) with each keyword, comment and string in its scope.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use fancy_regex::Regex;
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn grammar() -> Value {
    let path = root().join("editors/vscode/syntaxes/embargo.tmLanguage.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A rule of the grammar, its `include`s resolved
enum Rule {
    Match {
        regex: Regex,
        name: Option<String>,
        captures: Vec<(usize, String)>,
    },
    Block {
        begin: Regex,
        end: Regex,
        name: Option<String>,
        patterns: Vec<usize>,
    },
}

/// Every rule, numbered; a `patterns` list is a list of these numbers
struct Grammar {
    rules: Vec<Rule>,
    top: Vec<usize>,
}

fn regex(text: &str) -> Regex {
    Regex::new(text)
        .unwrap_or_else(|e| panic!("the grammar's regex {text:?} does not compile: {e}"))
}

fn captures(rule: &Value, key: &str) -> Vec<(usize, String)> {
    rule.get(key)
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.parse().unwrap(), v["name"].as_str().unwrap().to_string()))
        .collect()
}

impl Grammar {
    fn new(json: &Value) -> Grammar {
        let mut g = Grammar {
            rules: Vec::new(),
            top: Vec::new(),
        };
        g.top = g.list(json, &json["patterns"], &mut Vec::new());
        g
    }

    /// The rules of a `patterns` list, flattened (a repository entry that holds only
    /// `patterns` stands for them); `seen` stops a block from including itself forever
    fn list(&mut self, json: &Value, patterns: &Value, seen: &mut Vec<String>) -> Vec<usize> {
        let mut out = Vec::new();
        for p in patterns.as_array().unwrap() {
            out.extend(self.rule(json, p, seen));
        }
        out
    }

    fn rule(&mut self, json: &Value, p: &Value, seen: &mut Vec<String>) -> Vec<usize> {
        if let Some(include) = p.get("include").and_then(Value::as_str) {
            let key = include.strip_prefix('#').unwrap();
            let target = &json["repository"][key];
            assert!(!target.is_null(), "no repository entry {key}");
            if seen.iter().any(|s| s == key) {
                return Vec::new();
            }
            seen.push(key.to_string());
            let rules = self.rule(json, target, seen);
            seen.pop();
            return rules;
        }
        let name = p.get("name").and_then(Value::as_str).map(str::to_string);
        if let Some(m) = p.get("match").and_then(Value::as_str) {
            self.rules.push(Rule::Match {
                regex: regex(m),
                name,
                captures: captures(p, "captures"),
            });
            return vec![self.rules.len() - 1];
        }
        if let Some(begin) = p.get("begin").and_then(Value::as_str) {
            let end = regex(p["end"].as_str().unwrap());
            let at = self.rules.len();
            self.rules.push(Rule::Block {
                begin: regex(begin),
                end,
                name,
                patterns: Vec::new(),
            });
            let inner = match p.get("patterns") {
                Some(list) => self.list(json, list, seen),
                None => Vec::new(),
            };
            if let Rule::Block { patterns, .. } = &mut self.rules[at] {
                *patterns = inner;
            }
            return vec![at];
        }
        self.list(json, &p["patterns"], seen)
    }

    /// The scopes of a text: (start, end, scope) in bytes, and the blocks left open at its end
    fn tokenize(&self, text: &str) -> (Vec<(usize, usize, String)>, usize) {
        let mut scopes = Vec::new();
        // The open blocks: (rule, where it began)
        let mut stack: Vec<(usize, usize)> = Vec::new();
        let mut line_start = 0;
        for line in text.split_inclusive('\n') {
            let line = line.strip_suffix('\n').unwrap_or(line);
            let mut pos = 0;
            while pos <= line.len() {
                let context: &[usize] = match stack.last() {
                    Some(&(block, _)) => match &self.rules[block] {
                        Rule::Block { patterns, .. } => patterns,
                        Rule::Match { .. } => unreachable!(),
                    },
                    None => &self.top,
                };
                // The end of the open block first: it wins a tie
                let mut best: Option<(usize, usize, Option<usize>)> = None;
                if let Some(&(block, _)) = stack.last()
                    && let Rule::Block { end, .. } = &self.rules[block]
                    && let Some(m) = end.find_from_pos(line, pos).unwrap()
                {
                    best = Some((m.start(), m.end(), None));
                }
                for &r in context {
                    let re = match &self.rules[r] {
                        Rule::Match { regex, .. } => regex,
                        Rule::Block { begin, .. } => begin,
                    };
                    if let Some(m) = re.find_from_pos(line, pos).unwrap()
                        && best.is_none_or(|(s, _, _)| m.start() < s)
                    {
                        best = Some((m.start(), m.end(), Some(r)));
                    }
                }
                let Some((s, e, rule)) = best else { break };
                match rule {
                    None => {
                        let (block, began) = stack.pop().unwrap();
                        if let Rule::Block { name: Some(n), .. } = &self.rules[block] {
                            scopes.push((began, line_start + e, n.clone()));
                        }
                    }
                    Some(r) => match &self.rules[r] {
                        Rule::Match {
                            regex,
                            name,
                            captures,
                        } => {
                            if let Some(n) = name {
                                scopes.push((line_start + s, line_start + e, n.clone()));
                            }
                            let caps = regex.captures_from_pos(line, pos).unwrap().unwrap();
                            for (i, n) in captures {
                                if let Some(c) = caps.get(*i) {
                                    scopes.push((
                                        line_start + c.start(),
                                        line_start + c.end(),
                                        n.clone(),
                                    ));
                                }
                            }
                        }
                        Rule::Block { .. } => stack.push((r, line_start + s)),
                    },
                }
                // An empty match (`$`) moves on by one, as TextMate does
                pos = if e > s { e } else { e + 1 };
            }
            line_start += line.len() + 1;
        }
        (scopes, stack.len())
    }
}

/// The words the parser takes as keywords: every `keyword("...")` of `src/syntax`, and the
/// words it passes to `keyword` from a list (each checked to be in `src/syntax` too)
fn keywords() -> BTreeSet<String> {
    let mut text = String::new();
    for entry in std::fs::read_dir(root().join("src/syntax")).unwrap() {
        text.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    let mut words = BTreeSet::new();
    for piece in text.split("keyword(\"").skip(1) {
        words.insert(piece.split('"').next().unwrap().to_string());
    }
    for listed in [
        "any",
        "all",
        "none",
        "true",
        "false",
        "title",
        "committee",
        "list",
        "days",
        "months",
        "years",
        "day",
        "month",
        "year",
    ] {
        assert!(
            text.contains(&format!("\"{listed}\"")),
            "{listed} is no longer in src/syntax"
        );
        words.insert(listed.to_string());
    }
    words.extend(
        embargo::internals::syntax::ITEM_KEYWORDS
            .iter()
            .map(|w| w.to_string()),
    );
    assert!(words.len() > 40, "{words:?}");
    words
}

#[test]
fn every_keyword_of_the_parser_is_highlighted_as_one() {
    let json = grammar();
    assert_eq!(json["scopeName"], "source.embargo");
    let g = Grammar::new(&json);
    for word in keywords() {
        let (scopes, _) = g.tokenize(&format!("  {word} "));
        assert!(
            scopes
                .iter()
                .any(|(s, e, scope)| (*s, *e) == (2, 2 + word.len())
                    && (scope.starts_with("keyword") || scope.starts_with("constant.language"))),
            "`{word}` is not highlighted as a keyword: {scopes:?}"
        );
    }
    for verdict in [
        "prohibited",
        "authorization_required",
        "review",
        "notify",
        "clear",
    ] {
        assert!(
            embargo::internals::ir::Level::parse(verdict).is_some(),
            "{verdict}"
        );
        let (scopes, _) = g.tokenize(&format!("  then {verdict} \"x\""));
        assert!(
            scopes
                .iter()
                .any(|(_, _, s)| s == "constant.language.verdict.embargo"),
            "{verdict}: {scopes:?}"
        );
    }
}

fn rule_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("rules"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rules"))
        .collect();
    files.sort();
    assert!(files.len() > 20);
    files
}

fn covered_by(scopes: &[(usize, usize, String)], at: usize) -> impl Iterator<Item = &str> {
    scopes
        .iter()
        .filter(move |(s, e, _)| *s <= at && at < *e)
        .map(|(_, _, scope)| scope.as_str())
}

#[test]
fn every_rule_file_tokenizes_with_keywords_comments_and_strings_in_their_scopes() {
    let g = Grammar::new(&grammar());
    let keywords = keywords();
    for path in rule_files() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let (scopes, open) = g.tokenize(&text);
        assert_eq!(
            open, 0,
            "{name}: a block (string, record) left open at the end"
        );
        let mut offset = 0;
        for (n, line) in text.split_inclusive('\n').enumerate() {
            let trimmed = line.trim_start();
            let at = offset + (line.len() - trimmed.len());
            if trimmed.starts_with('#') {
                assert!(
                    covered_by(&scopes, at).any(|s| s.starts_with("comment")),
                    "{name}:{}: a comment line not scoped as one",
                    n + 1
                );
            }
            offset += line.len();
        }
        // Each keyword written outside comments, strings and dotted names is highlighted
        let mut i = 0;
        let bytes = text.as_bytes();
        while i < bytes.len() {
            if !(bytes[i].is_ascii_alphabetic() || bytes[i] == b'_')
                || (i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_'))
            {
                i += 1;
                continue;
            }
            let end = i + text[i..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(text.len() - i);
            let word = &text[i..end];
            let here: Vec<&str> = covered_by(&scopes, i).collect();
            if keywords.contains(word) && here.is_empty() {
                let line = text[..i].matches('\n').count() + 1;
                panic!("{name}:{line}: the keyword `{word}` is not highlighted");
            }
            if bytes.get(i.wrapping_sub(1)) == Some(&b'"') && here.is_empty() {
                let line = text[..i].matches('\n').count() + 1;
                panic!("{name}:{line}: a string is not highlighted");
            }
            i = end;
        }
        // Strings: every quote outside a comment is in a string's scope
        for (at, _) in text.match_indices('"') {
            let here: Vec<&str> = covered_by(&scopes, at).collect();
            assert!(
                here.iter()
                    .any(|s| s.starts_with("string") || s.starts_with("comment")),
                "{name}:{}: a quote outside any string: {here:?}",
                text[..at].matches('\n').count() + 1
            );
        }
    }
}

#[test]
fn the_tokenizer_here_sees_a_keyword_the_grammar_lost() {
    // The test above can fail: a grammar without `overrides` leaves it unscoped
    let mut json = grammar();
    let keyword = json["repository"]["keyword"]["match"]
        .as_str()
        .unwrap()
        .replace("|overrides", "");
    json["repository"]["keyword"]["match"] = Value::String(keyword);
    let g = Grammar::new(&json);
    let (scopes, _) = g.tokenize("  overrides un.dprk.coal.*\n");
    assert!(covered_by(&scopes, 2).next().is_none(), "{scopes:?}");
    assert!(Path::new(&root().join("editors/vscode/syntaxes")).is_dir());
}
