//! Jaro-Winkler and Levenshtein for normalised name parts, without allocating.
//!
//! Normalised parts are lower-case ASCII letters and digits (`normalize::Token`), and nearly all
//! are shorter than 64 letters, so a string's matched characters fit in one `u64` and the
//! Levenshtein distance runs bit-parallel (Myers 1999, in the formulation of Hyyrö 2001).
//! Each function returns exactly what `strsim`'s function of the same name returns, to the
//! bit (the same arithmetic in the same order; `tests` compares them), and falls back to
//! `strsim` for strings that are not ASCII or longer than 64 bytes. A name index compares
//! a query with many parts, and `strsim` allocates on every call.

/// The Levenshtein distance of `a` and `b`
pub(crate) fn levenshtein(a: &str, b: &str) -> usize {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.len() <= 64 && short.is_ascii() && long.is_ascii() {
        levenshtein_bits(short.as_bytes(), long.as_bytes())
    } else {
        strsim::levenshtein(a, b)
    }
}

/// `1 - d / M`, `d` the Levenshtein distance and `M` the longer length (1 for two empty
/// strings): `strsim::normalized_levenshtein`
pub(crate) fn normalized_levenshtein(a: &str, b: &str) -> f64 {
    if !a.is_ascii() || !b.is_ascii() {
        return strsim::normalized_levenshtein(a, b);
    }
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    1.0 - (levenshtein(a, b) as f64) / (a.len().max(b.len()) as f64)
}

/// Jaro-Winkler similarity: `strsim::jaro_winkler`
pub(crate) fn jaro_winkler(a: &str, b: &str) -> f64 {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    if x.len() > 64 || y.len() > 64 || !a.is_ascii() || !b.is_ascii() {
        return strsim::jaro_winkler(a, b);
    }
    let sim = jaro_ascii(x, y);
    if sim > 0.7 {
        let prefix = x.iter().take(4).zip(y).take_while(|(p, q)| p == q).count();
        sim + 0.1 * prefix as f64 * (1.0 - sim)
    } else {
        sim
    }
}

