//! [`Lookup`]: a module's items by name, and the analyses emission asks about them: whether a type's
//! `validate()` can fail (a least fixpoint over the items, which refer to each other in cycles), whether it is
//! text, has a `Default`, is a list, and how a repeated field's occurrences are counted.

use std::collections::{HashMap, HashSet};

use super::{Builtin, Card, Field, Item, ItemKind, Module, Occurrence, Place, Ty, WhiteSpace};

/// Items of a module, by name, for looking up what a `Ty::Named` is.
pub struct Lookup<'a> {
    items: HashMap<&'a str, &'a Item>,
    /// Items whose `validate()` can fail: enumerations, facets, occurrence bounds, or such a value inside.
    checked: HashSet<&'a str>,
    /// Whether every text is trimmed (the profile's choice) rather than normalized by its `whiteSpace` facet.
    trims_text: bool,
    /// Whether some element of the module is in a namespace (see [`Lookup::namespaced`]).
    namespaced: bool,
}

impl<'a> Lookup<'a> {
    /// Indexes a module's items.
    pub fn new(module: &'a Module, trims_text: bool) -> Self {
        let mut lookup = Lookup {
            items: module.items.iter().map(|i| (i.name.as_str(), i)).collect(),
            checked: HashSet::new(),
            trims_text,
            namespaced: module.items.iter().any(|item| match &item.kind {
                ItemKind::Struct(s) => s
                    .fields
                    .iter()
                    .any(|f| f.place == Place::Element && f.namespace.is_some()),
                ItemKind::Choice(c) => c.variants.iter().any(|v| v.namespace.is_some()),
                _ => false,
            }),
        };
        // The least fixpoint: an item is checked when it checks something itself or holds a checked value.
        // Types refer to each other in cycles, so repeat until nothing changes.
        loop {
            let before = lookup.checked.len();
            for item in &module.items {
                if !lookup.checked.contains(item.name.as_str()) && lookup.item_checks(item) {
                    lookup.checked.insert(item.name.as_str());
                }
            }
            if lookup.checked.len() == before {
                return lookup;
            }
        }
    }

    /// Whether `item`'s `validate()` can fail, given what is known to be checked so far.
    fn item_checks(&self, item: &Item) -> bool {
        match &item.kind {
            ItemKind::Enum(_) | ItemKind::Newtype(_) => true,
            ItemKind::Struct(s) => s.fields.iter().any(|f| {
                f.place != Place::AnyAttributes
                    && (self.checks(&f.ty) || counted_occurrences(f, self).is_some())
            }),
            ItemKind::Choice(c) => c.variants.iter().any(|v| self.checks(&v.ty)),
            ItemKind::Derived(d) => d.variants.iter().any(|v| self.checks(&v.ty)),
            ItemKind::Union(u) => u.members.iter().any(|(_, ty)| self.checks(ty)),
            ItemKind::Alias(ty) => self.checks(ty),
            ItemKind::ElementMarker(_) => false,
        }
    }

