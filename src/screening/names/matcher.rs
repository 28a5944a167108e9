//! Comparing two normalised names: parts aligned one to one whatever their order, each pair
//! scored by Jaro-Winkler, parts left over penalised.

use std::borrow::Cow;

use super::distance::{jaro_winkler, normalized_levenshtein};
use super::normalize::{
    Token, alternatives, fold, fold_korean, fold_variants, fold_variants_always, fused_article,
    han_joined_readings, han_readings, parts, skeleton,
};
use super::romanise::{consonant_variants, kontsevich, korean_as_cyrillic_reads};
use super::{Match, STRONG, Schema, Strength, THRESHOLD};

/// Two parts less similar than this are not paired
pub(crate) const PART_MIN: f64 = 0.80;

/// How much the cover of the shorter name counts against that of the longer one: a name that
/// is a subset of the other (middle names dropped) stays a candidate match
pub(crate) const SHORTER_WEIGHT: f64 = 0.7;

/// Factor applied when a number (digits or a Roman numeral) in one name is missing from the other
const NUMBER_PENALTY: f64 = 0.75;

/// How much a generic part ([`is_generic`]) weighs against a distinctive part of its length:
/// near zero, so that agreeing on `Trading` or `Sheikh` is hardly evidence
pub(crate) const GENERIC_WEIGHT: f64 = 0.05;

/// The highest score of two names when a distinctive part of one is left unaligned (one name
/// contained in the other with something distinctive missing): below [`STRONG`]
pub const CONTAINED_CAP: f64 = 0.91;

/// The lowest score of two names when every part of the lighter one (two distinctive parts or
/// more) is aligned with a part of the other, times the lighter name's cover (its aligned
/// parts' similarities weighed by their own weights in it): a short form of a
/// long name (`Aisha Qadhafi` of a name of six parts, as lists and documents give aliases) is a
/// weak match, however many parts the longer name has (not for names in Han characters or
/// Hangul, whose parts are syllables). Below [`CONTAINED_CAP`], so never strong
/// (issue 13, item 2); a list index bounds a name's score by it too (`index::score_bound`).
pub(crate) const CONTAINED_FLOOR: f64 = 0.85;

/// How many distinctive parts (not generic, not initials) the lighter name needs for
/// [`CONTAINED_FLOOR`]: one part found in a longer name is a common given name or surname
const CONTAINED_PARTS: usize = 2;

/// The highest score of two different names when either is made only of generic parts: below
/// [`THRESHOLD`], so such a name never matches another (the same name of generic words only is
/// a weak match: it is the listed name itself)
pub const GENERIC_CAP: f64 = 0.5;

/// Words of business and legal form and generic company words, from general knowledge of
/// company names in English and in the romanisations lists use (legal forms that
/// `normalize::parts` sets aside are here too: a name made only of them keeps them)
const GENERIC_COMPANY: &[&str] = &[
    "ag",
    "agency",
    "associates",
    "association",
    "bank",
    "banking",
    "business",
    "center",
    "centre",
    "co",
    "commerce",
    "commercial",
    "committee",
    "companies",
    "company",
    "construction",
    "consulting",
    "corp",
    "corporation",
    "development",
    "engineering",
    "enterprise",
    "enterprises",
    "establishment",
    "export",
    "exports",
    "firm",
    "foreign",
    "foundation",
    "fund",
    "general",
    "global",
    "gmbh",
    "group",
    "holding",
    "holdings",
    "import",
    "imports",
    "inc",
    "incorporated",
    "industrial",
    "industries",
    "industry",
    "institute",
    "international",
    "intl",
    "investment",
    "investments",
    "jsc",
    "limited",
    "llc",
    "logistics",
    "ltd",
    "management",
    "manufacturing",
    "national",
    "office",
    "organisation",
    "organization",
    "partners",
    "plc",
    "products",
    "resources",
    "service",
    "services",
    "shipping",
    "solutions",
    "systems",
    "technologies",
    "technology",
    "trade",
    "traders",
    "trading",
    "united",
    "ventures",
];

