//! The q-gram engine of the index: padded bigrams of each string, bitsets of the strings
//! holding each bigram, bit-sliced counting and a bit-parallel Levenshtein check.

use super::*;

/// Padded bigrams: `^` before the text, `$` after; letters and digits, 38 symbols
pub(super) const SYMBOLS: usize = 38;

pub(super) fn symbol(b: u8) -> usize {
    match b {
        b'a'..=b'z' => usize::from(b - b'a'),
        b'0'..=b'9' => 26 + usize::from(b - b'0'),
        // Normalised text holds only the above; anything else shares the start symbol
        _ => 36,
    }
}

/// The symbols of `text`, one bit each: those it holds, and those it holds more than once
pub(super) fn symbol_mask(text: &[u8]) -> (u64, u64) {
    text.iter().fold((0, 0), |(once, twice), &b| {
        let bit = 1u64 << symbol(b);
        (once | bit, twice | (once & bit))
    })
}

/// A lower bound of the Levenshtein distance of two strings from their `symbol_mask`s: each
/// occurrence of a symbol in one string beyond its number in the other is an edit, and that
/// number is at least 1 for a symbol missing from the other, 1 more for one held twice and
/// not twice by the other
pub(super) fn mask_distance(a: (u64, u64), b: (u64, u64)) -> usize {
    let one_way =
        |x: (u64, u64), y: (u64, u64)| (x.0 & !y.0).count_ones() + (x.1 & !y.1).count_ones();
    one_way(a, b).max(one_way(b, a)) as usize
}

/// The padded bigrams of `text` (`^` before it, `$` after), as codes below `SYMBOLS^2`
pub(super) fn bigrams(text: &str, out: &mut Vec<u32>) {
    out.clear();
    let symbols = std::iter::once(36)
        .chain(text.bytes().map(symbol))
        .chain(std::iter::once(37));
    let mut last = None;
    for s in symbols {
        if let Some(l) = last {
            out.push(u32::try_from(l * SYMBOLS + s).unwrap_or(u32::MAX));
        }
        last = Some(s);
    }
}

/// The strings of one form of a set (ids are positions in the set; an empty string is left
/// out) with their bigram lists, to find the strings within a number of edits of a query.
///
/// The strings are numbered by length, then id (their *positions*), so that the strings of
/// the lengths a query can reach are one run of positions. The list of each bigram is a
/// bitset over the positions when at least one string in 64 has it (common bigrams: a word
/// of 64 strings is counted at once), or the sorted positions that have it otherwise (so a
/// list never takes more than twice the bytes of its positions). A lookup adds the query's
/// bigram lists into bit-sliced counters over the reachable positions.
#[derive(Debug, Default)]
pub(super) struct Grams {
    /// The id of the string at each position
    order: Vec<u32>,
    /// For each length `L` up to the longest plus one, the first position of a string of
    /// length `L` or more
    len_start: Vec<u32>,
    /// The strings one after the other in position order, and where each ends
    text: String,
    ends: Vec<u32>,
    /// The symbols of each position's string (`symbol_mask`)
    masks: Vec<(u64, u64)>,
    /// Words of 64 positions
    words: usize,
    /// For each bigram code, where its bitset begins in `bits` (`u32::MAX`: a sparse list)
    slot: Vec<u32>,
    pub(super) bits: Vec<u64>,
    /// For each bigram code, its sparse positions at `sparse[sparse_ends[g]..sparse_ends[g + 1]]`
    sparse_ends: Vec<u32>,
    pub(super) sparse: Vec<u32>,
}

