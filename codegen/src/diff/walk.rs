//! Loads one side of a diff: each module's IR, the source location of every element and attribute declaration
//! (the IR keeps one per item, not per field), and the endpoint catalog with the line of each entry.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{DiffInput, Place};
use crate::error::{Error, Result};
use crate::ir::{Field, Item, Module};
use crate::qps::catalog::Catalog;
use crate::xsd::{
    AttributeItem, ComplexType, Content, Element, Loc, Particle, Term, TopItem, TypeRef,
};

/// One side: its modules with their declarations' locations, and its catalog.
pub(super) struct Side {
    /// Whether the side's structs and enums are `#[non_exhaustive]`.
    pub(super) non_exhaustive: bool,
    pub(super) modules: Vec<ModuleFacts>,
    pub(super) catalog: Option<CatalogFacts>,
    roots: Vec<PathBuf>,
}

/// A module and where its fields' declarations stand.
pub(super) struct ModuleFacts {
    pub(super) module: Module,
    /// (the loc of the complex type or of the element holding it, local name, is an attribute) -> declaration.
    children: HashMap<(Loc, String, bool), Loc>,
    /// (local name, is an attribute) -> every declaration of that name in the module's schema set.
    anywhere: HashMap<(String, bool), Vec<Loc>>,
    /// Global element name -> its declarations in the module's schema set.
    globals: HashMap<String, Vec<Loc>>,
}

/// The catalog and the line of each of its tables.
pub(super) struct CatalogFacts {
    pub(super) catalog: Catalog,
    file: String,
    /// Line of the n-th `[[entity]]`, and of its m-th action and filter tables.
    entities: Vec<EntityLines>,
}

#[derive(Default)]
struct EntityLines {
    line: u32,
    actions: Vec<u32>,
    filters: Vec<u32>,
}

impl Side {
    pub(super) fn load(input: &DiffInput) -> Result<Side> {
        if input.schemas.is_empty() && input.catalog.is_none() {
            // No schema at all (what was there before a first `pull`): every module of the other side is new.
            return Ok(Side {
                non_exhaustive: input.non_exhaustive,
                modules: Vec::new(),
                catalog: None,
                roots: Vec::new(),
            });
        }
        let builder = input.builder();
        let lowered = builder.lower()?;
        let modules = lowered
            .modules
            .into_iter()
            .zip(&lowered.sets)
            .map(|(module, set)| {
                let mut facts = ModuleFacts {
                    module,
                    children: HashMap::new(),
                    anywhere: HashMap::new(),
                    globals: HashMap::new(),
                };
                for doc in &set.files {
                    for item in &doc.items {
                        facts.top(item);
                    }
                }
                facts
            })
            .collect();
        let mut roots = builder.roots();
        // The loader names files by their canonical paths; a root given with `..` or a link is matched so too.
        let canonical: Vec<PathBuf> = roots
            .iter()
            .filter_map(|r| std::fs::canonicalize(r).ok())
            .collect();
        roots.extend(canonical);
        let catalog = match lowered.catalog {
            Some(catalog) => {
                let path = catalog.path.clone();
                let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
                    path: path.clone(),
                    source,
                })?;
                if let Some(parent) = path.parent() {
                    roots.push(parent.to_path_buf());
                    roots.extend(std::fs::canonicalize(parent).ok());
                }
                let file = shown(&roots, &path);
                Some(CatalogFacts {
                    catalog,
                    file,
                    entities: catalog_lines(&text),
                })
            }
            None => None,
        };
        Ok(Side {
            non_exhaustive: input.non_exhaustive,
            modules,
            catalog,
            roots,
        })
    }

    /// The module at `path` (`was::webapp`).
    pub(super) fn module(&self, path: &str) -> Option<&ModuleFacts> {
        self.modules.iter().find(|m| module_name(&m.module) == path)
    }

    /// Where `loc` stands, relative to the directory it was given in.
    pub(super) fn place(&self, loc: &Loc) -> Place {
        Place {
            file: shown(&self.roots, &loc.file),
            line: loc.line,
        }
    }

    /// Where `field` of `item` is declared (the item's own location when the declaration is not found).
    pub(super) fn field_place(&self, facts: &ModuleFacts, item: &Item, field: &Field) -> Place {
        self.place(&facts.field_loc(item, &field.xml, is_attribute(field)))
    }

    /// Where the global element `name` is declared, when one declaration has that name.
    pub(super) fn global_place(&self, facts: &ModuleFacts, name: &str) -> Option<Place> {
        match facts.globals.get(name) {
            Some(locs) if locs.len() == 1 => Some(self.place(&locs[0])),
            _ => None,
        }
    }

    /// Where the first line of the module's schema file is.
    pub(super) fn module_place(&self, facts: &ModuleFacts) -> Place {
        match facts.module.items.first() {
            Some(item) => Place {
                file: shown(&self.roots, &item.loc.file),
                line: 1,
            },
            None => Place {
                file: facts.module.source.clone(),
                line: 1,
            },
        }
    }
}

/// `was::webapp`: a module's path as generated code names it.
pub(super) fn module_name(module: &Module) -> String {
    module.path.join("::")
}

fn is_attribute(field: &Field) -> bool {
    field.place == crate::ir::Place::Attribute
}

