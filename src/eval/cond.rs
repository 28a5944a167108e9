//! Conditions evaluated against one record: field access, comparisons, quantifiers over goods,
//! parties and list matches, and the texts of reasons. The rule-level logic is in `eval`.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Env, EvalError, MatchUsed, Tracer, V};
use crate::ir::{
    Access, AuthField, Cond, FieldOp, HsPattern, ItemField, ListRef, Ord6, PartyField, Quantifier,
    Rule, Template, TemplatePart, Test, VesselField,
};
use crate::model::{Designation, Place, Transaction, Vocab};

/// Evaluates a condition; with a recording tracer, each node is reported with its outcome
pub(super) fn eval<T: Tracer>(
    cond: &Cond,
    t: &Transaction,
    env: &mut Env,
    tr: &mut T,
) -> Result<bool, EvalError> {
    tr.open();
    let res = eval_node(cond, t, env, tr);
    tr.close(cond, &res, || match cond {
        Cond::Cmp(access, Test::Field(_, other)) => Some(format!(
            "{} and {}",
            found(get(access, t, env)),
            found(get(other, t, env))
        )),
        Cond::Exists(access) | Cond::Cmp(access, _) => Some(found(get(access, t, env))),
        _ => None,
    });
    res
}

/// A value as `explain` shows what it found
fn found(value: V<'_>) -> String {
    match value {
        V::Missing => "missing".to_string(),
        V::Present => "present".to_string(),
        v => show(v),
    }
}