impl Grams {
    pub(super) fn new<S: AsRef<str>>(texts: &[S]) -> Grams {
        let len_of = |t: &S| t.as_ref().len();
        let longest = texts.iter().map(len_of).max().unwrap_or(0);
        // The positions: the strings by length, then id (a counting sort by length)
        let mut len_start = vec![0u32; longest + 2];
        let mut total = 0;
        for t in texts {
            let n = len_of(t);
            if n > 0 {
                total += n;
                if let Some(c) = len_start.get_mut(n + 1) {
                    *c += 1;
                }
            }
        }
        for len in 1..len_start.len() {
            let before = len_start.get(len - 1).copied().unwrap_or(0);
            if let Some(c) = len_start.get_mut(len) {
                *c += before;
            }
        }
        let count = len_start.last().map_or(0, |&c| c as usize);
        let mut order = vec![0u32; count];
        // The position of each string (`u32::MAX`: empty, left out)
        let mut position = vec![u32::MAX; texts.len()];
        let mut next = len_start.clone();
        for (id, t) in texts.iter().enumerate() {
            let n = len_of(t);
            if n == 0 {
                continue;
            }
            let (Some(at), Ok(id32), Some(p)) =
                (next.get_mut(n), u32::try_from(id), position.get_mut(id))
            else {
                break;
            };
            if let Some(o) = order.get_mut(*at as usize) {
                *o = id32;
            }
            *p = *at;
            *at += 1;
        }
        let mut ends = Vec::with_capacity(order.len());
        let mut end = 0usize;
        for &id in &order {
            end += texts.get(id as usize).map_or(0, len_of);
            ends.push(u32::try_from(end).unwrap_or(u32::MAX));
        }
        // Each string's text, symbols and distinct bigrams, written at its position; the
        // strings read in the order given (the order they lie in memory, mostly), each once.
        // The bigrams of position `p` are at `grams[start + p..]` (`start` where its text
        // begins; a string of length `n` has at most `n + 1`), `gram_counts[p]` of them.
        let mut text = vec![0u8; total];
        let mut masks = vec![(0u64, 0u64); order.len()];
        let mut grams = vec![0u16; total + order.len()];
        let mut gram_counts = vec![0u32; order.len()];
        let mut held = vec![0u32; SYMBOLS * SYMBOLS];
        // The last position (plus one) that counted each bigram: each string counts its
        // distinct bigrams once
        let mut seen = vec![0u32; SYMBOLS * SYMBOLS];
        for (t, &p) in texts.iter().zip(&position) {
            if p == u32::MAX {
                continue;
            }
            let t = t.as_ref().as_bytes();
            let at = p as usize;
            let start = at
                .checked_sub(1)
                .and_then(|i| ends.get(i))
                .map_or(0, |&e| e as usize);
            if let Some(m) = masks.get_mut(at) {
                *m = symbol_mask(t);
            }
            let mark = p + 1;
            let mut k = start + at;
            let mut count_gram = |g: usize| {
                if let (Some(s), Some(h)) = (seen.get_mut(g), held.get_mut(g))
                    && *s != mark
                {
                    *s = mark;
                    *h += 1;
                    if let Some(slot) = grams.get_mut(k) {
                        *slot = u16::try_from(g).unwrap_or(u16::MAX);
                    }
                    k += 1;
                }
            };
            // The padded bigrams, as `bigrams` gives them; the text copied on the way (byte by
            // byte: the strings are short, and are read here anyway)
            let mut last = 36;
            let dst = text.get_mut(start..start + t.len()).unwrap_or_default();
            for (&b, d) in t.iter().zip(dst) {
                *d = b;
                let s = symbol(b);
                count_gram(last * SYMBOLS + s);
                last = s;
            }
            count_gram(last * SYMBOLS + 37);
            if let Some(c) = gram_counts.get_mut(at) {
                *c = u32::try_from(k - start - at).unwrap_or(0);
            }
        }
        let text = String::from_utf8(text).unwrap_or_default();
        // A bitset for a bigram held by at least one string in 64, sorted positions otherwise
        let words = order.len().div_ceil(64);
        let dense = |h: u32| h > 0 && h as usize >= words;
        let mut slot = vec![u32::MAX; held.len()];
        let mut sparse_ends = Vec::with_capacity(held.len() + 1);
        sparse_ends.push(0u32);
        let (mut dense_count, mut sparse_count) = (0usize, 0u32);
        for (&h, s) in held.iter().zip(slot.iter_mut()) {
            if dense(h) {
                *s = u32::try_from(dense_count * words).unwrap_or(u32::MAX);
                dense_count += 1;
            } else {
                sparse_count += h;
            }
            sparse_ends.push(sparse_count);
        }
        let mut bits = vec![0u64; dense_count * words];
        let mut sparse = vec![0u32; sparse_count as usize];
        // Where the next position of each sparse bigram goes
        let mut fill: Vec<u32> = sparse_ends.clone();
        for (at, &c) in gram_counts.iter().enumerate() {
            let start = at
                .checked_sub(1)
                .and_then(|i| ends.get(i))
                .map_or(0, |&e| e as usize)
                + at;
            let Ok(at) = u32::try_from(at) else {
                break;
            };
            for &g in grams.get(start..start + c as usize).unwrap_or_default() {
                let g = usize::from(g);
                match slot.get(g) {
                    Some(&base) if base != u32::MAX => {
                        if let Some(w) = bits.get_mut(base as usize + at as usize / 64) {
                            *w |= 1u64 << (at % 64);
                        }
                    }
                    _ => {
                        if let Some(f) = fill.get_mut(g) {
                            if let Some(p) = sparse.get_mut(*f as usize) {
                                *p = at;
                            }
                            *f += 1;
                        }
                    }
                }
            }
        }
        Grams {
            order,
            len_start,
            text,
            ends,
            masks,
            words,
            slot,
            bits,
            sparse_ends,
            sparse,
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    pub(super) fn bytes(&self) -> usize {
        self.order.capacity() * 4
            + self.len_start.capacity() * 4
            + self.text.capacity()
            + self.ends.capacity() * 4
            + self.masks.capacity() * 16
            + self.slot.capacity() * 4
            + self.bits.capacity() * 8
            + self.sparse_ends.capacity() * 4
            + self.sparse.capacity() * 4
    }

    /// The string at position `at`
    pub(super) fn text(&self, at: usize) -> &[u8] {
        let start = at
            .checked_sub(1)
            .and_then(|i| self.ends.get(i))
            .map_or(0, |&e| e as usize);
        let end = self.ends.get(at).map_or(start, |&e| e as usize);
        self.text.as_bytes().get(start..end).unwrap_or_default()
    }

    /// The first position of a string of length `len` or more
    pub(super) fn start(&self, len: usize) -> usize {
        self.len_start
            .get(len)
            .or(self.len_start.last())
            .map_or(0, |&s| s as usize)
    }

    /// The bitset of bigram `g` over the words `from..to`, if its list is a bitset
    pub(super) fn dense(&self, g: u32, from: usize, to: usize) -> Option<&[u64]> {
        let base = *self.slot.get(g as usize)? as usize;
        if base == u32::MAX as usize {
            return None;
        }
        self.bits.get(base + from..base + to)
    }

    /// The sparse positions of bigram `g`
    pub(super) fn sparse(&self, g: u32) -> &[u32] {
        let g = g as usize;
        match (self.sparse_ends.get(g), self.sparse_ends.get(g + 1)) {
            (Some(&a), Some(&b)) => self.sparse.get(a as usize..b as usize).unwrap_or_default(),
            _ => &[],
        }
    }

    /// Adds to `out` the ids whose string is within `k = edits(n, m)` edits of `query` (`n`
    /// and `m` the two lengths, `M` the longer). Two such strings share at least
    /// `M + 1 - 2k` padded bigrams counted with repeats (the q-gram lemma), so at least that
    /// less the query's repeated bigrams of its distinct ones (`need`). The query's distinct
    /// bigrams are added into bit-sliced counters over the positions of the reachable
    /// lengths; the positions of each length whose count reaches what that length needs are
    /// checked by their symbols (`mask_distance`), then by the edit distance.
    pub(super) fn lookup(
        &self,
        query: &str,
        edits: fn(usize, usize) -> usize,
        scratch: &mut Scratch,
        out: &mut Vec<u32>,
    ) {
        let n = query.len();
        if n == 0 || self.is_empty() {
            return;
        }
        bigrams(query, &mut scratch.grams);
        let total = scratch.grams.len();
        scratch.grams.sort_unstable();
        scratch.grams.dedup();
        let repeats = total - scratch.grams.len();
        // Lengths m within reach, |n - m| <= edits(n, m) (never above 2 max(n, m) / 5, so m
        // below 5n/3 + 1), with the edits allowed and the distinct bigrams a string of that
        // length must share (`usize::MAX`: out of reach)
        scratch.limits.clear();
        let mut lo = None;
        let mut hi = 0;
        for m in 0..=(5 * n / 3 + 1) {
            let k = edits(n, m);
            if m == 0 || n.abs_diff(m) > k {
                scratch.limits.push((0, usize::MAX));
                continue;
            }
            lo.get_or_insert(m);
            hi = m;
            let need = (n.max(m) + 1).saturating_sub(2 * k + repeats);
            scratch.limits.push((k, need));
        }
        let Some(lo) = lo else {
            return;
        };
        scratch.limits.truncate(hi + 1);
        scratch.limits.drain(..lo);
        let (first, end) = (self.start(lo), self.start(hi + 1));
        if first >= end {
            return;
        }
        let (from, to) = (first / 64, end.div_ceil(64).min(self.words));
        let span = to.saturating_sub(from);
        // The query's bigram lists as bitsets over the words `from..to`: the common ones as
        // they are, the sparse ones set out in `scratch.sparse_bits`. Past `MAX_COUNTED`
        // bigrams (names run together of more than a hundred letters), the others are left
        // out and each lowers what a string must share by one.
        scratch.sparse_bits.clear();
        let mut dense: Vec<&[u64]> = Vec::with_capacity(scratch.grams.len());
        let (mut sparse, mut left_out) = (0, 0);
        for &g in &scratch.grams {
            if dense.len() + sparse >= MAX_COUNTED {
                left_out += 1;
                continue;
            }
            if let Some(bits) = self.dense(g, from, to) {
                dense.push(bits);
                continue;
            }
            let list = self.sparse(g);
            let a = list.partition_point(|&at| (at as usize) < first);
            let b = list.partition_point(|&at| (at as usize) < end);
            let within = list.get(a..b).unwrap_or_default();
            if within.is_empty() {
                continue;
            }
            let base = scratch.sparse_bits.len();
            scratch.sparse_bits.resize(base + span, 0);
            for &at in within {
                if let Some(w) = scratch.sparse_bits.get_mut(base + at as usize / 64 - from) {
                    *w |= 1u64 << (at % 64);
                }
            }
            sparse += 1;
        }
        let lists: Vec<&[u64]> = dense
            .into_iter()
            .chain(scratch.sparse_bits.chunks_exact(span.max(1)))
            .collect();
        let scan = Scan {
            query: query.as_bytes(),
            pattern: (n <= 64).then(|| Pattern::new(query.as_bytes(), &symbol)),
            mask: symbol_mask(query.as_bytes()),
            lists: &lists,
            limits: &scratch.limits,
            left_out,
            lo,
            from,
            first,
            end,
        };
        // Enough bits for the count of every bigram counted
        match usize::BITS - lists.len().leading_zeros() {
            0..=2 => self.scan::<2>(&scan, out),
            3 => self.scan::<3>(&scan, out),
            4 => self.scan::<4>(&scan, out),
            5 => self.scan::<5>(&scan, out),
            6 => self.scan::<6>(&scan, out),
            _ => self.scan::<7>(&scan, out),
        }
    }

    /// Counts, for each word of 64 positions in `scan`'s range, how many of its bigram lists
    /// hold each position (a `P`-bit count per position, bit-sliced in registers), then checks
    /// the positions whose count reaches what their length needs
    pub(super) fn scan<const P: usize>(&self, scan: &Scan<'_>, out: &mut Vec<u32>) {
        let (mut len, mut len_end) = (scan.lo, self.start(scan.lo + 1));
        let words = scan.end.div_ceil(64).saturating_sub(scan.from);
        for block in (0..words).step_by(BLOCK) {
            let filled = BLOCK.min(words - block);
            // Words `block..block + width` of a list, zero past its end
            let load = |list: &[u64]| -> [u64; BLOCK] {
                let full = list.get(block..block + BLOCK).map(<[u64; BLOCK]>::try_from);
                if let Some(Ok(words)) = full {
                    return words;
                }
                let mut out = [0u64; BLOCK];
                let src = list.get(block..block + filled).unwrap_or_default();
                out.iter_mut().zip(src).for_each(|(o, s)| *o = *s);
                out
            };
            // Two lists at a time: a full adder into the lowest bit, its carry rippled up;
            // each operation on a block of words at once
            let mut count = [[0u64; BLOCK]; P];
            for pair in scan.lists.chunks(2) {
                let (a, b) = match pair {
                    [a, b] => (load(a), load(b)),
                    [a] => (load(a), [0; BLOCK]),
                    _ => continue,
                };
                let Some((low, high)) = count.split_first_mut() else {
                    continue;
                };
                let mut carry = [0u64; BLOCK];
                for (((l, x), y), c) in low.iter_mut().zip(&a).zip(&b).zip(&mut carry) {
                    let half = *l ^ x;
                    *c = (*l & x) | (half & y);
                    *l = half ^ y;
                }
                for plane in high {
                    for (p, c) in plane.iter_mut().zip(&mut carry) {
                        let next = *p & *c;
                        *p ^= *c;
                        *c = next;
                    }
                }
            }
            for i in 0..filled {
                let word = scan.from + block + i;
                let (start, stop) = ((word * 64).max(scan.first), ((word + 1) * 64).min(scan.end));
                if start >= stop {
                    continue;
                }
                let count: [u64; P] = std::array::from_fn(|j| {
                    count.get(j).and_then(|p| p.get(i)).copied().unwrap_or(0)
                });
                let mut at = start;
                while at < stop {
                    while at >= len_end {
                        len += 1;
                        len_end = self.start(len + 1);
                    }
                    let upto = len_end.min(stop);
                    // The positions `at..upto` of this word, all of length `len`
                    let width = upto - at;
                    let range = if width == 64 {
                        !0u64
                    } else {
                        ((1u64 << width) - 1) << (at % 64)
                    };
                    let (k, need) = scan
                        .limits
                        .get(len - scan.lo)
                        .copied()
                        .unwrap_or((0, usize::MAX));
                    let mut hits = if need == usize::MAX {
                        0
                    } else {
                        at_least(&count, need.saturating_sub(scan.left_out)) & range
                    };
                    while hits != 0 {
                        let position = word * 64 + hits.trailing_zeros() as usize;
                        hits &= hits - 1;
                        let other = self.masks.get(position).copied().unwrap_or((0, 0));
                        if mask_distance(scan.mask, other) <= k
                            && scan.within(self.text(position), k)
                            && let Some(&id) = self.order.get(position)
                        {
                            out.push(id);
                        }
                    }
                    at = upto;
                }
            }
        }
    }
}

/// Words of 64 positions counted together in `Grams::scan`
pub(super) const BLOCK: usize = 8;

/// Bigrams of a query counted at most (a count fits 7 bits)
pub(super) const MAX_COUNTED: usize = 127;

/// One lookup's query and bitsets, for `Grams::scan`
pub(super) struct Scan<'s> {
    query: &'s [u8],
    /// The query prepared for the edit distance (up to 64 letters)
    pattern: Option<Pattern<SYMBOLS>>,
    mask: (u64, u64),
    /// The query's bigram lists over the words `from..`
    lists: &'s [&'s [u64]],
    /// For each length from `lo`, the edits allowed and the bigrams to share
    limits: &'s [(usize, usize)],
    /// Bigrams past `MAX_COUNTED`, not counted
    left_out: usize,
    lo: usize,
    from: usize,
    /// The positions of the reachable lengths
    first: usize,
    end: usize,
}

