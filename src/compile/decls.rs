//! The declarations of a pack, collected before anything is lowered: resolutions, regimes and
//! sets by name, each name declared once.

use super::*;

pub(super) struct Decls {
    pub(super) resolutions: HashMap<String, ResolutionInfo>,
    pub(super) regimes: HashMap<String, String>,
    pub(super) sets: HashMap<String, SetVal>,
    /// The declarations that rules and exceptions are expected to use, in file order
    pub(super) declared: Vec<lints::Declared>,
}

pub(super) fn duplicate(
    diagnostics: &mut Diagnostics,
    file: FileId,
    span: Span,
    what: &str,
    name: &str,
    first: (FileId, Span),
) {
    let where_ = if first.0 == file {
        "earlier in this file".to_string()
    } else {
        "in another file".to_string()
    };
    diagnostics.push(
        Diagnostic::new(
            Code::E206,
            file,
            span,
            format!("{what} `{name}` is defined twice"),
        )
        .with_label("second definition")
        .with_related(first.0, first.1, "first defined here")
        .with_help(format!(
            "the first definition is {where_}; rename or remove one"
        )),
    );
}

pub(super) fn has_rules(f: &ast::RuleFile) -> bool {
    f.items
        .iter()
        .any(|i| matches!(i, ast::Item::Rule(_) | ast::Item::Exception(_)))
}

pub(super) fn collect_decls(files: &[&ast::RuleFile], diagnostics: &mut Diagnostics) -> Decls {
    let mut resolutions = HashMap::new();
    let mut regimes = HashMap::new();
    let mut seen: HashMap<(u8, String), (FileId, Span)> = HashMap::new();
    let mut set_decls = Vec::new();
    let mut declared = Vec::new();
    for (file, f) in files.iter().enumerate() {
        for item in &f.items {
            let (kind, name, span, what) = match item {
                ast::Item::Resolution(r) => (0, r.symbol.node.clone(), r.symbol.span, "resolution"),
                ast::Item::Regime(r) => (1, r.name.node.clone(), r.name.span, "regime"),
                ast::Item::Set(s) => (2, s.name.node.clone(), s.name.span, "set"),
                ast::Item::Rule(r) => (3, r.id.node.clone(), r.id.span, "rule"),
                ast::Item::Exception(e) => (3, e.id.node.clone(), e.id.span, "exception"),
                // Test names need only be unique within their file.
                ast::Item::Test(t) => (
                    4,
                    format!("{file}\u{0}{}", t.name.node),
                    t.name.span,
                    "test",
                ),
            };
            if let Some(first) = seen.get(&(kind, name.clone())) {
                let shown = name.rsplit('\u{0}').next().unwrap_or(&name);
                duplicate(diagnostics, file, span, what, shown, *first);
                continue;
            }
            seen.insert((kind, name.clone()), (file, span));
            let used_kind = match item {
                // A vetoed or draft resolution is a record of what did not become law, and a
                // file with no rule or exception is a register of the law: its resolutions may
                // be listed for the record.
                ast::Item::Resolution(r)
                    if r.status.node == ResolutionStatus::Adopted && has_rules(f) =>
                {
                    Some(lints::DeclKind::Resolution)
                }
                ast::Item::Regime(_) => Some(lints::DeclKind::Regime),
                ast::Item::Set(_) => Some(lints::DeclKind::Set),
                _ => None,
            };
            if let Some(kind) = used_kind {
                declared.push(lints::Declared {
                    kind,
                    name: name.clone(),
                    file,
                    span,
                });
            }
            match item {
                ast::Item::Resolution(r) => {
                    let adopted = r
                        .date
                        .as_ref()
                        .and_then(|d| parse_date(d, file, diagnostics));
                    resolutions.insert(
                        name,
                        ResolutionInfo {
                            status: r.status.node,
                            adopted,
                            symbol: r.symbol.node.clone(),
                        },
                    );
                }
                ast::Item::Regime(r) => {
                    regimes.insert(name.clone(), name);
                    let _ = r;
                }
                ast::Item::Set(s) => set_decls.push((file, s)),
                _ => {}
            }
        }
    }
    let mut sets = HashMap::new();
    for (file, s) in set_decls {
        let Some(ty) = set_type(&s.ty.node) else {
            diagnostics.push(
                Diagnostic::new(
                    Code::E201,
                    file,
                    s.ty.span,
                    format!("unknown set type `{}`", s.ty.node),
                )
                .with_help(format!("set types are {}", SET_TYPES.join(", "))),
            );
            continue;
        };
        if Vocab::ALL.iter().any(|v| v.code(&s.name.node).is_some()) {
            diagnostics.push(
                Diagnostic::new(
                    Code::E216,
                    file,
                    s.name.span,
                    format!("the set name `{}` is also a vocabulary value", s.name.node),
                )
                .with_help(
                    "rename the set, for example with a plural or a suffix: `arms_hs`, `sellers`",
                ),
            );
        }
        let mut ctx = Ctx {
            file,
            diagnostics,
            sets: &HashMap::new(),
            used_sets: &mut BTreeSet::new(),
        };
        let val = match ty {
            Ty::Hs => SetVal::Hs(s.elems.iter().filter_map(|e| ctx.hs_elem(e)).collect()),
            Ty::Place => SetVal::Place(
                one_elems(&mut ctx, &s.elems)
                    .into_iter()
                    .filter_map(|l| ctx.place_literal(l))
                    .collect(),
            ),
            Ty::Sym(v) => {
                let mut codes: Vec<u8> = one_elems(&mut ctx, &s.elems)
                    .into_iter()
                    .filter_map(|l| ctx.sym_literal(v, l))
                    .collect();
                codes.sort_unstable();
                codes.dedup();
                SetVal::Sym(v, codes)
            }
            _ => SetVal::Str(
                one_elems(&mut ctx, &s.elems)
                    .into_iter()
                    .filter_map(|l| match &l.node {
                        Literal::Str(x) | Literal::Word(x) => Some(x.clone()),
                        _ => None,
                    })
                    .collect(),
            ),
        };
        sets.insert(s.name.node.clone(), val);
    }
    Decls {
        resolutions,
        regimes,
        sets,
        declared,
    }
}