fn eval_node<T: Tracer>(
    cond: &Cond,
    t: &Transaction,
    env: &mut Env,
    tr: &mut T,
) -> Result<bool, EvalError> {
    match cond {
        Cond::Const(b) => Ok(*b),
        Cond::And(parts) => {
            for (i, p) in parts.iter().enumerate() {
                if !eval(p, t, env, tr)? {
                    if T::ON {
                        parts.iter().skip(i + 1).for_each(|q| tr.skipped(q));
                    }
                    return Ok(false);
                }
            }
            Ok(true)
        }
        Cond::Or(parts) => {
            for (i, p) in parts.iter().enumerate() {
                if eval(p, t, env, tr)? {
                    if T::ON {
                        parts.iter().skip(i + 1).for_each(|q| tr.skipped(q));
                    }
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Cond::Not(inner) => Ok(!eval(inner, t, env, tr)?),
        Cond::Quant {
            quantifier,
            list,
            var,
            body,
        } => {
            let n = list.len(t);
            if n == 0 {
                tr.note(|| "no element".to_string());
            }
            match quantifier {
                Quantifier::Any => {
                    for i in 0..n {
                        if elem(body, t, env, tr, *var, *list, i)? {
                            // The witness stays bound, so the reason can name it.
                            tr.note(|| format!("{}[{i}] satisfies it", list.name()));
                            return Ok(true);
                        }
                    }
                    if n > 0 {
                        tr.note(|| "no element satisfies it".to_string());
                    }
                    set(env, *var, None);
                    Ok(false)
                }
                Quantifier::All | Quantifier::None => {
                    let want = *quantifier == Quantifier::All;
                    for i in 0..n {
                        if elem(body, t, env, tr, *var, *list, i)? != want {
                            tr.note(|| {
                                let does = if want {
                                    "does not satisfy"
                                } else {
                                    "satisfies"
                                };
                                format!("{}[{i}] {does} it", list.name())
                            });
                            set(env, *var, None);
                            return Ok(false);
                        }
                    }
                    if n > 0 {
                        tr.note(|| {
                            let verb = if want { "every" } else { "no" };
                            format!("{verb} element satisfies it")
                        });
                    }
                    set(env, *var, None);
                    Ok(true)
                }
            }
        }
        Cond::Count {
            list,
            var,
            body,
            op,
            n,
        } => {
            let mut count: i64 = 0;
            for i in 0..list.len(t) {
                if elem(body, t, env, tr, *var, *list, i)? {
                    count += 1;
                }
            }
            tr.note(|| format!("{count} element(s) satisfy it"));
            set(env, *var, None);
            Ok(op.holds(count.cmp(n)))
        }
        Cond::Exists(access) => Ok(match get(access, t, env) {
            V::Missing => false,
            V::SymList(_, l) => !l.is_empty(),
            V::StrList(l) => !l.is_empty(),
            V::PlaceList(l) => !l.is_empty(),
            _ => true,
        }),
        Cond::Cmp(access, Test::Field(op, other)) => {
            compare(get(access, t, env), get(other, t, env), *op, env.date)
        }
        Cond::Cmp(access, test) => {
            let value = get(access, t, env);
            let res = check(value, test, env.date);
            // Say when a place was within another only on the day judged (`ZW` within `RH`).
            if T::ON
                && res == Ok(true)
                && let (V::Place(p), Test::PlaceWithin(places)) = (value, test)
                && !places.iter().any(|q| p.within(q))
                && let Some(q) = places.iter().find(|q| p.within_on(q, env.date))
            {
                tr.note(|| format!("{p} lay within {q} on {}", env.date));
            }
            res
        }
    }
}

/// A field compared with another: false when either is missing, as a comparison with a value is
fn compare(a: V<'_>, b: V<'_>, op: FieldOp, date: NaiveDate) -> Result<bool, EvalError> {
    use std::cmp::Ordering;
    let ord = |o: Ord6, x: Ordering| Ok(o.holds(x));
    match (a, b, op) {
        (V::Missing, _, _) | (_, V::Missing, _) => Ok(false),
        (V::Place(p), V::Place(q), FieldOp::Ord(Ord6::Eq)) => Ok(p == q),
        (V::Place(p), V::Place(q), FieldOp::Within) => Ok(p.within_on(&q, date)),
        (V::Hs(h), V::Hs(k), FieldOp::Ord(Ord6::Eq)) => Ok(h == k),
        (V::Hs(h), V::Hs(k), FieldOp::Within) => Ok(h.within(&k)),
        (V::Str(x), V::Str(y), FieldOp::Ord(Ord6::Eq)) => Ok(x == y),
        (V::Sym(v, x), V::Sym(w, y), FieldOp::Ord(Ord6::Eq)) if v == w => Ok(x == y),
        (V::Num(x), V::Num(y), FieldOp::Ord(o)) => ord(o, x.cmp(&y)),
        (V::Date(x), V::Date(y), FieldOp::Ord(o)) => ord(o, x.cmp(&y)),
        (V::Money(x), V::Money(y), FieldOp::Ord(o)) => {
            if x.currency != y.currency {
                return Err(EvalError(format!(
                    "{} {} cannot be compared with {} {}",
                    x.amount,
                    x.currency_str(),
                    y.amount,
                    y.currency_str()
                )));
            }
            ord(o, x.amount.cmp(&y.amount))
        }
        // INVARIANT: the checker only compares fields of one type, with an operator of that type.
        _ => Err(EvalError(
            "a field was compared with a field of another type".into(),
        )),
    }
}

/// The body of a quantifier on element `i` of `list`, bound to slot `var`
#[inline(always)]
fn elem<T: Tracer>(
    body: &Cond,
    t: &Transaction,
    env: &mut Env,
    tr: &mut T,
    var: usize,
    list: ListRef,
    i: usize,
) -> Result<bool, EvalError> {
    set(env, var, Some(i));
    let designations = designations_of(t, list, i);
    if !T::ON {
        return each_alternative(body, t, env, tr, var, designations);
    }
    tr.open();
    let res = each_alternative(body, t, env, tr, var, designations);
    tr.close_elem(var, list, i, &res);
    res
}

/// Whether `body` holds for the element bound to `var` as written (alternative 0) or as one of
/// its designations, tried strongest first; the first that holds stays bound
#[inline(always)]
fn each_alternative<T: Tracer>(
    body: &Cond,
    t: &Transaction,
    env: &mut Env,
    tr: &mut T,
    var: usize,
    designations: &[Designation],
) -> Result<bool, EvalError> {
    set_alt(env, var, 0);
    if eval(body, t, env, tr)? {
        return Ok(true);
    }
    for (k, d) in designations.iter().enumerate() {
        set_alt(env, var, k + 1);
        tr.note(|| {
            format!(
                "as {} {} ({}, {} match, score {:.2})",
                d.reference,
                d.listed_name,
                d.list,
                d.strength.as_str(),
                d.score
            )
        });
        if eval(body, t, env, tr)? {
            return Ok(true);
        }
    }
    set_alt(env, var, 0);
    Ok(false)
}

/// The designations found for element `i` of `list` (only parties and vessels have any)
fn designations_of(t: &Transaction, list: ListRef, i: usize) -> &[Designation] {
    match list {
        ListRef::Parties => t.parties.get(i).map_or(&[], |p| &p.designations),
        ListRef::Vessels => t.vessels.get(i).map_or(&[], |v| &v.designations),
        _ => &[],
    }
}

/// The designation bound to `var`, if its alternative is one
fn designation<'a>(
    designations: &'a [Designation],
    env: &Env,
    var: usize,
) -> Option<&'a Designation> {
    let alt = env.alts.get(var).copied().unwrap_or(0);
    alt.checked_sub(1).and_then(|k| designations.get(k))
}

/// The designations bound when a rule fired: what its finding rests on. A party bound as
/// written whose `ids.un_ref` the rule reads rests on the UN entries of that reference that
/// screening found for it (the list confirms what the record says).
pub(super) fn matches_used(t: &Transaction, rule: &Rule, env: &Env) -> Vec<MatchUsed> {
    let mut out = Vec::new();
    for (var, list) in rule.vars.iter().enumerate() {
        let Some(i) = slot(env, var) else {
            continue;
        };
        let designations = designations_of(t, *list, i);
        let of = || format!("{}[{i}]", list.name());
        if let Some(d) = designation(designations, env, var) {
            out.push(MatchUsed {
                of: of(),
                designation: d.clone(),
            });
            continue;
        }
        let written = match list {
            ListRef::Parties => t.parties.get(i).and_then(|p| p.ids.get("un_ref")),
            _ => None,
        };
        if let Some(written) = written
            && reads_un_ref(&rule.cond, var)
        {
            for d in designations
                .iter()
                .filter(|d| d.un_ref && d.reference.trim().eq_ignore_ascii_case(written.trim()))
            {
                out.push(MatchUsed {
                    of: of(),
                    designation: d.clone(),
                });
            }
        }
    }
    out
}

/// Whether `cond` reads `ids.un_ref` of the party bound to `var`
fn reads_un_ref(cond: &Cond, var: usize) -> bool {
    match cond {
        Cond::And(parts) | Cond::Or(parts) => parts.iter().any(|p| reads_un_ref(p, var)),
        Cond::Not(inner) => reads_un_ref(inner, var),
        Cond::Quant { body, .. } | Cond::Count { body, .. } => reads_un_ref(body, var),
        Cond::Exists(access) | Cond::Cmp(access, _) => {
            matches!(access, Access::Party(v, PartyField::Id(key)) if *v == var && key == "un_ref")
        }
        Cond::Const(_) => false,
    }
}

fn set(env: &mut Env, slot: usize, value: Option<usize>) {
    if let Some(s) = env.slots.get_mut(slot) {
        *s = value;
    }
}

fn set_alt(env: &mut Env, slot: usize, alt: usize) {
    if let Some(s) = env.alts.get_mut(slot) {
        *s = alt;
    }
}

fn slot(env: &Env, var: usize) -> Option<usize> {
    env.slots.get(var).copied().flatten()
}

fn get<'a>(access: &Access, t: &'a Transaction, env: &Env) -> V<'a> {
    let opt_place = |p: Option<Place>| p.map_or(V::Missing, V::Place);
    match access {
        Access::Id => V::Str(&t.id),
        Access::Date => V::Date(t.date),
        Access::Activity => V::Sym(Vocab::Activity, t.activity),
        Access::Origin => opt_place(t.origin),
        Access::Destination => opt_place(t.destination),
        Access::Location => opt_place(t.location),
        Access::Amount => t.amount.map_or(V::Missing, V::Money),
        Access::Services => V::SymList(Vocab::Service, &t.services),
        Access::Transit => V::PlaceList(&t.transit),
        Access::List(list) => {
            if list.len(t) > 0 {
                V::Present
            } else {
                V::Missing
            }
        }
        Access::Party(var, field) => {
            let Some(p) = slot(env, *var).and_then(|i| t.parties.get(i)) else {
                return V::Missing;
            };
            match field {
                PartyField::Role => V::Sym(Vocab::Role, p.role),
                PartyField::Name => V::Str(&p.name),
                PartyField::Kind => V::Sym(Vocab::PartyKind, p.kind),
                PartyField::Country => opt_place(p.country),
                PartyField::Tags => V::StrList(&p.tags),
                PartyField::Count => p.count.map_or(V::Missing, |c| V::Num(Decimal::from(c))),
                PartyField::Id(key) => match designation(&p.designations, env, *var) {
                    // As one of its designations, the party's UN reference is the entry's.
                    Some(d) if key == "un_ref" => {
                        if d.un_ref {
                            V::Str(&d.reference)
                        } else {
                            V::Missing
                        }
                    }
                    _ => p.ids.get(key).map_or(V::Missing, |s| V::Str(s)),
                },
                PartyField::Listed => designation(&p.designations, env, *var)
                    .map_or(V::Missing, |d| V::StrList(&d.listed)),
            }
        }
        Access::Item(var, field) => {
            let Some(g) = slot(env, *var).and_then(|i| t.goods.get(i)) else {
                return V::Missing;
            };
            match field {
                ItemField::Description => g.description.as_deref().map_or(V::Missing, V::Str),
                ItemField::Hs => g.hs.map_or(V::Missing, V::Hs),
                ItemField::Categories => V::SymList(Vocab::Category, &g.categories),
                ItemField::Quantity => g.quantity.map_or(V::Missing, V::Num),
                ItemField::Unit => g.unit.map_or(V::Missing, |u| V::Sym(Vocab::Unit, u)),
                ItemField::Value => g.value.map_or(V::Missing, V::Money),
            }
        }
        Access::Vessel(var, field) => {
            let Some(v) = slot(env, *var).and_then(|i| t.vessels.get(i)) else {
                return V::Missing;
            };
            match field {
                VesselField::Name => v.name.as_deref().map_or(V::Missing, V::Str),
                VesselField::Imo => v.imo.as_deref().map_or(V::Missing, V::Str),
                VesselField::Flag => opt_place(v.flag),
                VesselField::Role => v.role.map_or(V::Missing, |r| V::Sym(Vocab::VesselRole, r)),
                VesselField::Listed => designation(&v.designations, env, *var)
                    .map_or(V::Missing, |d| V::StrList(&d.listed)),
            }
        }
        Access::Auth(var, field) => {
            let Some(a) = slot(env, *var).and_then(|i| t.authorizations.get(i)) else {
                return V::Missing;
            };
            match field {
                AuthField::By => V::Str(&a.by),
                AuthField::Reference => a.reference.as_deref().map_or(V::Missing, V::Str),
                AuthField::Date => a.date.map_or(V::Missing, V::Date),
                AuthField::Covers => a.covers.as_deref().map_or(V::Missing, V::StrList),
            }
        }
        Access::TransitElem(var) => slot(env, *var)
            .and_then(|i| t.transit.get(i).copied())
            .map_or(V::Missing, V::Place),
        Access::ServiceElem(var) => slot(env, *var)
            .and_then(|i| t.services.get(i).copied())
            .map_or(V::Missing, |s| V::Sym(Vocab::Service, s)),
    }
}

