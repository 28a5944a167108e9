//! The layering of docs/ARCHITECTURE.md, checked on the module graph: every source file of
//! `src/` is parsed (syn), every path it names (`use` items, expressions, types) that starts
//! with `crate::` or `super::` is resolved to the module it reaches, and the edges between
//! modules are held against the layers. Test code (`#[cfg(test)]` items and the `tests.rs`
//! files of a module) is left out: a test may use anything.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use syn::visit::Visit;

/// The node of the graph a module path falls in: its top-level module, and for `screening`,
/// its layer (`screening::names`); `lib` and `main` are left out (they name every module)
fn node(module: &[String]) -> Option<String> {
    let top = module.first()?;
    if top == "cli" {
        return Some("cli".into());
    }
    if top == "screening" {
        return Some(match module.get(1) {
            Some(sub) => format!("screening::{sub}"),
            None => "screening".into(),
        });
    }
    Some(top.clone())
}

/// The module path of a source file: `src/screening/index/grams.rs` is `screening::index::grams`
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The paths a file names, each resolved against the file's module
struct Paths<'m> {
    module: &'m [String],
    found: BTreeSet<Vec<String>>,
}

impl Paths<'_> {
    fn resolve(&mut self, segments: &[String]) {
        let Some(first) = segments.first() else {
            return;
        };
        let resolved: Vec<String> = match first.as_str() {
            "crate" => segments[1..].to_vec(),
            "super" => {
                let mut base = self.module.to_vec();
                let mut rest = segments;
                while rest.first().is_some_and(|s| s == "super") {
                    base.pop();
                    rest = &rest[1..];
                }
                base.extend(rest.iter().cloned());
                base
            }
            "self" => {
                let mut base = self.module.to_vec();
                base.extend(segments[1..].iter().cloned());
                base
            }
            _ => return,
        };
        if !resolved.is_empty() {
            self.found.insert(resolved);
        }
    }

    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                prefix.push(n.ident.to_string());
                self.resolve(&prefix.clone());
                prefix.pop();
            }
            syn::UseTree::Rename(r) => {
                prefix.push(r.ident.to_string());
                self.resolve(&prefix.clone());
                prefix.pop();
            }
            syn::UseTree::Glob(_) => self.resolve(&prefix.clone()),
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.use_tree(prefix, t);
                }
            }
        }
    }
}

fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<syn::Meta>()
                .is_ok_and(|m| m.path().is_ident("test"))
    })
}

impl<'ast> Visit<'ast> for Paths<'_> {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attrs = match item {
            syn::Item::Mod(m) => &m.attrs,
            syn::Item::Fn(f) => &f.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Use(u) => &u.attrs,
            _ => return syn::visit::visit_item(self, item),
        };
        if !is_cfg_test(attrs) {
            syn::visit::visit_item(self, item);
        }
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.use_tree(&mut Vec::new(), &item.tree);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        self.resolve(&segments);
        syn::visit::visit_path(self, path);
    }
}

/// The module graph of `src/`: for each node, the nodes it names
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = common::rust_files(&src);
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let module = module_of(&src, &file);
        // Test files of a module, and the crate roots and `internals`, which name every module
        if module.last().is_some_and(|m| m == "tests")
            || matches!(module.as_slice(), [m] if m == "lib" || m == "main" || m == "internals")
        {
            continue;
        }
        let Some(from) = node(&module) else { continue };
        let text = std::fs::read_to_string(&file).unwrap();
        let parsed = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let mut paths = Paths {
            module: &module,
            found: BTreeSet::new(),
        };
        paths.visit_file(&parsed);
        let entry = edges.entry(from.clone()).or_default();
        for path in paths.found {
            if let Some(to) = node(&path)
                && to != from
                // A path naming only `screening` (its facade re-exports) counts as its load layer
                && to != "screening"
            {
                entry.insert(to);
            }
        }
    }
    edges
}