    /// Whether calling `validate()` on a value of `ty` can fail. Built-in types never do; a type override is
    /// someone else's, so it is asked.
    pub fn checks(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Builtin(_) | Ty::AnyElement => false,
            Ty::External(_) => true,
            Ty::List(item) | Ty::Collection { item, .. } => self.checks(item),
            Ty::Named(name) => {
                self.checked.contains(name.as_str()) || !self.items.contains_key(name.as_str())
            }
        }
    }

    /// Whether values of the text type `ty` can hold an `xs:QName` (a restriction of one, a list or union of
    /// them): their prefixes are resolved where they are read and declared where they are written.
    pub fn names_qnames(&self, ty: &Ty) -> bool {
        self.names_qnames_within(ty, 0)
    }

    fn names_qnames_within(&self, ty: &Ty, depth: usize) -> bool {
        if depth > 32 {
            return false;
        }
        match ty {
            Ty::Builtin(b) => *b == Builtin::QName,
            Ty::List(item) => self.names_qnames_within(item, depth + 1),
            Ty::Collection { .. } | Ty::AnyElement | Ty::External(_) => false,
            Ty::Named(name) => match self.items.get(name.as_str()).map(|i| &i.kind) {
                Some(ItemKind::Newtype(n)) => self.names_qnames_within(&n.inner, depth + 1),
                Some(ItemKind::Alias(inner)) => self.names_qnames_within(inner, depth + 1),
                Some(ItemKind::Union(u)) => u
                    .members
                    .iter()
                    .any(|(_, ty)| self.names_qnames_within(ty, depth + 1)),
                _ => false,
            },
        }
    }

    /// Whether values of `ty` are XML text (attributes, leaf elements) rather than complex content.
    pub fn is_text(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Builtin(_) | Ty::External(_) => true,
            Ty::List(_) | Ty::Collection { .. } | Ty::AnyElement => false,
            Ty::Named(name) => match self.items.get(name.as_str()).map(|i| &i.kind) {
                Some(ItemKind::Enum(_) | ItemKind::Newtype(_) | ItemKind::Union(_)) => true,
                Some(ItemKind::Alias(inner)) => self.is_text(inner),
                _ => false,
            },
        }
    }

    /// Whether values of `ty` are read and written as one text: a leaf or an `xs:list` (whose `Vec` is the
    /// runtime's `XmlText` too).
    pub fn is_text_or_list(&self, ty: &Ty) -> bool {
        self.is_text(ty) || self.is_list(ty)
    }

    /// Whether `ty` has a `Default` (used to decide whether a struct can derive it).
    pub fn has_default(&self, ty: &Ty, depth: usize) -> bool {
        if depth > 32 {
            return false;
        }
        match ty {
            Ty::Builtin(b) => b.has_default(),
            Ty::External(_) => false,
            // The built-in list types (`xs:NMTOKENS` and the like) hold at least one token.
            Ty::List(item) => **item != Ty::Builtin(Builtin::Name),
            Ty::Collection { .. } | Ty::AnyElement => true,
            Ty::Named(name) => match self.items.get(name.as_str()).map(|i| &i.kind) {
                Some(ItemKind::Struct(s)) => s
                    .fields
                    .iter()
                    .all(|f| f.card != Card::One || self.has_default(&f.ty, depth + 1)),
                Some(ItemKind::Alias(inner)) => self.has_default(inner, depth + 1),
                _ => false,
            },
        }
    }

    /// The kind of the item `name`.
    pub fn kind(&self, name: &str) -> Option<&'a ItemKind> {
        self.items.get(name).map(|i| &i.kind)
    }

    /// The fields of the struct item `name`.
    pub fn struct_fields(&self, name: &str) -> Option<&'a [super::Field]> {
        match self.items.get(name).map(|i| &i.kind) {
            Some(ItemKind::Struct(s)) => Some(&s.fields),
            _ => None,
        }
    }

    /// Whether values of `ty` have an `as_str()` (generated enums and strings).
    pub fn is_enum_or_string(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Builtin(b) => b.is_string(),
            Ty::Named(name) => match self.items.get(name.as_str()).map(|i| &i.kind) {
                Some(ItemKind::Enum(_)) => true,
                Some(ItemKind::Alias(inner)) => self.is_enum_or_string(inner),
                _ => false,
            },
            _ => false,
        }
    }

    /// The prefixes and namespaces of the module's namespace-qualified attributes, which its documents declare
    /// on their root element where they are used.
    pub fn attribute_namespaces(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .items
            .values()
            .filter_map(|item| match &item.kind {
                ItemKind::Struct(s) => Some(s.fields.iter()),
                _ => None,
            })
            .flatten()
            .filter(|f| f.place == Place::Attribute)
            .filter_map(|f| f.namespace.clone())
            .map(|uri| (super::attribute_prefix(&uri), uri))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Whether some element of the module is in a namespace: then the writers write each element in its own
    /// namespace, declaring it where the one in scope differs. A module of elements in no namespace (every
    /// Qualys schema) writes names as they are.
    pub fn namespaced(&self) -> bool {
        self.namespaced
    }

    /// Whether every text is trimmed, whatever its type (the profile's choice).
    pub fn trims_text(&self) -> bool {
        self.trims_text
    }

    /// How text of `ty` is normalized when it is not simply trimmed: the `whiteSpace` facet of a string type
    /// (built-in, restricted, enumerated) under the plain mapping. `None` for every other type, whose text is
    /// trimmed (the same as `collapse` for a value without inner whitespace), and under a profile that trims.
    pub fn white_space(&self, ty: &Ty) -> Option<WhiteSpace> {
        if self.trims_text {
            return None;
        }
        match ty {
            Ty::Builtin(Builtin::String) => Some(WhiteSpace::Preserve),
            Ty::Builtin(Builtin::NormalizedString) => Some(WhiteSpace::Replace),
            Ty::Builtin(Builtin::Token | Builtin::Name) => Some(WhiteSpace::Collapse),
            Ty::Named(name) => match self.items.get(name.as_str()).map(|i| &i.kind) {
                Some(ItemKind::Newtype(n)) => self.white_space(&n.inner),
                Some(ItemKind::Enum(e)) => self.white_space(&e.base),
                Some(ItemKind::Alias(inner)) => self.white_space(inner),
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether `ty` is a list item enum with a variant for `xs:any` elements.
    pub fn is_open_choice(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Named(name) => matches!(
                self.items.get(name.as_str()).map(|i| &i.kind),
                Some(ItemKind::Choice(c)) if c.variants.iter().any(|v| v.xml == super::ANY_VARIANT)
            ),
            _ => false,
        }
    }

    /// Whether `ty` is a list item enum of mixed content (with a `$text` variant).
    pub fn is_mixed_choice(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Named(name) => matches!(
                self.items.get(name.as_str()).map(|i| &i.kind),
                Some(ItemKind::Choice(c)) if c.variants.iter().any(|v| v.xml == "$text")
            ),
            _ => false,
        }
    }

    /// Whether `ty` is a (possibly aliased) `xs:list`.
    pub fn is_list(&self, ty: &Ty) -> bool {
        match ty {
            Ty::List(_) => true,
            Ty::Named(name) => {
                matches!(self.items.get(name.as_str()).map(|i| &i.kind), Some(ItemKind::Alias(inner)) if self.is_list(inner))
            }
            _ => false,
        }
    }
}

/// How the occurrences of repeated field `f` are counted, where the schema bounds them: one per item, or (a
/// repeated sequence: its list's name and first variant) one per item of the variant each occurrence begins with. `None`: nothing to check, or
/// nothing to count by (mixed content, a sequence that may begin with different elements).
pub fn counted_occurrences<'l>(
    f: &Field,
    lookup: &Lookup<'l>,
) -> Option<Option<(&'l str, &'l super::ChoiceVariant)>> {
    if f.card != Card::Many || (f.occurs.min == 0 && f.occurs.max.is_none()) {
        return None;
    }
    let list = match (f.place, &f.ty) {
        (Place::Choice, Ty::Named(name)) => lookup.items.get(name.as_str()).copied(),
        _ => None,
    };
    match list.map(|item| (item, &item.kind)) {
        Some((item, ItemKind::Choice(c))) => match c.occurrence {
            Occurrence::Each => Some(None),
            Occurrence::StartsWith(i) => Some(Some((item.name.as_str(), &c.variants[i]))),
            Occurrence::Uncounted => None,
        },
        _ => Some(None),
    }
}