/// Honorifics and titles of persons, from general knowledge (English, Arabic and Persian
/// titles as romanised, military and religious ranks); `normalize::parts` sets the commonest
/// aside, and a name made only of them keeps them
const GENERIC_PERSON: &[&str] = &[
    "ayatollah",
    "brig",
    "brigadier",
    "capt",
    "captain",
    "col",
    "colonel",
    "dr",
    "gen",
    "general",
    "haj",
    "haji",
    "hajji",
    "hojatoleslam",
    "imam",
    "maj",
    "major",
    "maulana",
    "mawlana",
    "miss",
    "mr",
    "mrs",
    "ms",
    "mullah",
    "prof",
    "sayed",
    "sayyid",
    "shaikh",
    "shaykh",
    "sheik",
    "sheikh",
    "sir",
    "syed",
];

/// Whether a part is generic for a schema: a word of business or legal form for companies, an
/// honorific or title for persons (and the company words: a name read as a person's may be a
/// company's); vessels have none
pub fn is_generic(text: &str, schema: Schema) -> bool {
    match schema {
        Schema::Company => GENERIC_COMPANY.binary_search(&text).is_ok(),
        // A name read as a person's may be a company's (a record without a kind is read both
        // ways): company words are no more a person's name than an honorific is
        Schema::Person => {
            GENERIC_PERSON.binary_search(&text).is_ok()
                || GENERIC_COMPANY.binary_search(&text).is_ok()
        }
        Schema::Vessel => false,
    }
}

/// The weight of a part when how distinctive it is counts: its length, times
/// [`GENERIC_WEIGHT`] when it is generic
fn distinctive_weight(t: &Token, schema: Schema) -> f64 {
    if is_generic(&t.text, schema) {
        weight(t) * GENERIC_WEIGHT
    } else {
        weight(t)
    }
}

/// Compares two names of parties of the given schema
pub fn compare(a: &str, b: &str, schema: Schema) -> Match {
    let left = parts(a, schema);
    let right = parts(b, schema);
    let mut best = compare_parts(&left, &right, schema, true);
    // Names written together with `/`: each alternative on its own, the best kept
    let (alt_a, alt_b) = (alternatives(a), alternatives(b));
    if alt_a.is_empty() && alt_b.is_empty() {
        return best;
    }
    let with_whole = |alts: Vec<&'_ str>, whole: &'_ str| -> Vec<String> {
        std::iter::once(whole.to_string())
            .chain(alts.into_iter().map(str::to_string))
            .collect()
    };
    for x in with_whole(alt_a, a) {
        for y in with_whole(alt_b.clone(), b) {
            if x == a && y == b {
                continue;
            }
            let m = compare_parts(&parts(&x, schema), &parts(&y, schema), schema, true);
            if m.score > best.score {
                best = Match {
                    why: format!("`{x}` against `{y}`: {}", m.why),
                    ..m
                };
            }
        }
    }
    best
}

/// Compares two names already split into parts by [`parts`] with the
/// same schema: `compare(a, b, s)` is `compare_tokens(&parts(a, s), &parts(b, s), s)` for names
/// that are not split into [`alternatives`]. A caller
/// comparing one name with many (a list index) normalises each name once.
pub fn compare_tokens(left: &[Token], right: &[Token], schema: Schema) -> Match {
    compare_parts(left, right, schema, true)
}

/// The score of [`compare_tokens`] without its explanation (`why` is left empty), which is most
/// of the cost when one name is compared with many
pub fn score_tokens(left: &[Token], right: &[Token], schema: Schema) -> Match {
    compare_parts(left, right, schema, false)
}

/// Forms of a part computed once by a caller that compares it with many: its `fold`, and its
/// consonant `skeleton` if the caller has it (computed when needed otherwise)
#[derive(Debug, Clone, Copy)]
pub(crate) struct Forms<'a> {
    pub(crate) folded: &'a str,
    pub(crate) skeleton: Option<&'a str>,
}