/// Jaro similarity of two ASCII strings of at most 64 bytes: `strsim::jaro`, with the
/// matched characters of each string as bits of a word
fn jaro_ascii(a: &[u8], b: &[u8]) -> f64 {
    let (a_len, b_len) = (a.len(), b.len());
    if a_len == 0 && b_len == 0 {
        return 1.0;
    } else if a_len == 0 || b_len == 0 {
        return 0.0;
    }
    let search_range = (a_len.max(b_len) / 2).saturating_sub(1);
    let (mut a_flags, mut b_flags) = (0u64, 0u64);
    let mut matches = 0_usize;
    for (i, &x) in a.iter().enumerate() {
        let from = i.saturating_sub(search_range);
        let to = b_len.min(i + search_range + 1);
        for (j, &y) in b.iter().enumerate().take(to).skip(from) {
            if x == y && b_flags & (1u64 << j) == 0 {
                a_flags |= 1u64 << i;
                b_flags |= 1u64 << j;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let transpositions = matched(a, a_flags)
        .zip(matched(b, b_flags))
        .filter(|(x, y)| x != y)
        .count()
        / 2;
    ((matches as f64 / a_len as f64)
        + (matches as f64 / b_len as f64)
        + ((matches - transpositions) as f64 / matches as f64))
        / 3.0
}

/// The characters of `s` whose bit is set in `flags`, in order
fn matched(s: &[u8], flags: u64) -> impl Iterator<Item = u8> + '_ {
    s.iter()
        .enumerate()
        .filter(move |(i, _)| flags & (1u64 << i) != 0)
        .map(|(_, &c)| c)
}

/// The Levenshtein distance of an ASCII pattern of at most 64 bytes and an ASCII text,
/// bit-parallel
pub(crate) fn levenshtein_bits(pattern: &[u8], text: &[u8]) -> usize {
    levenshtein_mapped::<128>(pattern, text, |c| usize::from(c & 0x7f))
}

/// The Levenshtein distance of a pattern of at most 64 symbols and a text, bit-parallel, over
/// an alphabet of `N` symbols (`symbol` maps a byte to one, and must not map two bytes of the
/// strings to the same symbol)
pub(crate) fn levenshtein_mapped<const N: usize>(
    pattern: &[u8],
    text: &[u8],
    symbol: impl Fn(u8) -> usize,
) -> usize {
    Pattern::<N>::new(pattern, &symbol).distance(text, &symbol)
}

/// A pattern of at most 64 symbols prepared for [`Pattern::distance`] to many texts: for each
/// of `N` symbols, the positions where the pattern has it
pub(crate) struct Pattern<const N: usize> {
    peq: [u64; N],
    len: usize,
}

impl<const N: usize> Pattern<N> {
    /// `pattern` (its first 64 bytes), each byte mapped to a symbol below `N` by `symbol`
    pub(crate) fn new(pattern: &[u8], symbol: &impl Fn(u8) -> usize) -> Self {
        let mut peq = [0u64; N];
        for (i, &c) in pattern.iter().take(64).enumerate() {
            if let Some(p) = peq.get_mut(symbol(c)) {
                *p |= 1u64 << i;
            }
        }
        Pattern {
            peq,
            len: pattern.len().min(64),
        }
    }

    /// The Levenshtein distance of the pattern and `text` (Myers 1999, Hyyrö 2001)
    pub(crate) fn distance(&self, text: &[u8], symbol: &impl Fn(u8) -> usize) -> usize {
        let m = self.len;
        if m == 0 {
            return text.len();
        }
        let mut pv: u64 = if m == 64 { !0 } else { (1u64 << m) - 1 };
        let mut mv: u64 = 0;
        let mut score = m;
        let last = 1u64 << (m - 1);
        for &c in text {
            let eq = self.peq.get(symbol(c)).copied().unwrap_or(0);
            let xv = eq | mv;
            let xh = ((eq & pv).wrapping_add(pv) ^ pv) | eq;
            let ph = mv | !(xh | pv);
            let mh = pv & xh;
            if ph & last != 0 {
                score += 1;
            } else if mh & last != 0 {
                score -= 1;
            }
            let ph = (ph << 1) | 1;
            let mh = mh << 1;
            pv = mh | !(xv | ph);
            mv = ph & xv;
        }
        score
    }
}

/// Every string of up to `max` letters over `a`, `b`, `c`, the empty one first: every
/// repeat, transposition and shift of short strings (tests of distances and their bounds)
#[cfg(test)]
pub(crate) fn strings_over_abc(max: usize) -> Vec<String> {
    let mut words = vec![String::new()];
    for _ in 0..max {
        let longer: Vec<String> = words
            .iter()
            .filter(|w| w.len() < max)
            .flat_map(|w| ["a", "b", "c"].map(|c| format!("{w}{c}")))
            .collect();
        words.extend(longer);
        words.sort();
        words.dedup();
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every pair of short strings over a small alphabet (repeats, transpositions, shifts),
    /// pairs of longer random strings, long and non-ASCII strings (the fallback)
    fn pairs() -> Vec<(String, String)> {
        let words = strings_over_abc(5);
        let mut pairs: Vec<(String, String)> = words
            .iter()
            .flat_map(|a| words.iter().map(move |b| (a.clone(), b.clone())))
            .collect();
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let alphabet = b"aeiorstnkm0";
        let mut word = |len: u64| -> String {
            (0..len)
                .map(|_| char::from(alphabet[next(alphabet.len() as u64) as usize]))
                .collect()
        };
        for i in 0..20_000 {
            let (la, lb) = (i % 70, (i * 7 + 3) % 70);
            let (a, b) = (word(la), word(lb));
            // And `a` with a few letters replaced: similar pairs of every length
            let mut near = a.clone().into_bytes();
            for k in 0..near.len() / 8 {
                let at = (k * 13 + i as usize) % near.len();
                near[at] = b'x';
            }
            pairs.push((a.clone(), String::from_utf8(near).unwrap_or_default()));
            pairs.push((a, b));
        }
        for (a, b) in [
            ("martha", "marhta"),
            ("dixon", "dicksonx"),
            ("jellyfish", "smellyfish"),
            ("mohammed", "muhamad"),
            ("kovalev", "kovalyov"),
            ("ковалёв", "kovalev"),
            ("", ""),
            ("a", ""),
        ] {
            pairs.push((a.into(), b.into()));
        }
        pairs
    }

    #[test]
    fn the_same_as_strsim_to_the_bit() {
        for (a, b) in pairs() {
            assert_eq!(levenshtein(&a, &b), strsim::levenshtein(&a, &b), "{a} {b}");
            assert_eq!(
                normalized_levenshtein(&a, &b).to_bits(),
                strsim::normalized_levenshtein(&a, &b).to_bits(),
                "{a} {b}"
            );
            assert_eq!(
                jaro_winkler(&a, &b).to_bits(),
                strsim::jaro_winkler(&a, &b).to_bits(),
                "{a} {b}"
            );
        }
    }
}