impl Scan<'_> {
    /// Whether `text` is within `k` edits of the query
    pub(super) fn within(&self, text: &[u8], k: usize) -> bool {
        match &self.pattern {
            _ if self.query.len().abs_diff(text.len()) > k => false,
            // Normalised text: letters and digits, one symbol each (any other byte shares a
            // symbol, which can only make the distance smaller: a candidate more, checked
            // after)
            Some(pattern) => pattern.distance(text, &symbol) <= k,
            None => within_edits(self.query, text, k),
        }
    }
}

/// The bits of a word of bit-sliced counts (`count[j]` the `j`th bit of each) whose count is
/// at least `need`
pub(super) fn at_least<const P: usize>(count: &[u64; P], need: usize) -> u64 {
    if need >> P != 0 {
        return 0;
    }
    // No count reaches the highest bit of `need`: none reaches `need` (most words)
    if need > 0 {
        let top = (usize::BITS - 1 - need.leading_zeros()) as usize;
        if count.iter().skip(top).fold(0, |any, plane| any | plane) == 0 {
            return 0;
        }
    }
    // From the highest bit down: above `need` already, or equal so far
    let (mut above, mut equal) = (0u64, !0u64);
    for (j, &plane) in count.iter().enumerate().rev() {
        // All ones where `need` has this bit
        let bit = 0u64.wrapping_sub(((need >> j) & 1) as u64);
        above |= equal & plane & !bit;
        equal &= !(plane ^ bit);
    }
    above | equal
}

/// Whether the Levenshtein distance of `a` and `b` is at most `k`
pub(super) fn within_edits(a: &[u8], b: &[u8], k: usize) -> bool {
    if a.len().abs_diff(b.len()) > k {
        return false;
    }
    if a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.len() > 64 {
        return levenshtein(
            std::str::from_utf8(a).unwrap_or_default(),
            std::str::from_utf8(b).unwrap_or_default(),
        ) <= k;
    }
    // Normalised text: letters and digits, one symbol each (any other byte shares a symbol,
    // which can only make the distance smaller: a candidate more, checked after)
    levenshtein_mapped::<SYMBOLS>(short, long, symbol) <= k
}
