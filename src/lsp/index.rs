//! The names of a checked pack: where each resolution, regime, set, rule, exception and test is
//! declared, and where each is named (a rule's `regime`, a citation, a set in a condition, an
//! exception's `overrides`, a test's expected rules), for hover, definition, references and
//! document symbols.

use std::collections::HashSet;

use crate::ast::{Clause, Expr, Item, Literal, Operand, SetElem, Spanned};
use crate::source::Span;

use super::documents::CheckedFile;

/// What a name names
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `resolution "S/RES/1718 (2006)" ...`
    Resolution,
    /// `regime DPRK { ... }`
    Regime,
    /// `set dprk: place = [KP]`
    Set,
    /// `rule un.dprk.arms { ... }`
    Rule,
    /// `exception ... { ... }`
    Exception,
    /// `test "..." { ... }`
    Test,
}

impl Kind {
    /// The keyword that declares it
    pub fn keyword(self) -> &'static str {
        match self {
            Kind::Resolution => "resolution",
            Kind::Regime => "regime",
            Kind::Set => "set",
            Kind::Rule => "rule",
            Kind::Exception => "exception",
            Kind::Test => "test",
        }
    }
}

/// A declaration
#[derive(Clone, Debug)]
pub struct Def {
    /// What it declares
    pub kind: Kind,
    /// Its name (a resolution's symbol, without quotes)
    pub name: String,
    /// The file it is in (its place in the checked pack)
    pub file: usize,
    /// The name as written
    pub name_span: Span,
    /// The whole item
    pub span: Span,
    /// The item's place in its file
    pub item: usize,
}

/// A use of a name
#[derive(Clone, Debug)]
pub struct Ref {
    /// What it names
    pub kind: Kind,
    /// The name as written (`un.dprk.coal.*` for a pattern of `overrides`)
    pub name: String,
    /// The file it is in
    pub file: usize,
    /// Where
    pub span: Span,
}

impl Ref {
    /// Whether this use names the declaration `def` (a pattern ending in `*` names every rule
    /// whose id starts with what comes before it)
    pub fn names(&self, def: &Def) -> bool {
        let same_kind = self.kind == def.kind
            || (self.kind == Kind::Rule && def.kind == Kind::Exception)
            || (self.kind == Kind::Exception && def.kind == Kind::Rule);
        if !same_kind {
            return false;
        }
        match self.name.strip_suffix('*') {
            Some(prefix) => def.name.starts_with(prefix),
            None => def.name == self.name,
        }
    }
}

/// Every declaration and use of a name in the pack
#[derive(Debug, Default)]
pub struct Index {
    /// The declarations, file by file in file order
    pub defs: Vec<Def>,
    /// The uses
    pub refs: Vec<Ref>,
}