/// Whether `value` passes `test`, places read as they were on `date`
fn check(value: V<'_>, test: &Test, date: NaiveDate) -> Result<bool, EvalError> {
    Ok(match (value, test) {
        (V::Missing, _) => false,
        (V::Sym(_, c), Test::SymIn(codes)) => codes.binary_search(&c).is_ok(),
        (V::SymList(_, list), Test::SymHas(codes)) => {
            list.iter().any(|c| codes.binary_search(c).is_ok())
        }
        (V::Str(s), Test::StrIn(values)) => values.iter().any(|v| v == s),
        (V::StrList(list), Test::StrHas(values)) => list.iter().any(|s| values.contains(s)),
        (V::Str(s), Test::StrPrefix(prefixes)) => {
            prefixes.iter().any(|p| s.starts_with(p.as_str()))
        }
        (V::Place(p), Test::PlaceIs(places)) => places.contains(&p),
        (V::Place(p), Test::PlaceWithin(places)) => places.iter().any(|q| p.within_on(q, date)),
        (V::Hs(h), Test::HsIs(codes)) => codes.contains(&h),
        (V::Hs(h), Test::HsWithin(patterns)) => patterns.iter().any(|pat| match pat {
            HsPattern::One(p) => h.within(p),
            HsPattern::Range(lo, hi) => h.within_range(lo, hi),
        }),
        (V::Num(n), Test::Num(op, m)) => op.holds(n.cmp(m)),
        (V::Date(d), Test::Date(op, e)) => op.holds(d.cmp(e)),
        (V::Money(m), Test::Money(op, amount, currency)) => {
            if m.currency != *currency {
                return Err(EvalError(format!(
                    "{} {} cannot be compared with an amount in {}",
                    m.amount,
                    m.currency_str(),
                    String::from_utf8_lossy(currency)
                )));
            }
            op.holds(m.amount.cmp(amount))
        }
        // INVARIANT: the checker only pairs a test with a field of its type.
        _ => {
            return Err(EvalError(
                "a field was tested against a value of another type".into(),
            ));
        }
    })
}

