//! Text from input made safe to print on a terminal.
//!
//! Names and descriptions in records, list entries and rule files are data, and a terminal obeys
//! control characters in what it prints: an escape sequence in a party's name could clear the
//! screen, rewrite the lines above (a `prohibited` verdict overwritten by `clear`), change the
//! window title or worse. Every human output prints such text through [`for_terminal`] (one
//! line: a name, a field) or [`for_terminal_lines`] (a block whose line breaks are kept). JSON
//! outputs need neither: serde_json escapes control characters itself.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` must be shown escaped: a control character (C0, DEL, C1) or a character that
/// reorders or hides text (bidirectional overrides and isolates, as in "Trojan Source"; zero-width
/// marks are left alone, names in Arabic and Persian need them)
fn escaped(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn escape(text: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(|c| escaped(c) && !keep(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if escaped(c) && !keep(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` on one line with every control character shown as `\u{1b}` (its code in hex): line
/// breaks and tabs too, so that a name cannot break a table's rows
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    escape(text, |_| false)
}

/// As [`for_terminal`], but keeping line breaks (`\n`) and tabs: for blocks of text such as
/// messages and source lines
pub fn for_terminal_lines(text: &str) -> Cow<'_, str> {
    escape(text, |c| c == '\n' || c == '\t')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_become_visible() {
        assert_eq!(
            for_terminal("Acme\u{1b}[2J\u{1b}]0;x\u{7}Ltd"),
            "Acme\\u{1b}[2J\\u{1b}]0;x\\u{7}Ltd"
        );
        assert_eq!(for_terminal("a\nb\tc\r"), "a\\u{a}b\\u{9}c\\u{d}");
        assert_eq!(for_terminal("\u{9b}31m\u{7f}"), "\\u{9b}31m\\u{7f}");
        assert_eq!(for_terminal("abc\u{202E}fed"), "abc\\u{202e}fed");
        assert_eq!(
            for_terminal_lines("a\nb\tc\r\u{1b}"),
            "a\nb\tc\\u{d}\\u{1b}"
        );
    }

    #[test]
    fn other_text_is_left_as_it_is() {
        for text in [
            "Kim Jong Un",
            "Путин Владимир",
            "محمد\u{200c}رضا",
            "金正恩",
            "",
        ] {
            assert!(matches!(for_terminal(text), Cow::Borrowed(t) if t == text));
        }
    }
}