/// A name under the cursor: a declaration or a use
#[derive(Clone, Debug)]
pub enum Found<'a> {
    /// The name of a declaration
    Def(&'a Def),
    /// A use
    Ref(&'a Ref),
}

impl Index {
    /// The index of the pack's files
    pub fn new(files: &[CheckedFile]) -> Self {
        let mut index = Index::default();
        for (file, f) in files.iter().enumerate() {
            for (item, it) in f.parsed.ast.items.iter().enumerate() {
                let (kind, name, span) = match it {
                    Item::Resolution(r) => (Kind::Resolution, &r.symbol, r.span),
                    Item::Regime(r) => (Kind::Regime, &r.name, r.span),
                    Item::Set(s) => (Kind::Set, &s.name, s.span),
                    Item::Rule(r) => (Kind::Rule, &r.id, r.span),
                    Item::Exception(e) => (Kind::Exception, &e.id, e.span),
                    Item::Test(t) => (Kind::Test, &t.name, t.span),
                };
                index.defs.push(Def {
                    kind,
                    name: name.node.clone(),
                    file,
                    name_span: name.span,
                    span,
                    item,
                });
            }
        }
        let sets: HashSet<&str> = index
            .defs
            .iter()
            .filter(|d| d.kind == Kind::Set)
            .map(|d| d.name.as_str())
            .collect();
        let mut refs = Vec::new();
        for (file, f) in files.iter().enumerate() {
            let mut uses = Uses {
                file,
                sets: &sets,
                refs: &mut refs,
            };
            for it in &f.parsed.ast.items {
                match it {
                    Item::Rule(r) => uses.clauses(&r.clauses),
                    Item::Exception(e) => uses.clauses(&e.clauses),
                    Item::Test(t) => {
                        for expect in &t.expects {
                            for rule in expect.rules.iter().flatten() {
                                uses.add(Kind::Rule, rule);
                            }
                        }
                    }
                    Item::Resolution(_) | Item::Regime(_) | Item::Set(_) => {}
                }
            }
        }
        index.refs = refs;
        index
    }

    /// The name at byte `offset` of file `file`, if any
    pub fn at(&self, file: usize, offset: usize) -> Option<Found<'_>> {
        let inside = |span: &Span| span.start <= offset && offset <= span.end;
        if let Some(r) = self.refs.iter().find(|r| r.file == file && inside(&r.span)) {
            return Some(Found::Ref(r));
        }
        self.defs
            .iter()
            .find(|d| d.file == file && inside(&d.name_span))
            .map(Found::Def)
    }

    /// The declarations a name under the cursor stands for: itself, or those a use names
    pub fn defs_of<'a>(&'a self, found: &Found<'a>) -> Vec<&'a Def> {
        match found {
            Found::Def(d) => vec![*d],
            Found::Ref(r) => self.defs.iter().filter(|d| r.names(d)).collect(),
        }
    }

    /// The uses of a declaration
    pub fn refs_of<'a>(&'a self, def: &Def) -> impl Iterator<Item = &'a Ref> {
        let def = def.clone();
        self.refs.iter().filter(move |r| r.names(&def))
    }

    /// The declarations of one kind
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Def> {
        self.defs.iter().filter(move |d| d.kind == kind)
    }
}

/// Collects the uses of names in one file's items
struct Uses<'a> {
    file: usize,
    sets: &'a HashSet<&'a str>,
    refs: &'a mut Vec<Ref>,
}

impl Uses<'_> {
    fn add(&mut self, kind: Kind, name: &Spanned<String>) {
        self.refs.push(Ref {
            kind,
            name: name.node.clone(),
            file: self.file,
            span: name.span,
        });
    }

    fn clauses(&mut self, clauses: &[Clause]) {
        for clause in clauses {
            match clause {
                Clause::Regime(r) => self.add(Kind::Regime, r),
                Clause::Cites(cites) => {
                    for c in cites {
                        self.add(Kind::Resolution, &c.resolution);
                    }
                }
                Clause::When(e) => self.expr(e),
                Clause::Overrides(ids) => {
                    for id in ids {
                        self.add(Kind::Rule, id);
                    }
                }
                Clause::Title(_)
                | Clause::InForce(_)
                | Clause::Then(..)
                | Clause::UnlessAuthorized(_)
                | Clause::Note(..) => {}
            }
        }
    }

    fn literal(&mut self, lit: &Spanned<Literal>) {
        if let Literal::Word(w) = &lit.node
            && self.sets.contains(w.as_str())
        {
            self.refs.push(Ref {
                kind: Kind::Set,
                name: w.clone(),
                file: self.file,
                span: lit.span,
            });
        }
    }

    fn expr(&mut self, e: &Spanned<Expr>) {
        match &e.node {
            Expr::And(es) | Expr::Or(es) => {
                for e in es {
                    self.expr(e);
                }
            }
            Expr::Not(e) => self.expr(e),
            Expr::Quant { body, .. } | Expr::Count { body, .. } => self.expr(body),
            Expr::Cmp { rhs, .. } => match rhs {
                Operand::One(lit) => self.literal(lit),
                Operand::List(elems, _) => {
                    for elem in elems {
                        match elem {
                            SetElem::One(l) => self.literal(l),
                            SetElem::Range(a, b) => {
                                self.literal(a);
                                self.literal(b);
                            }
                        }
                    }
                }
                Operand::Field(_) => {}
            },
            Expr::Exists(_) | Expr::Bool(_) => {}
        }
    }
}