pub(super) fn render(template: &Template, t: &Transaction, vars: &[ListRef], env: &Env) -> String {
    let mut out = String::new();
    for part in &template.parts {
        match part {
            TemplatePart::Text(s) => out.push_str(s),
            TemplatePart::Elem(slots) => {
                let bound = slots
                    .iter()
                    .find_map(|s| Some((vars.get(*s)?, slot(env, *s)?)));
                match bound {
                    // A place of transit or a service is shown as its value; other elements by position.
                    Some((ListRef::Transit, _)) => {
                        out.push_str(&show(get(&Access::TransitElem(i_slot(slots, env)), t, env)))
                    }
                    Some((ListRef::Services, _)) => {
                        out.push_str(&show(get(&Access::ServiceElem(i_slot(slots, env)), t, env)))
                    }
                    Some((list, i)) => out.push_str(&format!("{}[{i}]", list.name())),
                    None => out.push_str("(unknown)"),
                }
            }
            TemplatePart::Field(accesses) => {
                let value = accesses
                    .iter()
                    .map(|a| get(a, t, env))
                    .find(|v| !matches!(v, V::Missing));
                out.push_str(&show(value.unwrap_or(V::Missing)));
            }
        }
    }
    out
}

/// The first of `slots` that is bound
fn i_slot(slots: &[usize], env: &Env) -> usize {
    slots
        .iter()
        .copied()
        .find(|s| slot(env, *s).is_some())
        .unwrap_or(0)
}

fn show(value: V<'_>) -> String {
    match value {
        // An empty list says so, as a missing value does: `(hs 930690, (none))`, not `(hs 930690, )`
        V::Missing => "(none)".into(),
        V::SymList(_, []) => "(none)".into(),
        V::StrList([]) => "(none)".into(),
        V::PlaceList([]) => "(none)".into(),
        V::Present => "(present)".into(),
        V::Sym(vocab, c) => vocab.value(c).to_string(),
        V::Str(s) => s.to_string(),
        V::Place(p) => p.to_string(),
        V::Hs(h) => h.to_string(),
        V::Num(n) => n.to_string(),
        V::Date(d) => d.to_string(),
        V::Money(m) => format!("{} {}", m.amount, m.currency_str()),
        V::SymList(vocab, codes) => codes
            .iter()
            .map(|c| vocab.value(*c))
            .collect::<Vec<_>>()
            .join(", "),
        V::StrList(list) => list.join(", "),
        V::PlaceList(list) => list
            .iter()
            .map(Place::to_string)
            .collect::<Vec<_>>()
            .join(", "),
    }
}