/// [`score_tokens`] of two names given with the [`Forms`] of each part, for a caller that
/// compares a name with many
pub(crate) fn score_tokens_folded(
    (left, forms_l): (&[Token], &[Forms<'_>]),
    (right, forms_r): (&[Token], &[Forms<'_>]),
    schema: Schema,
    rarity: Option<&dyn Fn(&str) -> f64>,
) -> Match {
    compare_folded(
        (left, forms_l),
        (right, forms_r),
        schema,
        false,
        None,
        rarity,
    )
}

/// [`score_tokens`] of two names whose part similarities the caller already knows:
/// `similarity(i, j)` is `part_similarity_folded` of the `i`th part of `left` and the `j`th
/// part of `right` (or anything below `PART_MIN` when that is below it). A name index that
/// found the similar parts of each query part scores its candidates this way.
pub(crate) fn score_tokens_known(
    left: &[Token],
    right: &[Token],
    schema: Schema,
    similarity: &dyn Fn(usize, usize) -> f64,
    rarity: Option<&dyn Fn(&str) -> f64>,
) -> Match {
    compare_folded(
        (left, &[]),
        (right, &[]),
        schema,
        false,
        Some(similarity),
        rarity,
    )
}

/// The similarity of two parts, in 0..=1, each given with its [`Forms`]. A consonant skeleton
/// of one or two letters counts in full here; [`compare_folded`] lowers it to
/// [`SHORT_SKELETON`] unless two other parts of the name agree (so that a list index bounding
/// a name's score by its parts' similarities still bounds it)
pub(crate) fn part_similarity_folded(
    x: (&Token, Forms<'_>),
    y: (&Token, Forms<'_>),
    schema: Schema,
) -> f64 {
    part_similarity_capped(x, y, schema, 1.0)
}

/// [`part_similarity_folded`] with a similarity by a skeleton of fewer than [`SKELETON_MIN`]
/// consonants at most `short_skeleton`
fn part_similarity_capped(
    (x, fx): (&Token, Forms<'_>),
    (y, fy): (&Token, Forms<'_>),
    schema: Schema,
    short_skeleton: f64,
) -> f64 {
    let sim = similarity_as_written((x, fx), (y, fy), schema, (short_skeleton, true));
    // A Han character against another script: also under its Korean and Japanese readings
    let readings = match (x.han, y.han) {
        (Some(_), None) => han_readings(x),
        (None, Some(_)) => han_readings(y),
        _ => return sim,
    };
    let other = if x.han.is_some() { (y, fy) } else { (x, fx) };
    readings
        .iter()
        .map(|r| {
            let folded = fold(&r.text);
            let forms = Forms {
                folded: &folded,
                skeleton: None,
            };
            // Not under the romanisation variants of Arabic and Cyrillic letters: a Han
            // character's readings are Korean and Japanese
            similarity_as_written((r, forms), other, schema, (short_skeleton, false))
        })
        .fold(sim, f64::max)
}

/// Whether the similarity `sim` of two parts rests on a consonant skeleton of one or two
/// letters alone: without it, they would be no more similar than [`SHORT_SKELETON`]
fn rests_on_short_skeleton(x: &Token, y: &Token, sim: f64, schema: Schema) -> bool {
    if sim <= SHORT_SKELETON || x.abjad == y.abjad && x.han.is_none() && y.han.is_none() {
        return false;
    }
    let (fx, fy) = (fold(&x.text), fold(&y.text));
    let forms = |folded| Forms {
        folded,
        skeleton: None,
    };
    part_similarity_capped((x, forms(&fx)), (y, forms(&fy)), schema, SHORT_SKELETON) < sim
}

/// Whether both parts are written in an alphabet that writes vowels (Latin or Cyrillic): not in
/// an abjad, nor Han characters or Hangul syllables, whose romanisations the rules on consonants
/// do not fit
fn written_in_letters(x: &Token, y: &Token) -> bool {
    [x, y]
        .iter()
        .all(|t| !t.abjad && t.han.is_none() && !t.hangul)
}

/// The similarity of two parts as their texts are written (Han characters in Mandarin), each
/// with its [`Forms`]; a skeleton of fewer than [`SKELETON_MIN`] consonants at most
/// `short_skeleton`; with `variants`, also under [`fold_variants`] (not for a Han character's
/// readings, which the name index does not look up under it)
fn similarity_as_written(
    (x, fx): (&Token, Forms<'_>),
    (y, fy): (&Token, Forms<'_>),
    schema: Schema,
    (short_skeleton, variants): (f64, bool),
) -> f64 {
    if x.text == y.text {
        return 1.0;
    }
    if is_number(&x.text) || is_number(&y.text) {
        return 0.0;
    }
    // An initial stands for any part it begins
    if schema == Schema::Person && (x.text.len() == 1 || y.text.len() == 1) {
        let (short, long) = if x.text.len() == 1 { (x, y) } else { (y, x) };
        return if long.text.starts_with(short.text.as_str()) {
            0.9
        } else {
            0.0
        };
    }
    let mut sim = edit_similarity(&x.text, &y.text);
    // Folded (unless folding left both as they are, which gives the same)
    if fx.folded != x.text || fy.folded != y.text {
        sim = sim.max(edit_similarity(fx.folded, fy.folded));
    }
    if x.abjad != y.abjad {
        let (sx, sy) = (skeleton_of(x, fx), skeleton_of(y, fy));
        if !sx.is_empty() && !sy.is_empty() {
            let by_consonants = edit_similarity(&sx, &sy);
            // One or two consonants are too few to tell names apart on their own
            let by_consonants = if sx.len().min(sy.len()) < SKELETON_MIN {
                by_consonants.min(short_skeleton)
            } else {
                by_consonants
            };
            sim = sim.max(by_consonants);
        }
    }
    if (PART_MIN..VOWELS_ONLY).contains(&sim) && written_in_letters(x, y) {
        // Two parts already alike that differ only in their vowels, as romanisations of one
        // name do (`Qasem` / `Qasim`, `Sulemani` / `Soleimani`), written with the same
        // consonants: as alike as that, and no more. Only parts that align anyway are lifted,
        // so no pair aligns that did not (and a name index finds the same parts).
        let (sx, sy) = (skeleton_of(x, fx), skeleton_of(y, fy));
        if sx.len() >= SKELETON_MIN && sx == sy {
            sim = VOWELS_ONLY;
        } else {
            // Or with the same consonants once the letters romanisation systems write
            // differently for one Arabic or Cyrillic letter are one (`Qadhafi` / `Gaddafi`,
            // `Jadhran` / `Jathran`, `Vakhitov` / `Vaxitov`): as alike, for the same reason
            let (vx, vy) = (consonant_variants(&x.text), consonant_variants(&y.text));
            if vx.len() >= SKELETON_MIN && vx == vy {
                sim = VOWELS_ONLY;
            }
        }
    }
    if variants && sim < VOWELS_ONLY && written_in_letters(x, y) {
        // The letters romanisation systems write differently for one Arabic or Cyrillic
        // letter brought to one (`Ghathafi` / `Qadhafi`, `Axmed` / `Akhmed`): as alike as
        // parts differing only in vowels at most
        let (vx, vy) = (fold_variants(&x.text), fold_variants(&y.text));
        if vx.is_some() || vy.is_some() {
            let vx = vx.unwrap_or_else(|| fold_variants_always(&x.text));
            let vy = vy.unwrap_or_else(|| fold_variants_always(&y.text));
            if consonant_variants(&x.text).len() >= SKELETON_MIN
                && consonant_variants(&y.text).len() >= SKELETON_MIN
            {
                sim = sim.max(edit_similarity(&vx, &vy).min(VOWELS_ONLY));
            }
        }
    }
    if variants && sim < VOWELS_ONLY && x.article != y.article && written_in_letters(x, y) {
        // The Arabic article written on one part (`Eltekreety`) and apart before the other
        // (`Al-Tikriti`, set aside): the first is also compared without it, as alike as parts
        // differing only in vowels at most
        let (apart, fused) = if x.article { (fx, y) } else { (fy, x) };
        if let Some(rest) = fused_article(&fused.text) {
            sim = sim.max(edit_similarity(&fold(rest), apart.folded).min(VOWELS_ONLY));
        }
    }
    if x.hangul || y.hangul {
        sim = sim.max(edit_similarity(
            &fold_korean(&x.text),
            &fold_korean(&y.text),
        ));
    }
    if x.cyrillic != y.cyrillic && !x.hangul && !y.hangul {
        // A Korean syllable written in Cyrillic (Kontsevich) against one in Latin letters
        let (cyrillic, latin) = if x.cyrillic { (x, y) } else { (y, x) };
        if let Some(read) = kontsevich(&cyrillic.text) {
            let other = korean_as_cyrillic_reads(&fold_korean(&latin.text));
            sim = sim.max(edit_similarity(&read, &other));
        }
    }
    sim
}

/// What a score is multiplied by when each name holds a distinctive part that aligns with
/// nothing in the other
const SUBSTITUTED: f64 = 0.9;

/// Two unaligned parts this similar (folded) are taken as one name spelt apart, not as two
/// names ([`SUBSTITUTED`] does not apply)
const SPELT_APART: f64 = 0.70;

/// Consonants a skeleton needs to count as a match on its own
const SKELETON_MIN: usize = 3;

/// The similarity of two aligned parts written with the same consonants (at least
/// [`SKELETON_MIN`] of them), differing only in vowels
const VOWELS_ONLY: f64 = 0.95;

/// The highest similarity of two parts by a skeleton of fewer than [`SKELETON_MIN`]
/// consonants (enough to align them, never exact), unless at least [`SHORT_SKELETON_BACKED`]
/// other parts of the two names are aligned by more than such a skeleton: `Qusay` against
/// `قصي` alone is weak, in `Qusay Saddam Hussein` against `قصي صدام حسين` it counts in full
const SHORT_SKELETON: f64 = 0.90;

/// How many other aligned parts let a short skeleton count in full
const SHORT_SKELETON_BACKED: usize = 2;

/// Forms carrying only the `fold` of each part
fn forms(folded: &[String]) -> Vec<Forms<'_>> {
    folded
        .iter()
        .map(|f| Forms {
            folded: f,
            skeleton: None,
        })
        .collect()
}

/// The consonant skeleton of a part: the one its forms carry, or computed
fn skeleton_of<'a>(t: &Token, forms: Forms<'a>) -> Cow<'a, str> {
    forms
        .skeleton
        .map_or_else(|| Cow::Owned(skeleton(&t.text)), Cow::Borrowed)
}

/// Jaro-Winkler averaged with the Levenshtein ratio: Jaro-Winkler alone rates words that share
/// a beginning highly however many letters differ after it (`zuckerman`, `zuckerberg`); the
/// Levenshtein ratio counts those letters
fn edit_similarity(x: &str, y: &str) -> f64 {
    if x == y {
        return 1.0;
    }
    (jaro_winkler(x, y) + normalized_levenshtein(x, y)) / 2.0
}

fn is_number(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_digit()) || matches!(text, "ii" | "iii" | "iv")
}

/// The weight of a part in its name: its length, so initials and short particles count little
fn weight(t: &Token) -> f64 {
    part_weight(t) as f64
}

/// [`weight`] as a whole number, which a list index sums for its bounds. A part in a script that
/// does not write short vowels (Arabic, Persian, Hebrew) is romanised without them, and weighs
/// as if they were written, one for every two consonants: `mhmwd` (محمود) weighs 7 as `mahmoud`
/// does, `bd` (عبد) 3. Else a name in such a script is shorter than its romanisation, and every
/// part of the two aligned in full scored 0.92 to 0.95, not 1.
pub(crate) fn part_weight(t: &Token) -> usize {
    let len = t.text.len();
    if !t.abjad {
        return len;
    }
    let consonants = t
        .text
        .bytes()
        .filter(|b| !matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'w' | b'y'))
        .count();
    len + consonants.div_ceil(2)
}

fn compare_parts(left: &[Token], right: &[Token], schema: Schema, explain: bool) -> Match {
    let folded_l: Vec<String> = left.iter().map(|t| fold(&t.text)).collect();
    let folded_r: Vec<String> = right.iter().map(|t| fold(&t.text)).collect();
    compare_folded(
        (left, &forms(&folded_l)),
        (right, &forms(&folded_r)),
        schema,
        explain,
        None,
        None,
    )
}

/// Compares two names given with the [`Forms`] of their parts, or with the similarity of each
/// pair of parts already known (`known`, which the forms are then not needed for); with
/// `rarity` (a list index's: how rare a part is in the loaded lists, in 0..=1), each part's
/// distinctive weight is also multiplied by its rarity
fn compare_folded(
    (left, folded_l): (&[Token], &[Forms<'_>]),
    (right, folded_r): (&[Token], &[Forms<'_>]),
    schema: Schema,
    explain: bool,
    known: Option<&dyn Fn(usize, usize) -> f64>,
    rarity: Option<&dyn Fn(&str) -> f64>,
) -> Match {
    let distinctive_weight = |t: &Token| -> f64 {
        distinctive_weight(t, schema) * rarity.map_or(1.0, |r| r(&t.text).clamp(0.0, 1.0))
    };
    if left.is_empty() || right.is_empty() {
        return Match {
            score: 0.0,
            strength: Strength::None,
            why: "a name with no letters or digits".into(),
        };
    }
    // Both names say which parts are the person's own and which a forebear's (`A bin B`): an
    // own part never aligns with a forebear's, so `A bin B` is not `B bin A`, father and son
    let ordered = left.iter().any(|t| t.lineage) && right.iter().any(|t| t.lineage);
    let mut sorted_l: Vec<(&str, bool)> = left
        .iter()
        .map(|t| (t.text.as_str(), ordered && t.lineage))
        .collect();
    let mut sorted_r: Vec<(&str, bool)> = right
        .iter()
        .map(|t| (t.text.as_str(), ordered && t.lineage))
        .collect();
    sorted_l.sort_unstable();
    sorted_r.sort_unstable();
    let all_generic = |side: &[Token]| side.iter().all(|t| is_generic(&t.text, schema));
    let generic_only = all_generic(left) || all_generic(right);
    if sorted_l == sorted_r {
        // The same name made only of generic words is not evidence of the same party, but it is
        // the listed name itself: a person looks (weak), never more, never nothing
        let (score, strength, note) = if generic_only {
            (THRESHOLD, Strength::Weak, ", all generic: at most weak")
        } else {
            (1.0, Strength::Exact, "")
        };
        return Match {
            score,
            strength,
            why: if explain {
                let texts: Vec<&str> = sorted_l.iter().map(|(t, _)| *t).collect();
                format!("the same parts: {}{note}", texts.join(" "))
            } else {
                String::new()
            },
        };
    }

    // Every pair of parts, best first; then a greedy one-to-one assignment
    let mut pairs = Vec::with_capacity(left.len() * right.len());
    for (i, x) in left.iter().enumerate() {
        for (j, y) in right.iter().enumerate() {
            if ordered && x.lineage != y.lineage {
                continue;
            }
            let sim = match (known, folded_l.get(i), folded_r.get(j)) {
                (Some(similarity), _, _) => similarity(i, j),
                (None, Some(fx), Some(fy)) => part_similarity_folded((x, *fx), (y, *fy), schema),
                (None, _, _) => 0.0,
            };
            if sim >= PART_MIN {
                pairs.push((sim, i, j));
            }
        }
    }
    pairs.sort_by(|p, q| q.0.total_cmp(&p.0).then(p.1.cmp(&q.1)).then(p.2.cmp(&q.2)));
    let mut used_l = vec![false; left.len()];
    let mut used_r = vec![false; right.len()];
    let mut alignment = Vec::new();
    for (sim, i, j) in pairs {
        let (Some(ul), Some(ur)) = (used_l.get(i).copied(), used_r.get(j).copied()) else {
            continue;
        };
        if ul || ur {
            continue;
        }
        if let (Some(x), Some(y)) = (left.get(i), right.get(j)) {
            alignment.push((x, y, sim, rests_on_short_skeleton(x, y, sim, schema)));
        }
        if let Some(u) = used_l.get_mut(i) {
            *u = true;
        }
        if let Some(u) = used_r.get_mut(j) {
            *u = true;
        }
    }
    let backed = alignment.iter().filter(|(.., short)| !short).count() >= SHORT_SKELETON_BACKED;
    let mut matched = 0.0;
    // The aligned weight of each name counted with its own parts' weights (the cover of the
    // lighter name for `CONTAINED_FLOOR`)
    let (mut own_l, mut own_r) = (0.0, 0.0);
    // The aligned weight with generic parts near zero
    let mut matched_distinctive = 0.0;
    let mut aligned = Vec::new();
    for &(x, y, sim, short) in &alignment {
        let sim = if short && !backed {
            SHORT_SKELETON
        } else {
            sim
        };
        matched += sim * (weight(x) + weight(y)) / 2.0;
        own_l += sim * weight(x);
        own_r += sim * weight(y);
        matched_distinctive += sim * (distinctive_weight(x) + distinctive_weight(y)) / 2.0;
        if explain {
            aligned.push(format!("{}~{} {:.2}", x.text, y.text, sim));
        }
    }
    let total_l: f64 = left.iter().map(weight).sum();
    let total_r: f64 = right.iter().map(weight).sum();
    let (short, long) = if total_l <= total_r {
        (total_l, total_r)
    } else {
        (total_r, total_l)
    };
    let cover_short = (matched / short).min(1.0);
    let cover_long = (matched / long).min(1.0);
    let mut score = SHORTER_WEIGHT * cover_short + (1.0 - SHORTER_WEIGHT) * cover_long;

    // Parts written together on one side and apart on the other ("JanDaniel", a name in Han
    // characters against its romanisation): compare the parts run together
    let joined_l: String = left.iter().map(|t| t.text.as_str()).collect();
    let joined_r: String = right.iter().map(|t| t.text.as_str()).collect();
    let mut joined = normalized_levenshtein(&fold(&joined_l), &fold(&joined_r));
    if left.iter().any(|t| t.abjad) != right.iter().any(|t| t.abjad) {
        let (sl, sr) = (skeleton(&joined_l), skeleton(&joined_r));
        if !sl.is_empty() && !sr.is_empty() {
            let by_consonants = normalized_levenshtein(&sl, &sr);
            joined = joined.max(if sl.len().min(sr.len()) < SKELETON_MIN {
                by_consonants.min(SHORT_SKELETON)
            } else {
                by_consonants
            });
        }
    }
    // A name in Han characters against one in another script, run together under its Korean
    // and Japanese readings
    let (han_side, other_side) = match (
        left.iter().any(|t| t.han.is_some()),
        right.iter().any(|t| t.han.is_some()),
    ) {
        (true, false) => (left, &joined_r),
        (false, true) => (right, &joined_l),
        _ => (&[][..], &joined_l),
    };
    if !han_side.is_empty() {
        let other = fold(other_side);
        for reading in han_joined_readings(han_side) {
            joined = joined.max(normalized_levenshtein(&fold(&reading), &other));
        }
    }
    // The lighter name contained whole in the other: at least `CONTAINED_FLOOR` times its cover
    let (short_side, short_used, own) = if total_l <= total_r {
        (left, &used_l, own_l)
    } else {
        (right, &used_r, own_r)
    };
    // Not for names in Han characters or Hangul: each of their parts is a syllable, and two
    // syllables found among the many of a longer name are not two names found in it
    let syllables = left
        .iter()
        .chain(right)
        .any(|t| t.han.is_some() || t.hangul);
    // A part of the lighter name aligned with an initial of the other is not found in it
    let by_initial = alignment.iter().any(|&(x, y, ..)| {
        let (mine, theirs) = if total_l <= total_r { (x, y) } else { (y, x) };
        mine.text.len() > 1 && theirs.text.len() == 1
    });
    let contained_whole = !syllables
        && !by_initial
        && short_used.iter().all(|u| *u)
        && short_side
            .iter()
            .filter(|t| t.text.len() > 1 && !is_generic(&t.text, schema))
            .count()
            >= CONTAINED_PARTS;
    let floor = if contained_whole {
        // How much of the lighter name is found, each part weighed as in that name (a part
        // aligned with a longer one counts no more than itself)
        CONTAINED_FLOOR * (own / short).min(1.0)
    } else {
        0.0
    };
    let mut how = "parts aligned";
    if left.len() != right.len() && joined > score.max(floor) {
        score = joined;
        how = "parts run together";
    }
    // How distinctive the parts are: the score with generic parts near zero, when lower (it
    // never raises a score, so a list index bounding scores by length alone finds every match)
    let mut notes: Vec<&str> = Vec::new();
    if how == "parts aligned" {
        let dl: f64 = left.iter().map(distinctive_weight).sum();
        let dr: f64 = right.iter().map(distinctive_weight).sum();
        let (ds, dlong) = if dl <= dr { (dl, dr) } else { (dr, dl) };
        if ds > 0.0 {
            let distinctive = SHORTER_WEIGHT * (matched_distinctive / ds).min(1.0)
                + (1.0 - SHORTER_WEIGHT) * (matched_distinctive / dlong).min(1.0);
            if distinctive < score {
                score = distinctive;
                notes.push("generic parts count near zero");
            }
        }
        if floor > score {
            score = floor;
            notes.push("the lighter name is contained whole in the other: weak at least");
        }
        // A distinctive part left unaligned: one name is not the other with only generic words
        // dropped, so not a strong match
        let contained = left
            .iter()
            .zip(&used_l)
            .chain(right.iter().zip(&used_r))
            .any(|(t, u)| !*u && !is_generic(&t.text, schema));
        // A distinctive part of each name that aligns with nothing in the other: not a part
        // dropped but another name in its place (another father, another tribe), which counts
        // against the match more than a part missing from one name does
        // (a part spelt so differently that it did not align, `Elsalam` / `Salam`, is not one)
        let unaligned_in = |side: &'_ [Token], used: &'_ [bool]| -> Vec<String> {
            side.iter()
                .zip(used)
                .filter(|(t, u)| !**u && t.text.len() > 1 && !is_generic(&t.text, schema))
                .map(|(t, _)| fold(&t.text))
                .collect()
        };
        // Folded only when it can apply: two parts aligned and a distinctive one left over
        if contained && alignment.len() >= 2 {
            let (other_l, other_r) = (unaligned_in(left, &used_l), unaligned_in(right, &used_r));
            let spelt_apart = other_l
                .iter()
                .any(|x| other_r.iter().any(|y| edit_similarity(x, y) >= SPELT_APART));
            if !other_l.is_empty() && !other_r.is_empty() && !spelt_apart {
                score *= SUBSTITUTED;
                notes.push("each name has a part the other lacks: another name in its place");
            }
        }
        if contained && score > CONTAINED_CAP {
            score = CONTAINED_CAP;
            notes.push("a distinctive part is missing from one name: below strong");
        }
    }
    if generic_only && score > GENERIC_CAP {
        score = GENERIC_CAP;
        notes.push("a name made only of generic words does not match");
    }

    let unmatched: Vec<&str> = left
        .iter()
        .zip(&used_l)
        .chain(right.iter().zip(&used_r))
        .filter(|(_, u)| !**u)
        .map(|(t, _)| t.text.as_str())
        .collect();
    let numbers_differ = left
        .iter()
        .chain(right)
        .zip(used_l.iter().chain(&used_r))
        .any(|(t, u)| !*u && is_number(&t.text));
    if numbers_differ {
        score *= NUMBER_PENALTY;
    }
    let score = score.clamp(0.0, 1.0);
    let strength = if score >= STRONG {
        Strength::Strong
    } else if score >= THRESHOLD {
        Strength::Weak
    } else {
        Strength::None
    };
    if !explain {
        return Match {
            score,
            strength,
            why: String::new(),
        };
    }
    let mut why = if aligned.is_empty() {
        "no parts aligned".to_string()
    } else {
        format!("{how}: {}", aligned.join(", "))
    };
    if !unmatched.is_empty() {
        why.push_str(&format!("; unmatched: {}", unmatched.join(" ")));
    }
    if numbers_differ {
        why.push_str("; a number differs");
    }
    for note in notes {
        why.push_str("; ");
        why.push_str(note);
    }
    Match {
        score,
        strength,
        why,
    }
}

#[cfg(test)]
mod tests;
