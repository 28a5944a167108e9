//! Text from input made safe to print on a terminal.
//!
//! Names and descriptions in records, list entries and rule files are data, and a terminal obeys
//! control characters in what it prints: an escape sequence in a party's name could clear the
//! screen, rewrite the lines above (a `prohibited` verdict overwritten by `clear`), change the
//! window title or worse. Every human output prints such text through [`for_terminal`] (one
//! line: a name, a field) or [`for_terminal_lines`] (a block whose line breaks are kept). JSON
//! outputs go through [`json_controls`]: serde_json escapes the C0 control characters (ESC
//! becomes `\u001b`) but writes C1 controls (U+0080 to U+009F, such as U+009B, a one-character
//! CSI for terminals that honour C1) and bidirectional overrides as they are. The HTML report
//! writes such text through [`for_html`]: the same characters made visible, then `&`, `<`, `>`,
//! `"` and `'` as character references, so that no name or id can become markup.

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

/// `text` for a source line given to the diagnostics renderer (`annotate-snippets`), which shows
/// C0 controls, DEL and bidirectional overrides as visible characters of its own (`␛`, `�`)
/// without changing columns: the C1 controls (U+0080 to U+009F, which it prints as they are)
/// become `�` too, one character for one, so that columns stay those of the file
pub fn for_snippet(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_c1) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| if is_c1(c) { '\u{FFFD}' } else { c })
            .collect(),
    )
}

fn is_c1(c: char) -> bool {
    ('\u{80}'..='\u{9f}').contains(&c)
}

/// `text` for HTML, in an element's content or a quoted attribute value: control characters
/// (line breaks and tabs too) and bidirectional overrides shown as `\u{1b}`, as
/// [`for_terminal`] shows them, and `&`, `<`, `>`, `"`, `'` written as character references
pub fn for_html(text: &str) -> Cow<'_, str> {
    html_references(for_terminal(text))
}

/// As [`for_html`], but keeping line breaks (`\n`) and tabs: for blocks of text such as the
/// errors of an invalid record, shown with their lines
pub fn for_html_lines(text: &str) -> Cow<'_, str> {
    html_references(for_terminal_lines(text))
}

fn html_references(visible: Cow<'_, str>) -> Cow<'_, str> {
    if !visible.contains(['&', '<', '>', '"', '\'']) {
        return visible;
    }
    let mut out = String::with_capacity(visible.len() + 16);
    for c in visible.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Serialized JSON with C1 control characters and bidirectional overrides written as `\u` escapes
/// (`\u009b`, `\u202e`), the same JSON value. Valid JSON has characters outside ASCII only inside
/// strings, where such an escape means the character itself.
pub fn json_controls(json: String) -> String {
    // Their UTF-8 encodings start with 0xC2 (C1) or 0xE2 (the overrides); most lines are ASCII
    // (`is_ascii` reads a word at a time), and most others have neither.
    if json.is_ascii() || !json.bytes().any(|b| b == 0xC2 || b == 0xE2) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 8);
    for c in json.chars() {
        if escaped(c) && !c.is_ascii() {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
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
    fn snippets_keep_their_columns() {
        assert_eq!(for_snippet("a\u{9b}31m b"), "a\u{FFFD}31m b");
        assert!(matches!(for_snippet("a\u{1b}b"), Cow::Borrowed(_)));
    }

    #[test]
    fn json_keeps_its_value_with_c1_controls_escaped() {
        let value = serde_json::json!({"name": "a\u{9b}31m\u{1b}\u{202e}é€"});
        let json = json_controls(value.to_string());
        assert_eq!(json, r#"{"name":"a\u009b31m\u001b\u202eé€"}"#);
        let back: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(back, value);
    }

    #[test]
    fn html_text_cannot_become_markup() {
        assert_eq!(
            for_html("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(
            for_html("a\" onload='x' & b"),
            "a&quot; onload=&#39;x&#39; &amp; b"
        );
        assert_eq!(
            for_html("x\u{1b}[2J\u{202e}y\n"),
            "x\\u{1b}[2J\\u{202e}y\\u{a}"
        );
        assert!(matches!(
            for_html("Kim Jong Un"),
            Cow::Borrowed("Kim Jong Un")
        ));
        assert_eq!(for_html_lines("a <b>\nc\r"), "a &lt;b&gt;\nc\\u{d}");
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