fn shown(roots: &[PathBuf], path: &Path) -> String {
    roots
        .iter()
        .filter(|root| !root.as_os_str().is_empty())
        .find_map(|root| path.strip_prefix(root).ok())
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

impl ModuleFacts {
    fn field_loc(&self, item: &Item, xml: &str, attribute: bool) -> Loc {
        if let Some(loc) = self
            .children
            .get(&(item.loc.clone(), xml.to_owned(), attribute))
        {
            return loc.clone();
        }
        match self.anywhere.get(&(xml.to_owned(), attribute)) {
            Some(locs) if locs.len() == 1 => locs[0].clone(),
            _ => item.loc.clone(),
        }
    }

    fn top(&mut self, item: &TopItem) {
        match item {
            TopItem::Element(e) => {
                self.globals
                    .entry(e.name.local.clone())
                    .or_default()
                    .push(e.loc.clone());
                self.element(e);
            }
            TopItem::ComplexType(ct) => self.complex(ct, &[]),
            TopItem::SimpleType(_) => {}
            TopItem::Group(g) => {
                let mut found = Vec::new();
                self.particle(&g.particle, &mut found);
                self.record(std::slice::from_ref(&g.loc), found);
            }
            TopItem::AttributeGroup(g) => {
                let mut found = Vec::new();
                self.attributes(&g.attributes, &mut found);
                self.record(std::slice::from_ref(&g.loc), found);
            }
            TopItem::Attribute(a) => self.note(&a.name.local, true, &a.loc),
        }
    }

    fn element(&mut self, e: &Element) {
        if let TypeRef::Complex(ct) = &e.ty {
            self.complex(ct, std::slice::from_ref(&e.loc));
        }
    }

    /// Records the children of `ct` under its own location and `extra` (the element holding an anonymous one).
    fn complex(&mut self, ct: &ComplexType, extra: &[Loc]) {
        let mut found = Vec::new();
        match &ct.content {
            Content::Particle(p) => self.particle(p, &mut found),
            Content::Complex {
                particle: Some(p), ..
            } => self.particle(p, &mut found),
            Content::Complex { particle: None, .. } | Content::Simple { .. } | Content::Empty => {}
        }
        self.attributes(&ct.attributes, &mut found);
        let mut keys = vec![ct.loc.clone()];
        keys.extend_from_slice(extra);
        self.record(&keys, found);
    }

    fn record(&mut self, keys: &[Loc], found: Vec<(String, bool, Loc)>) {
        for (name, attribute, loc) in found {
            for key in keys {
                self.children
                    .entry((key.clone(), name.clone(), attribute))
                    .or_insert_with(|| loc.clone());
            }
        }
    }

    fn note(&mut self, name: &str, attribute: bool, loc: &Loc) {
        let locs = self
            .anywhere
            .entry((name.to_owned(), attribute))
            .or_default();
        if !locs.contains(loc) {
            locs.push(loc.clone());
        }
    }

    fn particle(&mut self, p: &Particle, found: &mut Vec<(String, bool, Loc)>) {
        match &p.term {
            Term::Element(e) => {
                found.push((e.name.local.clone(), false, e.loc.clone()));
                self.note(&e.name.local, false, &e.loc);
                self.element(e);
            }
            Term::ElementRef(name) => found.push((name.local.clone(), false, p.loc.clone())),
            Term::Sequence(parts) | Term::All(parts) | Term::Choice(parts) => {
                for part in parts {
                    self.particle(part, found);
                }
            }
            Term::GroupRef(_) | Term::Any { .. } => {}
        }
    }

    fn attributes(&mut self, items: &[AttributeItem], found: &mut Vec<(String, bool, Loc)>) {
        for item in items {
            match item {
                AttributeItem::Attribute(a) => {
                    found.push((a.name.local.clone(), true, a.loc.clone()));
                    self.note(&a.name.local, true, &a.loc);
                }
                AttributeItem::Ref { name, loc, .. } => {
                    found.push((name.local.clone(), true, loc.clone()));
                }
                AttributeItem::GroupRef(..) | AttributeItem::Any(_) => {}
            }
        }
    }
}

impl CatalogFacts {
    /// Where the entity at `index` (and its action or filter) stands.
    pub(super) fn place(
        &self,
        entity: usize,
        action: Option<usize>,
        filter: Option<usize>,
    ) -> Place {
        let lines = self.entities.get(entity);
        let line = lines
            .and_then(|l| {
                action
                    .and_then(|a| l.actions.get(a).copied())
                    .or_else(|| filter.and_then(|f| l.filters.get(f).copied()))
                    .or(Some(l.line))
            })
            .unwrap_or(1);
        Place {
            file: self.file.clone(),
            line,
        }
    }
}

/// The lines of the `[[entity]]`, `[[entity.action]]` and `[[entity.filter]]` tables, in order: TOML keeps the
/// order of an array of tables, so the n-th header is the n-th entry.
fn catalog_lines(text: &str) -> Vec<EntityLines> {
    let mut out: Vec<EntityLines> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line_no = u32::try_from(n + 1).unwrap_or(u32::MAX);
        match line.trim() {
            "[[entity]]" => out.push(EntityLines {
                line: line_no,
                ..EntityLines::default()
            }),
            "[[entity.action]]" => {
                if let Some(last) = out.last_mut() {
                    last.actions.push(line_no);
                }
            }
            "[[entity.filter]]" => {
                if let Some(last) = out.last_mut() {
                    last.filters.push(line_no);
                }
            }
            _ => {}
        }
    }
    out
}