/// The nodes in an order where every edge points to an earlier one, or the nodes left in cycles
fn layers(edges: &BTreeMap<String, BTreeSet<String>>) -> Result<Vec<String>, Vec<String>> {
    let mut left: BTreeMap<&String, BTreeSet<&String>> = edges
        .iter()
        .map(|(k, v)| (k, v.iter().filter(|t| edges.contains_key(*t)).collect()))
        .collect();
    let mut order = Vec::new();
    while !left.is_empty() {
        let ready: Vec<&String> = left
            .iter()
            .filter(|(_, deps)| deps.is_empty())
            .map(|(k, _)| *k)
            .collect();
        if ready.is_empty() {
            return Err(left.keys().map(|k| (*k).clone()).collect());
        }
        for r in &ready {
            left.remove(r);
            order.push((*r).clone());
        }
        for deps in left.values_mut() {
            for r in &ready {
                deps.remove(r);
            }
        }
    }
    Ok(order)
}

#[test]
fn the_module_graph_has_no_cycle() {
    let edges = graph();
    assert!(edges.len() > 15, "{edges:?}");
    match layers(&edges) {
        Ok(order) => eprintln!("modules, bottom up: {}", order.join(", ")),
        Err(cycle) => panic!("modules in a cycle: {cycle:?}\nedges: {edges:#?}"),
    }
}

/// The modules that may name only the few they are allowed (docs/ARCHITECTURE.md); nothing else,
/// not even a module added later
const ONLY: &[(&str, &[&str])] = &[
    ("syntax", &["ast", "source", "diagnostics"]),
    ("screening::lists", &[]),
];

#[test]
fn the_front_end_and_list_formats_name_only_what_they_may() {
    let edges = graph();
    let mut wrong = Vec::new();
    for (module, allowed) in ONLY {
        let Some(named) = edges.get(*module) else {
            panic!("no module {module} in the graph");
        };
        wrong.extend(
            named
                .iter()
                .filter(|n| !allowed.contains(&n.as_str()))
                .map(|n| format!("{module} names {n}")),
        );
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    assert!(edges["syntax"].contains("ast"), "{:?}", edges["syntax"]);
}

/// Each module and what it may not name (docs/ARCHITECTURE.md)
const FORBIDDEN: &[(&str, &[&str])] = &[
    // The front end knows nothing of records, rules' meaning or output
    (
        "syntax",
        &[
            "model",
            "eval",
            "ir",
            "compile",
            "report",
            "screening::matching",
        ],
    ),
    ("ast", &["model", "eval", "ir", "compile", "syntax"]),
    // The evaluator never depends on the front end
    ("eval", &["syntax", "compile", "ast", "report", "cli"]),
    // Screening, bottom up: lists and names know nothing of records, rules or each other
    (
        "screening::lists",
        &[
            "model",
            "eval",
            "ir",
            "compile",
            "syntax",
            "report",
            "screening::names",
            "screening::index",
            "screening::matching",
        ],
    ),
    (
        "screening::names",
        &[
            "model",
            "eval",
            "ir",
            "compile",
            "syntax",
            "report",
            "screening::lists",
            "screening::index",
            "screening::matching",
        ],
    ),
    (
        "screening::index",
        &[
            "model",
            "eval",
            "ir",
            "compile",
            "syntax",
            "report",
            "screening::matching",
        ],
    ),
    // Matching finds designations; verdicts stay with the rules
    (
        "screening::matching",
        &["eval", "compile", "syntax", "report"],
    ),
    (
        "screening::suppress",
        &["eval", "compile", "syntax", "report", "screening::matching"],
    ),
    // Only the command line prints; nothing below it names it
    ("report", &["cli"]),
    (
        "model",
        &["eval", "compile", "syntax", "report", "screening::matching"],
    ),
];

#[test]
fn no_module_names_what_its_layer_may_not() {
    let edges = graph();
    let mut wrong = Vec::new();
    for (from, forbidden) in FORBIDDEN {
        let Some(to) = edges.get(*from) else {
            panic!("no module `{from}`: FORBIDDEN is out of date");
        };
        for f in *forbidden {
            if to.contains(*f) {
                wrong.push(format!("{from} names {f}"));
            }
        }
    }
    for (from, to) in &edges {
        if from != "cli" && to.contains("cli") {
            wrong.push(format!("{from} names cli"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}
