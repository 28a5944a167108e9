//! Output formats: the only place where verdicts and diagnostics become text.

pub mod coverage;
pub mod diagnostics;
pub mod escape;
pub mod explain;
pub mod html;
pub mod junit;
pub mod lists;
pub mod test_run;
pub mod verdicts;

/// A count with thousands separated by commas (`12,345`)
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
